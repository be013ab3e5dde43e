import MLCIGit

/// The two sides of a comparison: a base commit (nil: the empty tree) and a head commit, or the
/// working tree as head.
public struct ChangeRange: Sendable, Equatable {
    public enum Head: Sendable, Equatable {
        case commit(ObjectID)
        case worktree(ObjectID?)  // the commit HEAD points at, nil in an empty repository
        case tree(ObjectID, commit: ObjectID?)  // a tree such as the index, and HEAD's commit
    }

    public let base: ObjectID?
    public let head: Head

    public init(base: ObjectID?, head: Head) {
        self.base = base
        self.head = head
    }

    /// The head commit, or for the working tree the commit it is checked out from.
    public var headCommit: ObjectID? {
        switch head {
        case .commit(let id): return id
        case .worktree(let id): return id
        case .tree(_, let id): return id
        }
    }

    /// Resolves the `--base/--head/--merge-base/--worktree` flags the way `mlci changes`
    /// documents them: head defaults to HEAD; base defaults to head's first parent (the empty
    /// tree for a root commit), or to HEAD itself when comparing the working tree.
    public static func resolve(
        in repo: Repository, base: String?, head: String?,
        mergeBase: Bool, worktree: Bool
    ) throws -> ChangeRange {
        if worktree {
            let headID: ObjectID?
            do {
                headID = try repo.resolveCommit(head ?? "HEAD")
            } catch GitError.noCommits where head == nil {
                headID = nil
            }
            var baseID = try base.map(repo.resolveCommit) ?? headID
            if mergeBase, let b = baseID, let h = headID {
                baseID = try requireMergeBase(repo, b, h)
            }
            return ChangeRange(base: baseID, head: .worktree(headID))
        }
        let headID = try repo.resolveCommit(head ?? "HEAD")
        var baseID: ObjectID?
        if let base {
            baseID = try repo.resolveCommit(base)
        } else {
            baseID = try repo.commit(headID).parents.first
            if let parent = baseID, !repo.contains(parent) {
                throw repo.isShallow
                    ? GitError.missingInShallowClone(sha: parent.hex, what: "parent commit")
                    : GitError.unknownRevision(parent.hex)
            }
        }
        if mergeBase, let b = baseID {
            baseID = try requireMergeBase(repo, b, headID)
        }
        return ChangeRange(base: baseID, head: .commit(headID))
    }

    private static func requireMergeBase(_ repo: Repository, _ a: ObjectID, _ b: ObjectID) throws -> ObjectID {
        guard let found = try repo.mergeBase(a, b) else {
            if repo.isShallow {
                throw GitError.missingInShallowClone(sha: a.hex, what: "the merge-base of \(a.hex) and \(b.hex)")
            }
            throw GitError.unknownRevision("merge-base of \(a.hex) and \(b.hex) (the histories share no commit)")
        }
        return found
    }

    /// The changed files of this range.
    public func changes(in repo: Repository) throws -> [ChangedFile] {
        switch head {
        case .commit(let id): return try repo.changes(from: base, to: id)
        case .worktree: return try repo.worktreeChanges(from: base)
        case .tree(let tree, _):
            return try repo.changes(fromTree: try base.map { try repo.commit($0).tree }, toTree: tree)
        }
    }
}
