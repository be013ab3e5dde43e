import Foundation
import MLCITestSupport
import Testing

/// How `mlci plan` chooses its base on GitHub Actions, GitLab CI, Jenkins and locally, using
/// the variables and event files each CI system provides.
@Suite("base resolution from CI variables")
struct BaseResolutionTests {
    let repo: TemporaryDirectory

    init() throws {
        repo = try FixtureRepository.build("plan-scenarios")
    }

    func sha(_ rev: String) throws -> String { try TestRepository.sha(repo.path, rev) }

    func github(event: String, payload: String, head: String) throws -> [String: Any] {
        let events = try TemporaryDirectory("events")
        try payload.write(toFile: events.file("event.json"), atomically: false, encoding: .utf8)
        return try PlanHelpers.plan(
            ["--head", head], in: repo.path,
            environment: [
                "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": events.file("event.json"),
            ])
    }

    @Test("GitHub pull_request: merge-base of the PR base and head")
    func githubPullRequest() throws {
        let plan = try github(
            event: "pull_request", payload: #"{"pull_request": {"base": {"sha": "\#(try sha("main"))"}}}"#,
            head: "feature")
        #expect(PlanHelpers.base(plan)["sha"] as? String == (try sha("main~2")))
        #expect(PlanHelpers.base(plan)["source"] as? String == "github:pull_request")
        #expect(PlanHelpers.affected(plan) == ["lint", "test", "package", "deploy"])
    }

    @Test("GitHub push: 'before' when it is an ancestor of head")
    func githubPush() throws {
        let plan = try github(event: "push", payload: #"{"before": "\#(try sha("main~3"))"}"#, head: "main")
        #expect(PlanHelpers.base(plan)["sha"] as? String == (try sha("main~3")))
        #expect(PlanHelpers.base(plan)["source"] as? String == "github:push")
        #expect(PlanHelpers.base(plan)["fallback"] == nil)
    }

    @Test("GitHub push of a new branch (all-zero before) falls back to merge-base with origin/main, and says so")
    func githubNewBranch() throws {
        let plan = try github(
            event: "push", payload: #"{"before": "0000000000000000000000000000000000000000"}"#, head: "feature")
        #expect(PlanHelpers.base(plan)["sha"] as? String == (try sha("main~2")))
        #expect(PlanHelpers.base(plan)["source"] as? String == "local:merge-base origin/main")
        #expect((PlanHelpers.base(plan)["fallback"] as? String)?.contains("all zeros") == true)
    }

    @Test("GitHub force push ('before' not an ancestor of head) falls back, and says so")
    func githubForcePush() throws {
        let plan = try github(event: "push", payload: #"{"before": "\#(try sha("main"))"}"#, head: "feature")
        #expect(PlanHelpers.base(plan)["source"] as? String == "local:merge-base origin/main")
        #expect((PlanHelpers.base(plan)["fallback"] as? String)?.contains("force push") == true)
    }

    @Test("GitHub merge_group: the group's base_sha")
    func githubMergeGroup() throws {
        let plan = try github(
            event: "merge_group", payload: #"{"merge_group": {"base_sha": "\#(try sha("s-model"))"}}"#, head: "main")
        #expect(PlanHelpers.base(plan)["sha"] as? String == (try sha("s-model")))
        #expect(PlanHelpers.base(plan)["source"] as? String == "github:merge_group")
    }

    @Test(
        "GitHub schedule, workflow_dispatch and repository_dispatch run the stages of the workflow's own pipeline",
        arguments: ["schedule", "workflow_dispatch", "repository_dispatch"])
    func githubTriggers(_ event: String) throws {
        let repo = try FixtureRepository.build("generate-mlops")
        let events = try TemporaryDirectory("events")
        try "{}".write(toFile: events.file("event.json"), atomically: false, encoding: .utf8)
        let env = [
            "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": events.file("event.json"),
        ]
        // Each generated workflow names its pipeline: GitHub starts only the workflow declaring the event.
        let ct = try PlanHelpers.plan([], in: repo.path, environment: env.merging(["MLCI_PIPELINE": "ct"]) { $1 })
        #expect(Set(PlanHelpers.affected(ct)) == ["train", "evaluate"])
        #expect(PlanHelpers.reasons(ct, "train").first?["type"] as? String == "trigger")
        #expect(PlanHelpers.reasons(ct, "train").first?["trigger"] as? String == event)
        #expect(PlanHelpers.base(ct)["sha"] is NSNull)
        #expect(PlanHelpers.base(ct)["pipelines"] as? [String] == ["ct"])
        let ci = try PlanHelpers.plan([], in: repo.path, environment: env.merging(["MLCI_PIPELINE": "ci"]) { $1 })
        #expect(Set(PlanHelpers.affected(ci)) == ["lint", "test"])
    }

    @Test(
        "GitLab schedule, trigger, api and web pipelines without MLCI_TRIGGER run the scheduled pipelines, never a deployment",
        arguments: ["schedule", "trigger", "api", "web"])
    func gitlabTriggers(_ source: String) throws {
        let repo = try FixtureRepository.build("generate-mlops")
        let env = ["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": source]
        let plan = try PlanHelpers.plan([], in: repo.path, environment: env)
        #expect(Set(PlanHelpers.affected(plan)) == ["train", "evaluate"])
        #expect(PlanHelpers.reasons(plan, "train").first?["trigger"] as? String == source)
        #expect(PlanHelpers.base(plan)["trigger_rule"] as? String == "no MLCI_TRIGGER: pipelines with a schedule")
        let requested = try PlanHelpers.plan(
            [], in: repo.path, environment: env.merging(["MLCI_TRIGGER": "retrain"]) { $1 })
        #expect(Set(PlanHelpers.affected(requested)) == ["train", "evaluate"])
        #expect(PlanHelpers.base(requested)["trigger_rule"] as? String == "MLCI_TRIGGER=retrain")
        let unknown = try MLCIRunner.run(
            ["plan"], in: repo.path, environment: env.merging(["MLCI_TRIGGER": "nothing-by-this-name"]) { $1 })
        #expect(
            unknown.status == 0
                && unknown.out.contains("trigger: starts no pipeline (MLCI_TRIGGER=nothing-by-this-name)"))
        let nothing = try PlanHelpers.plan(
            [], in: repo.path, environment: env.merging(["MLCI_TRIGGER": "nothing-by-this-name"]) { $1 })
        #expect(PlanHelpers.affected(nothing).isEmpty, "a request naming no pipeline runs nothing, not everything")
    }

    @Test("Jenkins: a timer build runs the scheduled pipelines; the MLCI_TRIGGER parameter requests one")
    func jenkinsTriggers() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        let env = ["JENKINS_URL": "http://jenkins.invalid/", "BRANCH_NAME": "main"]
        let timer = try PlanHelpers.plan(
            [], in: repo.path, environment: env.merging(["MLCI_BUILD_CAUSE": "timer"]) { $1 })
        #expect(Set(PlanHelpers.affected(timer)) == ["train", "evaluate"])
        #expect(PlanHelpers.base(timer)["source"] as? String == "jenkins:timer")
        let manual = try PlanHelpers.plan(
            [], in: repo.path, environment: env.merging(["MLCI_TRIGGER": "retrain"]) { $1 })
        #expect(Set(PlanHelpers.affected(manual)) == ["train", "evaluate"])
        #expect(PlanHelpers.reasons(manual, "evaluate").first?["trigger"] as? String == "manual")
    }

    @Test("an unparseable GitHub event file exits 2 naming the file and GITHUB_EVENT_PATH")
    func githubBadEvent() throws {
        let events = try TemporaryDirectory("events")
        try "{not json".write(toFile: events.file("event.json"), atomically: false, encoding: .utf8)
        let result = try MLCIRunner.run(
            ["plan"], in: repo.path,
            environment: [
                "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": events.file("event.json"),
            ])
        #expect(result.status == 2)
        // In a GitHub Actions step mlci's errors go to stdout, between the stop-commands lines.
        #expect(result.out.contains(events.file("event.json")) && result.out.contains("GITHUB_EVENT_PATH"))
    }

    @Test("GitLab merge request: CI_MERGE_REQUEST_DIFF_BASE_SHA; merged results: the target branch sha")
    func gitlabMergeRequest() throws {
        let mr = try PlanHelpers.plan(
            ["--head", "feature"], in: repo.path,
            environment: [
                "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event",
                "CI_MERGE_REQUEST_DIFF_BASE_SHA": try sha("main~2"),
            ])
        #expect(PlanHelpers.base(mr)["sha"] as? String == (try sha("main~2")))
        #expect(PlanHelpers.base(mr)["source"] as? String == "gitlab:merge_request")
        let merged = try PlanHelpers.plan(
            ["--head", "feature"], in: repo.path,
            environment: [
                "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event",
                "CI_MERGE_REQUEST_EVENT_TYPE": "merged_result",
                "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": try sha("main~1"),
                "CI_MERGE_REQUEST_DIFF_BASE_SHA": try sha("main~2"),
            ])
        #expect(PlanHelpers.base(merged)["sha"] as? String == (try sha("main~1")))
        #expect(PlanHelpers.base(merged)["source"] as? String == "gitlab:merged_result")
    }

    @Test("GitLab branch pipeline: CI_COMMIT_BEFORE_SHA, with the all-zero fallback")
    func gitlabPush() throws {
        let push = try PlanHelpers.plan(
            ["--head", "main"], in: repo.path,
            environment: [
                "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BEFORE_SHA": try sha("main~4"),
            ])
        #expect(PlanHelpers.base(push)["sha"] as? String == (try sha("main~4")))
        #expect(PlanHelpers.base(push)["source"] as? String == "gitlab:push")
        let newBranch = try PlanHelpers.plan(
            ["--head", "feature"], in: repo.path,
            environment: [
                "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "push",
                "CI_COMMIT_BEFORE_SHA": String(repeating: "0", count: 40),
            ])
        #expect(PlanHelpers.base(newBranch)["sha"] as? String == (try sha("main~2")))
        #expect((PlanHelpers.base(newBranch)["fallback"] as? String)?.contains("all zeros") == true)
    }

    @Test("Jenkins: merge-base with origin/CHANGE_TARGET; else GIT_PREVIOUS_SUCCESSFUL_COMMIT")
    func jenkins() throws {
        let change = try PlanHelpers.plan(
            ["--head", "feature"], in: repo.path,
            environment: [
                "JENKINS_URL": "http://jenkins.invalid/", "CHANGE_TARGET": "main",
            ])
        #expect(PlanHelpers.base(change)["sha"] as? String == (try sha("main~2")))
        #expect(PlanHelpers.base(change)["source"] as? String == "jenkins:change_target origin/main")
        let previous = try PlanHelpers.plan(
            ["--head", "main"], in: repo.path,
            environment: [
                "JENKINS_URL": "http://jenkins.invalid/", "GIT_PREVIOUS_SUCCESSFUL_COMMIT": try sha("s-model"),
            ])
        #expect(PlanHelpers.base(previous)["sha"] as? String == (try sha("s-model")))
        #expect(PlanHelpers.base(previous)["source"] as? String == "jenkins:previous_successful")
        let missing = try MLCIRunner.run(
            ["plan"], in: repo.path,
            environment: [
                "JENKINS_URL": "http://jenkins.invalid/", "CHANGE_TARGET": "release",
            ])
        #expect(missing.status == 3)
        #expect(missing.err.contains("origin/release") && missing.err.contains("git fetch"))
    }

    @Test("locally: merge-base with origin/main on a branch, first parent on main; git agrees")
    func local() throws {
        let branch = try PlanHelpers.plan(["--head", "feature"], in: repo.path)
        let gitMergeBase = try Shell.git(repo.path, "merge-base", "origin/main", "feature").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(PlanHelpers.base(branch)["sha"] as? String == gitMergeBase)
        #expect(PlanHelpers.base(branch)["source"] as? String == "local:merge-base origin/main")
        let onMain = try PlanHelpers.plan([], in: repo.path)
        #expect(PlanHelpers.base(onMain)["sha"] as? String == (try sha("HEAD~1")))
        #expect((PlanHelpers.base(onMain)["source"] as? String)?.hasPrefix("local:first-parent") == true)
        // MLCI_BASE beats the local rule; --base beats MLCI_BASE.
        let env = try PlanHelpers.plan([], in: repo.path, environment: ["MLCI_BASE": "s-model"])
        #expect(PlanHelpers.base(env)["source"] as? String == "MLCI_BASE")
        let flag = try PlanHelpers.plan(["--base", "s-root"], in: repo.path, environment: ["MLCI_BASE": "s-model"])
        #expect(PlanHelpers.base(flag)["source"] as? String == "flag")
        #expect(PlanHelpers.base(flag)["sha"] as? String == (try sha("s-root")))
    }

    @Test("a shallow clone: the merge-base git finds is found; a base git cannot find exits 3 with the fix")
    func shallow() throws {
        let clone = try TemporaryDirectory("shallow")
        try Shell.ok(["git", "clone", "-q", "--depth", "1", "--branch", "main", "file://" + repo.path, clone.file("c")])
        let local = try MLCIRunner.run(["plan"], in: clone.file("c"))
        #expect(local.status == 3)
        #expect(local.err.contains("shallow") && local.err.contains("fetch-depth: 0"))
        let pushed = try MLCIRunner.run(
            ["plan"], in: clone.file("c"),
            environment: [
                "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BEFORE_SHA": try sha("main~3"),
            ])
        #expect(pushed.status == 3)
        #expect(pushed.err.contains(try sha("main~3")))
        // A new branch in the shallow clone: git finds the merge-base within the fetched history,
        // and so does mlci (the boundary commit has no parents, as git sees it).
        let c = clone.file("c")
        try Shell.ok(["git", "-C", c, "checkout", "-q", "-b", "feature"])
        try "new\n".write(toFile: c + "/feature.txt", atomically: false, encoding: .utf8)
        try Shell.ok(["git", "-C", c, "add", "-A"])
        try Shell.ok(["git", "-C", c, "commit", "-qm", "feature"])
        let gitBase = try Shell.git(c, "merge-base", "origin/main", "HEAD").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let branch = try PlanHelpers.plan([], in: c)
        #expect(PlanHelpers.base(branch)["sha"] as? String == gitBase)
        #expect(PlanHelpers.base(branch)["source"] as? String == "local:merge-base origin/main")
        let threeDot = try MLCIRunner.run(["changes", "--base", "origin/main", "--merge-base"], in: c)
        #expect(threeDot.status == 0 && threeDot.out == "A\tfeature.txt\n", "\(threeDot.err)")
        let notCommit = try MLCIRunner.run(
            ["plan"], in: repo.path, environment: ["MLCI_BASE": try sha("main") + ":mlci.yml"])
        #expect(notCommit.status == 3)
        #expect(notCommit.err.contains("MLCI_BASE"))
    }

    @Test(
        "--worktree on the default branch plans against HEAD, as changes --worktree compares; elsewhere the merge-base")
    func worktreeOnDefaultBranch() throws {
        try Shell.git(repo.path, "checkout", "-q", "main")
        try "edited\n".write(toFile: repo.file("README.md"), atomically: false, encoding: .utf8)
        let plan = try PlanHelpers.plan(["--worktree"], in: repo.path)
        #expect(PlanHelpers.base(plan)["sha"] as? String == (try sha("HEAD")))
        #expect(
            (PlanHelpers.base(plan)["source"] as? String)?.hasPrefix("local:HEAD (the working tree's parent") == true)
        let planned = (plan["changes"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        let changes = try MLCIRunner.run(["changes", "--worktree"], in: repo.path).out
        #expect(planned == changes.split(separator: "\n").map { String($0.split(separator: "\t").last ?? "") })
        #expect(planned == ["README.md"], "the last commit's own changes are not mixed in")

        try Shell.git(repo.path, "checkout", "-q", "feature")
        let onFeature = try PlanHelpers.plan(["--worktree"], in: repo.path)
        #expect((PlanHelpers.base(onFeature)["source"] as? String)?.hasPrefix("local:merge-base") == true)
    }
}
