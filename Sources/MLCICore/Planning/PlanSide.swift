import MLCIGit

/// One resolved side of a plan: where its files are read from, its commit, its tree, and how
/// to name it. The head of a working-tree or index plan has the tree `git add -A` or the index
/// would record, on the commit HEAD points at.
public struct PlanSide: Sendable {
    public let snapshot: Snapshot
    /// The commit (for the working tree and the index: the commit HEAD points at; nil in an
    /// empty repository or for the empty base).
    public let commit: ObjectID?
    /// The tree compared; nil: the empty tree.
    public let tree: ObjectID?

    public init(snapshot: Snapshot, commit: ObjectID?, tree: ObjectID?) {
        self.snapshot = snapshot
        self.commit = commit
        self.tree = tree
    }

    public static let empty = PlanSide(snapshot: .empty, commit: nil, tree: nil)

    public static func commit(_ id: ObjectID, in repo: Repository) throws -> PlanSide {
        PlanSide(snapshot: .commit(id), commit: id, tree: try repo.commit(id).tree)
    }

    public var isWorktree: Bool {
        if case .worktree = snapshot { return true }
        return false
    }

    /// "head 1a2b3c4d", "the working tree", "the index".
    public func describe(_ role: String) -> String { snapshot.describe(role) }

    /// Every file of the side's tree: what cache keys hash.
    public func trackedFiles(in repo: Repository) throws -> [ChangedFile] {
        guard let tree else { return [] }
        return try repo.changes(fromTree: nil, toTree: tree)
    }
}
