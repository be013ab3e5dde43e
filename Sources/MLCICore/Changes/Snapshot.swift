import Foundation
import MLCIGit

/// One side of a comparison to read files from: a commit, or the working tree.
public enum Snapshot: Sendable {
    case commit(ObjectID)
    case worktree(root: String)
    /// A tree that is not a commit's: the index, for the pre-commit hook.
    case tree(ObjectID)
    case empty

    /// The most mlci reads into memory of a file it parses (mlci.yml, params, DVC files): far
    /// above any real one, low enough that a hostile file cannot exhaust a runner's memory.
    public static let parsedFileLimit = 16 << 20

    /// Up to `parsedFileLimit + 1` bytes of a file, read through a handle so a pipe or a device
    /// (`--config <(…)`) works as a file does; more than the limit means the file is too large.
    /// nil when it cannot be opened or read.
    static func readBounded(_ path: String) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: parsedFileLimit + 1) else { return nil }
        return data ?? Data()
    }

    /// The file's bytes, or nil when it does not exist on this side.
    func read(_ path: String, in repo: Repository) throws -> [UInt8]? {
        do {
            switch self {
            case .commit(let id): return try repo.blob(atPath: path, inCommit: id, limit: Self.parsedFileLimit)
            case .worktree(let root):
                guard let data = Self.readBounded(root + path) else { return nil }
                guard data.count <= Self.parsedFileLimit else {
                    let size = (try? FileManager.default.attributesOfItem(atPath: root + path))?[.size] as? Int
                    throw GitError.tooLarge(
                        sha: "(working tree)", size: size ?? data.count, limit: Self.parsedFileLimit)
                }
                return [UInt8](data)
            case .tree(let id): return try repo.blob(atPath: path, inTree: id, limit: Self.parsedFileLimit)
            case .empty: return nil
            }
        } catch GitError.tooLarge(_, let size, let limit) {
            throw PlanError.fileTooLarge(path: path, side: describe("head"), size: size, limit: limit)
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
