import Foundation
import MLCITestSupport
import Testing
import Yams

/// The generated GitHub workflows run in a real workflow engine: nektos/act, with every job a
/// process on this host. For each event, the stage jobs that run are exactly the stages
/// `mlci plan` marks affected for the same range, and the stage keys (`dir`, `env`, secrets,
/// changed-file lists, shards, rollback, the cache) are honoured. act does not apply `on:`
/// filters (branches, tags, dispatch types), so the test applies GitHub's trigger rules itself
/// before it hands act a workflow.
@Suite("generated GitHub workflows run in a workflow engine", .serialized)
struct WorkflowEngineTests {
    static let config = """
        version: 1
        default_branch: main
        kinds:
          code: ["src/**"]
          data: ["data/**"]
        ci:
          setup: ['echo "$MLCI_TEST_BIN_DIR" >> "$GITHUB_PATH"']
        pipelines:
          ci: {stages: [lint, test]}
          cd: {stages: [package, deploy], branches: [main]}
          ct: {stages: [train], schedule: "0 3 * * 1", dispatch: retrain}
        stages:
          lint:
            run: 'pwd >> "$MARKS/lint"; echo "$GREETING" >> "$MARKS/lint"; cp "$MLCI_STAGE_FILES" "$MARKS/lint-files"'
            on: [code]
            dir: src
            env: {GREETING: hello}
          test:
            run: 'cp "$MLCI_SHARD_FILES" "$MARKS/test-shard-$MLCI_SHARD"; ! grep -l SHARDFAIL $(cat "$MLCI_SHARD_FILES") /dev/null'
            on: [code]
            shards: 2
          package: {run: 'echo ran >> "$MARKS/package"', on: [code]}
          deploy:
            run: 'printf %s "$DEPLOY_TOKEN" > "$MARKS/deploy-secret"; ! test -e models/FAIL'
            on: ["models/**"]
            tags: ["model@v*"]
            secrets: [DEPLOY_TOKEN]
            rollback: 'echo rolled >> "$MARKS/rollback"'
          train:
            run: 'echo ran >> "$MARKS/train"'
            on: [data]
            ci: {github: {runs_on: [self-hosted, gpu]}}
        """

    /// A repository holding the config and its generated workflows, plus the directories the
    /// jobs write their marks and the cache stand-in its entries to.
    final class Project {
        let dir: TemporaryDirectory
        var repo: String { dir.file("repo") }
        var marks: String { dir.file("marks") }
        var store: String { dir.file("cache-store") }

        init(config: String = WorkflowEngineTests.config) throws {
            dir = try TemporaryDirectory("engine")
            for path in [repo, marks, store] {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
            try Shell.git(repo, "init", "-q", "-b", "main")
            try write([
                "mlci.yml": config, "src/a.py": "a\n", "src/b.py": "b\n", "data/x.csv": "x\n",
                "docs/readme.md": "r\n", "models/model.txt": "m1\n",
            ])
            _ = try commit("root")
            try MLCIRunner.run(["generate", "github"], in: repo).requireSuccess()
            _ = try commit("workflows")
        }

        func write(_ files: [String: String]) throws {
            for (path, text) in files { try TestRepository.write(repo, path, text) }
        }

        /// Commits everything and returns the new commit.
        func commit(_ message: String) throws -> String { try TestRepository.commitAll(repo, message) }

        func sha(_ rev: String) throws -> String { try TestRepository.sha(repo, rev) }

        func marked(_ name: String) -> String? { try? String(contentsOfFile: marks + "/" + name, encoding: .utf8) }

        func clearMarks() throws {
            try FileManager.default.removeItem(atPath: marks)
            try FileManager.default.createDirectory(atPath: marks, withIntermediateDirectories: true)
        }

        func workflows() throws -> [(file: String, doc: [String: Any])] {
            let dir = repo + "/.github/workflows"
            return try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map { file in
                (
                    file,
                    try #require(
                        try Yams.load(yaml: String(contentsOfFile: dir + "/" + file, encoding: .utf8)) as? [String: Any]
                    )
                )
            }
        }

        /// The stages `mlci plan` marks affected, for the same range and event, that `workflow` holds.
        func planned(_ flags: [String], env: [String: String] = [:], in workflow: [String: Any]) throws -> Set<String> {
            let result = try MLCIRunner.run(["plan", "--format", "json"] + flags, in: repo, environment: env)
            #expect(result.status == 0, "\(result.err)")
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
            let affected = (plan["stages"] as? [[String: Any]] ?? []).filter { $0["affected"] as? Bool == true }
                .compactMap { $0["name"] as? String }
            let jobs = Set((workflow["jobs"] as? [String: Any] ?? [:]).keys)
            return Set(affected.filter(jobs.contains))
        }

        /// Runs one workflow under act for `event` with `payload`; returns each job's outcome.
        func act(_ file: String, event: String, payload: [String: Any], env: [String: String] = [:]) throws -> ActRun {
            let payloadFile = dir.file("event.json")
            try JSONSerialization.data(withJSONObject: payload).write(to: URL(fileURLWithPath: payloadFile))
            var arguments = [
                try Validators.path("act"), event, "-e", payloadFile, "-W", ".github/workflows/" + file,
                "-P", "ubuntu-latest=-self-hosted", "-P", "self-hosted=-self-hosted", "-P", "gpu=-self-hosted",
                "--local-repository",
                "actions/cache@5a3ec84eff668545956fd18022155c47e93e2684="
                    + FixturePaths.packageRoot + "/Tests/WorkflowEngine/cache-action",
                "-s", "DEPLOY_TOKEN=deploy-token-value",
            ]
            let jobEnv = [
                "MLCI_TEST_BIN_DIR": (FixturePaths.mlciBinary as NSString).deletingLastPathComponent,
                "MARKS": marks, "MLCI_TEST_CACHE_STORE": store,
            ].merging(env) { $1 }
            for (key, value) in jobEnv.sorted(by: { $0.key < $1.key }) { arguments += ["--env", "\(key)=\(value)"] }
            let result = try Shell.run(
                arguments, in: repo, environment: ["GITHUB_ACTIONS": "", "GITHUB_EVENT_PATH": ""])
            return ActRun(output: result.out + result.err, status: result.status)
        }
    }

    /// What act reported: the jobs that ran, by job id (matrix jobs as `id-N`), and how they ended.
    struct ActRun {
        let output: String
        let status: Int32

        var jobs: [String: String] {
            // act reports a matrix job's end (🏁) with the result of the whole matrix, so each
            // instance's own outcome is read from its steps: any failed step fails it.
            var ended: Set<String> = []
            var failed: Set<String> = []
            for line in output.split(separator: "\n") {
                guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]"),
                    let slash = line[open..<close].lastIndex(of: "/")
                else { continue }
                let job = line[line.index(after: slash)..<close].trimmingCharacters(in: .whitespaces)
                if line.contains("🏁") { ended.insert(job) }
                if line.contains("❌  Failure") { failed.insert(job) }
            }
            return Dictionary(uniqueKeysWithValues: ended.map { ($0, failed.contains($0) ? "failed" : "succeeded") })
        }

        /// Stage jobs that ran (matrix shards folded into their stage), without plan and the gate.
        var stages: Set<String> {
            Set(
                jobs.keys.filter { $0 != "plan" && $0 != "mlci" }.map { job in
                    job.range(of: #"-\d+$"#, options: .regularExpression).map { String(job[..<$0.lowerBound]) } ?? job
                })
        }
    }

    /// Whether GitHub starts `workflow` for this event (act does not check `on:` filters).
    static func triggers(_ workflow: [String: Any], event: String, ref: String? = nil, type: String? = nil) -> Bool {
        guard let on = workflow["on"] as? [String: Any], let trigger = on[event] else { return false }
        let filters = trigger as? [String: Any] ?? [:]
        switch event {
        case "push":
            guard let ref else { return true }
            if ref.hasPrefix("refs/tags/") {
                return (filters["tags"] as? [String] ?? []).contains { glob($0, String(ref.dropFirst(10))) }
            }
            guard let branches = filters["branches"] as? [String] else { return filters["tags"] == nil }
            return branches.contains { glob($0, String(ref.dropFirst(11))) }
        case "repository_dispatch":
            guard let types = filters["types"] as? [String] else { return true }
            return type.map(types.contains) ?? false
        default:
            return true
        }
    }

    /// GitHub's filter patterns: `*` within a path segment, `**` across them.
    static func glob(_ pattern: String, _ name: String) -> Bool {
        var regex = "^"
        var chars = Array(pattern)[...]
        while let c = chars.popFirst() {
            if c == "*" {
                if chars.first == "*" { chars.removeFirst(); regex += ".*" } else { regex += "[^/]*" }
            } else {
                regex += NSRegularExpression.escapedPattern(for: String(c))
            }
        }
        return name.range(of: regex + "$", options: .regularExpression) != nil
    }

    /// Runs every workflow GitHub would start for the event and compares the stage jobs that ran
    /// with the plan; returns the runs by workflow file.
    @discardableResult
    static func check(
        _ project: Project, event: String, payload: [String: Any], ref: String? = nil, type: String? = nil,
        planFlags: [String], planEnv: [String: String] = [:], expectStarted: Set<String>,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: ActRun] {
        var runs: [String: ActRun] = [:]
        let started = Set(
            try project.workflows().filter { triggers($0.doc, event: event, ref: ref, type: type) }.map(\.file))
        #expect(started == expectStarted, "\(event) \(ref ?? ""): workflows started", sourceLocation: sourceLocation)
        for (file, doc) in try project.workflows() where started.contains(file) {
            let run = try project.act(file, event: event, payload: payload)
            let expected = try project.planned(planFlags, env: planEnv, in: doc)
            #expect(run.jobs["plan"] == "succeeded", "\(file): \(run.output)", sourceLocation: sourceLocation)
            #expect(
                run.stages == expected, "\(event) \(file): jobs that ran vs. mlci plan", sourceLocation: sourceLocation)
            runs[file] = run
        }
        return runs
    }

    @Test(
        "pushes of code, data and docs run exactly the planned stage jobs, with their keys; a second run is replayed from the cache"
    )
    func pushes() throws {
        let p = try Project()
        let base = try p.sha("HEAD")
        try p.write(["src/a.py": "a2\n", "src/b.py": "b2\n"])
        let code = try p.commit("code")
        let push: [String: Any] = ["ref": "refs/heads/main", "before": base, "after": code]
        let runs = try Self.check(
            p, event: "push", payload: push, ref: "refs/heads/main", planFlags: ["--base", base, "--head", code],
            expectStarted: ["mlci-ci.yml", "mlci-cd.yml", "mlci-ct.yml"])
        #expect(runs["mlci-ci.yml"]?.stages == ["lint", "test"])
        #expect(runs["mlci-ci.yml"]?.jobs["mlci"] == "succeeded")
        // Stage keys: dir, env, the stage's changed files, the shard's share of them.
        let lint = try #require(p.marked("lint"))
        #expect(lint.hasSuffix("/src\nhello\n"), "\(lint)")
        #expect(p.marked("lint-files") == "src/a.py\nsrc/b.py\n")
        #expect(p.marked("test-shard-1") == "src/a.py\n" && p.marked("test-shard-2") == "src/b.py\n")
        #expect(p.marked("package") == "ran\n")

        // The same push again: lint's key is unchanged, so it is replayed from the cache.
        try p.clearMarks()
        let again = try p.act("mlci-ci.yml", event: "push", payload: push)
        #expect(again.jobs["lint"] == "succeeded" && again.output.contains("cache hit"), "\(again.output)")
        #expect(p.marked("lint") == nil, "a replayed stage runs no command")

        try p.write(["data/x.csv": "x2\n"])
        let data = try p.commit("data")
        let dataRuns = try Self.check(
            p, event: "push", payload: ["ref": "refs/heads/main", "before": code, "after": data],
            ref: "refs/heads/main",
            planFlags: ["--base", code, "--head", data], expectStarted: ["mlci-ci.yml", "mlci-cd.yml", "mlci-ct.yml"])
        #expect(dataRuns["mlci-ct.yml"]?.stages == ["train"] && dataRuns["mlci-ci.yml"]?.stages == [])

        try p.write(["docs/readme.md": "r2\n"])
        let docs = try p.commit("docs")
        let docsRuns = try Self.check(
            p, event: "push", payload: ["ref": "refs/heads/main", "before": data, "after": docs],
            ref: "refs/heads/main",
            planFlags: ["--base", data, "--head", docs], expectStarted: ["mlci-ci.yml", "mlci-cd.yml", "mlci-ct.yml"])
        #expect(docsRuns.values.allSatisfy { $0.stages.isEmpty && $0.jobs["mlci"] == "succeeded" })

        // A push to another branch starts nothing: its pull request runs instead.
        let feature = try p.workflows().filter { Self.triggers($0.doc, event: "push", ref: "refs/heads/feature") }
        #expect(feature.isEmpty)
    }

    /// "From another repository" is the head repository's name compared with the workflow's own
    /// (`github.repository`, from the origin remote under act), not the head's `fork` flag: a pull
    /// request from the upstream root into this fork has `fork: false`, a deleted fork a null
    /// `head.repo`; both get the base's mlci.yml, and a branch of this repository (itself a fork
    /// or not) its own.
    @Test(
        "a pull request from another repository (a fork, the upstream root, a deleted fork) runs with the base's mlci.yml; one from the same repository with its own"
    )
    func forkPullRequest() throws {
        let p = try Project()
        try Shell.git(p.repo, "remote", "add", "origin", "https://github.com/acme/ml.git")
        let base = try p.sha("HEAD")
        let edited = Self.config.replacingOccurrences(
            of: #"run: 'pwd >> "$MARKS/lint";"#, with: #"run: 'echo edited >> "$MARKS/lint-edited";"#)
        #expect(edited != Self.config)
        try p.write(["src/a.py": "a2\n", "mlci.yml": edited])
        let head = try p.commit("a pull request that edits lint's command")
        let cases: [(what: String, headRepo: Any, foreign: Bool)] = [
            ("a fork", ["full_name": "someone/ml", "fork": true], true),
            ("the upstream root into this fork", ["full_name": "upstream/ml", "fork": false], true),
            ("a deleted fork", NSNull(), true),
            ("a branch of this repository", ["full_name": "acme/ml", "fork": false], false),
            ("a branch of this repository, itself a fork", ["full_name": "acme/ml", "fork": true], false),
        ]
        for c in cases {
            try p.clearMarks()
            // Every case runs the same key; an empty cache store makes each one run the command.
            try? FileManager.default.removeItem(atPath: p.store)
            try FileManager.default.createDirectory(atPath: p.store, withIntermediateDirectories: true)
            let pr: [String: Any] = [
                "number": 2,
                "pull_request": [
                    "base": ["sha": base, "ref": "main", "repo": ["full_name": "acme/ml"]],
                    "head": ["sha": head, "ref": "feature", "repo": c.headRepo],
                ],
                "repository": ["full_name": "acme/ml"],
            ]
            let runs = try Self.check(
                p, event: "pull_request", payload: pr, planFlags: ["--base", base, "--head", head],
                planEnv: ["MLCI_CONFIG_FROM": c.foreign ? "base" : "head"], expectStarted: ["mlci-ci.yml"])
            #expect(runs["mlci-ci.yml"]?.stages == ["lint", "test"], "\(c.what)")
            #expect((p.marked("lint-edited") != nil) == !c.foreign, "\(c.what)")
            // The base's command starts with pwd; the edited one does not.
            #expect(
                p.marked("lint")?.hasSuffix("/src\nhello\n") == c.foreign, "\(c.what): \(p.marked("lint") ?? "")")
        }
    }

    @Test("pull requests and merge queues run the CI pipeline only; schedule and dispatch run training only")
    func otherEvents() throws {
        let p = try Project()
        let base = try p.sha("HEAD")
        try p.write(["src/a.py": "a2\n", "data/x.csv": "x2\n"])
        let head = try p.commit("code and data")
        let pr: [String: Any] = [
            "number": 1,
            "pull_request": ["base": ["sha": base, "ref": "main"], "head": ["sha": head, "ref": "feature"]],
        ]
        let prRuns = try Self.check(
            p, event: "pull_request", payload: pr, planFlags: ["--base", base, "--head", head],
            expectStarted: ["mlci-ci.yml"])
        #expect(prRuns["mlci-ci.yml"]?.stages == ["lint", "test"])
        try Self.check(
            p, event: "merge_group", payload: ["merge_group": ["base_sha": base, "head_sha": head]],
            planFlags: ["--base", base, "--head", head], expectStarted: ["mlci-ci.yml"])
        // Triggers plan every stage of the pipelines that declare them.
        for (event, payload, type) in [
            ("schedule", ["schedule": "0 3 * * 1"] as [String: Any], nil as String?),
            ("workflow_dispatch", ["inputs": [String: String]()], nil),
            ("repository_dispatch", ["action": "retrain"], "retrain"),
        ] {
            try p.clearMarks()
            let runs = try Self.check(
                p, event: event, payload: payload, type: type, planFlags: ["--all"], expectStarted: ["mlci-ct.yml"])
            let ct = try #require(runs["mlci-ct.yml"])
            #expect(ct.stages == ["train"] && ct.jobs["train"] == "succeeded", "\(event)")
            // The first trigger trains (on the self-hosted gpu label); later ones find training's
            // inputs unchanged and replay it from the cache.
            if event == "schedule" {
                #expect(p.marked("train") == "ran\n", "\(event)")
            } else {
                #expect(p.marked("train") == nil && ct.output.contains("cache hit"), "\(event): \(ct.output)")
            }
        }
        #expect(
            try p.workflows().filter { Self.triggers($0.doc, event: "repository_dispatch", type: "other") }.isEmpty)
    }

    @Test("a release tag push starts the deployment with its secret; a failing deploy rolls back and fails the gate")
    func tagAndRollback() throws {
        let p = try Project()
        let tagged = try p.sha("HEAD")
        let tagPush: [String: Any] = [
            "ref": "refs/tags/model@v1", "before": String(repeating: "0", count: 40), "after": tagged,
        ]
        // The expectation is mlci plan in the same CI context: GitHub's variables for a tag push.
        let payloadFile = p.dir.file("tag-event.json")
        try JSONSerialization.data(withJSONObject: tagPush).write(to: URL(fileURLWithPath: payloadFile))
        let ciEnv = [
            "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": payloadFile,
            "GITHUB_REF": "refs/tags/model@v1", "GITHUB_SHA": tagged,
        ]
        let runs = try Self.check(
            p, event: "push", payload: tagPush, ref: "refs/tags/model@v1", planFlags: [], planEnv: ciEnv,
            expectStarted: ["mlci-cd.yml"])
        #expect(runs["mlci-cd.yml"]?.jobs["deploy"] == "succeeded", "\(runs["mlci-cd.yml"]?.output ?? "")")
        #expect(p.marked("deploy-secret") == "deploy-token-value", "the declared secret reaches the stage")

        let base = try p.sha("HEAD")
        try p.write(["models/model.txt": "m2\n", "models/FAIL": "x\n"])
        let head = try p.commit("a model that fails to deploy")
        try p.clearMarks()
        let failed = try Self.check(
            p, event: "push", payload: ["ref": "refs/heads/main", "before": base, "after": head],
            ref: "refs/heads/main",
            planFlags: ["--base", base, "--head", head], expectStarted: ["mlci-ci.yml", "mlci-cd.yml", "mlci-ct.yml"])
        let cd = try #require(failed["mlci-cd.yml"])
        #expect(cd.jobs["deploy"] == "failed" && cd.jobs["mlci"] == "failed", "\(cd.jobs)")
        #expect(p.marked("rollback") == "rolled\n", "the rollback ran in the deploy job")
    }

    @Test("a failing shard fails its matrix job and the gate, the other shard passes")
    func failingShard() throws {
        let p = try Project()
        let base = try p.sha("HEAD")
        try p.write(["src/a.py": "a2\n", "src/b.py": "SHARDFAIL\n"])
        let head = try p.commit("a change that breaks shard 2")
        let runs = try Self.check(
            p, event: "push", payload: ["ref": "refs/heads/main", "before": base, "after": head],
            ref: "refs/heads/main",
            planFlags: ["--base", base, "--head", head], expectStarted: ["mlci-ci.yml", "mlci-cd.yml", "mlci-ct.yml"])
        let ci = try #require(runs["mlci-ci.yml"])
        #expect(ci.jobs["test-1"] == "succeeded" && ci.jobs["test-2"] == "failed", "\(ci.jobs)")
        #expect(ci.jobs["mlci"] == "failed")
    }

    @Test(
        "with a self-hosted runs_on the gate runs on the self-hosted runner; the default set-up installs the pinned wheel"
    )
    func selfHostedAndWheel() throws {
        // The wheel built here, in an index of its own, pinned by its SHA-256 (ci.install).
        let index = try SetupAttackTests.Index()
        let config = Self.config
            .replacingOccurrences(of: "  setup: ['echo \"$MLCI_TEST_BIN_DIR\" >> \"$GITHUB_PATH\"']\n", with: "")
            .replacingOccurrences(
                of: "ci:\n",
                with: "ci:\n  github: {runs_on: [self-hosted, linux]}\n"
                    + "  install: {sha256: [\(index.sha256)], index_url: '\(index.url)'}\n")
        #expect(!config.contains("MLCI_TEST_BIN_DIR"), "the default set-up lines are used")
        let p = try Project(config: config)
        let base = try p.sha("HEAD")
        try p.write(["src/a.py": "a2\n"])
        let head = try p.commit("code")
        let workflow = try #require(try p.workflows().first { $0.file == "mlci-ci.yml" })
        let gate = (workflow.doc["jobs"] as? [String: [String: Any]])?["mlci"]
        #expect(gate?["runs-on"] as? [String] == ["self-hosted", "linux"])
        // pip ignores PIP_* variables (--isolated): one pointing elsewhere changes nothing.
        let run = try p.act(
            "mlci-ci.yml", event: "push", payload: ["ref": "refs/heads/main", "before": base, "after": head],
            env: ["PIP_INDEX_URL": "https://127.0.0.1:9/simple", "HOME": p.dir.file("home")])
        #expect(run.jobs["plan"] == "succeeded" && run.jobs["mlci"] == "succeeded", "\(run.output)")
        #expect(run.stages == ["lint", "test"])
        #expect(run.output.contains("[lint] started"), "lint ran through the installed mlci")
    }
}
