import Foundation
import MLCIGit
import Yams

/// GitLab runs the committed parent `.gitlab-ci.yml`, which triggers child pipelines by the
/// pipeline names it was generated with; a change that moves a stage into a pipeline the parent
/// does not know has it planned ("runs") and never run. In the plan job (`GITLAB_CI=true`) every
/// affected stage must be in a pipeline the committed parent has a trigger job for.
public enum GitLabParentCheck {
    /// The parent pipeline's path in the checkout: CI_CONFIG_PATH when it is a file of this
    /// repository, else `.gitlab-ci.yml`.
    static func parentPath(_ env: [String: String]) -> String {
        let custom = env["CI_CONFIG_PATH"] ?? ""
        return custom.isEmpty ? ".gitlab-ci.yml" : custom
    }

    /// Throws (exit 1) naming each affected stage no trigger job of the committed parent runs.
    public static func check(_ plan: Plan, repo: Repository, environment env: [String: String]) throws {
        guard env["GITLAB_CI"] == "true" else { return }
        let path = parentPath(env)
        let file = (repo.workdir ?? "") + path
        guard let data = Snapshot.readBounded(file), data.count <= Snapshot.parsedFileLimit,
            let node = try? Node.composeBounded(String(decoding: data, as: UTF8.self), resolver: .default)
        else {
            throw GitLabError.parentUnreadable(path: path)
        }
        let triggered = Set(
            plan.config.pipelines.map(\.name).filter { triggers(node, pipeline: $0) })
        var missing: [String] = []
        for decision in plan.stages where decision.affected {
            let holders = plan.config.pipelines.filter { $0.stages.contains(decision.stage.name) }.map(\.name)
            if !holders.contains(where: triggered.contains) {
                missing.append("\(decision.stage.name) (pipeline \(holders.joined(separator: ", ")))")
            }
        }
        guard missing.isEmpty else {
            throw GitLabError.parentMissesPipelines(path: path, stages: missing)
        }
    }

    /// Whether the parent has the job `mlci-<pipeline>` triggering that pipeline's child file.
    static func triggers(_ parent: Node, pipeline: String) -> Bool {
        guard let job = parent[Node(GitLabEmitter.jobName(pipeline))], let trigger = job["trigger"],
            let include = trigger["include"]
        else { return false }
        let file = GitLabEmitter.childFileName(pipeline)
        return include.items.contains { $0["artifact"]?.string == file } || include.string == file
    }
}
