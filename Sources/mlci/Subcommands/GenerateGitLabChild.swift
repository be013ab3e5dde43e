import ArgumentParser
import Foundation
import MLCICore

struct GenerateGitLabChild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gitlab-child",
        abstract: "Plan, and write one pipeline's GitLab child pipeline holding only the affected jobs.",
        discussion:
            "Run by the generated plan job. Example: mlci generate gitlab-child --pipeline ci --out mlci-ci.gitlab-ci.yml"
    )

    @OptionGroup var plan: PlanOptions

    @Option(help: .init("The mlci pipeline to write.", valueName: "name"))
    var pipeline: String

    @Option(help: .init("The file to write (default: standard output).", valueName: "file"))
    var out: String?

    func run() throws {
        let repo = try plan.repository.open()
        let result = try Planner.plan(plan.request(), in: repo)
        let env = ProcessInfo.processInfo.environment
        try GitLabParentCheck.check(result, repo: repo, environment: env)
        // Each cacheable stage's key, from the checkout the child's jobs will have.
        let keys = try Executor(plan: result, repo: repo, environment: env).cacheKeys().mapValues(\.key)
        let content = try GitLabEmitter(config: result.config, templates: Templates.forPlan(result, repo: repo))
            .child(pipeline, plan: result, cacheKeys: keys)
        if let out {
            _ = try GeneratedFiles(check: false).emit([(out, content)]) { _ in }
        } else {
            Output.write(content)
        }
    }
}
