import CLibgit2

/// Every failure MLCIGit reports. Each case carries what a person needs to act on it;
/// the CLI turns `isUnresolvableRevision` into exit code 3 and the rest into 2.
public enum GitError: Error, Equatable, Sendable {
    /// No repository at or above `path`.
    case notARepository(path: String)
    /// A revision string that names nothing in this repository.
    case unknownRevision(String)
    /// `REV~N` or `REV^N` where REV exists but the history has no such ancestor.
    case pastRoot(String)
    /// An object the history refers to is absent because the clone is shallow.
    case missingInShallowClone(sha: String, what: String)
    /// A revision that resolves, but not to something that peels to a commit.
    case notACommit(String)
    /// The repository has no commits yet, so HEAD names nothing.
    case noCommits
    /// A blob larger than the caller reads into memory (checked from the object's header,
    /// before it is inflated).
    case tooLarge(sha: String, size: Int, limit: Int)
    /// Any other libgit2 failure, with libgit2's own message.
    case library(code: Int32, message: String, context: String)

    /// True for the errors that mean "the base or head revision cannot be resolved" (exit 3).
    public var isUnresolvableRevision: Bool {
        switch self {
        case .unknownRevision, .pastRoot, .missingInShallowClone, .notACommit, .noCommits: return true
        case .notARepository, .library, .tooLarge: return false
        }
    }
}

extension GitError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notARepository(let path):
            return "not a git repository (or any parent up to the filesystem root): \(path)"
        case .unknownRevision(let rev):
            return "unknown revision '\(rev)': it names no commit in this repository. "
                + "If it exists on the remote, fetch it first (git fetch origin)."
        case .missingInShallowClone(let sha, let what):
            return "\(what) \(sha) is not in this clone because the clone is shallow. "
                + "Fetch more history (git fetch --deepen=N, or git fetch --unshallow), "
                + "or in CI check out with full history (GitHub: actions/checkout with fetch-depth: 0; "
                + "GitLab: GIT_DEPTH: \"0\")."
        case .pastRoot(let rev):
            return "revision '\(rev)' goes past the first commit of the history: there is no such ancestor"
        case .notACommit(let rev):
            return "revision '\(rev)' does not point to a commit"
        case .noCommits:
            return "the repository has no commits yet, so there is nothing to compare"
        case .tooLarge(let sha, let size, let limit):
            return "blob \(sha.prefix(12)) is \(mebibytes(size)), over the \(mebibytes(limit)) mlci reads into memory"
        case .library(_, let message, let context):
            return "\(context): \(message)"
        }
    }
}

/// `12.5 MiB`, rounded up to a tenth.
func mebibytes(_ bytes: Int) -> String {
    let tenths = (bytes * 10 + (1 << 20) - 1) >> 20
    return "\(tenths / 10).\(tenths % 10) MiB"
}

/// Turns a libgit2 return code into a thrown `GitError`, reading `git_error_last()` on the same
/// thread that made the call (libgit2 keeps its last error per thread).
@inline(__always)
func check(_ code: Int32, _ context: @autoclosure () -> String) throws {
    guard code < 0 else { return }
    throw GitError.library(code: code, message: lastErrorMessage(), context: context())
}

func lastErrorMessage() -> String {
    guard let err = git_error_last(), let msg = err.pointee.message else { return "unknown libgit2 error" }
    return String(cString: msg)
}
