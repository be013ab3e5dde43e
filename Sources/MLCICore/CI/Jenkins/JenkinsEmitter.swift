import Foundation

/// A declarative Jenkinsfile: a Plan stage that records the JSON plan and reads the per-stage
/// decisions (and the plan's base and head, which `mlci job` reads), then one stage per mlci
/// stage (in dependency order) that runs only when affected and when its pipeline runs for this
/// build (branch globs, tags, change requests), through `mlci job`; shards as parallel stages.
public struct JenkinsEmitter {
    let config: MLCIConfig
    let templates: Templates

    public init(config: MLCIConfig, templates: Templates) {
        self.config = config
        self.templates = templates
    }

    public func render() throws -> String {
        var out = GeneratedHeader.groovy("mlci generate jenkins")
        out += "pipeline {\n"
        out += "    agent \(Self.agent(config.ci.jenkins.agent))\n"
        out += try templates.text("jenkins/options.groovy")
        out += parameters()
        out += triggers()
        out += "    stages {\n"
        out += try planStage()
        for stage in StageGraph.order(config.stages) {
            out += try self.stage(stage)
        }
        out += "    }\n"
        out += "}\n"
        return out
    }

    static func agent(_ label: String?) -> String {
        label.map { "{ label \(groovyString($0)) }" } ?? "any"
    }

    /// `MLCI_TRIGGER` as a build parameter when some pipeline can be requested by name
    /// ("Build with Parameters"; the plan then runs that pipeline's stages).
    private func parameters() -> String {
        let names = config.pipelines.compactMap(\.requestName)
        guard !names.isEmpty else { return "" }
        let description = "Request a pipeline run by name: \(names.joined(separator: ", ")) (empty: a normal build)"
        return "    parameters {\n"
            + "        string(name: '\(StageJobEnvironment.trigger)', defaultValue: '', description: \(Self.groovyString(description)))\n"
            + "    }\n"
    }

    /// The schedules of the pipelines that declare one, on the default branch only (in a
    /// multibranch project every branch's job reads this Jenkinsfile). Jenkins cannot say which
    /// line fired, so a timer build runs every scheduled pipeline (docs/ci/jenkins.md).
    private func triggers() -> String {
        let crons = config.pipelines.compactMap(\.schedule)
        guard !crons.isEmpty else { return "" }
        let branch = Self.groovyString(config.defaultBranch ?? "main")
        // mlci's schedules are UTC, as on GitHub and in the plan; Jenkins reads TZ= as the zone.
        let spec = (["TZ=UTC"] + crons).joined(separator: "\n")
        return "    triggers {\n"
            + "        cron(env.BRANCH_NAME == null || env.BRANCH_NAME == \(branch) ? \(Self.groovyString(spec)) : '')\n"
            + "    }\n"
    }

    private func planStage() throws -> String {
        var out = "        stage('Plan') {\n"
        out += "            steps {\n"
        for line in try SetupLines.lines(config.ci, JenkinsPlatform.setup, templates) {
            out += "                sh \(Self.groovyString(line))\n"
        }
        out += "                script {\n"
        out += "                    // A pull request from a fork follows the target's mlci.yml (CHANGE_FORK).\n"
        out += "                    env.\(StageJobEnvironment.configFrom) = env.CHANGE_FORK ? 'base' : 'head'\n"
        out += "                    // A build the cron started runs the scheduled pipelines (mlci plan reads this).\n"
        out += "                    env.\(StageJobEnvironment.buildCause) = currentBuild.getBuildCauses("
        out += "'hudson.triggers.TimerTrigger$TimerTriggerCause') ? '\(JenkinsPlatform.Event.timer)' : ''\n"
        out += "                }\n"
        if let fetch = TagCommitCheck.defaultBranchFetch(config) {
            // A tag build's checkout holds only the tag; without the default branch mlci holds
            // back every stage with tag_commits: default-branch (and says so), so a failed fetch
            // is not fatal here.
            out += "                script {\n"
            out += "                    if (env.TAG_NAME) { sh \(Self.groovyString(fetch + " || true")) }\n"
            out += "                }\n"
        }
        out += "                withEnv([\(Self.pathWithMLCI)]) {\n"
        out += "                    sh 'mlci plan --format json > mlci-plan.json'\n"
        out += "                    archiveArtifacts artifacts: 'mlci-plan.json'\n"
        out += "                    script {\n"
        out +=
            "                        // \(StageJobEnvironment.affectedPrefix)<STAGE>=true|false, one per line (mlci plan --format dotenv)\n"
        out +=
            "                        def decisions = sh(script: 'mlci plan --format dotenv', returnStdout: true).trim()\n"
        out += "                        for (line in decisions.split('\\n')) {\n"
        out += "                            def pair = line.split('=', 2)\n"
        out += "                            env[pair[0]] = pair.size() > 1 ? pair[1] : ''\n"
        out += "                        }\n"
        out += "                    }\n"
        out += "                }\n"
        out += "            }\n"
        out += "        }\n"
        return out
    }

    private func stage(_ stage: Stage) throws -> String {
        let variable = StageJobEnvironment.affectedVariable(stage.name)
        let settings = config.ci.overridden(by: stage.ci)
        let ownAgent = settings.jenkins.agent != config.ci.jenkins.agent ? settings.jenkins.agent : nil
        var out = "        stage(\(Self.groovyString(stage.name))) {\n"
        out += "            when {\n"
        out += "                beforeAgent true\n"
        out += "                expression { env.\(variable) == 'true' }\n"
        if let pipeline = config.pipelines.first(where: { $0.stages.contains(stage.name) }) {
            out += buildsOf(pipeline, indent: "                ")
        }
        out += "            }\n"
        if let timeout = stage.timeout {
            // mlci enforces the stage's own timeout (then its rollback); this is a backstop.
            out += "            options {\n"
            out +=
                "                timeout(time: \(JobTimeout.minutes(forStage: timeout)), unit: 'MINUTES')\n"
            out += "            }\n"
        }
        out += "            environment {\n"
        out += "                \(StageJobEnvironment.stage) = \(Self.groovyString(stage.name))\n"
        out += "                \(StageJobEnvironment.headSHA) = \"${env.GIT_COMMIT}\"\n"
        if let shards = stage.shards, shards > 1 {
            out += "                \(StageJobEnvironment.shards) = '\(shards)'\n"
        }
        out += "            }\n"
        // Another agent has its own workspace and tools: it checks out and sets mlci up again.
        let setup = ownAgent == nil ? [] : try SetupLines.lines(settings, JenkinsPlatform.setup, templates)
        if let shards = stage.shards, shards > 1 {
            out += "            parallel {\n"
            for shard in 1...shards {
                out +=
                    "                stage(\(Self.groovyString(JenkinsPlatform.shardStageName(stage.name, shard, of: shards)))) {\n"
                if let ownAgent { out += "                    agent \(Self.agent(ownAgent))\n" }
                out += "                    environment {\n"
                out += "                        \(StageJobEnvironment.shard) = '\(shard)'\n"
                out += "                    }\n"
                out += steps(setup: setup, indent: "                    ")
                out += "                }\n"
            }
            out += "            }\n"
        } else {
            if let ownAgent { out += "            agent \(Self.agent(ownAgent))\n" }
            out += steps(setup: setup, indent: "            ")
        }
        out += "        }\n"
        return out
    }

    private func steps(setup: [String], indent: String) -> String {
        var out = indent + "steps {\n"
        for line in setup { out += indent + "    sh \(Self.groovyString(line))\n" }
        // The stage runs through mlci's executor: dir, env, masked secrets, timeout and rollback
        // (on failure and on mlci's own timeout), cache and changed-file lists as in mlci run.
        out += indent + "    withEnv([\(Self.pathWithMLCI)]) {\n"
        out += indent + "        sh 'mlci job \(StageJobEnvironment.shell(StageJobEnvironment.stage))'\n"
        out += indent + "    }\n"
        out += indent + "}\n"
        return out
    }

    /// The builds a pipeline runs for, as on GitLab: a job that is not multibranch (no
    /// BRANCH_NAME) runs what the plan says; change requests when the pipeline runs for pull
    /// requests; tag builds on the release tags its stages deploy on; branch builds on the
    /// pipeline's `branches` (globs: `*` within a segment, `**` across), or on any branch.
    func buildsOf(_ pipeline: Pipeline, indent: String) -> String {
        var any: [Condition] = [.leaf("expression { !env.BRANCH_NAME }")]
        if pipeline.runsOnPullRequests { any.append(.leaf("changeRequest()")) }
        let stages = config.stages.filter { pipeline.stages.contains($0.name) }
        for tag in Stage.releaseTags(of: stages) {
            any.append(.leaf("tag pattern: \(Self.groovyString(tag)), comparator: 'GLOB'"))
        }
        var branchBuild: [Condition] = [.leaf("not { changeRequest() }"), .leaf("not { buildingTag() }")]
        if let branches = pipeline.branches {
            branchBuild.append(
                .block("anyOf", branches.map { .leaf("branch pattern: \(Self.groovyString($0)), comparator: 'GLOB'") }))
        }
        any.append(.block("allOf", branchBuild))
        return Condition.block("anyOf", any).render(indent: indent)
    }

    /// A `when` condition: a one-line condition or a block of them.
    indirect enum Condition {
        case leaf(String)
        case block(String, [Condition])

        func render(indent: String) -> String {
            switch self {
            case .leaf(let text): return indent + text + "\n"
            case .block(let name, let inner):
                return indent + name + " {\n" + inner.map { $0.render(indent: indent + "    ") }.joined() + indent
                    + "}\n"
            }
        }
    }

    /// Each `sh` step is a shell of its own, so the default set-up's PATH does not carry over:
    /// steps that call mlci run with the set-up's install directory (Groovy interpolation of
    /// `env.WORKSPACE`) prepended to PATH, before a user's `~/.mlci/venv/bin` for set-up lines
    /// of their own (Jenkins' `PATH+NAME` form).
    static let pathWithMLCI = "\"PATH+MLCI=${env.WORKSPACE}@tmp/mlci/bin:${env.HOME}/.mlci/venv/bin\""

    /// A single-quoted Groovy string (no interpolation), or a triple-quoted one for scripts
    /// spanning lines.
    static func groovyString(_ s: String) -> String {
        let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return s.contains("\n") ? "'''\(escaped)'''" : "'\(escaped)'"
    }
}
