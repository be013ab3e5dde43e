import ArgumentParser
import Foundation
import MLCICore

@main
struct MLCI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlci",
        abstract: "Change-aware builds for repositories that hold code, data and models.",
        discussion: """
            Exit codes: 0 ok, 1 a run or check failed, 2 usage or configuration error, \
            3 the base revision cannot be resolved, 130 interrupted (mlci run, mlci job).
            """,
        version: MLCIVersion.current,
        subcommands: [
            PlanCommand.self, Run.self, Job.self, Generate.self, Hook.self, Init.self, Changes.self, Validate.self,
        ]
    )

    /// Parses, runs, and maps every failure to the documented exit codes at this one edge.
    static func main() {
        // The cache signature key must not be readable from mlci's /proc/<pid>/environ by the
        // stages it starts (same user); mlci keeps a private copy.
        InitialEnvironment.scrub([CacheStore.signatureKeyVariable])
        PerformanceTrace.start()
        // A closed pipe (mlci run | head) must not kill mlci before it stops its stages and
        // removes its scratch worktree: writes then fail with EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
            Output.finish()
        } catch {
            exit(withCode: ExitStatus.report(error))
        }
    }

    static func exit(withCode code: Int32) -> Never {
        Output.finish()
        if code == 0 { Self.exit() }
        Self.exit(withError: ExitCode(code))
    }
}
