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
        help: .init(
            "Run this stage (repeatable) and, unless --only, the affected stages it needs.", valueName: "name"))
    var stages: [String] = []

    @Flag(help: "With --stage: run only the named stages.")
    var only = false

    @Flag(help: "Print the ordered plan with cache hits and commands; run nothing.")
    var dryRun = false

    @Option(help: .init("Stages to run at once (default: the number of cores).", valueName: "n"))
    var jobs: Int?

    @Flag(help: "After a failure, keep running every stage that does not need the failed one.")
    var keepGoing = false

    @Flag(help: "Neither read nor write the cache.")
    var noCache = false

    @Option(help: .init("Stop any stage running longer than this (90s, 30m, 2h).", valueName: "duration"))
    var timeout: String?

    @Option(help: .init("Write Prometheus metrics of the run to this file.", valueName: "file"))
    var metricsFile: String?

    @Option(help: .init("Write JSON-lines events of the run to this file.", valueName: "file"))
    var events: String?

    @Option(
        help: .init(
            "Run shard K of N (1-based): sets \(StageJobEnvironment.shard), \(StageJobEnvironment.shards) and \(StageJobEnvironment.shardFiles).",
            valueName: "k/n"))
    var shard: String?

    @Option(
        help: .init("Say which part of the stage's cache key changed since it last passed.", valueName: "stage"))
    var explainCache: String?

    @Option(help: "Output: text, or json (a report on stdout; stage output goes to stderr).")
    var format: ChangesFormat = .text

    func validate() throws {
        if only && stages.isEmpty { throw RunError.onlyWithoutStages }
        _ = try options()
    }

    func options() throws -> RunOptions {
        try RunOptions(
            jobs: jobs, keepGoing: keepGoing, timeout: timeout, shard: shard, metricsFile: metricsFile,
            eventsFile: events)
    }

    func run() throws {
        let repo = try plan.repository.open()
        let workspace = try Workspace.workingTree(of: repo)
        let result = try Planner.plan(plan.request(), in: repo)
        for warning in result.warnings { Output.diagnostic(warning) }
        let env = ProcessInfo.processInfo.environment
        let executor = Executor(plan: result, repo: repo, environment: env, useCache: !noCache)
        if let name = explainCache { return Output.write(try executor.explainCache(name, shard: try options().shard)) }
        let selection = try StageSelection.select(result, names: stages, only: only)
        if dryRun { return Output.write(try executor.preview(selection, shard: try options().shard)) }

        let toStderr = format == .json
        let sink: (String) -> Void = toStderr ? { Output.errorRaw($0) } : { Output.writeNow($0) }
        let console = RunConsole(
            live: isatty(toStderr ? STDERR_FILENO : STDOUT_FILENO) == 1 && !EnvFlag.isOn(env["CI"]),
            color: toStderr ? Output.stderrIsColorTerminal : Output.stdoutIsColorTerminal,
            write: sink)
        let report = try executor.run(
            selection, in: workspace, options: try options(), observers: [console])
        for warning in report.warnings { Output.warning(warning) }
        Output.write(format == .json ? report.json.bytes() : Array(report.table().utf8))
        Output.flush()
        if report.interruptedBy != nil { throw ExitCode(130) }
        if !report.passed { throw ExitCode(ExitStatus.failed) }
    }
}
