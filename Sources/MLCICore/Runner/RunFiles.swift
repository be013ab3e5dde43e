import Foundation

/// The files a run hands its stages, in a private directory (`mkdtemp`, mode 0700) removed
/// when the run ends: every changed path (`MLCI_CHANGED_FILES`), the changed paths each stage
/// reads (`MLCI_STAGE_FILES`) and, with `--shard K/N`, this shard's share of them
/// (`MLCI_SHARD_FILES`), as `StageFileLists` makes them.
public final class RunFiles: @unchecked Sendable {
    public let directory: String
    public private(set) var changedFiles = ""
    public private(set) var stageFiles: [String: String] = [:]
    public private(set) var shardFiles: [String: String] = [:]
    /// The same lists NUL-terminated (`…_FILES0`).
    public private(set) var changedFiles0 = ""
    public private(set) var stageFiles0: [String: String] = [:]
    public private(set) var shardFiles0: [String: String] = [:]

    /// Writes `lists` (made for the run's stages).
    public init(_ lists: StageFileLists, environment: [String: String]) throws {
        directory = try ScratchWorktree.makePrivateDirectory(environment: environment)
        do {
            changedFiles = try write("changed-files", lists.changed)
            changedFiles0 = try write("changed-files0", lists.changed0)
            for (n, (name, bytes)) in lists.stage.sorted(by: { $0.key < $1.key }).enumerated() {
                stageFiles[name] = try write("stage-\(n)", bytes)
                stageFiles0[name] = try write("stage0-\(n)", lists.stage0[name] ?? [])
                if let shard = lists.shard[name] {
                    shardFiles[name] = try write("shard-\(n)", shard)
                    shardFiles0[name] = try write("shard0-\(n)", lists.shard0[name] ?? [])
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = directory + "/" + name
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw RunError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        return path
    }

    /// Removes the directory; the executor calls it when the run ends (stage threads may still
    /// hold this object then, so `deinit` alone would leave the directory behind).
    public func remove() { try? FileManager.default.removeItem(atPath: directory) }

    deinit { remove() }
}
