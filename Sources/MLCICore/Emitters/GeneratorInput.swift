import MLCIGit

/// What every generator reads: the config from the working tree (generators run where the
/// files are written), the repository root, and the templates to use. Each platform writes its
/// own files from it (`CIPlatform.generate`).
public struct GeneratorInput {
    public let config: MLCIConfig
    /// The repository root, ending in "/".
    public let root: String
    public let templates: Templates
    public let warnings: [Diagnostic]
    /// The warning for generators whose jobs run the set-up lines (CI platforms, not Kubeflow)
    /// when some job's set-up cannot install a pinned mlci.
    public let setupWarning: Diagnostic?

    public init(repo: Repository, configFile: String?, platforms: [any CIPlatform] = CIPlatforms.builtIn) throws {
        guard let root = repo.workdir else {
            throw GenerateError.needsWorkingTree(what: "generate")
        }
        let (config, warnings) = try MLCIConfig.read(
            file: configFile, side: .worktree(root: root), repo: repo, platforms: platforms)
        self.config = config
        self.root = root
        self.warnings = warnings
        setupWarning = SetupLines.unpinnedWarning(config)
        templates = Templates(overrideDirectory: config.templates.map { root + $0 })
    }

    /// Files one generator writes, and earlier generated files that may now be stale.
    public struct Output {
        public let files: [(path: String, content: String)]
        public let staleCandidates: [String]

        public init(files: [(path: String, content: String)], staleCandidates: [String]) {
            self.files = files
            self.staleCandidates = staleCandidates
        }
    }
}
