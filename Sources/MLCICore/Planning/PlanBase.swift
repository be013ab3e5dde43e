import MLCIGit

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
