/// One stage of the build.
public struct Stage: Sendable {
    public let name: String
    public let run: String
    public let on: [WatchEntry]
    /// Consumes the output of these stages: affected when any of them is.
    public let needs: [String]
    /// Runs after these stages when both run; does not propagate.
    public let after: [String]
    public let params: [ParamsWatch]
    public let location: SourceLocation?
    /// Per-stage CI settings, overriding the top-level `ci:`.
    public let ci: CISettings?
    /// Seconds; `timeout: 30m`.
    public let timeout: Int?
    /// Run the stage on this many runners in parallel (GitHub matrix, GitLab `parallel:`).
    public let shards: Int?
    /// A command that undoes the stage; run when the stage fails.
    public let rollback: String?
    /// How `mlci run` runs the stage on this machine: directory, environment, cache.
    public let local: LocalRunSettings
    /// Release tag patterns (`model@v*`, `*#prod#*`): the stage runs when the head is such a tag.
    public let tags: [String]
    /// `tag_commits:` — which commits a tag build runs the stage for (nil: the default,
    /// `default-branch` for a stage with secrets, else `any`).
    public let tagCommits: TagCommits?
    /// `dvc: true` (any DVC stage) or `dvc: [names]`: the stage carries a DVC pipeline.
    public let dvc: DVCLink?
    /// Each key of the stage's mapping in canonical form, plus the patterns of the kinds it
    /// watches, so a change to any of them is seen as a change of the definition.
    public let definition: [String: JSONValue]
}
