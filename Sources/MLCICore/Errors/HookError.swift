/// Installing, removing and running git hooks, and reading what git hands a hook. Each case
/// carries what the message names; the message is written once.
public enum HookError: MLCIFailure, Equatable {
    // The request.
    case unsupportedHook(String)
    case unknownHook(String)
    case fromPreCommitMisused
    case noStages
    case badStageName(problem: String)
    case noRemoteName
    // What git or the pre-commit framework hands the hook.
    case notAnObjectID(ref: String, oid: String)
    case notACommit(ref: String, oid: String)
    case unreadablePushInput(problems: [String])
    case variableNotARef(name: String)
    case variableNotACommit(name: String, rev: String)
    case writeTreeFailed(output: String)
    case configNotCommitted(head: String)
    // The hooks directory and the hook files.
    case templateMissing
    case hooksPathOutside(configured: String, path: String)
    case cannotCreateHooksDirectory(dir: String, reason: String)
    case hooksDirectoryNotWritable(dir: String)
    case cannotWriteIn(dir: String, reason: String)
    case foreignSymlink(target: String, destination: String)
    case unreadableHook(target: String, reason: String)
    case previousHookExists(target: String, previous: String)
    case cannotKeepPrevious(previous: String, reason: String)
    /// `restored`: the user's hook was put back where it was.
    case cannotInstall(target: String, reason: String, restored: Bool)
    case notRemovingUnreadable(target: String, reason: String)
    case notRemovingForeign(target: String)
    case cannotRestorePrevious(previous: String, target: String, reason: String)

    public var category: ErrorCategory {
        switch self {
        case .writeTreeFailed, .cannotCreateHooksDirectory, .hooksDirectoryNotWritable, .cannotWriteIn,
            .unreadableHook, .cannotKeepPrevious, .cannotInstall, .notRemovingUnreadable, .cannotRestorePrevious:
            .failure
        default: .usage
        }
    }

    public var description: String {
        switch self {
        case .unsupportedHook(let hook): "mlci installs pre-push and pre-commit hooks; '\(hook)' is not supported"
        case .unknownHook(let hook): "unknown hook '\(hook)'"
        case .fromPreCommitMisused: "--from-pre-commit goes with 'hook run pre-push' and no remote argument"
        case .noStages: "--stages needs at least one stage"
        case .badStageName(let problem): "--stages: \(problem)"
        case .noRemoteName: "the pre-push hook needs the remote's name"
        case .notAnObjectID(let ref, let oid): "\(ref): '\(oid)' is not a full object id"
        case .notACommit(let ref, let oid): "\(ref): \(oid) is not a commit in this repository"
        case .unreadablePushInput(let problems):
            // One line (errors are shown escaped, on one line): the problems are joined by "; ".
            "cannot read the pre-push input from git: " + problems.joined(separator: "; ")
        case .variableNotARef(let name): "\(name) holds a space or a control character: not a git ref"
        case .variableNotACommit(let name, let rev): "\(name) is '\(rev)', which is not a commit in this repository"
        case .writeTreeFailed(let output): "git write-tree gave no tree for the staged changes: \(output)"
        case .configNotCommitted(let head):
            "\(MLCIConfig.fileName) is in your working tree but not in the pushed commit \(head.prefix(12)): "
                + "commit it (git add \(MLCIConfig.fileName) && git commit), or skip the check once with "
                + "MLCI=0 git push, or git push --no-verify"
        case .templateMissing: "the hook template is missing"
        case .hooksPathOutside(let configured, let path):
            "core.hooksPath is set to \(configured), outside this repository, so a hook there would run for "
                + "other repositories too. mlci does not change core.hooksPath; to install there anyway, pass --hooks-path \(path)"
        case .cannotCreateHooksDirectory(let dir, let reason): "cannot create the hooks directory \(dir): \(reason)"
        case .hooksDirectoryNotWritable(let dir): "the hooks directory \(dir) is not writable; nothing was installed"
        case .cannotWriteIn(let dir, let reason): "cannot write in \(dir): \(reason); nothing was installed"
        case .foreignSymlink(let target, let destination):
            "\(target) is a symbolic link (to \(destination)) that mlci did not create; mlci does not replace "
                + "it. Remove the link or chain it yourself. Nothing was changed"
        case .unreadableHook(let target, let reason):
            "\(target) exists but \(reason); mlci cannot keep a hook it cannot read, so it does not replace "
                + "it. Nothing was changed"
        case .previousHookExists(let target, let previous):
            "\(target) is not mlci's, and \(previous) already exists; move one of them away first. Nothing was changed"
        case .cannotKeepPrevious(let previous, let reason):
            "cannot keep your existing hook as \(previous): \(reason). Nothing was changed"
        case .cannotInstall(let target, let reason, let restored):
            "cannot install \(target): \(reason)" + (restored ? "; your hook was left as it was" : "")
        case .notRemovingUnreadable(let target, let reason):
            "refusing to remove \(target): \(reason), so it cannot be mlci's hook"
        case .notRemovingForeign(let target): "refusing to remove \(target): it is not mlci's hook"
        case .cannotRestorePrevious(let previous, let target, let reason):
            "removed mlci's hook but cannot restore \(previous) to \(target): \(reason)"
        }
    }
}
