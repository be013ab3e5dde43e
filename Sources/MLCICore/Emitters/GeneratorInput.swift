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
        self.config = config
        self.root = root
        self.warnings = warnings + [SetupLines.unpinnedWarning(config)].compactMap { $0 }
        templates = Templates(overrideDirectory: config.templates.map { root + $0 })
    }

    /// Files one generator writes, and earlier generated files that may now be stale.
    public struct Output {
        public let files: [(path: String, content: String)]
        public let staleCandidates: [String]
    }

    /// One workflow per pipeline in `dir` (default: `.github/workflows`).
    public func github(into dir: String?) throws -> Output {
        let dir = dir ?? root + ".github/workflows"
        let files = try GitHubEmitter(config: config, templates: templates).render().map { (dir + "/" + $0.0, $0.1) }
        return Output(files: files, staleCandidates: GeneratedFiles.workflows(in: dir))
    }

    /// The parent pipeline at `path` (default: `.gitlab-ci.yml`).
    public func gitlab(at path: String?) throws -> Output {
        Output(
            files: [
                (path ?? root + ".gitlab-ci.yml", try GitLabEmitter(config: config, templates: templates).parent())
            ],
            staleCandidates: [])
    }

    /// The Jenkinsfile at `path` (default: `Jenkinsfile`).
    public func jenkins(at path: String?) throws -> Output {
        Output(
            files: [(path ?? root + "Jenkinsfile", try JenkinsEmitter(config: config, templates: templates).render())],
            staleCandidates: [])
    }
}
