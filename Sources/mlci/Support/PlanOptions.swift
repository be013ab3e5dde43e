import ArgumentParser
import Foundation
import MLCICore

/// Flags that choose what to plan; shared by `plan` and the commands built on it.
struct PlanOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions

    @Option(
        help: .init(
            "Read this config file for both sides instead of mlci.yml in the commits.", valueName: "file"))
    var config: String?

    @Option(
        help: .init(
            "The base revision (default: chosen from CI variables or the default branch; see docs/commands/plan.md).",
            valueName: "rev"))
    var base: String?

    @Option(help: .init("The head revision (default: HEAD).", valueName: "rev"))
    var head: String?

    @Flag(help: "Plan the working tree (staged, unstaged and untracked files) against the base.")
    var worktree = false

    @Flag(help: "Mark every stage affected (reason: forced). Same as \(StageJobEnvironment.all)=1.")
    var all = false

    @Option(
        help: .init(
            "The head is this release tag: stages whose tags: patterns match it run (repeatable).", valueName: "name"))
    var tag: [String] = []

    @Option(
        help: .init(
            "Follow mlci.yml of the head (default) or of the base commit: for pull requests from forks (\(StageJobEnvironment.configFrom)).",
            valueName: "side"))
    var configFrom: ConfigSource?

    func validate() throws {
        if worktree && head != nil {
            throw PlanError.worktreeWithHead
        }
    }

    func request() -> PlanRequest {
        PlanRequest(
            head: worktree ? .worktree : .commit(head), base: all ? .everything : .automatic(explicit: base),
            configFile: config, environment: ProcessInfo.processInfo.environment, tags: tag, configFrom: configFrom)
    }
}
