/// A group of stages that becomes one GitHub workflow and one GitLab child pipeline: CI
/// (lint, test), CD (package, deploy), CT (train on its own triggers).
public struct Pipeline: Sendable {
    public let name: String
    public let stages: [String]
    /// Push triggers limited to these branches (and no pull request trigger); nil: all.
    public let branches: [String]?
    /// A cron expression: scheduled runs (continuous training).
    public let schedule: String?
    /// A name to request a run with: GitHub `repository_dispatch` type (and manual dispatch),
    /// GitLab `MLCI_TRIGGER=<name>` on a pipeline trigger.
    public let dispatch: String?
    /// `pull_requests: true|false`; nil: the default (see `runsOnPullRequests`).
    public let pullRequests: Bool?
    public let location: SourceLocation?
    /// The pipeline's own settings on CI platforms that have them (`pipelines.<name>.kubeflow`).
    public var platforms = CISettings()

    /// Whether the pipeline runs for pull requests (and merge queues): by default yes, except a
    /// pipeline limited to `branches` or one with its own triggers (`schedule`, `dispatch`:
    /// continuous training on a GPU runner must not start for every pull request).
    public var runsOnPullRequests: Bool {
        pullRequests ?? (branches == nil && schedule == nil && dispatch == nil)
    }
}
