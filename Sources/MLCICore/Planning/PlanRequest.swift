import MLCIGit

/// What to plan. Invalid combinations cannot be written: a plan has one head and one base.
public struct PlanRequest: Sendable {
    public var head: PlanHead
    public var base: PlanBase
    /// `--config FILE`: one file read for both sides.
    public var configFile: String?
    /// What the environment says: the CI platform and its build, and mlci's own variables
    /// (`MLCI_BASE`, `MLCI_ALL=1`, which is `--all`, …). Read once, from `environment`.
    public var ci: CIContext
    /// Tags naming the head (`--tag`, or found by the pre-push hook); CI tags come from the
    /// context (`GITHUB_REF`, `CI_COMMIT_TAG`, Jenkins' `TAG_NAME`).
    public var tags: [String] = []
    /// `--config-from`; nil: `MLCI_CONFIG_FROM`, else the head.
    public var configFrom: ConfigSource?

    public init(
        head: PlanHead = .commit(nil), base: PlanBase = .automatic(explicit: nil), configFile: String? = nil,
        ci: CIContext = .none, tags: [String] = [], configFrom: ConfigSource? = nil
    ) {
        self.head = head
        self.base = base
        self.configFile = configFile
        self.ci = ci
        self.tags = tags
        self.configFrom = configFrom
    }

    /// A request whose context is read from `environment` (the built-in platforms).
    public init(
        head: PlanHead = .commit(nil), base: PlanBase = .automatic(explicit: nil), configFile: String? = nil,
        environment: [String: String], tags: [String] = [], configFrom: ConfigSource? = nil
    ) {
        self.init(
            head: head, base: base, configFile: configFile, ci: CIContext(environment: environment), tags: tags,
            configFrom: configFrom)
    }

    /// Which mlci.yml the plan follows: `--config-from`, else `MLCI_CONFIG_FROM`, else the head.
    func configSource() throws -> ConfigSource {
        if let configFrom { return configFrom }
        guard let value = ci.configFrom else { return .head }
        guard let source = ConfigSource(rawValue: value) else {
            throw PlanError.configFromValue(value)
        }
        return source
    }

    /// True when every stage is affected without comparing anything.
    var compareNothing: Bool { base == .everything || ci.all }

    /// The tags naming the head: the given ones and the CI platforms'.
    var headTags: [String] { tags + ci.tags }
}
