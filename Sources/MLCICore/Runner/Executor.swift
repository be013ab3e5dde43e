import Foundation
import MLCIGit

/// The one executor: how stages run, whether `mlci run`, a git hook or a CI job asked. It
/// takes a plan, the stages to run and a workspace, and owns cache keys (from the stage
/// footprint at the plan's head), the cache, the files handed to stages, sharding, signal
/// handling, events and metrics files, and the run report.
public final class Executor {
    public let plan: Plan
    public let cache: CacheStore?
    private let repo: Repository
    private let environment: [String: String]
    private var keys: [String: CacheKeyParts]?

    /// `environment`: what stage commands inherit (and `env_inputs` read); `useCache: false`
    /// neither reads nor writes the cache.
    public init(plan: Plan, repo: Repository, environment: [String: String], useCache: Bool = true) {
        self.plan = plan
        self.repo = repo
        self.environment = environment
        cache =
            useCache ? CacheStore(commonDir: repo.commonDir, environment: environment) : nil
    }

    /// Every stage's cache key parts, from the files of the plan's head side. A shard's key
    /// names the shard: each shard runs on different files, so one passing shard must never
    /// replay for another. A stage whose command names a changed-file list (or
    /// `MLCI_DVC_STAGES`) gets a key that covers it (`StageFileLists.keyLines`).
    public func cacheKeys(shard: (index: Int, count: Int)? = nil) throws -> [String: CacheKeyParts] {
        try cacheKeys(shard: shard, lists: StageFileLists(plan: plan, stages: plan.config.stages, shard: shard))
    }

    /// The keys with the file lists already made (a run makes them once, for keys and files).
    private func cacheKeys(shard: (index: Int, count: Int)?, lists: StageFileLists) throws -> [String: CacheKeyParts] {
        let all: [String: CacheKeyParts]
        if let keys {
            all = keys
        } else {
            let files = try plan.headSide.trackedFiles(in: repo)
            all = CacheKeys(plan: plan, trackedFiles: files, environment: environment).parts()
            keys = all
        }
        var out: [String: CacheKeyParts] = [:]
        for stage in plan.config.stages {
            guard var parts = all[stage.name] else { continue }
            if let (k, n) = shard { parts.definition += "\nshard \(k)/\(n)" }
            for line in lists.keyLines(for: stage, plan: plan) { parts.definition += "\n" + line }
            out[stage.name] = parts
        }
        return out
    }

    /// Stages whose result must neither come from nor go into the cache, with the reason: every
    /// one when the cache directory holds files the planned commit tracks (a commit could carry
    /// records of passes that never happened — GitLab keeps the cache inside the checkout);
    /// otherwise those whose files in the working tree are not the content their key stands
    /// for (the checkout is not the plan's head commit, or a file the stage reads has an
    /// uncommitted change).
    private func unkeyedStages(_ stages: [Stage], in workspace: Workspace) throws -> [String: String] {
        guard let cache else { return [:] }
        if let committed = try committedCacheFile(cache) {
            let why =
                "the cache directory \(cache.root) holds \(committed), which the commit planned tracks: a commit "
                + "must not be able to carry cache records, so the cache is not used (remove it from git)"
            return Dictionary(uniqueKeysWithValues: stages.map { ($0.name, why) })
        }
        guard case .inPlace = workspace, case .commit(let head) = plan.headSide.snapshot else {
            return [:]
        }
        guard let current = try? repo.resolveCommit("HEAD"), current == head else {
            let why = "the working tree is not \(head.hex.prefix(12)), the commit planned"
            return Dictionary(uniqueKeysWithValues: stages.map { ($0.name, why) })
        }
        // The cache itself may live in the working tree (GitLab caches only project paths).
        let cacheInTree = cacheDirectoryInTree(cache).map { Array(($0 + "/").utf8) }
        let dirty = try repo.worktreeChanges(from: head).filter { change in
            cacheInTree.map { !change.pathBytes.starts(with: $0) } ?? true
        }
        return Dictionary(
            uniqueKeysWithValues: plan.footprint.stagesReading(dirty, among: stages).map {
                ($0.name, "files it reads have uncommitted changes")
            })
    }

    /// The cache directory as a path inside the working tree (`.mlci-cache`), or nil when it is
    /// outside — compared after resolving links, so a link into the tree counts as inside.
    private func cacheDirectoryInTree(_ cache: CacheStore) -> String? {
        guard let workdir = repo.workdir, let tree = Self.resolved(workdir) else { return nil }
        guard let root = Self.resolved(cache.root) else { return nil }
        let prefix = tree.hasSuffix("/") ? tree : tree + "/"
        if root + "/" == prefix { return "" }
        return root.hasPrefix(prefix) ? String(root.dropFirst(prefix.count)) : nil
    }

    /// The first path the planned commit tracks inside the cache directory, or nil.
    private func committedCacheFile(_ cache: CacheStore) throws -> String? {
        guard let inside = cacheDirectoryInTree(cache) else { return nil }
        let prefix = Array((inside.isEmpty ? "" : inside + "/").utf8)
        return try plan.headSide.trackedFiles(in: repo).first { $0.pathBytes.starts(with: prefix) }.map {
            "'" + String(decoding: $0.pathBytes, as: UTF8.self) + "'"
        }
    }

    /// `path` with every link resolved; for a directory not made yet, its nearest existing
    /// ancestor resolved and the rest appended.
    private static func resolved(_ path: String) -> String? {
        var head = (path as NSString).standardizingPath
        var tail: [String] = []
        while !head.isEmpty, head != "/" {
            if let real = realpath(head, nil) {
                defer { free(real) }
                return ([String(cString: real)] + tail.reversed()).joined(separator: "/")
            }
            tail.append((head as NSString).lastPathComponent)
            head = (head as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// Runs `stages` (in plan order, as `StageSelection` gives them) in `workspace`. Signals
    /// stop the run cleanly; with `interruption`, the caller's signal handling is used (a hook
    /// that must also remove its scratch worktree), else the run catches signals itself.
    public func run(
        _ stages: [Stage], in workspace: Workspace, options: RunOptions, observers: [RunObserver] = [],
        interruption: Interruption? = nil
    ) throws -> RunReport {
        // One set of file lists for the keys and for the stages (every stage's list: a key of a
        // stage that names its list covers it whether or not that stage runs now).
        let lists = StageFileLists(plan: plan, stages: plan.config.stages, shard: options.shard)
        let parts = cache != nil ? try cacheKeys(shard: options.shard, lists: lists) : [:]
        let unkeyed = try unkeyedStages(stages.filter(\.isCacheable), in: workspace)
        let work = stages.map { stage in
            Runner.StageWork(
                stage: stage, parts: parts[stage.name],
                cacheable: cache != nil && stage.isCacheable && unkeyed[stage.name] == nil)
        }
        let files = try RunFiles(lists, environment: environment)
        defer { files.remove() }
        let runner = Runner(
            plan: plan, work: work, options: options, cache: cache, workdir: workspace.root,
            environment: environment, files: files)
        for observer in observers { runner.add(observer) }
        if let path = options.eventsFile { runner.add(try EventLog(path: path, plan: plan)) }

        let signals = interruption ?? Interruption()
        signals.onSignal { runner.interrupt() }
        let started = Date()
        let results = runner.run()
        let duration = Date().timeIntervalSince(started)
        if interruption == nil { signals.stop() }

        var warnings = cache?.warnings ?? []
        for stage in stages where unkeyed[stage.name] != nil {
            warnings.append("\(stage.name) did not use the cache: \(unkeyed[stage.name] ?? "")")
        }
        if let path = options.metricsFile {
            var pipelineOf: [String: String] = [:]
            for p in plan.config.pipelines { for s in p.stages { pipelineOf[s] = p.name } }
            let text = PrometheusMetrics.render(results, duration: duration, pipelineOf: pipelineOf)
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                warnings.append("cannot write the metrics file \(path): \(error.localizedDescription)")
            }
        }
        return RunReport(
            results: results, duration: duration,
            interruptedBy: runner.wasInterrupted ? signals.received ?? SIGINT : nil,
            warnings: warnings)
    }

    /// `mlci run --dry-run`: the order, why each stage runs, cache hits and commands.
    public func preview(_ stages: [Stage], shard: (index: Int, count: Int)? = nil) throws -> String {
        let parts = try cacheKeys(shard: shard)
        var out = "Would run \(stages.count) stage\(stages.count == 1 ? "" : "s"), in this order:\n"
        for (i, stage) in stages.enumerated() {
            let why = plan.decision(stage.name)?.reasons.first?.summary ?? "requested with --stage"
            var cacheText = "cache: off"
            if let cache, stage.isCacheable, let key = parts[stage.name]?.key {
                cacheText =
                    "cache: \(cache.lookup(stage: stage.name, key: key, outputs: stage.local.outputs) != nil ? "hit" : "miss") "
                    + key.prefix(12)
            } else if cache != nil {
                cacheText = "cache: never (deployment, secrets or cache: false)"
            }
            out += "\(i + 1). \(stage.name)  —  \(why)\n   \(cacheText)\n   $ \(stage.run)\n"
        }
        let chosen = Set(stages.map(\.name))
        let skipped = plan.stages.map(\.stage.name).filter { !chosen.contains($0) }
        if !skipped.isEmpty { out += "Not affected: \(skipped.joined(separator: ", "))\n" }
        return out
    }

    /// `mlci run --explain-cache STAGE`: which part of the key changed since it last passed.
    public func explainCache(_ name: String, shard: (index: Int, count: Int)? = nil) throws -> String {
        guard let stage = plan.config.stage(named: name) else { throw StageSelection.unknownStage(name, in: plan) }
        let store = cache ?? CacheStore(commonDir: repo.commonDir, environment: environment)
        guard let now = try cacheKeys(shard: shard)[name] else { return "\(name): no cache key\n" }
        if store.lookup(stage: name, key: now.key, outputs: stage.local.outputs) != nil {
            return "\(name): key \(now.key.prefix(12)) has a passing record; it would be a cache hit\n"
        }
        guard let last = store.lastParts(stage: name) else {
            return "\(name): key \(now.key.prefix(12)); no earlier passing run is recorded, so it would run\n"
        }
        let differences = now.differences(from: last)
        if differences.isEmpty {
            return "\(name): key \(now.key.prefix(12)) is unchanged since it last passed; it would be a cache hit\n"
        }
        return "\(name): key \(last.key.prefix(12)) → \(now.key.prefix(12)) because\n"
            + differences.map { "  - \($0)\n" }.joined()
    }
}
