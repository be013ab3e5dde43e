import MLCIGit

/// Jenkins (declarative pipelines, multibranch projects): its variables, base rules,
/// `ci.jenkins` settings and Jenkinsfile.
public struct JenkinsPlatform: CIPlatform {
    public init() {}

    public let id = "jenkins"

    /// Jenkins has no event variable: the generated Jenkinsfile sets `MLCI_BUILD_CAUSE=timer`
    /// for builds its cron started, and `MLCI_TRIGGER` is its build parameter for requesting a
    /// pipeline by hand. Those two are the builds that compare no commits.
    enum Event {
        static let timer = "timer"
        static let requested = StageJobEnvironment.trigger
        static let changeRequest = "change_request"
        static let branch = "branch"
    }

    public var triggerEvents: [String] { [Event.timer, Event.requested] }

    public func trigger(for build: CIContext.Build) -> String? {
        switch build.event {
        case Event.timer: "schedule"
        case Event.requested: "manual"
        default: nil
        }
    }

    public func read(_ env: [String: String]) -> CIContext.Build? {
        guard let url = env["JENKINS_URL"], !url.isEmpty else { return nil }
        let event: String
        if env[StageJobEnvironment.buildCause] == Event.timer {
            event = Event.timer
        } else if let requested = env[StageJobEnvironment.trigger],
            !requested.trimmingCharacters(in: .whitespaces).isEmpty
        {
            event = Event.requested
        } else if let target = env["CHANGE_TARGET"], !target.isEmpty {
            event = Event.changeRequest
        } else {
            event = Event.branch
        }
        var hints: [String: String] = [:]
        for name in ["CHANGE_TARGET", "GIT_PREVIOUS_SUCCESSFUL_COMMIT"] {
            if let value = env[name], !value.isEmpty { hints[name] = value }
        }
        return CIContext.Build(event: event, hints: hints)
    }

    /// A multibranch project's tag builds set `TAG_NAME`.
    public func tag(_ env: [String: String], detected: Bool) -> String? {
        guard detected else { return nil }
        return CIContext.nonEmpty(env["TAG_NAME"])
    }

    /// Where the default set-up installs mlci; the stages put it on PATH themselves
    /// (`JenkinsEmitter.pathWithMLCI`), as each `sh` step is a shell of its own.
    static let setup = SetupLines.Target(home: "${WORKSPACE:?}@tmp/mlci", pathLine: nil)

    // MARK: Base

    public func base(for build: CIContext.Build, head: ObjectID, rules: BaseResolver) throws -> BaseChoice {
        let remote = rules.remote
        if let target = build.hints["CHANGE_TARGET"] {
            let ref = "refs/remotes/\(remote)/\(target)"
            guard let tip = rules.repo.commitOfRef(ref) else {
                throw JenkinsError.changeTargetMissing(remote: remote, target: target)
            }
            return BaseChoice(sha: try rules.mergeBase(tip, head), source: "jenkins:change_target \(remote)/\(target)")
        }
        if let sha = build.hints["GIT_PREVIOUS_SUCCESSFUL_COMMIT"] {
            guard let id = ObjectID(hex: sha), rules.repo.contains(id) else {
                return try rules.local(
                    head: head, fallback: "GIT_PREVIOUS_SUCCESSFUL_COMMIT \(sha) is not in this clone")
            }
            guard try rules.repo.isAncestor(id, of: head) else {
                return try rules.local(
                    head: head,
                    fallback: "GIT_PREVIOUS_SUCCESSFUL_COMMIT \(sha) is not an ancestor of head (history was rewritten)"
                )
            }
            return BaseChoice(sha: id, source: "jenkins:previous_successful")
        }
        return try rules.local(head: head, fallback: "no CHANGE_TARGET or GIT_PREVIOUS_SUCCESSFUL_COMMIT")
    }

    // MARK: Settings and names

    public var settingsKeys: [String] { JenkinsSettings.keys }

    public func settings(_ mapping: ConfigMapping) -> any CIPlatformSettings { JenkinsSettings(mapping) }

    /// The Jenkins stage one shard of a sharded stage runs as.
    static func shardStageName(_ stage: String, _ shard: Int, of shards: Int) -> String {
        "\(stage) (shard \(shard) of \(shards))"
    }

    /// Jenkins stage names must be unique in the Jenkinsfile, beside its own Plan stage and
    /// the stages a sharded stage fans out to.
    public func problems(stages: [Stage], pipelines: [Pipeline], ci: CISettings) -> [Diagnostic] {
        var taken: [String: String] = ["Plan": "mlci's own Plan stage"]
        for stage in stages {
            let shards = stage.shards ?? 1
            for shard in 1...max(1, shards) where shards > 1 {
                taken[Self.shardStageName(stage.name, shard, of: shards)] = "a shard of stage '\(stage.name)'"
            }
        }
        return stages.compactMap { stage in
            taken[stage.name].map {
                Diagnostic(
                    .error, "stage '\(stage.name)' has the Jenkins stage name of \($0); rename it", at: stage.location)
            }
        }
    }

    // MARK: Files

    /// The Jenkinsfile at `out` (default: `Jenkinsfile`).
    public func generate(_ input: GeneratorInput, out: String?) throws -> GeneratorInput.Output {
        let content = try JenkinsEmitter(config: input.config, templates: input.templates).render()
        return GeneratorInput.Output(files: [(out ?? input.root + "Jenkinsfile", content)], staleCandidates: [])
    }
}
