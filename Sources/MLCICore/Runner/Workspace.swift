import MLCIGit

/// Where stages run: the working tree itself, or a scratch worktree holding exactly the
/// content to check.
public enum Workspace: Sendable {
    case inPlace(root: String)
    case scratch(ScratchWorktree)

    /// The repository's working tree; a bare repository has none to run stages in.
    public static func workingTree(of repo: Repository) throws -> Workspace {
        guard let root = repo.workdir else {
            throw RunError.needsWorkingTree(what: "stages")
        }
        return .inPlace(root: root)
    }

    /// The directory stages run in (their `dir:` is relative to it), ending in "/".
    public var root: String {
        switch self {
        case .inPlace(let root): return root.hasSuffix("/") ? root : root + "/"
        case .scratch(let worktree): return worktree.root
        }
    }

    /// Removes a scratch worktree; nothing for the working tree.
    public func release() {
        if case .scratch(let worktree) = self { worktree.remove() }
    }
}
