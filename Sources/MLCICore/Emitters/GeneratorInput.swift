import MLCIGit

/// What every generator reads: the config from the working tree (generators run where the
/// files are written), the repository root, and the templates to use.
public struct GeneratorInput {
    public let config: MLCIConfig
    /// The repository root, ending in "/".
    public let root: String
    public let templates: Templates
    public let warnings: [Diagnostic]

    public init(repo: Repository, configFile: String?) throws {
        guard let root = repo.workdir else {
            throw GenerateError(.usage, "generate needs a working tree; this repository is bare")
        }
        let (config, warnings) = try Planner.loadConfig(
            PlanRequest(configFile: configFile), side: .worktree(root: root), repo: repo)
        let problems = JobNames.problems(config.stages.map(\.name))
        if !problems.isEmpty { throw GenerateError(.usage, problems.joined(separator: "\n")) }
        self.config = config
        self.root = root
        self.warnings = warnings
        templates = Templates(overrideDirectory: config.templates.map { root + $0 })
    }
}
