import MLCIGit

/// A stage the change removes from mlci.yml — or, for a protected one, takes out of every
/// pipeline that runs for pull requests.
public struct RemovedStage: Sendable, Equatable {
    public let name: String
    /// Listed in the base's `protected_stages`.
    public let protected: Bool
    /// Still in mlci.yml, but no longer in a pipeline that runs for pull requests.
    public var fromPullRequestsOnly = false
    /// Still run for pull requests, but only by pipelines the base did not have (named here): the
    /// committed GitLab parent pipeline triggers the base's pipelines by name, so none runs it.
    public var newPipelinesOnly: [String] = []

    public init(name: String, protected: Bool, fromPullRequestsOnly: Bool = false, newPipelinesOnly: [String] = []) {
        self.name = name
        self.protected = protected
        self.fromPullRequestsOnly = fromPullRequestsOnly
        self.newPipelinesOnly = newPipelinesOnly
    }

    /// `removed`, `not run for pull requests`, or `moved to a new pipeline`.
    public var reason: String {
        if !newPipelinesOnly.isEmpty { return "moved to a new pipeline" }
        return fromPullRequestsOnly ? "not run for pull requests" : "removed"
    }

    /// One line for people.
    public var summary: String {
        let what =
            !newPipelinesOnly.isEmpty
            ? "stage \(name) ran for pull requests at the base; at the head only pipelines the base did not have "
                + "(\(newPipelinesOnly.joined(separator: ", "))) hold it, and a parent pipeline generated at the base "
                + "does not trigger them"
            : fromPullRequestsOnly
                ? "stage \(name) ran for pull requests at the base; at the head no pipeline that runs for pull requests holds it"
                : "stage \(name) is in mlci.yml at the base but not at the head"
        return what
            + (protected
                ? ": it is protected (protected_stages at the base); remove it from protected_stages in a change of its own first"
                : "; its checks no longer run")
    }
}
