import Foundation
import MLCITestSupport
import Testing
import Yams

/// Whole GitLab pipelines, run on this host: for each kind of pipeline GitLab starts, the
/// parent's `workflow: rules` are applied, its `mlci-plan` job runs natively under
/// gitlabci-local (`gcil -H`) with GitLab's predefined variables, the trigger jobs' `rules` say
/// which child pipelines start (only after the plan job succeeded, as `needs` does), and each
/// child's jobs run in `needs` order — a job whose need failed does not run (`when:
/// on_success`), a `parallel: N` job runs as N instances with `CI_NODE_INDEX`. The jobs that ran
/// are compared with `mlci plan` under the same variables and with what the case should run.
/// (gcil ignores rules, needs and triggers, so those are applied here as GitLab documents them;
/// see `GitLabRulesTests.holds`.)
@Suite("GitLab pipelines run as planned", .serialized)
struct GitLabPipelineTests {
    static let config = """
        version: 1
        default_branch: main
        kinds: {code: ["src/**"], data: ["data/**"], model: ["models/**"]}
        pipelines:
          ci: {stages: [lint, test]}
          cd: {stages: [package, deploy], branches: [main, "release/*"]}
          ct: {stages: [train], schedule: "0 3 * * 1", dispatch: retrain}
        ci:
          setup: ['export PATH="$MLCI_TEST_BIN_DIR:$PATH"']
        stages:
          lint: {run: 'touch "$MARKS/lint"', on: [code, lint.cfg]}
          test:
            run: 'touch "$MARKS/test-$MLCI_SHARD"; [ "${FAIL_SHARD:-}" != "$MLCI_SHARD" ]'
            on: [code, "tests/**"]
            shards: 2
          package: {run: 'touch "$MARKS/package"', on: [code]}
          deploy:
            run: 'touch "$MARKS/deploy"; [ -z "${FAIL_DEPLOY:-}" ]'
            on: [model]
            tags: ["model@v*"]
            needs: [package]
            rollback: 'touch "$MARKS/rollback"'
          train: {run: 'touch "$MARKS/train"', on: [data]}
        """

    /// The repository: main is R → C (code) → D (data) → O (docs) → M (tests); feature
    /// branches from O and changes lint.cfg (F); MR is F merged into M (a merged-results head).
    final class Project: @unchecked Sendable {  // filled in by init, then only read
        let repo: TemporaryDirectory
        let marks: TemporaryDirectory
        var commits: [String: String] = [:]

        init() throws {
            repo = try TemporaryDirectory("gitlab-pipeline")
            marks = try TemporaryDirectory("gitlab-pipeline-marks")
            let git = { (args: [String]) in try Shell.ok(["git", "-C", self.repo.path] + args) }
            try git(["init", "-q", "-b", "main"])
            try Self.write(repo, "mlci.yml", GitLabPipelineTests.config)
            for (path, text) in [
                ("src/a.py", "a"), ("lint.cfg", "x"), ("tests/t.py", "t"), ("data/d.csv", "1"),
                ("models/m.onnx", "m"), ("docs/readme.md", "r"),
            ] {
                try Self.write(repo, path, text)
            }
            // The plan job's files are not changes of the checkout.
            try "mlci.env\nmlci-*.gitlab-ci.yml\n.gitlab-ci.yml\n".write(
                toFile: repo.file(".git/info/exclude"), atomically: false, encoding: .utf8)
            try commit("R")
            for (name, path) in [("C", "src/a.py"), ("D", "data/d.csv"), ("O", "docs/readme.md")] {
                try Self.write(repo, path, name)
                try commit(name)
            }
            try git(["checkout", "-q", "-b", "feature"])
            try Self.write(repo, "lint.cfg", "y")
            try commit("F")
            try git(["checkout", "-q", "main"])
            try Self.write(repo, "tests/t.py", "u")
            try commit("M")
            try git(["update-ref", "refs/remotes/origin/main", commits["M"]!])
            try git(["checkout", "-q", "--detach", commits["M"]!])
            try git(["merge", "-q", "--no-ff", "-m", "merge feature", "feature"])
            commits["MR"] = try head()
            // A commit that a force push left behind: not in the pushed branch's history.
            try git(["checkout", "-q", "--detach", commits["O"]!])
            try Self.write(repo, "docs/readme.md", "gone")
            try commit("X")
            try git(["checkout", "-q", "main"])
            try MLCIRunner.run(["generate", "gitlab"], in: repo.path).requireSuccess()
        }

        static func write(_ repo: TemporaryDirectory, _ path: String, _ text: String) throws {
            try repo.write(path, text + "\n")
        }

        func head() throws -> String { try repo.sha("HEAD") }

        func commit(_ name: String) throws { commits[name] = try repo.commitAll(name) }

        /// Runs one job of `file` with gcil, as a runner would run its script.
        func job(_ file: String, _ name: String, _ env: [String: String]) throws -> ProcessResult {
            var args = [try Validators.path("gcil"), "-H", "-c", file, "--no-color"]
            for (key, value) in env.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(key)=\(value)"] }
            return try Shell.run(args + [name], in: repo.path, environment: ["CI": "", "GITLAB_CI": ""])
        }
    }

    struct Outcome {
        var planJobRan = false
        var started: Set<String> = []
        /// Stage name → whether its job (every instance) succeeded.
        var jobs: [String: Bool] = [:]
    }

    /// Runs the whole pipeline GitLab would create for `env` at `head`.
    static func pipeline(_ p: Project, head: String, env caseEnv: [String: String]) throws -> Outcome {
        try Shell.git(p.repo.path, "checkout", "-q", "--detach", head)
        for file in (try? FileManager.default.contentsOfDirectory(atPath: p.marks.path)) ?? [] {
            try FileManager.default.removeItem(atPath: p.marks.file(file))
        }
        // Each case is a new pipeline on a new runner: no GitLab cache from an earlier case (a
        // stage that passed at the same key would be replayed, not run).
        try? FileManager.default.removeItem(atPath: p.repo.file(".mlci-cache"))
        var env = caseEnv
        env["GITLAB_CI"] = "true"
        env["CI"] = "true"
        env["CI_COMMIT_SHA"] = head
        env["CI_DEFAULT_BRANCH"] = "main"
        env["MARKS"] = p.marks.path
        env["MLCI_TEST_BIN_DIR"] = (FixturePaths.mlciBinary as NSString).deletingLastPathComponent
        var outcome = Outcome()
        let parent = try #require(
            try Yams.load(yaml: String(contentsOfFile: p.repo.file(".gitlab-ci.yml"), encoding: .utf8))
                as? [String: Any])
        // workflow: rules — the first rule whose `if` holds decides; none: no pipeline.
        let workflowRules = ((parent["workflow"] as? [String: Any])?["rules"] as? [[String: Any]]) ?? []
        var created = false
        for rule in workflowRules {
            if let condition = rule["if"] as? String, !(try GitLabRulesTests.holds(condition, env)) { continue }
            created = rule["when"] as? String != "never"
            break
        }
        guard created else { return outcome }
        outcome.planJobRan = true
        let plan = try p.job(".gitlab-ci.yml", "mlci-plan", env)
        guard plan.status == 0 else {
            Issue.record("the plan job failed: \(plan.out)\(plan.err)")
            return outcome
        }
        outcome.started = try GitLabRulesTests.started(parent, env)
        for pipeline in outcome.started.sorted() {
            let file = "mlci-\(pipeline).gitlab-ci.yml"
            let child = try #require(
                try Yams.load(yaml: String(contentsOfFile: p.repo.file(file), encoding: .utf8)) as? [String: Any])
            var status: [String: Bool] = [:]
            var pending = child.keys.filter {
                !["workflow", "stages", "default", "mlci-nothing-affected"].contains($0)
            }
            while !pending.isEmpty {
                let ready = pending.filter { name in
                    ((child[name] as? [String: Any])?["needs"] as? [String] ?? []).allSatisfy { status[$0] != nil }
                }
                try #require(!ready.isEmpty, "a needs cycle in \(file)")
                for name in ready.sorted() {
                    let body = child[name] as? [String: Any] ?? [:]
                    let needs = body["needs"] as? [String] ?? []
                    let stage = (body["variables"] as? [String: Any])?["MLCI_STAGE"] as? String ?? name
                    // when: on_success — a job whose need failed or did not run does not run.
                    guard needs.allSatisfy({ status[$0] == true }) else {
                        status[name] = false
                        continue
                    }
                    var passed = true
                    if let instances = body["parallel"] as? Int {
                        for i in 1...instances {
                            let result = try p.job(
                                file, "\(name) \(i)/\(instances)",
                                env.merging(["CI_NODE_INDEX": String(i), "CI_NODE_TOTAL": String(instances)]) { $1 })
                            passed = passed && result.status == 0
                        }
                    } else {
                        passed = try p.job(file, name, env).status == 0
                    }
                    status[name] = passed
                    outcome.jobs[stage] = passed
                }
                pending.removeAll { ready.contains($0) }
            }
        }
        return outcome
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let head: String
        let env: [String: String]
        let expected: Set<String>
        var failing: Set<String> = []
        var testDescription: String { name }
    }

    static let zeros = String(repeating: "0", count: 40)
    static let push = ["CI_PIPELINE_SOURCE": "push"]
    static let cases: [Case] = [
        Case(
            name: "push to main: code", head: "C",
            env: push.merging(["CI_COMMIT_BRANCH": "main", "CI_COMMIT_BEFORE_SHA": "@R"]) { $1 },
            expected: ["lint", "test", "package", "deploy"]),
        Case(
            name: "push to main: data", head: "D",
            env: push.merging(["CI_COMMIT_BRANCH": "main", "CI_COMMIT_BEFORE_SHA": "@C"]) { $1 },
            expected: ["train"]),
        Case(
            name: "push to main: docs", head: "O",
            env: push.merging(["CI_COMMIT_BRANCH": "main", "CI_COMMIT_BEFORE_SHA": "@D"]) { $1 }, expected: []),
        Case(
            name: "new branch", head: "F",
            env: push.merging(["CI_COMMIT_BRANCH": "feature", "CI_COMMIT_BEFORE_SHA": zeros]) { $1 },
            expected: ["lint"]),
        Case(
            name: "force push", head: "F",
            env: push.merging(["CI_COMMIT_BRANCH": "feature", "CI_COMMIT_BEFORE_SHA": "@X"]) { $1 },
            expected: ["lint"]),
        Case(
            name: "push with an open merge request (its merge request pipeline runs instead)", head: "F",
            env: push.merging([
                "CI_COMMIT_BRANCH": "feature", "CI_COMMIT_BEFORE_SHA": "@O", "CI_OPEN_MERGE_REQUESTS": "g/p!1",
            ]) { $1 },
            expected: []),
        Case(
            name: "merge request (detached)", head: "F",
            env: [
                "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_EVENT_TYPE": "detached",
                "CI_MERGE_REQUEST_DIFF_BASE_SHA": "@O", "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": "@M",
            ],
            expected: ["lint"]),
        // Only what the merge request adds: tests/t.py changed on main (M) must not run test.
        Case(
            name: "merged results", head: "MR",
            env: [
                "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_EVENT_TYPE": "merged_result",
                "CI_MERGE_REQUEST_DIFF_BASE_SHA": "@O", "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": "@M",
            ],
            expected: ["lint"]),
        Case(
            name: "merge train", head: "MR",
            env: [
                "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_EVENT_TYPE": "merge_train",
                "CI_MERGE_REQUEST_DIFF_BASE_SHA": "@O", "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": "@M",
            ],
            expected: ["lint"]),
        Case(
            name: "schedule without MLCI_TRIGGER", head: "M",
            env: ["CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main"], expected: ["train"]),
        Case(
            name: "schedule with MLCI_TRIGGER", head: "M",
            env: ["CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main", "MLCI_TRIGGER": "retrain"],
            expected: ["train"]),
        Case(
            name: "pipeline trigger (retrain request)", head: "M",
            env: ["CI_PIPELINE_SOURCE": "trigger", "CI_COMMIT_BRANCH": "main", "MLCI_TRIGGER": "retrain"],
            expected: ["train"]),
        Case(
            name: "Run pipeline without MLCI_TRIGGER never deploys", head: "M",
            env: ["CI_PIPELINE_SOURCE": "web", "CI_COMMIT_BRANCH": "main"], expected: ["train"]),
        // The tag's plan also finds the data change before O, but training does not start for tags.
        Case(
            name: "release tag push", head: "O",
            env: push.merging(["CI_COMMIT_TAG": "model@v1", "CI_COMMIT_BEFORE_SHA": zeros]) { $1 },
            expected: ["deploy"]),
        Case(
            name: "release branch glob", head: "C",
            env: push.merging(["CI_COMMIT_BRANCH": "release/1.0", "CI_COMMIT_BEFORE_SHA": "@R"]) { $1 },
            expected: ["lint", "test", "package", "deploy"]),
        Case(
            name: "a failing deploy rolls back in its job", head: "C",
            env: push.merging(["CI_COMMIT_BRANCH": "main", "CI_COMMIT_BEFORE_SHA": "@R", "FAIL_DEPLOY": "1"]) { $1 },
            expected: ["lint", "test", "package", "deploy"], failing: ["deploy"]),
        Case(
            name: "a failing shard fails its job", head: "C",
            env: push.merging(["CI_COMMIT_BRANCH": "main", "CI_COMMIT_BEFORE_SHA": "@R", "FAIL_SHARD": "2"]) { $1 },
            expected: ["lint", "test", "package", "deploy"], failing: ["test"]),
    ]

    static let project = Result { try Project() }

    @Test("each kind of pipeline runs the jobs the plan names", arguments: cases)
    func pipelineCase(_ c: Case) throws {
        let p = try Self.project.get()
        func resolve(_ value: String) -> String { value.hasPrefix("@") ? p.commits[String(value.dropFirst())]! : value }
        let env = c.env.mapValues(resolve)
        let head = p.commits[c.head]!
        let outcome = try Self.pipeline(p, head: head, env: env)
        #expect(Set(outcome.jobs.keys) == c.expected, "\(c.name): jobs run \(outcome.jobs)")
        #expect(Set(outcome.jobs.filter { !$0.value }.keys) == c.failing, "\(c.name): failed jobs \(outcome.jobs)")
        if c.failing.contains("deploy") {
            #expect(FileManager.default.fileExists(atPath: p.marks.file("rollback")), "the rollback ran")
        } else {
            #expect(!FileManager.default.fileExists(atPath: p.marks.file("rollback")))
        }
        if c.expected.contains("test") {
            #expect(FileManager.default.fileExists(atPath: p.marks.file("test-1")))
            #expect(FileManager.default.fileExists(atPath: p.marks.file("test-2")), "both shards ran")
        }
        guard outcome.planJobRan else { return }
        // The jobs are the plan's affected stages in the pipelines that started.
        try Shell.git(p.repo.path, "checkout", "-q", "--detach", head)
        var planEnv = env
        planEnv["GITLAB_CI"] = "true"
        let plan = try PlanHelpers.plan([], in: p.repo.path, environment: planEnv)
        let config = try #require(
            try Yams.load(yaml: GitLabPipelineTests.config) as? [String: Any])
        let pipelines = try #require(config["pipelines"] as? [String: [String: Any]])
        let startedStages = Set(outcome.started.flatMap { pipelines[$0]?["stages"] as? [String] ?? [] })
        #expect(Set(PlanHelpers.affected(plan)).intersection(startedStages) == Set(outcome.jobs.keys), "\(c.name)")
    }
}
