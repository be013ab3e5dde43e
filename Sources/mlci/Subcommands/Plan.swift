import ArgumentParser
import Foundation
import MLCICore

extension PlanFormat: ExpressibleByArgument {}

extension ConfigSource: ExpressibleByArgument {}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Decide which stages must run between two commits, and explain why.",
        discussion: """
            Examples:
              mlci plan                          # base chosen from CI variables or the default branch
              mlci plan --base origin/main --format json
              mlci plan --explain deploy
            """
    )

    @OptionGroup var options: PlanOptions

    @Option(help: "Output format: text, json, github, dotenv, markdown, mermaid or dot.")
    var format: PlanFormat = .text

    @Option(help: .init("Print every reason for one stage, following needs upstream.", valueName: "stage"))
    var explain: String?

    func run() throws {
        // The log formats name paths and values from the pull request: in a GitHub Actions step
        // nothing is written before workflow commands are stopped (the machine formats are read
        // by programs or go to files, and stay as they are).
        let env = ProcessInfo.processInfo.environment
        if format == .github || (format == .text || explain != nil) && WorkflowCommandStop.applies(env) {
            Output.stopWorkflowCommands()
        }
        let repo = try options.repository.open()
        PerformanceTrace.step("arguments parsed, repository opened")
        let plan = try Planner.plan(options.request(), in: repo)
        // Freeing tens of thousands of planned changes one by one just before the process
        // exits is measurable; the plan is parked instead and goes with the process.
        Output.keepUntilExit(plan)
        for warning in plan.warnings { Output.diagnostic(warning) }
        defer { Output.flush(); PerformanceTrace.step("output written") }

        if let explain {
            guard plan.decision(explain) != nil else { throw StageSelection.unknownStage(explain, in: plan) }
            Output.write(PlanText.explain(plan, stage: explain))
            return
        }
        if format == .github { try GitHubStepFiles.append(plan, environment: env) }
        format.write(plan, color: Output.stdoutIsColorTerminal, to: Output.write)
        // A change that removes a protected stage fails the plan, so CI's required check fails.
        if plan.removesProtectedStage { throw PlanError.protectedStageRemoved }
    }
}
