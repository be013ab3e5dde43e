import Foundation
import MLCIGit

/// What to plan: the flags of `mlci plan`, and the environment that CI base resolution reads.
public struct PlanRequest {
    public var base: String?
    public var head: String?
    public var worktree = false
    public var all = false
    /// `--config FILE`: one file read for both sides.
    public var configFile: String?
    public var environment: [String: String] = [:]
    /// A base already decided (the pre-push hook computes its own ranges); skips resolution.
    public var baseChoice: BaseChoice?
    /// Plan the index (what a commit would record now) against HEAD: the pre-commit hook.
    public var indexHead = false
    /// With `indexHead`: the index file to read, when not the repository's own.
    public var indexFile: String?
    /// Tags naming the head (`--tag`, or found by the pre-push hook); CI tags are read from
    /// `GITHUB_REF` and `CI_COMMIT_TAG`.
    public var tags: [String] = []

    public init(base: String? = nil, head: String? = nil, worktree: Bool = false, all: Bool = false,
                configFile: String? = nil, environment: [String: String] = [:]) {
        self.base = base
        self.head = head
        self.worktree = worktree
        self.all = all
        self.configFile = configFile
        self.environment = environment
    }
}

/// Decides which stages run between two commits, and why.
public enum Planner {
    public static func plan(_ request: PlanRequest, in repo: Repository) throws -> Plan {
        // Head.
        var headID: ObjectID?
        do {
            headID = try repo.resolveCommit(request.head ?? "HEAD")
        } catch GitError.noCommits where (request.worktree || request.indexHead) && request.head == nil {
            headID = nil
        }
        let headSide: Snapshot
        var indexTree: ObjectID? = nil
        if request.indexHead {
            indexTree = try repo.indexTree(indexFile: request.indexFile)
            headSide = .tree(indexTree!)
        } else if request.worktree {
            guard let workdir = repo.workdir else { throw MLCIError.usage("--worktree needs a working tree; this repository is bare") }
            headSide = .worktree(root: workdir)
        } else {
            headSide = headID.map(Snapshot.commit) ?? .empty
        }

        PerformanceTrace.step("head resolved")
        // Configuration at head.
        let (config, warnings) = try loadConfig(request, side: headSide, repo: repo)

        PerformanceTrace.step("configuration read")
        // Base.
        let forced = request.all || request.environment["MLCI_ALL"] == "1"
        let base: BaseChoice
        if forced {
            base = BaseChoice(sha: nil, source: "--all")
        } else if let chosen = request.baseChoice {
            base = chosen
        } else {
            let resolver = BaseResolver(repo: repo, env: request.environment, defaultBranch: config.defaultBranch)
            base = try resolver.resolve(explicit: request.base, head: headID)
        }
        let runsEverything = forced || base.trigger != nil

        PerformanceTrace.step("base resolved")
        // Changes.
        var changes: [ChangedFile] = []
        if !runsEverything {
            let head: ChangeRange.Head = indexTree.map { .tree($0, commit: headID) } ?? (request.worktree ? .worktree(headID) : .commit(headID!))
            let range = ChangeRange(base: base.sha, head: head)
            changes = try range.changes(in: repo)
        }
        PerformanceTrace.step("changes compared")
        let baseSide: Snapshot = base.sha.map(Snapshot.commit) ?? .empty

        // Base configuration, to see which stage definitions changed.
        var baseStages: [String: Stage]? = nil
        var baseConfigNote: String? = nil
        if !runsEverything {
            if request.configFile != nil {
                baseStages = Dictionary(uniqueKeysWithValues: config.stages.map { ($0.name, $0) })
            } else if let text = try baseSide.read(MLCIConfig.fileName, in: repo) {
                do {
                    let (baseConfig, _) = try ConfigLoader().load(bytes: text)
                    baseStages = Dictionary(uniqueKeysWithValues: baseConfig.stages.map { ($0.name, $0) })
                } catch {
                    baseConfigNote = "mlci.yml at \(baseSide.describe("base")) could not be read"
                }
            } else {
                baseStages = [:]
            }
        }

        PerformanceTrace.step("base configuration read")
        var mlFiles = try MLFiles(repo: repo, base: baseSide, head: headSide, notebookOutputsCount: config.notebookOutputsCount)
        let classifier = ChangeClassifier(config: config)
        let dvcCarried = config.stages.contains { $0.dvc != nil }
        var entries = mlFiles.examine(changes) { change in
            let item = classifier.classify(change)
            return dvcCarried || config.stages.contains { classifier.watches($0, item) }
        }
        PerformanceTrace.step("ML files read")
        var warningsOut = warnings + mlFiles.warnings
        // One pattern row per entry; only the entries that take part are read off it.
        let rows = classifier.classify(paths: entries.map(\.change.pathBytes))
        PerformanceTrace.step("changes classified")
        let participating = entries.indices.filter { entries[$0].participates }
        let watchedParams = Set(config.stages.flatMap { $0.params.map(\.file) })
        let watchedParamBytes = Set(watchedParams.map { Array($0.utf8) })
        let changedParams = watchedParams.isEmpty ? [] : Set(entries.lazy
            .filter { $0.via == nil && watchedParamBytes.contains($0.change.pathBytes) }.map(\.path))
        let headTags = Self.headTags(request)

        PerformanceTrace.step("params files listed")
        var dvc: DVCAnalysis.Result? = nil
        if !runsEverything {
            let analysis = DVCAnalysis(repo: repo, base: baseSide, head: headSide)
            dvc = try analysis.run(changedPaths: { [entries] in Set(participating.map { entries[$0].path }) }) {
                let tree = try indexTree ?? (request.worktree ? try repo.worktreeTree() : try repo.commit(headID!).tree)
                return try repo.files(named: "dvc.yaml", inTree: tree)
            }
        }
        PerformanceTrace.step("DVC pipelines read")
        let affectedDVC = Set((dvc?.stages ?? []).filter { !$0.reasons.isEmpty }.map(\.name))
        var decisions: [String: [Reason]] = [:]
        var matchedAny = [Bool](repeating: false, count: entries.count)
        let ordered = StageGraph.order(config.stages)
        for stage in ordered {
            var reasons: [Reason] = []
            if forced { reasons.append(.forced) }
            if let trigger = base.trigger { reasons.append(.trigger(trigger)) }
            if !runsEverything {
                if let note = baseConfigNote {
                    reasons.append(.definition(fields: [note]))
                } else if let baseStages {
                    if let old = baseStages[stage.name] {
                        let fields = Set(old.definition.keys).union(stage.definition.keys)
                            .filter { old.definition[$0] != stage.definition[$0] }
                            .map { $0.hasPrefix("kind:") ? "kind \($0.dropFirst(5)) patterns" : $0 }
                            .sorted()
                        if !fields.isEmpty { reasons.append(.definition(fields: fields)) }
                    } else {
                        reasons.append(.definition(fields: ["new stage"]))
                    }
                }
                reasons += classifier.pathReasons(stage, rows, included: participating, path: { entries[$0].path },
                                                  matched: &matchedAny)
                switch stage.dvc {
                case .all?: if let first = dvc?.stages.first(where: { affectedDVC.contains($0.name) }) { reasons.append(.dvc(stage: first.name)) }
                case .stages(let names)?:
                    for name in names where affectedDVC.contains(name) || affectedDVC.contains(where: { $0.hasPrefix(name + "@") }) {
                        reasons.append(.dvc(stage: name)); break
                    }
                case nil: break
                }
                for tag in headTags {
                    if let pattern = stage.tags.first(where: { Glob.matchWhole($0, tag) }) {
                        reasons.append(.tag(tag: tag, pattern: pattern))
                        break
                    }
                }
                reasons += try paramsReasons(stage, changedPaths: changedParams, base: baseSide, head: headSide, repo: repo)
            }
            for upstream in stage.needs where !(decisions[upstream] ?? []).isEmpty {
                reasons.append(.upstream(stage: upstream))
            }
            decisions[stage.name] = reasons
        }

        PerformanceTrace.step("stages decided")
        // With a stage carrying a DVC pipeline, the files DVC reads are watched through it.
        let dvcWatched = config.stages.contains { $0.dvc != nil } ? dvc?.watched ?? [] : []
        func watchedByDVC(_ path: String) -> Bool {
            dvcWatched.contains(path) || dvcWatched.contains { path.hasPrefix($0 + "/") }
        }
        // Pointers whose data paths DVC reads.
        let dvcPointers: Set<String> = dvcWatched.isEmpty ? [] : Set(participating.compactMap { i in
            entries[i].via.flatMap { watchedByDVC(entries[i].path) ? $0 : nil }
        })
        var unwatched: [String] = []
        for i in participating where !matchedAny[i] {
            let path = entries[i].path
            if path != MLCIConfig.fileName && !watchedParams.contains(path)
                && (dvcWatched.isEmpty || (!watchedByDVC(path) && !dvcPointers.contains(path))) {
                unwatched.append(path)
            }
        }

        warningsOut += dvc?.warnings ?? []
        for (i, kinds) in classifier.kindNames(rows, included: participating).enumerated() where !kinds.isEmpty {
            entries[i].kinds = kinds
        }
        PerformanceTrace.step("unwatched paths and kinds listed")
        return Plan(base: base, head: headID, worktree: request.worktree,
                    changes: entries,
                    stages: ordered.map { StageDecision(stage: $0, reasons: decisions[$0.name] ?? []) },
                    unwatched: unwatched, warnings: warningsOut, config: config,
                    dvcStages: dvc?.stages.map { DVCStageDecision(name: $0.name, reasons: $0.reasons) })
    }

    /// What `mlci validate` reports about a DVC project at a commit: stale `dvc.lock` entries
    /// (warnings) and DVC files that cannot be read (errors).
    public static func dvcDiagnostics(repo: Repository, at commit: ObjectID) throws -> [Diagnostic] {
        let analysis = DVCAnalysis(repo: repo, base: .commit(commit), head: .commit(commit))
        guard let result = try analysis.run(changedPaths: { [] }, pipelineFiles: {
            try repo.files(named: "dvc.yaml", inTree: try repo.commit(commit).tree)
        }) else { return [] }
        return result.warnings.map { d in
            result.unreadable.contains(d) ? Diagnostic(.error, d.message, at: d.location) : d
        }
    }

    /// The tags naming the head: given ones, GitHub's `GITHUB_REF=refs/tags/…`, GitLab's `CI_COMMIT_TAG`.
    static func headTags(_ request: PlanRequest) -> [String] {
        var tags = request.tags
        if let ref = request.environment["GITHUB_REF"], ref.hasPrefix("refs/tags/") { tags.append(String(ref.dropFirst(10))) }
        if let tag = request.environment["CI_COMMIT_TAG"], !tag.isEmpty { tags.append(tag) }
        return tags
    }

    /// Reads and checks the configuration on the head side (or `--config`).
    public static func loadConfig(_ request: PlanRequest, side: Snapshot, repo: Repository) throws -> (MLCIConfig, [Diagnostic]) {
        let text: [UInt8]
        let fileName: String
        if let path = request.configFile {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw MLCIError.usage("cannot read the config file \(path)")
            }
            text = [UInt8](data)
            fileName = path
        } else {
            guard let found = try side.read(MLCIConfig.fileName, in: repo) else {
                throw MLCIError.usage("no \(MLCIConfig.fileName) in \(side.describe("head")); "
                    + "create one at the repository root (mlci init writes a starting point) or pass --config FILE")
            }
            text = found
            fileName = MLCIConfig.fileName
        }
        var rootNames: Set<String> = []
        switch side {
        case .worktree(let root): rootNames = Set((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
        case .commit(let id): rootNames = try repo.rootNames(of: id)
        case .tree(let id): rootNames = try repo.rootNames(ofTree: id)
        case .empty: break
        }
        return try ConfigLoader(rootNames: rootNames).load(bytes: text, file: fileName)
    }

    /// Params keys whose parsed value differs between base and head. Files that did not change
    /// between the two sides are not read at all.
    static func paramsReasons(_ stage: Stage, changedPaths: Set<String>, base: Snapshot, head: Snapshot,
                              repo: Repository) throws -> [Reason] {
        var reasons: [Reason] = []
        for watch in stage.params where changedPaths.contains(watch.file) {
            guard let format = ParamsFormat(path: watch.file) else { continue }
            let old = try parseParams(watch.file, format: format, side: base, role: "base", repo: repo)
            let new = try parseParams(watch.file, format: format, side: head, role: "head", repo: repo)
            for key in watch.keys {
                let a = old?.value(key), b = new?.value(key)
                let same: Bool
                switch (a, b) {
                case (nil, nil): same = true
                case (let x?, let y?): same = x.sameValue(as: y)
                default: same = false
                }
                if !same { reasons.append(.params(file: watch.file, key: key, old: a, new: b)) }
            }
        }
        return reasons
    }

    /// A params file that does not parse is a configuration error (exit 2), except a Python
    /// file mlci does not read key by key: that one is compared as a whole.
    private static func parseParams(_ file: String, format: ParamsFormat, side: Snapshot, role: String,
                                    repo: Repository) throws -> ParamsContent? {
        guard let bytes = try side.read(file, in: repo) else { return nil }
        if format == .python { return ParamsContent.read(bytes, path: file) }
        do {
            return .values(try ParamsFile.parse(bytes, format: format))
        } catch {
            let line = error.line.map { ":\($0)" } ?? ""
            throw MLCIError.usage("\(file)\(line) at \(side.describe(role)): \(error.message)")
        }
    }
}
