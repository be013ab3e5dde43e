import Foundation
import MLCIGit

/// Decides which stages run between two sides, and why. Each step of planning is one method
/// (the steps `MLCI_TRACE_PERFORMANCE` times); the per-stage decisions are `StageDecider`'s.
public enum Planner {
    public static func plan(_ request: PlanRequest, in repo: Repository) throws -> Plan {
        let head = try resolveHead(request, in: repo)
        PerformanceTrace.step("head resolved")
        let (config, configWarnings, base) = try configAndBase(request, head: head, in: repo)
        let compared = !request.compareNothing && base.trigger == nil
        PerformanceTrace.step("base resolved")
        let baseSide = try base.sha.map { try PlanSide.commit($0, in: repo) } ?? .empty
        let changes = compared ? try compare(baseSide, head, in: repo) : []
        PerformanceTrace.step("changes compared")
        let configSource = try request.configSource()
        let baseStages =
            compared
            ? try readBaseStages(request, config: config, sameConfig: configSource == .base, base: baseSide, in: repo)
            : .notCompared
        PerformanceTrace.step("base configuration read")

        var footprint = StageFootprint(config: config, dvcStages: nil)
        var mlFiles = try MLFiles(
            repo: repo, base: baseSide.snapshot, head: head.snapshot,
            notebookOutputsCount: config.notebookOutputsCount)
        let dvcCarried = config.stages.contains { $0.dvc != nil }
        var entries = mlFiles.examine(changes) { [footprint] in dvcCarried || footprint.selectedByAnyStage($0) }
        PerformanceTrace.step("ML files read")
        let participating = entries.indices.filter { entries[$0].participates }
        let dvc = try analyseDVC(
            config: config, compared: compared, base: baseSide, head: head,
            changedPaths: { [entries] in Set(participating.map { entries[$0].path }) }, in: repo)
        PerformanceTrace.step("DVC pipelines read")
        footprint = footprint.with(dvcStages: dvc.headStages)
        // One pattern row per entry; only the entries that take part are read off it.
        let rows = footprint.rows(entries.map(\.change.pathBytes))
        PerformanceTrace.step("changes classified")

        let tags = request.headTags
        // The decider is a temporary: it must not outlive `decide()`, or the `entries` it shares
        // would be copied whole when their kinds are filled in below.
        let (decisions, selected) = try StageDecider(
            config: config, footprint: footprint, base: base, forced: request.compareNothing, baseStages: baseStages,
            entries: entries, rows: rows, participating: participating,
            invalidatedDVC: (dvc.result?.stages ?? []).filter { !$0.reasons.isEmpty }.map(\.name),
            unreadableDVC: dvc.result?.unreadableAtHead ?? [],
            headTags: tags,
            // Looked up only when some stage is held to it (a tag build of most configs needs none).
            tagCommitProblem: config.stages.contains(where: TagCommitCheck.applies)
                ? TagCommitCheck(headTags: tags, head: head.commit, defaultBranch: config.defaultBranch, repo: repo)
                    .problem : nil,
            params: ParamsComparison(
                repo: repo, base: baseSide.snapshot, head: head.snapshot,
                changedFiles: changedParamsFiles(config, entries))
        ).decide()
        PerformanceTrace.step("stages decided")

        let unwatched = unwatchedPaths(
            config, footprint: footprint, entries: entries, rows: rows,
            participating: participating, selected: selected)
        for (i, kinds) in footprint.classifier.kindNames(rows.classification, included: participating).enumerated()
        where !kinds.isEmpty {
            entries[i].kinds = kinds
        }
        PerformanceTrace.step("unwatched paths and kinds listed")
        var plan = Plan(
            base: base, baseSide: baseSide, headSide: head, changes: entries, stages: decisions,
            unwatched: unwatched,
            warnings: configWarnings + mlFiles.warnings + (dvc.result?.warnings ?? [])
                + (dvcCarried ? dvc.result?.staleLock ?? [] : [])
                + (dvc.headStages.map { unknownDVCNames(config, dvcStages: $0) } ?? []),
            config: config, footprint: footprint,
            dvcStages: dvc.result?.stages.map { DVCStageDecision(name: $0.name, reasons: $0.reasons) })
        plan.removedStages = removedStages(baseStages, config: config)
        plan.configSource = configSource
        plan.unreadableDVC = dvc.result?.unreadableAtHead ?? []
        return plan
    }

    // MARK: Steps

    /// Stages in the base's mlci.yml that the head's no longer has, each marked when the
    /// base's `protected_stages` lists it; and protected stages that the base's pull-request
    /// pipelines ran and the head's no longer do (moved into a pipeline that never runs for a
    /// pull request: its check would quietly stop).
    static func removedStages(_ baseStages: StageDecider.BaseStages, config: MLCIConfig) -> [RemovedStage] {
        guard case .stages(let old, let protected, let onPullRequests) = baseStages else { return [] }
        let removed = old.keys.filter { config.stage(named: $0) == nil }.sorted().map {
            RemovedStage(name: $0, protected: protected.contains($0))
        }
        let headOnPullRequests = config.pullRequestPipelinesByStage
        let basePipelines = Set(onPullRequests.values.joined())
        var moved: [RemovedStage] = []
        for name in Set(protected).sorted() where config.stage(named: name) != nil && onPullRequests[name] != nil {
            let holders = headOnPullRequests[name] ?? []
            if holders.isEmpty {
                moved.append(RemovedStage(name: name, protected: true, fromPullRequestsOnly: true))
            } else if holders.isDisjoint(with: basePipelines) {
                // The committed GitLab parent (generated from the base) has no trigger job for a
                // pipeline the base did not have: the stage would be planned and never run.
                moved.append(RemovedStage(name: name, protected: true, newPipelinesOnly: holders.sorted()))
            }
        }
        return removed + moved
    }

    /// The head side: a commit, or the tree the working tree or the index would record.
    static func resolveHead(_ request: PlanRequest, in repo: Repository) throws -> PlanSide {
        switch request.head {
        case .commit(let rev):
            return try PlanSide.commit(try repo.resolveCommit(rev ?? "HEAD"), in: repo)
        case .worktree:
            guard let workdir = repo.workdir else {
                throw PlanError.worktreeInBareRepository
            }
            return PlanSide(
                snapshot: .worktree(root: workdir), commit: try headCommit(repo), tree: try repo.worktreeTree())
        case .index(let file):
            let tree = try repo.indexTree(indexFile: file)
            return PlanSide(snapshot: .tree(tree), commit: try headCommit(repo), tree: tree)
        }
    }

    /// The commit HEAD points at; nil in a repository with no commits yet.
    private static func headCommit(_ repo: Repository) throws -> ObjectID? {
        do { return try repo.resolveCommit("HEAD") } catch GitError.noCommits { return nil }
    }

    /// The changed files between the two sides, in git's order.
    static func compare(_ base: PlanSide, _ head: PlanSide, in repo: Repository) throws -> [ChangedFile] {
        guard let headTree = head.tree else { return [] }
        return try repo.changes(fromTree: base.tree, toTree: headTree)
    }

    /// The configuration and the base. Normally the head's mlci.yml is read first (it names the
    /// default branch the local rule uses); with `--config-from base` the base is resolved
    /// first — the head's mlci.yml, if it reads, only hints at the default branch — and its
    /// commit's mlci.yml is the configuration.
    static func configAndBase(
        _ request: PlanRequest, head: PlanSide, in repo: Repository
    ) throws -> (MLCIConfig, [Diagnostic], BaseChoice) {
        switch try request.configSource() {
        case .head:
            let (config, warnings) = try readConfig(request, side: head.snapshot, in: repo)
            PerformanceTrace.step("configuration read")
            let base = try resolveBase(request, defaultBranch: { config.defaultBranch }, head: head, in: repo)
            return (config, warnings, base.trigger == nil ? base : base.scoped(.resolve(config: config, request)))
        case .base:
            guard request.configFile == nil else {
                throw PlanError.configFromWithConfigFile
            }
            // Only the local rule needs the default branch: a base given by a flag or the CI's
            // variables never reads the head's mlci.yml, which a pull request may have made huge.
            var read: String?? = nil
            let hint = { () -> String? in
                if let read { return read }
                let config = try? readConfig(request, side: head.snapshot, in: repo).0
                PerformanceTrace.step("head configuration read for its default branch")
                read = .some(config?.defaultBranch)
                return config?.defaultBranch
            }
            let base = try resolveBase(request, defaultBranch: hint, head: head, in: repo)
            guard let sha = base.sha else {
                let why =
                    request.compareNothing
                    ? "it compares nothing (--all or \(StageJobEnvironment.all), or mlci job without \(StageJobEnvironment.baseSHA))"
                    : base.source
                throw PlanError.noBaseToReadConfigFrom(why: why)
            }
            let (config, warnings) = try readConfig(request, side: .commit(sha), role: "base", in: repo)
            PerformanceTrace.step("configuration read")
            return (config, warnings, base.trigger == nil ? base : base.scoped(.resolve(config: config, request)))
        }
    }

    static func readConfig(_ request: PlanRequest, side: Snapshot, role: String = "head", in repo: Repository)
        throws -> (MLCIConfig, [Diagnostic])
    {
        try MLCIConfig.read(
            file: request.configFile, side: side, repo: repo, role: role, platforms: request.ci.platforms)
    }

    static func resolveBase(
        _ request: PlanRequest, defaultBranch: @escaping () -> String?, head: PlanSide,
        in repo: Repository
    ) throws -> BaseChoice {
        if request.compareNothing { return BaseChoice(sha: nil, source: "--all") }
        switch request.base {
        case .everything: return BaseChoice(sha: nil, source: "--all")
        case .resolved(let choice): return choice
        case .automatic(let explicit):
            let resolver = BaseResolver(repo: repo, context: request.ci, lazyDefaultBranch: defaultBranch)
            return try resolver.resolve(explicit: explicit, head: head.commit, uncommittedHead: head.isWorktree)
        }
    }

    /// The base's stages, to see which definitions changed (with `--config` or `--config-from
    /// base`, the same file is both sides, so no definition changes).
    static func readBaseStages(
        _ request: PlanRequest, config: MLCIConfig, sameConfig: Bool, base: PlanSide,
        in repo: Repository
    ) throws -> StageDecider.BaseStages {
        if request.configFile != nil || sameConfig {
            return .stages(
                Dictionary(uniqueKeysWithValues: config.stages.map { ($0.name, $0) }), protected: [],
                onPullRequests: [:]
            )
        }
        guard let text = try base.snapshot.read(MLCIConfig.fileName, in: repo) else {
            return .stages([:], protected: [], onPullRequests: [:])
        }
        do {
            let (baseConfig, _) = try ConfigLoader(platforms: request.ci.platforms).load(bytes: text)
            return .stages(
                Dictionary(uniqueKeysWithValues: baseConfig.stages.map { ($0.name, $0) }),
                protected: baseConfig.protectedStages, onPullRequests: baseConfig.pullRequestPipelinesByStage)
        } catch {
            return .unreadable("mlci.yml at \(base.describe("base")) could not be read")
        }
    }

    /// The DVC side of the plan: invalidated DVC stages (when the sides are compared) and the
    /// head's DVC stages (for what `dvc:` stages read, compared or not).
    private static func analyseDVC(
        config: MLCIConfig, compared: Bool, base: PlanSide, head: PlanSide,
        changedPaths: () -> Set<String>,
        in repo: Repository
    ) throws -> (result: DVCAnalysis.Result?, headStages: [DVCStage]?) {
        let analysis = DVCAnalysis(repo: repo, base: base.snapshot, head: head.snapshot)
        let pipelineFiles = { () throws -> [String] in
            guard let tree = head.tree else { return [] }
            return try repo.files(named: "dvc.yaml", inTree: tree)
        }
        if compared {
            let result = try analysis.run(changedPaths: changedPaths, pipelineFiles: pipelineFiles)
            return (result, result?.headStages)
        }
        guard config.stages.contains(where: { $0.dvc != nil }) else { return (nil, nil) }
        return (nil, try analysis.headStages(pipelineFiles: pipelineFiles))
    }

    /// The watched params files among the changes (read for key-by-key comparison).
    private static func changedParamsFiles(_ config: MLCIConfig, _ entries: [PlannedChange]) -> Set<String> {
        let watched = Set(config.stages.flatMap { $0.params.map { Array($0.file.utf8) } })
        guard !watched.isEmpty else { return [] }
        return Set(entries.lazy.filter { $0.via == nil && watched.contains($0.change.pathBytes) }.map(\.path))
    }

    /// Changed paths that trigger no stage (mlci.yml aside: its changes are definition changes).
    /// A `.dvc` pointer whose data path triggers a stage is watched through that data path.
    private static func unwatchedPaths(
        _ config: MLCIConfig, footprint: StageFootprint, entries: [PlannedChange],
        rows: StageFootprint.Rows, participating: [Int], selected: [Bool]
    ) -> [String] {
        let candidates = participating.filter { !selected[$0] }
        guard !candidates.isEmpty else { return [] }
        // Beyond the `on:` lists (`selected`), params files and DVC paths trigger stages.
        func triggersAny(_ i: Int) -> Bool { footprint.triggersSomeStageBeyondOn(rows, i) }
        // A pointer is watched through its data path when that path triggers some stage.
        let watchedPointers = Set(
            participating.compactMap { i in entries[i].via.flatMap { selected[i] || triggersAny(i) ? $0 : nil } })
        var unwatched: [String] = []
        for i in candidates where !triggersAny(i) {
            let path = entries[i].path
            if path != MLCIConfig.fileName && !watchedPointers.contains(path) { unwatched.append(path) }
        }
        return unwatched
    }

    /// What `mlci validate` reports about a DVC project at a commit: stale `dvc.lock` entries
    /// (warnings) and DVC files that cannot be read (errors).
    public static func dvcDiagnostics(repo: Repository, at commit: ObjectID, config: MLCIConfig? = nil) throws
        -> [Diagnostic]
    {
        let analysis = DVCAnalysis(repo: repo, base: .commit(commit), head: .commit(commit))
        guard
            let result = try analysis.run(
                changedPaths: { [] },
                pipelineFiles: {
                    try repo.files(named: "dvc.yaml", inTree: try repo.commit(commit).tree)
                })
        else { return [] }
        let unknown = config.map { unknownDVCNames($0, dvcStages: result.headStages) } ?? []
        return (result.warnings + result.staleLock).map { d in
            result.unreadable.contains(d) ? Diagnostic(.error, d.message, at: d.location) : d
        } + unknown.map { Diagnostic(.error, $0.message, at: $0.location) }
    }

    /// `dvc: [names]` entries that name no DVC stage at head: such a stage would never run for
    /// its DVC stages (a typo, or a stage renamed in dvc.yaml). A warning in a plan, an error
    /// under `mlci validate`.
    static func unknownDVCNames(_ config: MLCIConfig, dvcStages: [DVCStage]) -> [Diagnostic] {
        let names = dvcStages.map(\.name)
        var out: [Diagnostic] = []
        for stage in config.stages {
            guard case .stages(let wanted)? = stage.dvc else { continue }
            for name in wanted where !names.contains(where: { StageFootprint.carries(.stages([name]), $0) }) {
                let bases = Array(Set(names.map { String($0.split(separator: "@").first ?? "") })).sorted()
                out.append(
                    Diagnostic(
                        .warning,
                        "stage '\(stage.name)': dvc names '\(name)', which is no DVC stage"
                            + "\(DidYouMean.hint(for: name, among: bases)); it never runs for it",
                        at: stage.location))
            }
        }
        return out
    }
}
