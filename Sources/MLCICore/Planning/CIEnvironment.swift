/// The CI system mlci is running under, read from the variables each one sets.
public enum CIEnvironment: Sendable, Equatable {
    case github(event: String, eventPath: String?)
    case gitlab(source: String)
    case jenkins
    case none

    public init(_ env: [String: String]) {
        if env["GITHUB_ACTIONS"] == "true" {
            self = .github(
                event: env["GITHUB_EVENT_NAME"] ?? "",
                eventPath: env["GITHUB_EVENT_PATH"].flatMap { $0.isEmpty ? nil : $0 })
        } else if env["GITLAB_CI"] == "true" {
            self = .gitlab(source: env["CI_PIPELINE_SOURCE"] ?? "")
        } else if let url = env["JENKINS_URL"], !url.isEmpty {
            self = .jenkins
        } else {
            self = .none
        }
    }
}

/// The events that compare no commits: they start the pipelines of their trigger (a schedule,
/// a manual or API request) and every stage of those runs. One list per platform, read by
/// `BaseResolver` and by the emitter that writes the platform's triggers and rules.
public enum TriggerEvents {
    public static let githubSchedule = "schedule"
    public static let githubManual = "workflow_dispatch"
    public static let githubAPI = "repository_dispatch"
    public static let github = [githubSchedule, githubManual, githubAPI]
    /// `CI_PIPELINE_SOURCE` values; `pipeline` is another project's pipeline (multi-project).
    public static let gitlab = ["schedule", "web", "api", "trigger", "pipeline"]
}

/// True for a sha of any length made only of zeros: what CI systems send for "no commit"
/// (a new branch, a deletion).
func isAllZeros(_ sha: String) -> Bool {
    !sha.isEmpty && sha.allSatisfy { $0 == "0" }
}
