import ArgumentParser
import Foundation
import MLCICore

/// `mlci generate github|gitlab|gitlab-child|jenkins`: CI pipelines that run only the
/// affected stages, generated from mlci.yml.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write GitHub Actions, GitLab CI or Jenkins pipelines that run only the affected stages.",
        subcommands: [GenerateGitHub.self, GenerateGitLab.self, GenerateGitLabChild.self, GenerateJenkins.self]
    )
}

/// Flags every generator shares: where the config is, and `--check`.
struct GeneratorOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions

    @Option(help: .init("Read this config file instead of mlci.yml in the working tree.", valueName: "file"))
    var config: String?

    @Flag(help: "Write nothing; exit 1 with a unified diff when the files on disk differ from what would be generated.")
    var check = false

    @Flag(help: "Replace a file that mlci did not generate (a hand-written .gitlab-ci.yml or Jenkinsfile).")
    var force = false

    /// Loads the config (printing its warnings), writes the files `make` builds from it (or
    /// with `--check` compares them), and exits 1 when `--check` finds a difference.
    func generate(_ make: (GeneratorInput) throws -> GeneratorInput.Output) throws {
        let input = try GeneratorInput(repo: try repository.open(), configFile: config)
        for warning in input.warnings { Output.diagnostic(warning) }
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
