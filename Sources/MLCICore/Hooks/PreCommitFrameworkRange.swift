import MLCIGit

/// The pushed range as the pre-commit framework hands it to a pre-push hook. pre-commit reads
/// git's standard input itself and passes environment variables instead: PRE_COMMIT_FROM_REF and
/// PRE_COMMIT_TO_REF (for a new branch FROM is already the parent of its oldest new commit), or
/// only PRE_COMMIT_LOCAL_BRANCH when every pushed commit is new (the root is pushed too), with
/// PRE_COMMIT_REMOTE_NAME and PRE_COMMIT_REMOTE_BRANCH. pre-commit passes the first pushed ref
/// that has new commits, only. The range becomes the one line git would have written, so what is
/// checked, and how a new branch or an unknown remote commit is handled, is the installed hook's.
public enum PreCommitFrameworkRange {
    static let zeros = String(repeating: "0", count: 40)

    /// The remote's name and the pre-push input line for `environment`. Without any variable
    /// (`pre-commit run --hook-stage pre-push` by hand) it checks HEAD's commits that are not on
    /// the remote, as a push of HEAD would.
    public static func input(environment: [String: String], in repo: Repository) throws -> (
        remote: String, input: String
    ) {
        func value(_ name: String) throws -> String? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            // One field of a space-separated line: a ref name never holds a space or a control character.
            guard !text.contains(where: { $0 == " " || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true })
            else { throw HookError.variableNotARef(name: name) }
            return text
        }
        let remote = try value("PRE_COMMIT_REMOTE_NAME") ?? "origin"
        let localRef = try value("PRE_COMMIT_LOCAL_BRANCH") ?? "HEAD"
        let remoteRef = try value("PRE_COMMIT_REMOTE_BRANCH") ?? localRef
        let toName = try value("PRE_COMMIT_TO_REF") ?? localRef
        func commit(_ rev: String, _ name: String) throws -> String {
            guard let id = try? repo.resolveCommit(rev) else {
                throw HookError.variableNotACommit(name: name, rev: rev)
            }
            return id.hex
        }
        let to = try commit(toName, "PRE_COMMIT_TO_REF")
        // No FROM (every commit is new) or all zeros: the remote has nothing of it, as git says
        // for a new branch; a commit this clone does not have is passed on as git would.
        let from: String
        switch try value("PRE_COMMIT_FROM_REF") {
        case nil: from = zeros
        case let rev? where isAllZeros(rev): from = zeros
        case let rev? where [40, 64].contains(rev.count) && rev.allSatisfy(\.isHexDigit): from = rev
        case let rev?: from = try commit(rev, "PRE_COMMIT_FROM_REF")
        }
        return (remote, "\(localRef) \(to) \(remoteRef) \(from)\n")
    }
}
