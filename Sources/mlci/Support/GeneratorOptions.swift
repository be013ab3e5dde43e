import ArgumentParser
import Foundation
import MLCICore

/// Flags every generator shares: where the config is, and `--check`.
struct GeneratorOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions

    @Option(help: .init("Read this config file instead of mlci.yml in the working tree.", valueName: "file"))
    var config: String?

    @Flag(help: "Write nothing; exit 1 with a unified diff when the files on disk differ from what would be generated.")
    var check = false

    @Flag(help: "Replace a file that mlci did not generate (a hand-written .gitlab-ci.yml or Jenkinsfile).")
    var force = false

    /// Loads the config (printing its warnings, and the set-up's when the generated jobs run
    /// set-up lines), writes the files `make` builds from it (or with `--check` compares them),
    /// and exits 1 when `--check` finds a difference.
    func generate(runsSetup: Bool = true, _ make: (GeneratorInput) throws -> GeneratorInput.Output) throws {
        let input = try GeneratorInput(repo: try repository.open(), configFile: config)
        for warning in input.warnings { Output.diagnostic(warning) }
        if runsSetup, let warning = input.setupWarning { Output.diagnostic(warning) }
        let output = try make(input)
        let clean = try GeneratedFiles(check: check, force: force).emit(
            output.files, staleCandidates: output.staleCandidates
        ) {
            switch $0 {
            case .report(let text): Output.write(text)
            case .note(let text): Output.errorRaw(text + "\n")
            }
        }
        if !clean { throw ExitCode(ExitStatus.failed) }
    }
}
