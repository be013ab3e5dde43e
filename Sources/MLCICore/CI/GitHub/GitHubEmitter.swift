import Yams

/// One GitHub Actions workflow per pipeline: a `plan` job that runs `mlci plan --format github`
/// and exposes one output per stage, one job per stage that runs only when the plan says so and
/// executes the stage through mlci's executor (`mlci job STAGE`: the same `dir`, `env`, masked
/// secrets, timeout, rollback, cache and changed-file lists as `mlci run`), and a final job to
/// mark as the required check.
public struct GitHubEmitter {
    let config: MLCIConfig
    let templates: Templates

    public init(config: MLCIConfig, templates: Templates) {
        self.config = config
        self.templates = templates
    }

    public static func fileName(_ pipeline: Pipeline) -> String { "mlci-\(pipeline.name).yml" }

    /// File name → content, for every pipeline.
    public func render() throws -> [(String, String)] {
        try config.pipelines.map { (Self.fileName($0), try workflow($0)) }
    }

    func workflow(_ pipeline: Pipeline) throws -> String {
        let stages = StageGraph.order(config.stages).filter { pipeline.stages.contains($0.name) }
        let base = try templates.yaml("github/workflow.yml")
        var top: [(String, Node)] = [
            // The default pipeline (no `pipelines:`) is plain "mlci"; its file keeps the
            // mlci-<pipeline>.yml form, so declaring pipelines later replaces it cleanly.
            ("name", Y.str(pipeline.name == "mlci" ? "mlci" : "mlci \(pipeline.name)")),
            ("on", triggers(pipeline, stages: stages)),
        ]
        for (key, value) in base.pairs where key != "permissions" || config.ci.github.permissions == nil {
            top.append((key, value))
        }
        if let permissions = config.ci.github.permissions {
            top.insert(("permissions", Y.map(permissions.map { ($0.scope, Y.str($0.level)) })), at: 2)
        }
        // A pull request from another repository runs with the base commit's mlci.yml (plan and
        // stage jobs alike): it cannot change which stages run or what they run.
        top.append(("env", Y.map([(StageJobEnvironment.configFrom, Y.str(Self.configFrom))])))
        let deploys = stages.contains(where: \.isDeployment)
        top.append(
            (
                "concurrency",
                Y.map([
                    ("group", Y.str("mlci-\(pipeline.name)-${{ github.ref }}")),
                    // Superseded pull request runs are cancelled; a deployment is never cut off.
                    (
                        "cancel-in-progress",
                        deploys ? Y.bool(false) : Y.str("${{ github.event_name == 'pull_request' }}")
                    ),
                ])
            ))

        var jobs: [(String, Node)] = [("plan", try planJob(stages, pipeline: pipeline))]
        for stage in stages {
            jobs.append((GitHubPlatform.jobID(stage.name), try stageJob(stage, in: stages)))
        }
        jobs.append(("mlci", resultJob(stages)))
        top.append(("jobs", Y.map(jobs)))
        let text = try Y.document(Y.map(top), header: GeneratedHeader.yaml("mlci generate github"))
        return Self.commentPinnedVersions(text)
    }

    /// `base` for a pull request whose head is in another repository than the workflow's. The
    /// head repository's `fork` flag says nothing about that (a pull request from the upstream
    /// root into a company's fork has `fork: false`), and a deleted fork has a null `head.repo`:
    /// the names are compared, and a missing one counts as another repository.
    static let configFrom =
        "${{ github.event.pull_request && github.event.pull_request.head.repo.full_name != github.repository"
        + " && 'base' || 'head' }}"

    /// Actions the generated workflows use, pinned to a full commit (a tag can be moved).
    static let pinnedActions: [(action: String, commit: String, version: String)] = [
        ("actions/checkout", "11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
        ("actions/cache", "5a3ec84eff668545956fd18022155c47e93e2684", "v4.2.3"),
    ]

    /// `uses: OWNER/NAME@COMMIT` gets `# vX.Y.Z` after it, so a person sees which release is
    /// pinned (YAML serialisation drops comments, so they are added to the text).
    static func commentPinnedVersions(_ text: String) -> String {
        var out = text
        for pin in pinnedActions {
            out = out.replacingOccurrences(
                of: "uses: \(pin.action)@\(pin.commit)\n", with: "uses: \(pin.action)@\(pin.commit)  # \(pin.version)\n"
            )
        }
        return out
    }

    /// Pushes to the pipeline's branches (default: the default branch) and to the release tags
    /// its stages deploy on, pull requests and merge queues unless the pipeline is limited to
    /// branches or has its own triggers, the schedule, and manual or API dispatch. Pushes to other
    /// branches start nothing: their pull request runs, so a same-repository pull request runs
    /// once, not twice.
    func triggers(_ p: Pipeline, stages: [Stage]) -> Node {
        var push: [(String, Node)] = [("branches", Y.strs(p.branches ?? [config.defaultBranch ?? "main"]))]
        let tags = Stage.releaseTags(of: stages)
        if !tags.isEmpty { push.append(("tags", Y.strs(tags))) }
        var on: [(String, Node)] = [("push", Y.map(push))]
        if p.runsOnPullRequests {
            on.append(("pull_request", Y.map([])))
            on.append(("merge_group", Y.map([])))
        }
        if let cron = p.schedule {
            on.append((GitHubPlatform.Event.schedule, Y.seq([Y.map([("cron", Y.str(cron))])])))
        }
        if let dispatch = p.dispatch {
            on.append((GitHubPlatform.Event.manual, Y.map([])))
            on.append((GitHubPlatform.Event.api, Y.map([("types", Y.strs([dispatch]))])))
        }
        return Y.map(on)
    }

    private func steps(_ settings: CISettings, before: [Node] = [], run: [(String, Node)]) throws -> Node {
        var steps = try templates.yaml("github/checkout.yml").items
        let setup = try SetupLines.lines(settings, GitHubPlatform.setup, templates)
        if !setup.isEmpty {
            steps.append(Y.map([("name", Y.str("Set up mlci")), ("run", Y.str(setup.joined(separator: "\n")))]))
        }
        steps += before
        steps.append(Y.map(run))
        return Y.seq(steps)
    }

    private func runsOn(_ settings: CISettings) -> Node {
        Y.oneOrMany(settings.github.runsOn ?? ["ubuntu-latest"])
    }

    func planJob(_ stages: [Stage], pipeline: Pipeline) throws -> Node {
        var outputs: [(String, Node)] = stages.map {
            (Self.outputKey($0.name), Y.str("${{ steps.plan.outputs.\(Self.outputKey($0.name)) }}"))
        }
        let anyOutput = StageJobEnvironment.Output.any
        outputs.append((anyOutput, Y.str("${{ steps.plan.outputs.\(anyOutput) }}")))
        let baseOutput = StageJobEnvironment.Output.baseSHA
        outputs.append((baseOutput, Y.str("${{ steps.plan.outputs.\(baseOutput) }}")))
        let script = try templates.lines("github/push-base.sh").joined(separator: "\n")
            .replacingOccurrences(of: "@WORKFLOW@", with: Self.fileName(pipeline))
        let pushBase = Y.map([
            ("name", Y.str("Base of this push: the last commit where this workflow succeeded")),
            ("if", Y.str("${{ github.event_name == 'push' && github.ref_type == 'branch' }}")),
            ("env", Y.map([("GH_TOKEN", Y.str("${{ github.token }}"))])),
            ("run", Y.str(script)),
        ])
        return Y.map([
            ("runs-on", runsOn(config.ci)),
            // The plan reads the code and, for the push base, the workflow's own runs; nothing more.
            ("permissions", Y.map([("contents", Y.str("read")), ("actions", Y.str("read"))])),
            ("outputs", Y.map(outputs)),
            (
                "steps",
                try steps(
                    config.ci, before: [pushBase],
                    run: [
                        ("id", Y.str("plan")),
                        ("name", Y.str("Plan affected stages")),
                        // A schedule or dispatch starts this workflow only: the plan's trigger runs this
                        // pipeline's stages (TriggerScope).
                        ("env", Y.map([(StageJobEnvironment.pipeline, Y.str(pipeline.name))])),
                        ("run", Y.str("mlci plan --format github")),
                    ])
            ),
        ])
    }

    /// The plan's output for a stage is named by the stage's job id, a valid output name.
    static func outputKey(_ name: String) -> String { GitHubPlatform.jobID(name) }

    func stageJob(_ stage: Stage, in stages: [Stage]) throws -> Node {
        let settings = config.ci.overridden(by: stage.ci)
        let present = Set(stages.map(\.name))
        let upstream = (stage.needs + stage.after).filter(present.contains).map(GitHubPlatform.jobID)
        let output = "needs.plan.outputs.\(Self.outputKey(stage.name))"
        var job: [(String, Node)] = [
            ("needs", Y.strs(["plan"] + upstream)),
            // A status function keeps a skipped (not affected) upstream from skipping this job;
            // outputs are strings, so the comparison is with 'true'.
            ("if", Y.str("${{ !cancelled() && !failure() && \(output) == 'true' }}")),
            ("runs-on", runsOn(settings)),
        ]
        // A stage that needs more than the workflow's permissions (a deployment writing packages,
        // an id-token for cloud login) asks for them in its own ci.github.permissions.
        if let permissions = stage.ci?.platform(GitHubSettings.self)?.permissions {
            job.append(("permissions", Y.map(permissions.map { ($0.scope, Y.str($0.level)) })))
        }
        // mlci enforces the stage's timeout itself (its process group is killed, the stage fails and
        // its rollback runs); the job's own limit is only a backstop, later by the set-up's time.
        if let timeout = stage.timeout {
            job.append(("timeout-minutes", Y.int(JobTimeout.minutes(forStage: timeout))))
        }
        var env: [(String, Node)] = [
            (StageJobEnvironment.stage, Y.str(stage.name)),
            (StageJobEnvironment.headSHA, Y.str("${{ github.sha }}")),
            (StageJobEnvironment.baseSHA, Y.str("${{ needs.plan.outputs.\(StageJobEnvironment.Output.baseSHA) }}")),
        ]
        if let shards = stage.shards {
            job.append(
                (
                    "strategy",
                    Y.map([
                        ("fail-fast", Y.bool(false)),
                        ("matrix", Y.map([("shard", Y.seq((1...shards).map(Y.int)))])),
                    ])
                ))
            env.append((StageJobEnvironment.shard, Y.str("${{ matrix.shard }}")))
            env.append((StageJobEnvironment.shards, Y.str(String(shards))))
        }
        // Declared secrets come from the repository's secret store; mlci masks them in all output.
        for name in stage.local.secrets {
            guard Self.isSecretName(name) else {
                throw GitHubError.notASecretName(stage: stage.name, secret: name)
            }
            env.append((name, Y.str("${{ secrets.\(name) }}")))
        }
        job.append(("env", Y.map(env)))
        var run: [(String, Node)] = [
            ("name", Y.str(stage.name)),
            ("run", Y.str("mlci job \(StageJobEnvironment.shell(StageJobEnvironment.stage))")),
        ]
        var before: [Node] = []
        if stage.isCacheable {
            // A stage whose cache key is unchanged since it passed on any runner is replayed from
            // GitHub's cache: the key is mlci's own, the directory mlci's cache.
            let dir = "${{ runner.temp }}/mlci-cache"
            before.append(
                Y.map([
                    ("id", Y.str("cache-key")), ("name", Y.str("Cache key")),
                    (
                        "run",
                        Y.str(
                            "echo \"key=$(mlci job \(StageJobEnvironment.shell(StageJobEnvironment.stage)) --cache-key)\" >> \"$GITHUB_OUTPUT\""
                        )
                    ),
                ]))
            before.append(
                Y.map([
                    ("uses", Y.str("actions/cache@\(Self.pinnedActions[1].commit)")),
                    ("with", Y.map([("path", Y.str(dir)), ("key", Y.str("mlci-${{ steps.cache-key.outputs.key }}"))])),
                ]))
            run.append(("env", Y.map([(StageJobEnvironment.cacheDirectory, Y.str(dir))])))
        }
        job.append(("steps", try steps(settings, before: before, run: run)))
        return Y.map(job)
    }

    /// A name GitHub accepts for a secret, and so can appear in `${{ secrets.NAME }}`.
    static func isSecretName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || CharacterSetASCII.alnum($0)) }
    }

    /// Always runs; fails when any stage job failed or was cancelled. Skipped stages (not
    /// affected) pass, so this is the one job to mark as the required check.
    func resultJob(_ stages: [Stage]) -> Node {
        let failed = "contains(needs.*.result, 'failure') || contains(needs.*.result, 'cancelled')"
        return Y.map([
            ("if", Y.str("${{ always() }}")),
            ("needs", Y.strs(["plan"] + stages.map { GitHubPlatform.jobID($0.name) })),
            ("runs-on", runsOn(config.ci)),
            (
                "steps",
                Y.seq([
                    Y.map([
                        ("name", Y.str("Every affected stage passed")), ("if", Y.str("${{ !(\(failed)) }}")),
                        ("run", Y.str("echo \"mlci: every affected stage passed\"")),
                    ]),
                    Y.map([
                        ("name", Y.str("A stage failed or was cancelled")), ("if", Y.str("${{ \(failed) }}")),
                        ("run", Y.str("echo \"mlci: a stage failed or was cancelled\" >&2\nexit 1")),
                    ]),
                ])
            ),
        ])
    }
}
