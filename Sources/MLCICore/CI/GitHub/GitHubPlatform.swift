import Foundation
import MLCIGit

/// GitHub Actions: its variables, base rules, `ci.github` settings and workflows.
public struct GitHubPlatform: CIPlatform {
    public init() {}

    public let id = "github"

    /// The events of the workflows mlci writes that compare no commits.
    enum Event {
        static let schedule = "schedule"
        static let manual = "workflow_dispatch"
        static let api = "repository_dispatch"
    }

    public var triggerEvents: [String] { [Event.schedule, Event.manual, Event.api] }

    static let eventPath = "GITHUB_EVENT_PATH"

    public func read(_ env: [String: String]) -> CIContext.Build? {
        guard env["GITHUB_ACTIONS"] == "true" else { return nil }
        var hints: [String: String] = [:]
        if let path = env[Self.eventPath], !path.isEmpty { hints[Self.eventPath] = path }
        return CIContext.Build(event: env["GITHUB_EVENT_NAME"] ?? "", hints: hints)
    }

    public func tag(_ env: [String: String], detected: Bool) -> String? {
        guard let ref = env["GITHUB_REF"], ref.hasPrefix("refs/tags/") else { return nil }
        return String(ref.dropFirst(10))
    }

    /// Where the default set-up installs mlci, and the line that puts it on PATH for later steps.
    static let setup = SetupLines.Target(
        home: "${RUNNER_TEMP:?}/mlci", pathLine: "echo \"$RUNNER_TEMP/mlci/bin\" >> \"$GITHUB_PATH\"")

    // MARK: Base

    public func base(for build: CIContext.Build, head: ObjectID, rules: BaseResolver) throws -> BaseChoice {
        let event = build.event
        let eventPath = build.hints[Self.eventPath]
        switch event {
        case "pull_request", "pull_request_target":
            let payload = try eventPayload(eventPath)
            guard let sha = payload.lookup("pull_request.base.sha")?.stringValue else {
                throw GitHubError.eventFieldMissing(path: eventPath ?? "", field: "pull_request.base.sha")
            }
            let base = try rules.requireCommit(sha, what: "the pull request's base commit")
            return BaseChoice(sha: try rules.mergeBase(base, head), source: "github:\(event)")
        case "merge_group":
            let payload = try eventPayload(eventPath)
            guard let sha = payload.lookup("merge_group.base_sha")?.stringValue else {
                throw GitHubError.eventFieldMissing(path: eventPath ?? "", field: "merge_group.base_sha")
            }
            return BaseChoice(
                sha: try rules.requireCommit(sha, what: "the merge group's base commit"), source: "github:merge_group")
        case "push":
            let payload = try eventPayload(eventPath)
            return try rules.before(payload.lookup("before")?.stringValue, source: "github:push", head: head)
        default:
            return try rules.local(head: head, fallback: "GitHub event '\(event)' names no base")
        }
    }

    private func eventPayload(_ path: String?) throws -> JSONValue {
        guard let path else {
            throw GitHubError.eventPathUnset
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GitHubError.eventFileUnreadable(path: path)
        }
        do {
            return try ParamsFile.parse([UInt8](data), format: .json)
        } catch {
            throw GitHubError.eventFileNotJSON(path: path, detail: "\(error)")
        }
    }

    // MARK: Settings and names

    public var settingsKeys: [String] { GitHubSettings.keys }

    public func settings(_ mapping: ConfigMapping) -> any CIPlatformSettings { GitHubSettings(mapping) }

    /// A stage's job id: GitHub job ids must match `[A-Za-z_][A-Za-z0-9_-]*`, so any other
    /// character becomes `_` and a leading digit or `-` gets a `_` prefix. Also the name of the
    /// stage's output of the plan job.
    public static func jobID(_ stage: String) -> String {
        var id = String(
            stage.map { c -> Character in
                c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-") ? c : "_"
            })
        if id.isEmpty || id.first!.isNumber || id.first == "-" { id = "_" + id }
        return id
    }

    /// Job ids the generated workflows use for mlci's own jobs.
    static let ownJobs: Set<String> = ["plan", "mlci"]

    public func problems(stages: [Stage], pipelines: [Pipeline], ci: CISettings) -> [Diagnostic] {
        var problems = StageNameClashes.problems(stages, jobID: Self.jobID, reserved: Self.ownJobs)
        // What a pull request's own code would run with: write permissions of a stage in a
        // pipeline that runs on pull requests (a same-repository pull request gets them).
        for pipeline in pipelines where pipeline.runsOnPullRequests {
            for name in pipeline.stages {
                guard let stage = stages.first(where: { $0.name == name }) else { continue }
                let writes = (ci.overridden(by: stage.ci).github.permissions ?? []).filter { $0.level == "write" }
                if !writes.isEmpty {
                    problems.append(
                        Diagnostic(
                            .warning,
                            "stage '\(name)' gets GitHub write permissions (\(writes.map(\.scope).joined(separator: ", "))) "
                                + "and pipeline '\(pipeline.name)' runs on pull requests, whose own code would run with "
                                + "them: move it to a pipeline with pull_requests: false",
                            at: stage.location))
                }
            }
        }
        return problems
    }

    // MARK: Files

    /// One workflow per pipeline in `out` (default: `.github/workflows`).
    public func generate(_ input: GeneratorInput, out: String?) throws -> GeneratorInput.Output {
        let dir = out ?? input.root + ".github/workflows"
        let files = try GitHubEmitter(config: input.config, templates: input.templates).render().map {
            (dir + "/" + $0.0, $0.1)
        }
        return GeneratorInput.Output(files: files, staleCandidates: GeneratedFiles.workflows(in: dir))
    }
}
