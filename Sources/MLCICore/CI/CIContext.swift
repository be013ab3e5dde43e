/// What the environment tells a plan, read once: the CI platform mlci runs under and what it
/// says about this build, and mlci's own variables (`MLCI_BASE`, `MLCI_TRIGGER`, …) that a
/// generated pipeline or a user sets. The planner reads nothing else of the environment, so a
/// plan is a function of the request, and a test can hand it any context.
public struct CIContext: Sendable {
    /// What a platform read from its own variables.
    public struct Build: Sendable, Equatable {
        /// The platform's name for what started the build: GitHub's event name, GitLab's
        /// pipeline source, Jenkins' build cause.
        public var event: String
        /// The platform's variables its base rule reads, by their names.
        public var hints: [String: String]

        public init(event: String, hints: [String: String] = [:]) {
            self.event = event
            self.hints = hints
        }
    }

    /// Every platform mlci knows: the one it runs under, and those whose `ci.<platform>`
    /// settings mlci.yml may hold.
    public let platforms: [any CIPlatform]
    /// The platform running this build, and what it read; nil outside CI.
    public let platform: (any CIPlatform)?
    public let build: Build?
    /// The tags naming the head that the platforms' variables give: `GITHUB_REF=refs/tags/…` and
    /// `CI_COMMIT_TAG` even when no platform is detected (a tag given by hand for a local plan
    /// counts), Jenkins' `TAG_NAME` only in a Jenkins build.
    public let tags: [String]

    /// `MLCI_BASE`: the base commit, set by a generated pipeline or by hand (non-empty).
    public var base: String?
    /// `MLCI_BASE_SOURCE`: how the pipeline that set `MLCI_BASE` found it.
    public var baseSource: String?
    /// `MLCI_CONFIG_FROM`: which commit's mlci.yml to follow.
    public var configFrom: String?
    /// `MLCI_ALL`: compare nothing, every stage is affected.
    public var all: Bool
    /// `MLCI_PIPELINE`: the pipeline a generated workflow runs.
    public var pipeline: String?
    /// `MLCI_TRIGGER`: the pipeline a trigger asks for (blank counts as unset).
    public var trigger: String?

    /// Reads `environment`: the first of `platforms` that recognises it, and mlci's own variables.
    public init(environment env: [String: String], platforms: [any CIPlatform] = CIPlatforms.builtIn) {
        self.platforms = platforms
        var found: (any CIPlatform, Build)?
        for candidate in platforms {
            if let build = candidate.read(env) {
                found = (candidate, build)
                break
            }
        }
        platform = found?.0
        build = found?.1
        tags = platforms.compactMap { $0.tag(env, detected: $0.id == found?.0.id) }
        base = Self.nonEmpty(env[StageJobEnvironment.base])
        baseSource = Self.nonEmpty(env[StageJobEnvironment.baseSource])
        configFrom = Self.nonEmpty(env[StageJobEnvironment.configFrom])
        all = EnvFlag.isOn(env[StageJobEnvironment.all])
        pipeline = Self.nonEmpty(env[StageJobEnvironment.pipeline])
        trigger = Self.nonEmpty(env[StageJobEnvironment.trigger]?.trimmingCharacters(in: .whitespaces))
    }

    /// No CI platform and no mlci variables.
    public static let none = CIContext(environment: [:])

    /// The platform with this id among the known ones.
    public func platform(id: String) -> (any CIPlatform)? { platforms.first { $0.id == id } }

    static func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
}
