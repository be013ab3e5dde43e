import MLCIGit

/// How the base commit was chosen, reported with every plan.
public struct BaseChoice: Sendable, Equatable {
    /// nil: no base (the empty tree for a root commit, or a trigger that runs everything).
    public let sha: ObjectID?
    /// Which rule chose it: `flag`, `MLCI_BASE`, `github:pull_request`, `local:merge-base origin/main`, …
    public let source: String
    /// Why the preferred rule could not be used, when a fallback was taken.
    public let fallback: String?
    /// Set when a CI trigger (schedule, manual, API) runs stages without comparing commits.
    public let trigger: String?
    /// The pipelines the trigger starts: only their stages run (nil: no trigger).
    public let scope: TriggerScope?

    public init(
        sha: ObjectID?, source: String, fallback: String? = nil, trigger: String? = nil, scope: TriggerScope? = nil
    ) {
        self.sha = sha
        self.source = source
        self.fallback = fallback
        self.trigger = trigger
        self.scope = scope
    }

    /// This choice with the pipelines its trigger starts.
    func scoped(_ scope: TriggerScope) -> BaseChoice {
        BaseChoice(sha: sha, source: source, fallback: fallback, trigger: trigger, scope: scope)
    }
}
