import MLCIGit

/// What each stage is about, as paths: the paths whose change can make it run (its
/// *triggers*) and the paths whose content its result depends on (what it *reads*).
///
/// This is the one definition of "which files does a stage watch". The planner asks it which
/// changed paths no stage watches; cache keys ask which tracked files go into a key; both hooks
/// ask whether an uncommitted change touches what a stage reads (and so whether the stage can
/// run in the working tree); sharding asks which changed files a stage's shards split.
///
/// - `on:` *selects* paths: one ordered list of kinds and patterns, the last entry matching a
///   path decides, `!pattern` takes it back. A selected path is a path reason of the plan.
/// - A stage is *triggered* by the paths it selects, its params files (a key's value changes)
///   and, for a `dvc:` stage, every path DVC reads for the DVC stages it carries: their
///   `dvc.yaml` and `dvc.lock`, deps and params files (a change there invalidates them).
/// - A stage *reads* what triggers it, what its `inputs:` list selects (its own ordered list:
///   the last matching pattern decides, `!pattern` takes back an earlier input; inputs add to
///   the triggers and never take any back), and the outs of its DVC stages.
///
/// DVC paths are files or directories (a directory covers everything under it); a `.dvc`
/// pointer stands for the data it tracks, so `data/raw.dvc` counts for a dep `data/raw` and
/// for a dep `data/raw/part.csv`.
public struct StageFootprint: Sendable {
    public let config: MLCIConfig
    public let classifier: ChangeClassifier
    private let extras: [String: Extra]
    /// True when some stage has `inputs:` (paths are then split for pattern matching).
    private let anyInputs: Bool
    /// Every stage's params files and DVC triggers together: the planner asks, for each
    /// changed path no `on:` list selected, whether anything else triggers some stage.
    private let allParams: Set<[UInt8]>
    private let allDVCTriggers: PathSet

    /// What a stage watches beyond its `on:` list.
    private struct Extra: Sendable {
        var params: Set<[UInt8]> = []
        var inputs: PatternList?
        var dvcTriggers = PathSet()
        var dvcOutputs = PathSet()
    }

    /// `dvcStages`: the head's DVC stages (nil: not a DVC project, or not read).
    public init(config: MLCIConfig, classifier: ChangeClassifier? = nil, dvcStages: [DVCStage]?) {
        self.config = config
        self.classifier = classifier ?? ChangeClassifier(config: config)
        var extras: [String: Extra] = [:]
        for stage in config.stages {
            var extra = Extra()
            extra.params = Set(stage.params.map { Array($0.file.utf8) })
            if !stage.local.inputs.isEmpty { extra.inputs = PatternList(stage.local.inputs) }
            if let link = stage.dvc {
                for dvc in (dvcStages ?? []) where Self.carries(link, dvc.name) {
                    let dir = String(
                        dvc.file.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                            .joined(separator: "/"))
                    extra.dvcTriggers.insert(dvc.file)
                    extra.dvcTriggers.insert(dir.isEmpty ? "dvc.lock" : dir + "/dvc.lock")
                    for dep in dvc.deps { extra.dvcTriggers.insert(dep) }
                    for params in dvc.params { extra.dvcTriggers.insert(params.file) }
                    for out in dvc.outs { extra.dvcOutputs.insert(out) }
                }
            }
            extras[stage.name] = extra
        }
        self.extras = extras
        anyInputs = config.stages.contains { !$0.local.inputs.isEmpty }
        allParams = extras.values.reduce(into: []) { $0.formUnion($1.params) }
        allDVCTriggers = extras.values.reduce(into: PathSet()) { $0.formUnion($1.dvcTriggers) }
    }

    /// True when the mlci stage's `dvc:` link covers DVC stage `name` (`train` covers the
    /// `foreach` expansions `train@…`).
    public static func carries(_ link: DVCLink, _ name: String) -> Bool {
        switch link {
        case .all: return true
        case .stages(let names): return names.contains { name == $0 || name.hasPrefix($0 + "@") }
        }
    }

    /// The same footprint with the head's DVC stages known (the planner reads them after it
    /// has used the rest).
    public func with(dvcStages: [DVCStage]?) -> StageFootprint {
        StageFootprint(config: config, classifier: classifier, dvcStages: dvcStages)
    }

    // MARK: Paths

    /// Many paths, matched once against every pattern of the configuration.
    public struct Rows: Sendable {
        public let classification: ChangeClassifier.Classification
        fileprivate let paths: [[UInt8]]
        fileprivate let splits: [SplitPath]
        public var count: Int { paths.count }
    }

    public func rows(_ paths: [[UInt8]]) -> Rows {
        Rows(
            classification: classifier.classify(paths: paths), paths: paths,
            splits: anyInputs ? paths.map { SplitPath($0) } : [])
    }

    /// True when some stage's `on:` list selects this one path: the planner reads an ML file's
    /// content (a `.dvc` pointer, an LFS pointer, a notebook) only then.
    public func selectedByAnyStage(_ change: ChangedFile) -> Bool {
        let item = classifier.classify(change)
        return config.stages.contains { classifier.watches($0, item) }
    }

    /// The stage's `on:` list selects path `i`.
    public func selects(_ stage: Stage, _ rows: Rows, _ i: Int) -> Bool {
        classifier.watches(stage, rows.classification, i)
    }

    /// A change of path `i` can make the stage run.
    public func triggers(_ stage: Stage, _ rows: Rows, _ i: Int) -> Bool {
        if selects(stage, rows, i) { return true }
        guard let extra = extras[stage.name] else { return false }
        return extra.params.contains(rows.paths[i]) || extra.dvcTriggers.covers(rows.paths[i])
    }

    /// Path `i` triggers some stage through its params files or its DVC stages (what
    /// `triggers` adds to the `on:` lists), asked of all stages at once.
    public func triggersSomeStageBeyondOn(_ rows: Rows, _ i: Int) -> Bool {
        allParams.contains(rows.paths[i]) || allDVCTriggers.covers(rows.paths[i])
    }

    /// The stage's result depends on the content of path `i`.
    public func reads(_ stage: Stage, _ rows: Rows, _ i: Int) -> Bool {
        if triggers(stage, rows, i) { return true }
        guard let extra = extras[stage.name] else { return false }
        if let inputs = extra.inputs, inputs.decidingPattern(rows.splits[i]) != nil { return true }
        return extra.dvcOutputs.covers(rows.paths[i])
    }

    /// The stages among `stages` that read any of `changes` (uncommitted changes, for the
    /// hooks' in-place decision and the executor's cache check).
    public func stagesReading(_ changes: [ChangedFile], among stages: [Stage]) -> [Stage] {
        guard !changes.isEmpty else { return [] }
        let rows = rows(changes.map(\.pathBytes))
        return stages.filter { stage in (0..<rows.count).contains { reads(stage, rows, $0) } }
    }
}

/// Files and directories, matched by path bytes: a path is covered when it is one of them or
/// lies under one, and a `.dvc` pointer is covered when the data it tracks overlaps one.
private struct PathSet: Sendable {
    private var entries: Set<[UInt8]> = []

    mutating func formUnion(_ other: PathSet) { entries.formUnion(other.entries) }

    mutating func insert(_ path: String) {
        var bytes = Array(path.utf8)
        while bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        if !bytes.isEmpty { entries.insert(bytes) }
    }

    func covers(_ path: [UInt8]) -> Bool {
        guard !entries.isEmpty else { return false }
        if coversFileOrParent(path) { return true }
        let suffix = Array(".dvc".utf8)
        guard path.count > suffix.count, path.suffix(suffix.count).elementsEqual(suffix) else { return false }
        let data = Array(path.dropLast(suffix.count))
        if coversFileOrParent(data) { return true }
        // A pointer tracking a directory covers the entries inside it.
        return entries.contains {
            $0.count > data.count && $0[data.count] == UInt8(ascii: "/") && $0.starts(with: data)
        }
    }

    /// The path itself, or one of its parent directories, is an entry.
    private func coversFileOrParent(_ path: [UInt8]) -> Bool {
        if entries.contains(path) { return true }
        var end = path.count
        while let slash = path[..<end].lastIndex(of: UInt8(ascii: "/")) {
            if entries.contains(Array(path[..<slash])) { return true }
            end = slash
        }
        return false
    }
}
