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
    /// The most mlci reads into memory of a file it parses (mlci.yml, params, DVC files): far
    /// above any real one, low enough that a hostile file cannot exhaust a runner's memory.
    public static let parsedFileLimit = 16 << 20

    func read(_ path: String, in repo: Repository) throws -> [UInt8]? {
        do {
            switch self {
            case .commit(let id): return try repo.blob(atPath: path, inCommit: id, limit: Self.parsedFileLimit)
            case .worktree(let root):
                if let size = (try? FileManager.default.attributesOfItem(atPath: root + path))?[.size] as? Int,
                    size > Self.parsedFileLimit
                {
                    throw GitError.tooLarge(sha: "(working tree)", size: size, limit: Self.parsedFileLimit)
                }
                return FileManager.default.contents(atPath: root + path).map { [UInt8]($0) }
            case .tree(let id): return try repo.blob(atPath: path, inTree: id, limit: Self.parsedFileLimit)
            case .empty: return nil
            }
        } catch GitError.tooLarge(_, let size, let limit) {
            throw PlanError(
                .usage,
                "\(path) at \(describe("head")): \(size) bytes is more than the \(limit >> 20) MiB mlci reads "
                    + "of a file it parses; a file this large is not a configuration, params or DVC file")
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
