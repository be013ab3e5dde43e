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

/// A named class of changes (`code`, `data`, …): gitignore-style patterns, last match wins.
public struct Kind: Sendable {
    public let name: String
    public let patterns: PatternList
    public let location: SourceLocation?
}

/// What a stage watches: a declared kind, or a path pattern.
public struct WatchEntry: Sendable {
    public enum Target: Sendable, Hashable {
        case kind(String)
        case pattern(PathPattern)
    }

    public let source: String
    public let target: Target
    public let location: SourceLocation?
}

/// A params file and the dotted keys a stage depends on.
public struct ParamsWatch: Sendable, Hashable {
    public let file: String
    public let keys: [String]

    public init(file: String, keys: [String]) {
        self.file = file
        self.keys = keys
    }
}

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

/// Settings of a stage that matter when `mlci run` executes it.
public struct LocalRunSettings: Sendable {
    /// Directory to run in, relative to the repository root.
    public var dir: String?
    /// Extra environment variables, in order.
    public var env: [(String, String)] = []
    /// Variables whose values are masked as `***` in all output; such stages are never cached.
    public var secrets: [String] = []
    /// Extra patterns of files whose contents are part of the cache key.
    public var inputs: [PathPattern] = []
    /// Variables whose values (unset differs from empty) are part of the cache key.
    public var envInputs: [String] = []
    /// Files or directories the stage produces: stored in the cache and restored on a hit.
    public var outputs: [String] = []
    /// nil: the default (cached, except deployments and secret-using stages).
    public var cache: Bool?

    public init() {}
}

public enum DVCLink: Sendable, Equatable {
    case all
    case stages([String])
}
