import MLCIGit

/// One CI platform: everything mlci knows about it, in one folder under `CI/`. The planner,
/// the config loader and `mlci generate` reach a platform only through this protocol, so a
/// platform is added without touching any of them (Turborepo keeps one table per CI vendor the
/// same way, while its git layer knows none).
public protocol CIPlatform: Sendable {
    /// The platform's name in mlci.yml (`ci.<id>`), in base sources (`github:push`) and as the
    /// `mlci generate` target.
    var id: String { get }

    /// What the platform says about this build, read from its own variables; nil when mlci is
    /// not running under it.
    func read(_ environment: [String: String]) -> CIContext.Build?

    /// The tag this build is for, when the platform's variables name one. Asked of every
    /// platform; `detected`: this platform is the one the build runs under (a platform may name
    /// a tag only then, as Jenkins' `TAG_NAME`).
    func tag(_ environment: [String: String], detected: Bool) -> String?

    /// The events that compare no commits: a schedule, a manual or an API request starts the
    /// pipelines of its trigger and every stage of them. The base rule and the emitter that
    /// writes the platform's triggers both read this one list.
    var triggerEvents: [String] { get }

    /// The trigger a build's event stands for (`schedule`, `manual`, …), or nil when the build
    /// compares commits. The default: the event itself when it is one of `triggerEvents`.
    func trigger(for build: CIContext.Build) -> String?

    /// The base of a build that compares commits, by the platform's own rules; the shared rules
    /// (a push's previous commit, the local default-branch rule, merge-bases) are `rules`'.
    func base(for build: CIContext.Build, head: ObjectID, rules: BaseResolver) throws -> BaseChoice

    /// The keys of `ci.<id>` (for did-you-mean).
    var settingsKeys: [String] { get }

    /// Decodes `ci.<id>` (top level or a stage's), reporting problems at their line and column.
    func settings(_ mapping: ConfigMapping) -> any CIPlatformSettings

    /// The keys of `pipelines.<name>.<id>`, a pipeline's own settings on this platform (empty:
    /// the platform has none, and the key is unknown there).
    var pipelineSettingsKeys: [String] { get }

    /// Decodes `pipelines.<name>.<id>` (only asked when `pipelineSettingsKeys` is not empty).
    func pipelineSettings(_ mapping: ConfigMapping) -> any CIPlatformSettings

    /// What the platform cannot accept in a loaded configuration (stage names that make
    /// clashing job ids, settings unsafe for pull requests): errors and warnings at the stage.
    func problems(stages: [Stage], pipelines: [Pipeline], ci: CISettings) -> [Diagnostic]

    /// The files `mlci generate <id>` writes: at `out` when given, else where the platform
    /// reads them in the repository.
    func generate(_ input: GeneratorInput, out: String?) throws -> GeneratorInput.Output
}

extension CIPlatform {
    public func trigger(for build: CIContext.Build) -> String? {
        triggerEvents.contains(build.event) ? build.event : nil
    }

    public var pipelineSettingsKeys: [String] { [] }

    public func pipelineSettings(_ mapping: ConfigMapping) -> any CIPlatformSettings { CISettings.None() }
}
