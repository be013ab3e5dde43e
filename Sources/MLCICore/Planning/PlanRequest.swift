import MLCIGit

/// The head of a plan: what the stages would run on.
public enum PlanHead: Sendable, Equatable {
    /// A revision; nil: HEAD.
    case commit(String?)
    /// The working tree as `git add -A` would record it (staged, unstaged and untracked files).
    case worktree
    /// The index, as a commit would record it now (the pre-commit hook); `file` when it is not
    /// the repository's own index (git hands hooks `GIT_INDEX_FILE`).
    case index(file: String?)
}

/// The base of a plan: what the head is compared with.
public enum PlanBase: Sendable, Equatable {
    /// Chosen by the documented rules: the given revision (`--base`) when there is one, else
    /// `MLCI_BASE`, the CI system's variables, the default branch.
    case automatic(explicit: String?)
    /// Already decided by the caller: the hooks compute the range of each pushed ref.
    case resolved(BaseChoice)
    /// No comparison: every stage is affected (`--all`).
    case everything
}

/// Which commit's mlci.yml a plan follows.
public enum ConfigSource: String, Sendable, Equatable, CaseIterable {
    /// The head's (the default): a change to mlci.yml takes effect in the change itself.
    case head
    /// The base commit's: a pull request from a fork cannot change which stages run or what
    /// they run (`--config-from base`, `MLCI_CONFIG_FROM=base`).
    case base
}

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
            throw PlanError(
                .usage, "\(StageJobEnvironment.configFrom) must be head or base, not '\(value.terminalSafe)'")
        }
        return source
    }

    /// True when every stage is affected without comparing anything.
    var compareNothing: Bool { base == .everything || ci.all }

    /// The tags naming the head: the given ones and the CI platforms'.
    var headTags: [String] { tags + ci.tags }
}
