import ArgumentParser
import Foundation
import MLCICore

struct GenerateJenkins: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jenkins",
        abstract: "Write a declarative Jenkinsfile whose stages run only when affected.",
        discussion: "Example: mlci generate jenkins && git add Jenkinsfile"
    )

    @OptionGroup var options: GeneratorOptions

    @Option(help: .init("The file to write (default: Jenkinsfile in the repository).", valueName: "file"))
    var out: String?

    func run() throws {
        try options.generate { try JenkinsPlatform().generate($0, out: out) }
    }
}
