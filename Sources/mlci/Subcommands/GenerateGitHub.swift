import ArgumentParser
import Foundation
import MLCICore

struct GenerateGitHub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "github",
        abstract: "Write .github/workflows/mlci-<pipeline>.yml, one workflow per pipeline.",
        discussion: "Example: mlci generate github && git add .github/workflows"
    )

    @OptionGroup var options: GeneratorOptions

    @Option(
        help: .init(
            "Directory for the workflows (default: .github/workflows in the repository).", valueName: "dir"))
    var out: String?

    func run() throws {
        try options.generate { try GitHubPlatform().generate($0, out: out) }
    }
}
