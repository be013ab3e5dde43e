import ArgumentParser
import Foundation
import MLCICore

struct GenerateGitLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gitlab",
        abstract: "Write .gitlab-ci.yml: a plan job and one dynamic child pipeline per pipeline.",
        discussion: "Example: mlci generate gitlab && git add .gitlab-ci.yml"
    )

    @OptionGroup var options: GeneratorOptions

    @Option(help: .init("The file to write (default: .gitlab-ci.yml in the repository).", valueName: "file"))
    var out: String?

    func run() throws {
        try options.generate { try GitLabPlatform().generate($0, out: out) }
    }
}
