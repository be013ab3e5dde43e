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
    public let location: SourceLocation?
}
