import ArgumentParser
import Foundation
import MLCICore
import MLCIGit

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the affected stages on this machine: in dependency order, in parallel, with a cache.",
        discussion: """
            Runs exactly the stages `mlci plan` marks affected, with the same base resolution.
            Examples:
              mlci run                         # affected stages since the base
              mlci run --worktree              # include uncommitted changes
              mlci run --stage test            # test and the affected stages it needs
              mlci run --dry-run               # what would run, cache hits, commands
            Exit status: 0 when every stage run passed (or was cached), 1 otherwise, 130 on Ctrl-C.
            """
    )

    @OptionGroup var plan: PlanOptions

    @Option(name: .customLong("stage"), help: ArgumentHelp("Run this stage (repeatable) and, unless --only, the affected stages it needs.", valueName: "name"))
    var stages: [String] = []

    @Flag(help: "With --stage: run only the named stages.")
    var only = false

    @Flag(help: "Print the ordered plan with cache hits and commands; run nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Stages to run at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Flag(help: "After a failure, keep running every stage that does not need the failed one.")
    var keepGoing = false

    @Flag(help: "Neither read nor write the cache.")
    var noCache = false

    @Option(help: ArgumentHelp("Stop any stage running longer than this (90s, 30m, 2h).", valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp("Write Prometheus metrics of the run to this file.", valueName: "file"))
    var metricsFile: String?

    @Option(help: ArgumentHelp("Write JSON-lines events of the run to this file.", valueName: "file"))
    var events: String?

    @Option(help: ArgumentHelp("Run shard K of N (1-based): sets MLCI_SHARD, MLCI_SHARDS and MLCI_SHARD_FILES.", valueName: "k/n"))
    var shard: String?

    @Option(help: ArgumentHelp("Say which part of the stage's cache key changed since it last passed.", valueName: "stage"))
    var explainCache: String?

    @Option(help: "Output: text, or json (a report on stdout; stage output goes to stderr).")
    var format: ChangesFormat = .text

    func validate() throws {
        if let jobs, jobs < 1 { throw MLCIError.usage("--jobs must be at least 1") }
        if let timeout, Duration.seconds(timeout) == nil {
            throw MLCIError.usage("--timeout '\(timeout)' is not a duration; write it with a unit: 90s, 30m, 2h, 1h30m")
        }
        if let shard, Self.parseShard(shard) == nil {
            throw MLCIError.usage("--shard '\(shard)' must be K/N with 1 ≤ K ≤ N, such as 2/4")
        }
        if only && stages.isEmpty { throw MLCIError.usage("--only needs at least one --stage") }
    }

    static func parseShard(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        return (k, n)
    }

    func run() throws {
        let repo = try plan.repository.open()
        guard let workdir = repo.workdir else { throw MLCIError.usage("mlci run needs a working tree; this repository is bare") }
        let result = try Planner.plan(plan.request(), in: repo)
        for warning in result.warnings { Output.diagnostic(warning) }
        let env = ProcessInfo.processInfo.environment

        let selection = try select(result)
        let cache = noCache ? nil : CacheStore(root: CacheStore.location(commonDir: repo.commonDir, environment: env))
        let needKeys = cache != nil || dryRun || explainCache != nil
        let keys = needKeys ? CacheKeys(config: result.config, trackedFiles: try trackedFiles(repo, result), environment: env).parts() : [:]

        if let name = explainCache {
            guard result.config.stage(named: name) != nil else { throw unknownStage(name, result) }
            Output.write(explain(name, keys: keys, cache: cache ?? CacheStore(root: CacheStore.location(commonDir: repo.commonDir, environment: env))))
            return
        }

        let work = selection.map { stage in
            Runner.StageWork(stage: stage, parts: keys[stage.name], cacheable: cache != nil && Self.cacheable(stage))
        }
        if dryRun {
            Output.write(dryRunText(result, work: work, cache: cache))
            return
        }

        let temp = try TemporaryFiles()
        let changed = try temp.write("changed-files", result.changes.map(\.path))
        var shardFiles: [String: String] = [:]
        var options = RunOptions(jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        options.keepGoing = keepGoing
        options.timeout = timeout.flatMap(Duration.seconds)
        if let shard, let (k, n) = Self.parseShard(shard) {
            options.shard = (k, n)
            let classifier = ChangeClassifier(config: result.config)
            let rows = classifier.classify(paths: result.changes.map(\.change.pathBytes))
            for item in work {
                let mine = result.changes.indices.filter { classifier.watches(item.stage, rows, $0) }.map { result.changes[$0].path }.sorted()
                    .enumerated().filter { $0.offset % n == k - 1 }.map(\.element)
                shardFiles[item.stage.name] = try temp.write("shard-\(item.stage.name.utf8.map { String($0, radix: 16) }.joined())", mine)
            }
        }

        let runner = Runner(plan: result, work: work, options: options, cache: cache, workdir: workdir,
                            environment: env, changedFilesPath: changed, shardFiles: shardFiles)
        let live = isatty(format == .json ? STDERR_FILENO : STDOUT_FILENO) == 1 && (env["CI"] ?? "").isEmpty
        runner.add(RunConsole(live: live, color: format == .json ? Output.stderrIsColorTerminal : Output.stdoutIsColorTerminal,
                              toStderr: format == .json))
        if let events {
            runner.add(try EventLog(path: events, plan: result))
        }
        let signals = SignalForwarding { runner.interrupt() }
        let started = Date()
        let results = runner.run()
        let duration = Date().timeIntervalSince(started)
        signals.stop()
        for warning in cache?.warnings ?? [] { Output.warning(warning) }

        if let metricsFile {
            var pipelineOf: [String: String] = [:]
            for p in result.config.pipelines { for s in p.stages { pipelineOf[s] = p.name } }
            let text = PrometheusMetrics.render(results, duration: duration, pipelineOf: pipelineOf)
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: metricsFile), options: .atomic) } catch {
                Output.warning("cannot write the metrics file \(metricsFile): \(error.localizedDescription)")
            }
        }
        switch format {
        case .text: Output.write(RunSummary.table(results, total: duration))
        case .json: Output.write(report(results, duration: duration).bytes())
        }
        Output.flush()
        if runner.wasInterrupted { throw ExitCode(130) }
        let ran = results.filter { $0.status != .skippedNotAffected }
        if !ran.allSatisfy({ $0.status.isSuccess }) { throw ExitCode(ExitStatus.failed) }
    }

    /// Stages never cached unless asked: deployments (their effect is outside the repository)
    /// and stages that use secrets (their log could hold what masking missed).
    static func cacheable(_ stage: Stage) -> Bool {
        if !stage.local.secrets.isEmpty { return false }
        if let explicit = stage.local.cache { return explicit }
        return !GitHubEmitter.isDeployment(stage)
    }

    private func unknownStage(_ name: String, _ plan: Plan) -> MLCIError {
        let names = plan.stages.map(\.stage.name)
        return MLCIError.usage("no stage named '\(name)'\(DidYouMeanPublic.hint(for: name, among: names)); stages: \(names.joined(separator: ", "))")
    }

    /// The stages to run, in plan (topological) order.
    private func select(_ plan: Plan) throws -> [Stage] {
        guard !stages.isEmpty else { return plan.affected.map(\.stage) }
        for name in stages where plan.decision(name) == nil { throw unknownStage(name, plan) }
        var chosen = Set(stages)
        if !only {
            var queue = stages
            while let name = queue.popLast() {
                for up in plan.decision(name)?.stage.needs ?? [] where plan.decision(up)?.affected == true && !chosen.contains(up) {
                    chosen.insert(up)
                    queue.append(up)
                }
            }
        }
        return plan.stages.map(\.stage).filter { chosen.contains($0.name) }
    }

    private func trackedFiles(_ repo: Repository, _ plan: Plan) throws -> [ChangedFile] {
        if plan.worktree { return try repo.changes(fromTree: nil, toTree: try repo.worktreeTree()) }
        guard let head = plan.head else { return [] }
        return try repo.changes(fromTree: nil, toTree: try repo.commit(head).tree)
    }

    private func dryRunText(_ plan: Plan, work: [Runner.StageWork], cache: CacheStore?) -> String {
        var out = "Would run \(work.count) stage\(work.count == 1 ? "" : "s"), in this order:\n"
        for (i, item) in work.enumerated() {
            let decision = plan.decision(item.stage.name)
            let why = decision?.reasons.first?.summary ?? "requested with --stage"
            var cacheText = "cache: off"
            if item.cacheable, let key = item.parts?.key {
                let hit = cache?.lookup(stage: item.stage.name, key: key) != nil
                cacheText = "cache: \(hit ? "hit" : "miss") \(key.prefix(12))"
            } else if cache != nil {
                cacheText = "cache: never (deployment, secrets or cache: false)"
            }
            out += "\(i + 1). \(item.stage.name)  —  \(why)\n   \(cacheText)\n   $ \(item.stage.run)\n"
        }
        let skipped = plan.stages.filter { d in !work.contains { $0.stage.name == d.stage.name } }.map(\.stage.name)
        if !skipped.isEmpty { out += "Not affected: \(skipped.joined(separator: ", "))\n" }
        return out
    }

    private func explain(_ name: String, keys: [String: CacheKeyParts], cache: CacheStore) -> String {
        guard let now = keys[name] else { return "\(name): no cache key\n" }
        guard let last = cache.lastParts(stage: name) else {
            return "\(name): key \(now.key.prefix(12)); no earlier passing run is recorded, so it would run\n"
        }
        let differences = now.differences(from: last)
        if differences.isEmpty {
            return "\(name): key \(now.key.prefix(12)) is unchanged since it last passed; it would be a cache hit\n"
        }
        return "\(name): key \(last.key.prefix(12)) → \(now.key.prefix(12)) because\n" + differences.map { "  - \($0)\n" }.joined()
    }

    private func report(_ results: [StageResult], duration: Double) -> JSONValue {
        .object([
            ("schema", .int(1)),
            ("duration", .double(duration)),
            ("stages", .array(results.map { r in
                var fields: [(String, JSONValue)] = [
                    ("name", .string(r.stage)), ("status", .string(r.status.rawValue)), ("duration", .double(r.duration)),
                    ("cache_hit", .bool(r.cacheHit)), ("key", r.cacheKey.map(JSONValue.string) ?? .null),
                    ("exit_code", r.exitCode.map { .int(Int($0)) } ?? .null),
                ]
                if let note = r.note { fields.append(("note", .string(note))) }
                if let rollback = r.rollback { fields.append(("rollback", .string(rollback.rawValue))) }
                return .object(fields)
            })),
        ])
    }
}

/// Files handed to stages (the changed-file list, shard lists), removed when the run ends.
final class TemporaryFiles {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "mlci-run-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ lines: [String]) throws -> String {
        let path = directory + "/" + name
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

/// While a run is going, SIGINT and SIGTERM stop its stages instead of killing mlci at once,
/// so every child process group is terminated and the summary is still printed.
final class SignalForwarding {
    private var sources: [DispatchSourceSignal] = []

    init(_ handler: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
