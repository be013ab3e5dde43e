/// Running stages: starting processes, the cache, scratch worktrees, files handed to stages,
/// run reports. Each case carries what the message names; the message is written once.
public enum RunError: MLCIFailure, Equatable {
    // The request.
    case unknownStage(name: String, stages: [String])
    case onlyWithoutStages
    case jobsBelowOne
    case notADuration(String)
    case notAShard(String)
    /// One of `MLCI_SHARD` and `MLCI_SHARDS` is set without the other (`set`).
    case shardVariableMissing(set: String)
    case shardVariablesInvalid(shard: String, shards: String)
    /// `what` needs a working tree ("stages", "mlci job", "a scratch worktree").
    case needsWorkingTree(what: String)
    // Processes and files.
    case notOnPath(program: String)
    case cannotCreatePipe(reason: String)
    case cannotStart(executable: String, directory: String, reason: String)
    case cannotCreatePrivateDirectory(base: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotWriteEvents(path: String)
    // Declared outputs and the cache.
    case outputNotCacheable(output: String, reason: String)
    case outputNotProduced(String)
    case outputThroughLink(String, isTheLink: Bool)
    case outputUnreadable(String)
    case outputIsLink(String)
    case outputNotRegular(String)
    case cannotLockCache(path: String, reason: String?)

    public var category: ErrorCategory {
        switch self {
        case .unknownStage, .onlyWithoutStages, .jobsBelowOne, .notADuration, .notAShard, .shardVariableMissing,
            .shardVariablesInvalid, .needsWorkingTree:
            .usage
        default: .failure
        }
    }

    public var description: String {
        switch self {
        case .unknownStage(let name, let stages):
            "no stage named '\(name)'\(DidYouMean.hint(for: name, among: stages)); stages: \(stages.joined(separator: ", "))"
        case .onlyWithoutStages: "--only needs at least one --stage"
        case .jobsBelowOne: "--jobs must be at least 1"
        case .notADuration(let text): "--timeout '\(text)' is not a duration; write it with a unit: 90s, 30m, 2h, 1h30m"
        case .notAShard(let text): "--shard '\(text)' must be K/N with 1 ≤ K ≤ N, such as 2/4"
        case .shardVariableMissing(let set):
            "\(StageJobEnvironment.shard) and \(StageJobEnvironment.shards) go together (shard K of N); only \(set) is set"
        case .shardVariablesInvalid(let shard, let shards):
            "\(StageJobEnvironment.shard)=\(shard) and \(StageJobEnvironment.shards)=\(shards) are not a shard K of N"
        case .needsWorkingTree(let what): "\(what) needs a working tree; this repository is bare"
        case .notOnPath(let program): "cannot find \(program) on PATH"
        case .cannotCreatePipe(let reason): "cannot create a pipe: \(reason)"
        case .cannotStart(let executable, let directory, let reason):
            "cannot start \(executable) in \(directory): \(reason)"
        case .cannotCreatePrivateDirectory(let base, let reason):
            "cannot create a private directory in \(base): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .cannotWriteEvents(let path): "cannot write the events file \(path)"
        case .outputNotCacheable(let output, let reason): "declared output \(output) cannot be cached: \(reason)"
        case .outputNotProduced(let output): "declared output \(output) was not produced"
        case .outputThroughLink(let output, let isTheLink):
            "declared output \(output) \(isTheLink ? "is" : "is reached through") a symbolic link; the cache stores "
                + "regular files only, and never follows a link (it could lead outside the working tree). Make it a "
                + "regular file, or set cache: false"
        case .outputUnreadable(let output): "cannot read output \(output)"
        case .outputIsLink(let output):
            "output \(output) is a symbolic link; the cache stores regular files only, and never follows "
                + "a link (it could lead outside the working tree). Remove it, or set cache: false"
        case .outputNotRegular(let output): "output \(output) is not a regular file or a directory; it cannot be cached"
        case .cannotLockCache(let path, let reason): "cannot lock the cache at \(path)\(reason.map { ": \($0)" } ?? "")"
        }
    }
}
