import ArgumentParser
import Foundation
import MLCICore

struct Job: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one stage as a CI job, exactly as mlci run would (generated pipelines call this).",
        discussion:
            "Base, head and shard default to \(StageJobEnvironment.baseSHA), \(StageJobEnvironment.headSHA), \(StageJobEnvironment.shard)/\(StageJobEnvironment.shards). Example: mlci job test"
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The stage to run.")
    var stage: String

    @Option(help: .init("Read this config file instead of mlci.yml at head.", valueName: "file"))
    var config: String?

    @Option(help: .init("The plan's base commit (default: \(StageJobEnvironment.baseSHA)).", valueName: "rev"))
    var base: String?

    @Option(
        help: .init("The plan's head commit (default: \(StageJobEnvironment.headSHA), else HEAD).", valueName: "rev"))
    var head: String?

    @Option(
        help: .init(
            "Run shard K of N (default: \(StageJobEnvironment.shard)/\(StageJobEnvironment.shards)).", valueName: "k/n")
    )
    var shard: String?

    @Flag(help: "Print the stage's cache key (empty when it is never cached) and run nothing.")
    var cacheKey = false

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let request = CIJob.request(base: base, head: head, configFile: config, environment: env)
        // The stage's output and mlci's warnings name what the pull request holds: in a GitHub
        // Actions step workflow commands are stopped before anything is written (not for
        // --cache-key, whose output is a value a workflow reads).
        if !cacheKey && WorkflowCommandStop.applies(env) { Output.stopWorkflowCommands() }
        if cacheKey {
            let key = try CIJob.cacheKey(
                stage: stage, repo: try repository.open(), request: request, environment: env,
                shard: try CIJob.shard(shard, environment: env))
            return Output.write((key ?? "") + "\n")
        }
        let (plan, report) = try CIJob.run(
            stage: stage, repo: try repository.open(),
            request: request, environment: env,
            shard: try CIJob.shard(shard, environment: env),
            observers: [RunConsole(live: false, color: Output.stdoutIsColorTerminal, write: { Output.writeNow($0) })])
        for warning in plan.warnings { Output.diagnostic(warning) }
        for warning in report.warnings { Output.warning(warning) }
        Output.write(report.table(onlyRan: true))
        if report.interruptedBy != nil { throw ExitCode(130) }
        if !report.passed { throw ExitCode(ExitStatus.failed) }
    }
}
