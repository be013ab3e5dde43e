import ArgumentParser
import Foundation
import MLCICore

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

    @Option(
        name: .customLong("stage"),
        help: ArgumentHelp(
            "Run this stage (repeatable) and, unless --only, the affected stages it needs.", valueName: "name"))
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

    @Option(
        help: ArgumentHelp(
            "Run shard K of N (1-based): sets MLCI_SHARD, MLCI_SHARDS and MLCI_SHARD_FILES.", valueName: "k/n"))
    var shard: String?

    @Option(
        help: ArgumentHelp("Say which part of the stage's cache key changed since it last passed.", valueName: "stage"))
    var explainCache: String?

    @Option(help: "Output: text, or json (a report on stdout; stage output goes to stderr).")
    var format: ChangesFormat = .text

    func validate() throws {
        if let jobs, jobs < 1 { throw RunError(.usage, "--jobs must be at least 1") }
        if let timeout, TimeSpan.seconds(timeout) == nil {
            throw RunError(
                .usage, "--timeout '\(timeout)' is not a duration; write it with a unit: 90s, 30m, 2h, 1h30m")
        }
        if let shard, Self.parseShard(shard) == nil {
            throw RunError(.usage, "--shard '\(shard)' must be K/N with 1 ≤ K ≤ N, such as 2/4")
        }
        if only && stages.isEmpty { throw RunError(.usage, "--only needs at least one --stage") }
    }

    static func parseShard(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        return (k, n)
    }

    func run() throws {
        let repo = try plan.repository.open()
        guard let workdir = repo.workdir else {
            throw RunError(.usage, "mlci run needs a working tree; this repository is bare")
        }
        let result = try Planner.plan(plan.request(), in: repo)
        for warning in result.warnings { Output.diagnostic(warning) }
        let env = ProcessInfo.processInfo.environment
        let executor = Executor(plan: result, repo: repo, environment: env, useCache: !noCache)
        if let name = explainCache { return Output.write(try executor.explainCache(name)) }
        let selection = try StageSelection.select(result, names: stages, only: only)
        if dryRun { return Output.write(try executor.preview(selection)) }

        var options = RunOptions(jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        options.keepGoing = keepGoing
        options.timeout = timeout.flatMap(TimeSpan.seconds)
        options.shard = shard.flatMap(Self.parseShard).map { (index: $0.0, count: $0.1) }
        options.metricsFile = metricsFile
        options.eventsFile = events
        let toStderr = format == .json
        let sink: (String) -> Void = toStderr ? { Output.errorRaw($0) } : { Output.writeNow($0) }
        let console = RunConsole(
            live: isatty(toStderr ? STDERR_FILENO : STDOUT_FILENO) == 1 && (env["CI"] ?? "").isEmpty,
            color: toStderr ? Output.stderrIsColorTerminal : Output.stdoutIsColorTerminal,
            write: sink)
        let report = try executor.run(selection, in: .inPlace(root: workdir), options: options, observers: [console])
        for warning in report.warnings { Output.warning(warning) }
        switch format {
        case .text: Output.write(report.table())
        case .json: Output.write(report.json.bytes())
        }
        Output.flush()
        if report.interruptedBy != nil { throw ExitCode(130) }
        if !report.passed { throw ExitCode(ExitStatus.failed) }
    }
}
