import MLCIGit

/// The changed-file lists a run hands its stages, as bytes: every changed path
/// (`MLCI_CHANGED_FILES`), the changed paths each stage reads (`MLCI_STAGE_FILES`), and with a
/// shard, that shard's share of them (`MLCI_SHARD_FILES`: sorted, every N-th from K). One path
/// a line, written as `git diff --name-only` writes it with `core.quotePath=false`: a path holding
/// a newline, a tab, a quote or a backslash is C-quoted in double quotes, so no path can forge
/// another entry; other bytes (UTF-8 or not) are written as they are. Each list also comes
/// NUL-terminated with paths as they are (`MLCI_CHANGED_FILES0`, `MLCI_STAGE_FILES0`,
/// `MLCI_SHARD_FILES0`), for `xargs -0 … --`: no path, whatever it holds (`src/x.py --exit-zero`),
/// can become an option or a second argument.
public struct StageFileLists: Sendable {
    public let changed: [UInt8]
    public let stage: [String: [UInt8]]
    public let shard: [String: [UInt8]]
    public let changed0: [UInt8]
    public let stage0: [String: [UInt8]]
    public let shard0: [String: [UInt8]]

    public init(plan: Plan, stages: [Stage], shard: (index: Int, count: Int)?) {
        let quoting = PathQuoting(quoteHighBytes: false)
        func list(_ paths: [[UInt8]]) -> [UInt8] {
            var out: [UInt8] = []
            for path in paths {
                quoting.append(path, to: &out)
                out.append(0x0a)
            }
            return out
        }
        func list0(_ paths: [[UInt8]]) -> [UInt8] { paths.flatMap { $0 + [0] } }
        let paths = plan.changes.map(\.change.pathBytes)
        changed = list(paths)
        changed0 = list0(paths)
        let rows = plan.footprint.rows(paths)
        var stageLists: [String: [UInt8]] = [:]
        var shardLists: [String: [UInt8]] = [:]
        var stageLists0: [String: [UInt8]] = [:]
        var shardLists0: [String: [UInt8]] = [:]
        for stage in stages {
            let mine = paths.indices.filter { plan.footprint.reads(stage, rows, $0) }.map { paths[$0] }
                .sorted { $0.lexicographicallyPrecedes($1) }
            stageLists[stage.name] = list(mine)
            stageLists0[stage.name] = list0(mine)
            if let (k, n) = shard {
                let share = mine.enumerated().filter { $0.offset % n == k - 1 }.map(\.element)
                shardLists[stage.name] = list(share)
                shardLists0[stage.name] = list0(share)
            }
        }
        stage = stageLists
        self.shard = shardLists
        stage0 = stageLists0
        shard0 = shardLists0
    }

    /// Variables whose values a stage's result may depend on beyond its files: a command that
    /// names one (`run: xargs -0 -r ruff check -- < "$MLCI_STAGE_FILES0"`) gets a cache key that
    /// covers the value, so a run over fewer files never replays for a run over more. (A name
    /// holds its `…0` twin, which lists the same paths.) Never `$(cat "$MLCI_STAGE_FILES")`: the
    /// shell splits a path holding a space into words, one of which can be an option.
    static let keyedVariables = [
        StageJobEnvironment.changedFiles, StageJobEnvironment.stageFiles, StageJobEnvironment.shardFiles,
        StageJobEnvironment.dvcStages,
    ]

    /// Lines for a stage's cache key: a digest of each list or value its command names.
    func keyLines(for stage: Stage, plan: Plan) -> [String] {
        let command = stage.run + "\n" + (stage.rollback ?? "")
        var lines: [String] = []
        for variable in Self.keyedVariables where command.contains(variable) {
            let value: [UInt8]
            switch variable {
            case StageJobEnvironment.changedFiles: value = changed
            case StageJobEnvironment.stageFiles: value = self.stage[stage.name] ?? []
            case StageJobEnvironment.shardFiles: value = shard[stage.name] ?? []
            default: value = Array(plan.invalidatedDVCTargets(for: stage).joined(separator: " ").utf8)
            }
            lines.append("\(variable) \(ObjectID.hashing(value).hex)")
        }
        return lines
    }
}
