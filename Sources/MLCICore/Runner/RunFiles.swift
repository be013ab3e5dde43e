import Foundation

/// The files a run hands its stages, in a private directory (`mkdtemp`, mode 0700) removed
/// when the run ends: every changed path (`MLCI_CHANGED_FILES`), the changed paths each stage
/// reads (`MLCI_STAGE_FILES`) and, with `--shard K/N`, this shard's share of them
/// (`MLCI_SHARD_FILES`). One path per line.
public final class RunFiles: @unchecked Sendable {
    public let directory: String
    public private(set) var changedFiles = ""
    public private(set) var stageFiles: [String: String] = [:]
    public private(set) var shardFiles: [String: String] = [:]

    /// Writes the lists for `stages` of `plan`.
    public init(plan: Plan, stages: [Stage], shard: (index: Int, count: Int)?, environment: [String: String]) throws {
        directory = try ScratchWorktree.makePrivateDirectory(environment: environment)
        do {
            changedFiles = try write("changed-files", plan.changes.map(\.path))
            let rows = plan.footprint.rows(plan.changes.map(\.change.pathBytes))
            for (n, stage) in stages.enumerated() {
                let mine = plan.changes.indices.filter { plan.footprint.reads(stage, rows, $0) }.map {
                    plan.changes[$0].path
                }
                .sorted()
                stageFiles[stage.name] = try write("stage-\(n)", mine)
                if let (k, count) = shard {
                    shardFiles[stage.name] = try write(
                        "shard-\(n)",
                        mine.enumerated().filter { $0.offset % count == k - 1 }
                            .map(\.element))
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    private func write(_ name: String, _ lines: [String]) throws -> String {
        let path = directory + "/" + name
        do {
            try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw RunError(.failure, "cannot write \(path): \(error.localizedDescription)")
        }
        return path
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}
