import MLCIGit

/// Choosing the base or reading what the plan compares: revisions, mlci's variables, params,
/// DVC and other ML files (each CI platform's own base errors are its own: `GitHubError`, …). Each case carries what the message names; the message is
/// written once, in `description`.
public enum PlanError: MLCIFailure, Equatable {
    // The request.
    case worktreeWithHead
    case worktreeInBareRepository
    case configFromWithConfigFile
    case configFromValue(String)
    case noBaseToReadConfigFrom(why: String)
    case unknownStage(name: String, stages: [String])
    case protectedStageRemoved
    // The configuration file.
    case configFileUnreadable(path: String, reason: String)
    case configFileTooLarge(path: String, limit: Int)
    case noConfig(side: String)
    case fileTooLarge(path: String, side: String, size: Int, limit: Int)
    case params(file: String, line: Int?, side: String, message: String)
    // The base.
    case baseVariable(GitError)
    case notASha(source: String, sha: String)
    case allZeros(what: String)
    case noMergeBase(String, head: String)
    // ML files, read while planning (these become warnings about the file).
    case dvcOutWithoutPath
    case lfsBadOid(String)
    case lfsIncomplete
    case notebookNotUTF8
    case notebookWithoutCells

    public var category: ErrorCategory {
        switch self {
        case .protectedStageRemoved: .failure
        case .baseVariable, .allZeros, .noMergeBase: .unresolvableBase
        default: .usage
        }
    }

    public var description: String {
        switch self {
        case .worktreeWithHead: "--worktree plans the working tree; it cannot be used with --head"
        case .worktreeInBareRepository: "--worktree needs a working tree; this repository is bare"
        case .configFromWithConfigFile:
            "--config-from base reads mlci.yml from the base commit; it cannot be used with --config"
        case .configFromValue(let value):
            "\(StageJobEnvironment.configFrom) must be head or base, not '\(value.terminalSafe)'"
        case .noBaseToReadConfigFrom(let why):
            "--config-from base: this plan has no base commit to read mlci.yml from: \(why)"
        case .unknownStage(let name, let stages):
            "no stage named '\(name.terminalSafe)' in mlci.yml\(DidYouMean.hint(for: name, among: stages)); "
                + "stages: \(stages.joined(separator: ", "))"
        case .protectedStageRemoved: "a protected stage was removed (see the plan)"
        case .configFileUnreadable(let path, let reason): "cannot read the config file \(path): \(reason)"
        case .configFileTooLarge(let path, let limit): "the config file \(path) is larger than \(limit >> 20) MiB"
        case .noConfig(let side):
            "no \(MLCIConfig.fileName) in \(side); "
                + "create one at the repository root (mlci init writes a starting point) or pass --config FILE"
        case .fileTooLarge(let path, let side, let size, let limit):
            "\(path) at \(side): \(size) bytes is more than the \(limit >> 20) MiB mlci reads "
                + "of a file it parses; a file this large is not a configuration, params or DVC file"
        case .params(let file, let line, let side, let message):
            "\(file)\(line.map { ":\($0)" } ?? "") at \(side): \(message)"
        case .baseVariable(let error): "\(StageJobEnvironment.base): \(error)"
        case .notASha(let source, let sha): "\(source): '\(sha)' is not a commit sha"
        case .allZeros(let what): "\(what) is all zeros"
        case .noMergeBase(let a, let head):
            "\(a.prefix(12)) and head \(head.prefix(12)) share no history, so there is no merge-base"
        case .dvcOutWithoutPath: "an outs entry without a path"
        case .lfsBadOid(let hex): "bad LFS oid '\(hex)'"
        case .lfsIncomplete: "an LFS pointer without oid or size"
        case .notebookNotUTF8: "not UTF-8 text"
        case .notebookWithoutCells: "no cells"
        }
    }
}
