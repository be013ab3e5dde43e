import Foundation
import MLCIGit

/// One side of a comparison to read files from: a commit, or the working tree.
public enum Snapshot: Sendable {
    case commit(ObjectID)
    case worktree(root: String)
    /// A tree that is not a commit's: the index, for the pre-commit hook.
    case tree(ObjectID)
    case empty

    /// The file's bytes, or nil when it does not exist on this side.
    func read(_ path: String, in repo: Repository) throws -> [UInt8]? {
        switch self {
        case .commit(let id): return try repo.blob(atPath: path, inCommit: id)
        case .worktree(let root):
            return FileManager.default.contents(atPath: root + path).map { [UInt8]($0) }
        case .tree(let id): return try repo.blob(atPath: path, inTree: id)
        case .empty: return nil
        }
    }

    /// How to name this side in messages: "head 1a2b3c4d", "the working tree".
    func describe(_ role: String) -> String {
        switch self {
        case .commit(let id): return "\(role) \(id.hex.prefix(8))"
        case .worktree: return "the working tree"
        case .tree: return "the index"
        case .empty: return "\(role) (empty tree)"
        }
    }
}
