import Yams

/// GitLab CI: a parent `.gitlab-ci.yml` whose plan job writes one child pipeline per mlci
/// pipeline, holding only the affected jobs, and triggers each as a dynamic child pipeline.
public struct GitLabEmitter {
    let config: MLCIConfig
    let templates: Templates

    public init(config: MLCIConfig, templates: Templates) {
        self.config = config
        self.templates = templates
    }

    /// Where a GitLab job keeps mlci's cache: GitLab caches only paths inside the project.
    static let cacheDirectory = ".mlci-cache"

    static let defaultImage = "python:3.11"

    public static func childFileName(_ pipeline: String) -> String { "mlci-\(pipeline).gitlab-ci.yml" }

    /// The parent's trigger job of a pipeline.
    static func jobName(_ pipeline: String) -> String { "mlci-\(pipeline)" }

    private func setup(_ settings: CISettings) throws -> [String] {
        try SetupLines.lines(settings, GitLabPlatform.setup, templates)
    }

    private func machine(_ settings: CISettings) -> [(String, Node)] {
        var keys: [(String, Node)] = [("image", Y.str(settings.gitlab.image ?? Self.defaultImage))]
        if let tags = settings.gitlab.tags, !tags.isEmpty { keys.append(("tags", Y.strs(tags))) }
        return keys
    }

    /// The fewest dotenv variables a GitLab instance accepts (GitLab.com's older plans; newer
    /// plans allow 50 to 150).
    static let dotenvVariableLimit = 20

    /// Whether the plan's dotenv (a variable per stage, plus the two shas) is within the limit.
    var dotenvFits: Bool { config.stages.count + 2 <= Self.dotenvVariableLimit }

    /// The parent pipeline.
    public func parent() throws -> String {
        var top: [(String, Node)] = []
        // Merge request pipelines when there is a merge request, branch pipelines otherwise,
        // never both for the same push.
        top.append(
            (
                "workflow",
                Y.map([
                    (
                        "rules",
                        Y.seq([
                            Y.map([("if", Y.str("$CI_PIPELINE_SOURCE == \"merge_request_event\""))]),
                            Y.map([
                                (
                                    "if",
                                    Y.str(
                                        "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS && $CI_PIPELINE_SOURCE == \"push\""
                                    )
                                ),
                                ("when", Y.str("never")),
                            ]),
                            Y.map([("if", Y.str("$CI_COMMIT_BRANCH"))]),
                            Y.map([("if", Y.str("$CI_COMMIT_TAG"))]),
                        ])
                    )
                ])
            ))
        top.append(("stages", Y.strs(["plan", "pipelines"])))

        var script = try setup(config.ci)
        script.append(try templates.lines("gitlab/push-base.sh").joined(separator: "\n"))
        // A merge request from a fork plans (and its child jobs run) with the target's mlci.yml.
        script.append(
            "if [ -n \"${CI_MERGE_REQUEST_SOURCE_PROJECT_ID:-}\" ] && "
                + "[ \"$CI_MERGE_REQUEST_SOURCE_PROJECT_ID\" != \"${CI_MERGE_REQUEST_PROJECT_ID:-}\" ]; "
                + "then export \(StageJobEnvironment.configFrom)=base; fi")
        if let fetch = TagCommitCheck.defaultBranchFetch(config) {
            script.append("if [ -n \"${CI_COMMIT_TAG:-}\" ]; then \(fetch); fi")
        }
        script.append("mlci plan")
        script.append("mlci plan --format dotenv > mlci.env")
        for p in config.pipelines {
            script.append("mlci generate gitlab-child --pipeline \(p.name) --out \(Self.childFileName(p.name))")
        }
        var plan = try templates.yaml("gitlab/plan-job.yml").pairs
        plan += machine(config.ci)
        plan.append(("script", Y.strs(script)))
        // The decisions reach the child pipelines in their YAML (each holds only its affected jobs);
        // mlci.env is for jobs of the user's own. GitLab refuses a dotenv report with more variables
        // than its limit (20 on some plans), failing the plan job, so past it mlci.env is a plain
        // artifact instead.
        var artifacts: [(String, Node)] = [
            ("paths", Y.strs(config.pipelines.map { Self.childFileName($0.name) } + (dotenvFits ? [] : ["mlci.env"])))
        ]
        if dotenvFits { artifacts.append(("reports", Y.map([("dotenv", Y.str("mlci.env"))]))) }
        plan.append(("artifacts", Y.map(artifacts)))
        top.append(("mlci-plan", Y.map(plan)))

        for p in config.pipelines {
            top.append(
                (
                    Self.jobName(p.name),
                    Y.map([
                        ("stage", Y.str("pipelines")),
                        ("needs", Y.strs(["mlci-plan"])),
                        (
                            "trigger",
                            Y.map([
                                (
                                    "include",
                                    Y.seq([
                                        Y.map([
                                            ("artifact", Y.str(Self.childFileName(p.name))),
                                            ("job", Y.str("mlci-plan")),
                                        ])
                                    ])
                                ),
                                ("strategy", Y.str("depend")),
                            ])
                        ),
                        ("rules", rules(p)),
                    ])
                ))
        }
        var header = GeneratedHeader.yaml("mlci generate gitlab")
        if !dotenvFits {
            header +=
                "# \(config.stages.count + 2) plan variables exceed GitLab's dotenv limit (\(Self.dotenvVariableLimit)): mlci.env is\n"
                + "# a plain artifact of mlci-plan (the child pipelines carry the decisions themselves).\n"
        }
        for p in config.pipelines {
            if let cron = p.schedule {
                header += "# Pipeline '\(p.name)' runs on a schedule (\(cron)): create a pipeline schedule with that\n"
                header +=
                    "# cron and the variable \(StageJobEnvironment.trigger)=\(p.dispatch ?? p.name) (Build > Pipeline schedules).\n"
            } else if let dispatch = p.dispatch {
                header +=
                    "# Request a '\(p.name)' run with a pipeline trigger and the variable \(StageJobEnvironment.trigger)=\(dispatch).\n"
            }
        }
        return try Y.document(Y.map(top), header: header)
    }

    /// When a child pipeline is triggered: a run requested with MLCI_TRIGGER starts only the
    /// pipeline it names; a schedule or manual run without MLCI_TRIGGER starts only pipelines
    /// with a schedule (`TriggerScope`);
    /// a tag pipeline starts the pipelines whose stages deploy on that tag (GitLab leaves
    /// CI_COMMIT_BRANCH unset for tags); `branches` (names or globs) limits branch pipelines.
    func rules(_ p: Pipeline) -> Node {
        var rules: [Node] = []
        if let name = p.requestName {
            rules.append(
                Y.map([
                    ("if", Y.str("$\(StageJobEnvironment.trigger) \(Self.equals(name)) && \(Self.triggerSources)")),
                    ("when", Y.str("on_success")),
                ]))
        }
        // MLCI_TRIGGER counts only in the pipelines the planner reads it in (a push with the
        // variable set, say as a project variable, plans and runs as a push).
        rules.append(
            Y.map([
                ("if", Y.str("$\(StageJobEnvironment.trigger) && \(Self.triggerSources)")), ("when", Y.str("never")),
            ]))
        rules.append(
            Y.map([
                // A schedule, a "Run pipeline" click or an API/trigger call without MLCI_TRIGGER
                // starts only the scheduled pipelines (as the plan's trigger scope says).
                ("if", Y.str(Self.triggerSources)),
                ("when", Y.str(p.schedule != nil ? "on_success" : "never")),
            ]))
        let stages = config.stages.filter { p.stages.contains($0.name) }
        let tags = Stage.releaseTags(of: stages)
        for tag in tags {
            rules.append(Y.map([("if", Y.str("$CI_COMMIT_TAG =~ \(Self.regex(tag))")), ("when", Y.str("on_success"))]))
        }
        if !p.runsOnPullRequests {
            // Continuous training does not start for every merge request (pull_requests: true asks).
            rules.append(
                Y.map([("if", Y.str("$CI_PIPELINE_SOURCE == \"merge_request_event\"")), ("when", Y.str("never"))]))
        }
        // Other tags start nothing: a tag is a release of an already tested commit (as on GitHub,
        // where only pipelines with tag stages start on tag pushes).
        rules.append(Y.map([("if", Y.str("$CI_COMMIT_TAG")), ("when", Y.str("never"))]))
        if let branches = p.branches {
            for branch in branches {
                let test =
                    branch.contains("*") ? "=~ \(Self.regex(branch))" : Self.equals(branch)
                rules.append(Y.map([("if", Y.str("$CI_COMMIT_BRANCH \(test)")), ("when", Y.str("on_success"))]))
            }
            rules.append(Y.map([("when", Y.str("never"))]))
        } else {
            rules.append(Y.map([("when", Y.str("on_success"))]))
        }
        return Y.seq(rules)
    }

    /// The child pipeline of one mlci pipeline: only the jobs of affected stages; never empty.
    /// `cacheKeys`: each cacheable stage's cache key, computed by the caller in the plan job's
    /// checkout (the one the jobs will have).
    public func child(_ pipelineName: String, plan: Plan, cacheKeys: [String: String] = [:]) throws -> String {
        guard let pipeline = config.pipelines.first(where: { $0.name == pipelineName }) else {
            throw GitLabError.unknownPipeline(pipelineName, pipelines: config.pipelines.map(\.name))
        }
        let affected = plan.stages.filter { $0.affected && pipeline.stages.contains($0.stage.name) }.map(\.stage)
        let present = Set(affected.map(\.name))
        var top: [(String, Node)] = [
            // A child pipeline always runs what its parent decided; it does not look at
            // CI_PIPELINE_SOURCE (which is parent_pipeline here) again.
            ("workflow", Y.map([("rules", Y.seq([Y.map([("when", Y.str("always"))])]))])),
            ("stages", Y.strs(["mlci"])),
            ("default", Y.map(try templates.yaml("gitlab/child-defaults.yml").pairs + machine(config.ci))),
        ]
        for stage in affected {
            let settings = config.ci.overridden(by: stage.ci)
            var job: [(String, Node)] = [("stage", Y.str("mlci"))]
            job.append(
                ("needs", Y.strs((stage.needs + stage.after).filter(present.contains).map(GitLabPlatform.jobName))))
            if stage.ci != nil { job += machine(settings) }
            // mlci enforces the stage's own timeout (the stage fails, its rollback runs in this job);
            // GitLab's is a backstop for the set-up, later by the same margin as on GitHub.
            if let timeout = stage.timeout {
                job.append(("timeout", Y.str(Self.duration(JobTimeout.seconds(forStage: timeout)))))
            }
            var variables: [(String, Node)] = [
                // GitLab expands `$` in job variables: a stage name holding one is passed as it is.
                (
                    StageJobEnvironment.stage,
                    stage.name.contains("$")
                        ? Y.map([("value", Y.str(stage.name)), ("expand", Y.bool(false))]) : Y.str(stage.name)
                ),
                (StageJobEnvironment.headSHA, Y.str("$CI_COMMIT_SHA")),
            ]
            if let base = plan.base.sha { variables.append((StageJobEnvironment.baseSHA, Y.str(base.hex))) }
            if plan.configSource == .base { variables.append((StageJobEnvironment.configFrom, Y.str("base"))) }
            var script = try setup(settings)
            if let shards = stage.shards, shards > 1 {
                job.append(("parallel", Y.int(shards)))
                variables.append((StageJobEnvironment.shards, Y.str(String(shards))))
                script.append("export \(StageJobEnvironment.shard)=\"${CI_NODE_INDEX:-1}\"")
            }
            if stage.isCacheable, let key = cacheKeys[stage.name] {
                // A stage whose key is unchanged since it passed on any runner is replayed from
                // GitLab's cache: the cache key is mlci's own (a shard's records sit beside it, under
                // keys that name the shard, so each parallel job keeps its own).
                let shardSuffix = (stage.shards ?? 1) > 1 ? "-$CI_NODE_INDEX" : ""
                job.append(
                    (
                        "cache",
                        Y.map([
                            ("key", Y.str("mlci-\(key)\(shardSuffix)")), ("paths", Y.strs([Self.cacheDirectory + "/"])),
                            ("when", Y.str("on_success")),
                        ])
                    ))
                variables.append((StageJobEnvironment.cacheDirectory, Y.str("$CI_PROJECT_DIR/\(Self.cacheDirectory)")))
            }
            job.append(("variables", Y.map(variables)))
            // The stage runs through mlci's executor, with the plan's base and head: dir, env,
            // masked secrets, timeout, rollback, cache and changed-file lists as in mlci run.
            script.append("mlci job \(StageJobEnvironment.shell(StageJobEnvironment.stage))")
            job.append(("script", Y.strs(script)))
            top.append((GitLabPlatform.jobName(stage.name), Y.map(job)))
        }
        if affected.isEmpty {
            top.append(
                (
                    "mlci-nothing-affected",
                    Y.map([
                        ("stage", Y.str("mlci")),
                        (
                            "script",
                            Y.strs(["echo \"mlci: no stage of pipeline \(pipeline.name) is affected by this change\""])
                        ),
                    ])
                ))
        }
        let command = "mlci generate gitlab-child --pipeline \(pipeline.name)"
        return try Y.document(Y.map(top), header: GeneratedHeader.yaml(command))
    }

    /// GitLab's duration syntax: `1h 30m`.
    static func duration(_ seconds: Int) -> String {
        var parts: [String] = []
        if seconds >= 3600 { parts.append("\(seconds / 3600)h") }
        if seconds % 3600 >= 60 { parts.append("\(seconds % 3600 / 60)m") }
        if seconds % 60 > 0 { parts.append("\(seconds % 60)s") }
        return parts.joined(separator: " ")
    }
}
