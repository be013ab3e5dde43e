import MLCIGit

/// GitLab CI: its variables, base rules, `ci.gitlab` settings and pipelines.
public struct GitLabPlatform: CIPlatform {
    public init() {}

    public let id = "gitlab"

    /// `CI_PIPELINE_SOURCE` values that compare no commits; `pipeline` is another project's
    /// pipeline (multi-project).
    static let sources = ["schedule", "web", "api", "trigger", "pipeline"]

    public var triggerEvents: [String] { Self.sources }

    public func read(_ env: [String: String]) -> CIContext.Build? {
        guard env["GITLAB_CI"] == "true" else { return nil }
        let names = [
            "CI_MERGE_REQUEST_EVENT_TYPE", "CI_MERGE_REQUEST_TARGET_BRANCH_SHA", "CI_MERGE_REQUEST_DIFF_BASE_SHA",
            "CI_COMMIT_BEFORE_SHA",
        ]
        return CIContext.Build(
            event: env["CI_PIPELINE_SOURCE"] ?? "",
            hints: Dictionary(uniqueKeysWithValues: names.compactMap { name in env[name].map { (name, $0) } }))
    }

    public func tag(_ env: [String: String], detected: Bool) -> String? { CIContext.nonEmpty(env["CI_COMMIT_TAG"]) }

    /// Where the default set-up installs mlci, and the line that puts it on PATH.
    static let setup = SetupLines.Target(
        home: "${TMPDIR:-/tmp}/mlci-job-${CI_JOB_ID:?}",
        pathLine: "export PATH=\"${TMPDIR:-/tmp}/mlci-job-${CI_JOB_ID:?}/bin:$PATH\"")

    // MARK: Base

    public func base(for build: CIContext.Build, head: ObjectID, rules: BaseResolver) throws -> BaseChoice {
        let hints = build.hints
        guard build.event == "merge_request_event" else {
            return try rules.before(hints["CI_COMMIT_BEFORE_SHA"], source: "gitlab:push", head: head)
        }
        // Merged results and merge trains test the merge into the target's current tip: only
        // what the merge request adds is new, so the base is that tip, not the branch point.
        if let type = hints["CI_MERGE_REQUEST_EVENT_TYPE"], type == "merged_result" || type == "merge_train",
            let sha = hints["CI_MERGE_REQUEST_TARGET_BRANCH_SHA"], !sha.isEmpty
        {
            return BaseChoice(
                sha: try rules.requireCommit(sha, what: "CI_MERGE_REQUEST_TARGET_BRANCH_SHA"), source: "gitlab:\(type)")
        }
        guard let sha = hints["CI_MERGE_REQUEST_DIFF_BASE_SHA"], !sha.isEmpty else {
            throw GitLabError.mergeRequestWithoutDiffBase
        }
        return BaseChoice(
            sha: try rules.requireCommit(sha, what: "CI_MERGE_REQUEST_DIFF_BASE_SHA"), source: "gitlab:merge_request")
    }

    // MARK: Settings and names

    public var settingsKeys: [String] { GitLabSettings.keys }

    public func settings(_ mapping: ConfigMapping) -> any CIPlatformSettings { GitLabSettings(mapping) }

    /// GitLab's global keywords, which cannot name a job.
    static let keywords: Set<String> = [
        "image", "services", "stages", "types", "before_script", "after_script", "variables", "cache",
        "include", "workflow", "default", "pages",
    ]

    /// A stage's job name: GitHub's job id (so one stage has one name everywhere), with the
    /// suffix `_job` when that is one of GitLab's global keywords.
    public static func jobName(_ stage: String) -> String {
        let id = GitHubPlatform.jobID(stage)
        return keywords.contains(id) ? id + "_job" : id
    }

    /// Job names mlci's own jobs use (and the GitHub ones, so one stage name is refused alike).
    static let ownJobs: Set<String> = ["plan", "mlci", "mlci-plan", "mlci-result", "mlci-nothing-affected"]

    public func problems(stages: [Stage], pipelines: [Pipeline], ci: CISettings) -> [Diagnostic] {
        StageNameClashes.problems(stages, jobID: Self.jobName, reserved: Self.ownJobs)
    }

    // MARK: Files

    /// The parent pipeline at `out` (default: `.gitlab-ci.yml`).
    public func generate(_ input: GeneratorInput, out: String?) throws -> GeneratorInput.Output {
        let content = try GitLabEmitter(config: input.config, templates: input.templates).parent()
        return GeneratorInput.Output(files: [(out ?? input.root + ".gitlab-ci.yml", content)], staleCandidates: [])
    }
}
