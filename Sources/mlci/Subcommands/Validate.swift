import ArgumentParser
import Foundation
import MLCICore

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check mlci.yml and report every problem at once, with file:line:column.",
        discussion: """
            Reads mlci.yml from the working tree (a bare repository: from HEAD), or --config FILE.
            Exits 2 on errors; warnings (a pattern that matches no tracked file) do not fail.
            Example: mlci validate
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(help: .init("Validate this file instead of mlci.yml.", valueName: "file"))
    var config: String?

    @Option(help: .init("Validate mlci.yml as committed in this revision.", valueName: "rev"))
    var head: String?

    func run() throws {
        // Diagnostics name paths from the repository: stopped like the plan in a GitHub Actions step.
        if WorkflowCommandStop.applies(ProcessInfo.processInfo.environment) { Output.stopWorkflowCommands() }
        let validation = try ConfigValidation(repo: try repository.open(), head: head, configFile: config)
        for diagnostic in validation.diagnostics { Output.diagnostic(diagnostic) }
        if validation.failed { throw ExitCode(ExitStatus.usage) }
        Output.write(validation.summary)
    }
}
