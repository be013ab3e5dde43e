/// `mlci.yml`: change kinds and stages. The shape is a contract users and tests depend on;
/// it is extended, never renamed. See docs/configuration.md.
public struct MLCIConfig: Sendable {
    public static let fileName = "mlci.yml"

    public let version: Int
    public let defaultBranch: String?
    /// Change kinds in declaration order.
    public let kinds: [Kind]
    /// Stages in declaration order.
    public let stages: [Stage]
    /// Pipelines in declaration order; without `pipelines:` one pipeline, `mlci`, holds every stage.
    public let pipelines: [Pipeline]
    /// Top-level CI settings.
    public let ci: CISettings
    /// A directory (relative to the repository root) with templates overriding the built-in ones.
    public let templates: String?
    /// `notebook_outputs: count`: a notebook change in outputs only still counts as a change.
    public let notebookOutputsCount: Bool
    /// `protected_stages`: stages a change may not remove. The base commit's list is the one
    /// that counts, so a pull request cannot unprotect and remove a stage at once.
    public var protectedStages: [String] = []

    public func stage(named name: String) -> Stage? { stages.first { $0.name == name } }

    /// Each stage run for pull requests (and merge requests) → the names of the pipelines that run it for them.
    public var pullRequestPipelinesByStage: [String: Set<String>] {
        var holders: [String: Set<String>] = [:]
        for p in pipelines where p.runsOnPullRequests {
            for stage in p.stages { holders[stage, default: []].insert(p.name) }
        }
        return holders
    }
    public func kind(named name: String) -> Kind? { kinds.first { $0.name == name } }
}
