import Foundation
import MLCICore
import MLCITestSupport
import Testing
import Yams

/// Generated GitHub Actions, GitLab CI and Jenkins pipelines: the real validators, the rules
/// validators cannot see, golden files, --check and bad input.
@Suite("mlci generate")
struct GenerateTests {
    static let configs = ["sample-ml", "plan-scenarios", "generate-mlops"]

    /// Every generated file of one fixture: the GitHub workflows, the GitLab parent and a child
    /// per pipeline for an all-affected and a nothing-affected plan, and the Jenkinsfile.
    static func generateAll(_ repo: String, into out: String) throws -> (
        github: [String], gitlab: [String], jenkins: String
    ) {
        try MLCIRunner.run(["generate", "github", "--out", out + "/workflows"], in: repo).requireSuccess()
        try MLCIRunner.run(["generate", "gitlab", "--out", out + "/.gitlab-ci.yml"], in: repo).requireSuccess()
        try MLCIRunner.run(["generate", "jenkins", "--out", out + "/Jenkinsfile"], in: repo).requireSuccess()
        var gitlab = [out + "/.gitlab-ci.yml"]
        let parent =
            try Yams.load(yaml: String(contentsOfFile: out + "/.gitlab-ci.yml", encoding: .utf8)) as? [String: Any]
            ?? [:]
        let pipelines = parent.keys.filter { $0.hasPrefix("mlci-") && $0 != "mlci-plan" }.map {
            String($0.dropFirst(5))
        }.sorted()
        for pipeline in pipelines {
            for (label, flags) in [("all", ["--all"]), ("none", ["--base", "HEAD", "--head", "HEAD"])] {
                let file = out + "/child-\(pipeline)-\(label).yml"
                try MLCIRunner.run(
                    ["generate", "gitlab-child", "--pipeline", pipeline, "--out", file] + flags, in: repo
                ).requireSuccess()
                gitlab.append(file)
            }
        }
        let workflows = try FileManager.default.contentsOfDirectory(atPath: out + "/workflows").sorted().map {
            out + "/workflows/" + $0
        }
        return (workflows, gitlab, out + "/Jenkinsfile")
    }

    @Test(
        "every generated file of every fixture config passes check-jsonschema, actionlint (with shellcheck) and yamllint",
        arguments: configs)
    func validators(_ fixture: String) throws {
        let repo = try FixtureRepository.build(fixture)
        let out = try TemporaryDirectory("generated")
        let files = try Self.generateAll(repo.path, into: out.path)
        #expect(!files.github.isEmpty)
        let lint = Validators.configDirectory
        var problems: [String] = []
        problems += try [
            Validators.problems("check-jsonschema", ["--builtin-schema", "vendor.github-workflows"] + files.github)
        ].compactMap { $0 }
        problems += try [
            Validators.problems(
                "check-jsonschema",
                ["--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci"] + files.gitlab)
        ].compactMap { $0 }
        problems += try [
            Validators.problems(
                "actionlint", ["-config-file", lint + "/actionlint.yaml", "-shellcheck", "shellcheck"] + files.github)
        ].compactMap { $0 }
        problems += try [
            Validators.problems("yamllint", ["-s", "-c", lint + "/yamllint.yml"] + files.github + files.gitlab)
        ].compactMap { $0 }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(
            try Shell.run(["which", "shellcheck"]).status == 0,
            "actionlint checks run: scripts only with shellcheck installed")
    }

    @Test("the validators do reject a broken file (they are really checking)")
    func validatorsCanFail() throws {
        let dir = try TemporaryDirectory("broken")
        try
            "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n        if: ${{ foo( }}\n"
            .write(toFile: dir.file("w.yml"), atomically: false, encoding: .utf8)
        #expect(try Validators.problems("actionlint", [dir.file("w.yml")]) != nil)
        try "stages: [a]\njob:\n  stage: a\n  script: 5\n  when: sometimes\n".write(
            toFile: dir.file("g.yml"), atomically: false, encoding: .utf8)
        #expect(
            try Validators.problems(
                "check-jsonschema",
                ["--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci", dir.file("g.yml")]) != nil)
    }

    @Test(
        "GitHub rules validators do not check: string comparison, status functions, a final required job, no paths filters, no event text in run, pinned actions"
    )
    func githubRules() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        let out = try TemporaryDirectory("generated")
        let files = try Self.generateAll(repo.path, into: out.path)
        #expect(
            files.github.map { ($0 as NSString).lastPathComponent } == ["mlci-cd.yml", "mlci-ci.yml", "mlci-ct.yml"])
        for file in files.github {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.hasPrefix("# Generated by mlci"))
            #expect(!text.contains("paths:") && !text.contains("paths-ignore"))
            let doc = try #require(try Yams.load(yaml: text) as? [String: Any])
            let jobs = try #require(doc["jobs"] as? [String: [String: Any]])
            let plan = try #require(jobs["plan"])
            let outputs = try #require(plan["outputs"] as? [String: String])
            for (id, job) in jobs where id != "plan" && id != "mlci" {
                let condition = try #require(job["if"] as? String)
                #expect(condition.contains("!cancelled() && !failure()"), "\(id)")
                #expect(condition.contains("needs.plan.outputs.\(id) == 'true'"), "\(id)")
                #expect(outputs[id] == "${{ steps.plan.outputs.\(id) }}")
                let needs = try #require(job["needs"] as? [String])
                #expect(
                    needs.first == "plan" && needs.allSatisfy { jobs[$0] != nil },
                    "\(id) needs only jobs of this workflow")
                // The stage runs through mlci's executor, never as a pasted command.
                let steps = try #require(job["steps"] as? [[String: Any]])
                #expect(steps.last?["run"] as? String == "mlci job \"$MLCI_STAGE\"", "\(id)")
                let env = try #require(job["env"] as? [String: String])
                #expect(
                    env["MLCI_BASE_SHA"] == "${{ needs.plan.outputs.base_sha }}"
                        && env["MLCI_HEAD_SHA"] == "${{ github.sha }}")
            }
            let final = try #require(jobs["mlci"])
            #expect(final["if"] as? String == "${{ always() }}")
            #expect(
                Set(final["needs"] as? [String] ?? []) == Set(jobs.keys.filter { $0 != "mlci" }))
            for (_, job) in jobs {
                for step in job["steps"] as? [[String: Any]] ?? [] {
                    if let run = step["run"] as? String { #expect(!run.contains("github.event")) }
                    if let uses = step["uses"] as? String {
                        // Pinned to a full commit, with the release named in a comment.
                        #expect(uses.range(of: #"@[0-9a-f]{40}$"#, options: .regularExpression) != nil, "\(uses)")
                        #expect(
                            text.range(of: "uses: \(uses)  # v\\d+\\.\\d+\\.\\d+\n", options: .regularExpression)
                                != nil,
                            "\(uses)")
                    }
                    if (step["uses"] as? String)?.hasPrefix("actions/checkout@") == true {
                        #expect((step["with"] as? [String: Any])?["persist-credentials"] as? Bool == false)
                    }
                }
            }
            #expect((doc["permissions"] as? [String: String]) == ["contents": "read"])
        }
        let ct = try #require(
            try Yams.load(yaml: String(contentsOfFile: out.file("workflows/mlci-ct.yml"), encoding: .utf8))
                as? [String: Any])
        let on = try #require(ct["on"] as? [String: Any])
        #expect((on["schedule"] as? [[String: String]])?.first?["cron"] == "0 3 * * 1")
        #expect(((on["repository_dispatch"] as? [String: Any])?["types"] as? [String]) == ["retrain"])
        let train = try #require((ct["jobs"] as? [String: [String: Any]])?["train"])
        #expect(train["runs-on"] as? [String] == ["self-hosted", "gpu"])
        #expect(
            train["timeout-minutes"] as? Int == 370,
            "mlci enforces the 6h stage timeout itself; the job's limit is a backstop 10 minutes later")
        let cd = try #require(
            try Yams.load(yaml: String(contentsOfFile: out.file("workflows/mlci-cd.yml"), encoding: .utf8))
                as? [String: Any])
        #expect(
            ((cd["concurrency"] as? [String: Any])?["cancel-in-progress"]) as? Bool == false,
            "a deployment is never cancelled")
        #expect(((cd["on"] as? [String: Any])?["push"] as? [String: [String]])?["branches"] == ["main"])
        #expect((cd["on"] as? [String: Any])?["pull_request"] == nil)
        #expect(
            (cd["jobs"] as? [String: [String: Any]])?["deploy-rollback"] == nil,
            "the rollback runs inside the deploy job (mlci job), also after a timeout")
        // A cacheable stage is keyed in GitHub's cache by mlci's own key; a deployment never is.
        func usesCache(_ job: [String: Any]?) -> Bool {
            (job?["steps"] as? [[String: Any]] ?? []).contains {
                ($0["uses"] as? String)?.hasPrefix("actions/cache@") == true
            }
        }
        let cdJobs = cd["jobs"] as? [String: [String: Any]]
        #expect(usesCache(cdJobs?["package"]) && !usesCache(cdJobs?["deploy"]))
        let packageSteps = cdJobs?["package"]?["steps"] as? [[String: Any]] ?? []
        let keyStep = packageSteps.first { $0["id"] as? String == "cache-key" }
        #expect(
            keyStep?["run"] as? String == "echo \"key=$(mlci job \"$MLCI_STAGE\" --cache-key)\" >> \"$GITHUB_OUTPUT\"")
        let cacheStep = packageSteps.first { ($0["uses"] as? String)?.hasPrefix("actions/cache@") == true }
        #expect((cacheStep?["with"] as? [String: String])?["key"] == "mlci-${{ steps.cache-key.outputs.key }}")
        #expect((packageSteps.last?["env"] as? [String: String])?["MLCI_CACHE_DIR"] == "${{ runner.temp }}/mlci-cache")
        let ci = try #require(
            try Yams.load(yaml: String(contentsOfFile: out.file("workflows/mlci-ci.yml"), encoding: .utf8))
                as? [String: Any])
        let test = try #require((ci["jobs"] as? [String: [String: Any]])?["test"])
        #expect(((test["strategy"] as? [String: Any])?["matrix"] as? [String: [Int]])?["shard"] == [1, 2, 3, 4])
        #expect(
            ((ci["concurrency"] as? [String: Any])?["cancel-in-progress"]) as? String
                == "${{ github.event_name == 'pull_request' }}")
    }

    @Test(
        "GitLab children: only affected jobs, never empty, needs only present jobs, no CI_PIPELINE_SOURCE, stages through mlci job"
    )
    func gitlabRules() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        let out = try TemporaryDirectory("generated")
        _ = try Self.generateAll(repo.path, into: out.path)
        // The last commit changes src/app.py: lint, test and package run; deploy too (needs package).
        try MLCIRunner.run(
            ["generate", "gitlab-child", "--pipeline", "cd", "--base", "HEAD~1", "--out", out.file("cd.yml")],
            in: repo.path
        ).requireSuccess()
        try MLCIRunner.run(
            ["generate", "gitlab-child", "--pipeline", "ct", "--base", "HEAD~1", "--out", out.file("ct.yml")],
            in: repo.path
        ).requireSuccess()
        let cd = try #require(
            try Yams.load(yaml: String(contentsOfFile: out.file("cd.yml"), encoding: .utf8)) as? [String: Any])
        #expect(Set(cd.keys) == ["workflow", "stages", "default", "package", "deploy"], "no separate rollback job")
        #expect((cd["package"] as? [String: Any])?["needs"] as? [String] == [])
        #expect((cd["deploy"] as? [String: Any])?["needs"] as? [String] == ["package"])
        // A cacheable stage's job is keyed in GitLab's cache by mlci's own key, the one
        // `mlci job STAGE --cache-key` computes in that job; a deployment never is.
        try MLCIRunner.run(
            ["generate", "gitlab-child", "--pipeline", "ci", "--base", "HEAD~1", "--out", out.file("ci.yml")],
            in: repo.path
        ).requireSuccess()
        let ciChild = try #require(
            try Yams.load(yaml: String(contentsOfFile: out.file("ci.yml"), encoding: .utf8)) as? [String: Any])
        let base = try Shell.git(repo.path, "rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines)
        let lintKey = try MLCIRunner.run(
            ["job", "lint", "--cache-key"], in: repo.path, environment: ["MLCI_BASE_SHA": base]
        ).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let lintCache = (ciChild["lint"] as? [String: Any])?["cache"] as? [String: Any]
        #expect(
            lintKey.count == 40 && lintCache?["key"] as? String == "mlci-\(lintKey)", "\(String(describing: lintCache))"
        )
        #expect(lintCache?["paths"] as? [String] == [".mlci-cache/"])
        let testKey = ((ciChild["test"] as? [String: Any])?["cache"] as? [String: Any])?["key"] as? String
        #expect(testKey?.hasSuffix("-$CI_NODE_INDEX") == true, "each parallel shard keeps its own cache")
        #expect((cd["deploy"] as? [String: Any])?["cache"] == nil, "a deployment is never cached")
        // Every stage job runs the stage through mlci's executor (its rollback included).
        for job in ["package", "deploy"] {
            #expect(((cd[job] as? [String: Any])?["script"] as? [String])?.last == "mlci job \"$MLCI_STAGE\"", "\(job)")
        }
        let ct = try #require(
            try Yams.load(yaml: String(contentsOfFile: out.file("ct.yml"), encoding: .utf8)) as? [String: Any])
        #expect(ct["mlci-nothing-affected"] != nil)
        for file in try FileManager.default.contentsOfDirectory(atPath: out.path) where file.hasPrefix("child-") {
            let text = try String(contentsOfFile: out.file(file), encoding: .utf8)
            #expect(!text.contains("CI_PIPELINE_SOURCE"), "\(file)")
            let doc = try #require(try Yams.load(yaml: text) as? [String: Any])
            let jobs = doc.filter { !["workflow", "stages", "default"].contains($0.key) }
            #expect(!jobs.isEmpty, "\(file) is never empty")
            for (_, job) in jobs {
                for need in (job as? [String: Any])?["needs"] as? [String] ?? [] {
                    #expect(jobs[need] != nil, "\(file): \(need)")
                }
            }
        }
        let all = try #require(
            try Yams.load(yaml: String(contentsOfFile: out.file("child-ct-all.yml"), encoding: .utf8)) as? [String: Any]
        )
        let train = try #require(all["train"] as? [String: Any])
        #expect(train["tags"] as? [String] == ["gpu"])
        #expect(train["image"] as? String == "nvcr.io/nvidia/pytorch:24.01-py3")
        #expect(
            train["timeout"] as? String == "6h 10m", "mlci enforces 6h; GitLab's limit is a backstop 10 minutes later")
        let ci = try #require(
            try Yams.load(yaml: String(contentsOfFile: out.file("child-ci-all.yml"), encoding: .utf8)) as? [String: Any]
        )
        #expect((ci["test"] as? [String: Any])?["parallel"] as? Int == 4)
        #expect(((ci["test"] as? [String: Any])?["variables"] as? [String: Any])?["MLCI_SHARDS"] as? String == "4")
    }

    @Test("golden files of generate-mlops (re-record with MLCI_RECORD=1)")
    func goldens() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        let out = try TemporaryDirectory("generated")
        _ = try Self.generateAll(repo.path, into: out.path)
        let expected = FixturePaths.fixtures + "/generate-mlops/expected"
        let files = [
            "workflows/mlci-ci.yml", "workflows/mlci-cd.yml", "workflows/mlci-ct.yml", ".gitlab-ci.yml",
            "child-ci-all.yml", "child-cd-all.yml", "child-ct-all.yml", "child-ct-none.yml", "Jenkinsfile",
        ]
        for file in files {
            let golden = expected + "/" + file.replacingOccurrences(of: "/", with: "_")
            let actual = try String(contentsOfFile: out.file(file), encoding: .utf8)
            let mismatch = try Golden.mismatch(actual, golden: golden)
            #expect(mismatch == nil, "\(file): \(mismatch ?? "")")
        }
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: expected))
                == Set(files.map { $0.replacingOccurrences(of: "/", with: "_") }))
    }

    @Test("--check passes on fresh output, fails with a unified diff on drift, and flags files of removed pipelines")
    func check() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        for kind in ["github", "gitlab", "jenkins"] {
            try MLCIRunner.run(["generate", kind], in: repo.path).requireSuccess()
            let clean = try MLCIRunner.run(["generate", kind, "--check"], in: repo.path)
            #expect(clean.status == 0 && clean.out.isEmpty, "\(kind)")
        }
        let workflow = repo.file(".github/workflows/mlci-ci.yml")
        let text = try String(contentsOfFile: workflow, encoding: .utf8)
        #expect(text.contains("name: Plan affected stages"))
        try text.replacingOccurrences(of: "name: Plan affected stages", with: "name: Plan the stages").write(
            toFile: workflow, atomically: false, encoding: .utf8)
        let drift = try MLCIRunner.run(["generate", "github", "--check"], in: repo.path)
        #expect(drift.status == 1)
        #expect(
            drift.out.contains("--- \(workflow)") && drift.out.contains("-      name: Plan the stages")
                && drift.out.contains("+      name: Plan affected stages"))
        #expect(drift.out.contains("@@ -"))
        try text.write(toFile: workflow, atomically: false, encoding: .utf8)
        try text.write(toFile: repo.file(".github/workflows/mlci-old.yml"), atomically: false, encoding: .utf8)
        try "name: mine\n".write(
            toFile: repo.file(".github/workflows/mlci-mine.yml"), atomically: false, encoding: .utf8)
        let stale = try MLCIRunner.run(["generate", "github", "--check"], in: repo.path)
        #expect(stale.status == 1 && stale.out.contains("mlci-old.yml"))
        #expect(!stale.out.contains("mlci-mine.yml"), "a file mlci did not generate is not its business")
        try MLCIRunner.run(["generate", "github"], in: repo.path).requireSuccess()
        #expect(!FileManager.default.fileExists(atPath: repo.file(".github/workflows/mlci-old.yml")))
        #expect(
            FileManager.default.fileExists(atPath: repo.file(".github/workflows/mlci-mine.yml")),
            "never a lost user file")
    }

    @Test("declared secrets reach the GitHub job from the secret store; a name GitHub cannot hold is refused")
    func githubSecrets() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        try """
        version: 1
        stages:
          deploy:
            run: ./deploy.sh
            secrets: [KUBE_TOKEN, REGISTRY_PASSWORD]
            ci: {github: {permissions: {contents: read, id-token: write}}}
        """.write(
            toFile: repo.file("secrets.yml"), atomically: false, encoding: .utf8)
        try MLCIRunner.run(["generate", "github", "--config", "secrets.yml"], in: repo.path).requireSuccess()
        let doc = try #require(
            try Yams.load(yaml: String(contentsOfFile: repo.file(".github/workflows/mlci-mlci.yml"), encoding: .utf8))
                as? [String: Any])
        let env = try #require(((doc["jobs"] as? [String: [String: Any]])?["deploy"])?["env"] as? [String: String])
        #expect(env["KUBE_TOKEN"] == "${{ secrets.KUBE_TOKEN }}")
        #expect(env["REGISTRY_PASSWORD"] == "${{ secrets.REGISTRY_PASSWORD }}")
        let deployJob = (doc["jobs"] as? [String: [String: Any]])?["deploy"]
        #expect(
            deployJob?["permissions"] as? [String: String] == ["contents": "read", "id-token": "write"],
            "a stage asks for more permissions in its own ci settings")
        let planJob = (doc["jobs"] as? [String: [String: Any]])?["plan"]
        #expect(planJob?["permissions"] as? [String: String] == ["contents": "read", "actions": "read"])
        try "version: 1\nstages:\n  deploy: {run: ./deploy.sh, secrets: [kube-token]}\n".write(
            toFile: repo.file("bad.yml"), atomically: false, encoding: .utf8)
        let bad = try MLCIRunner.run(
            ["generate", "github", "--config", "bad.yml", "--out", repo.file("out")], in: repo.path)
        #expect(bad.status == 2 && bad.err.contains("kube-token"), "\(bad.err)")
    }

    @Test("GitHub triggers follow the plan: tag pushes, the default branch, no pull requests for CT, the gate's runner")
    func githubTriggers() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        try """
        version: 1
        default_branch: trunk
        ci: {github: {runs_on: [self-hosted, linux]}}
        pipelines:
          ci: {stages: [lint]}
          cd: {stages: [package, deploy], branches: [main, "release/*"]}
          ct: {stages: [train], schedule: "0 3 * * 1"}
          nightly: {stages: [report], schedule: "0 1 * * *", pull_requests: true}
        stages:
          lint: {run: "true", on: ["src/**"]}
          package: {run: "true", on: ["src/**"]}
          deploy: {run: "true", on: ["models/**"], tags: ["model@v*"], needs: [package]}
          train: {run: "true", on: ["data/**"]}
          report: {run: "true", on: ["docs/**"]}
        """.write(toFile: repo.file("triggers.yml"), atomically: false, encoding: .utf8)
        try MLCIRunner.run(["generate", "github", "--config", "triggers.yml"], in: repo.path).requireSuccess()
        func workflow(_ name: String) throws -> [String: Any] {
            try #require(
                try Yams.load(
                    yaml: String(contentsOfFile: repo.file(".github/workflows/mlci-\(name).yml"), encoding: .utf8))
                    as? [String: Any])
        }
        let ci = try #require(try workflow("ci")["on"] as? [String: Any])
        #expect((ci["push"] as? [String: [String]])?["branches"] == ["trunk"], "pushes only to the default branch")
        #expect(ci["pull_request"] != nil && ci["merge_group"] != nil)
        let cd = try #require(try workflow("cd")["on"] as? [String: Any])
        #expect((cd["push"] as? [String: [String]])?["branches"] == ["main", "release/*"])
        #expect((cd["push"] as? [String: [String]])?["tags"] == ["model@v*"], "the tag the plan deploys on starts cd")
        #expect(cd["pull_request"] == nil)
        let ct = try #require(try workflow("ct")["on"] as? [String: Any])
        #expect(ct["pull_request"] == nil && ct["schedule"] != nil, "training does not start for every pull request")
        let nightly = try #require(try workflow("nightly")["on"] as? [String: Any])
        #expect(nightly["pull_request"] != nil, "pull_requests: true asks for it")
        let gate = try #require((try workflow("ci")["jobs"] as? [String: [String: Any]])?["mlci"])
        #expect(gate["runs-on"] as? [String] == ["self-hosted", "linux"], "the gate runs where the runners are")
    }

    @Test("needs across pipelines, and names that collide as job ids or variables, are errors at the stage's line")
    func pipelineAndNameProblems() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        try """
        version: 1
        pipelines:
          cd: {stages: [deploy]}
          ct: {stages: [train, evaluate]}
        stages:
          train: {run: "true"}
          evaluate: {run: "true", after: [deploy]}
          deploy: {run: "true", needs: [train]}
        """.write(toFile: repo.file("across.yml"), atomically: false, encoding: .utf8)
        let across = try MLCIRunner.run(["validate", "--config", "across.yml"], in: repo.path)
        #expect(across.status == 2, "\(across.err)")
        #expect(
            across.err.contains("across.yml:8:3: error: stage 'deploy' (pipeline cd) needs 'train' (pipeline ct)"),
            "\(across.err)")
        #expect(across.err.contains("across.yml:7:3: warning: stage 'evaluate' (pipeline ct) runs after 'deploy'"))
        try """
        version: 1
        stages:
          deploy-prod: {run: "true"}
          deploy.prod: {run: "true"}
          deploy: {run: "true", rollback: "undo"}
          deploy-rollback: {run: "true"}
          Plan: {run: "true"}
          test: {run: "true", shards: 2}
          "test (shard 2 of 2)": {run: "true"}
        """.write(toFile: repo.file("names.yml"), atomically: false, encoding: .utf8)
        let names = try MLCIRunner.run(["validate", "--config", "names.yml"], in: repo.path)
        #expect(names.status == 2)
        #expect(
            names.err.contains(
                "names.yml:4:3: error: stages 'deploy-prod' and 'deploy.prod' both become the variable MLCI_AFFECTED_DEPLOY_PROD"
            ),
            "\(names.err)")
        #expect(
            names.err.contains(
                "names.yml:7:3: error: stage 'Plan' has the Jenkins stage name of mlci's own Plan stage"),
            "\(names.err)")
        #expect(
            names.err.contains(
                "names.yml:9:3: error: stage 'test (shard 2 of 2)' has the Jenkins stage name of a shard of stage 'test'"
            ),
            "\(names.err)")
        #expect(
            !names.err.contains("deploy-rollback"),
            "rollbacks run inside their stage's job, so a stage may be named deploy-rollback")
        // A value written into a workflow must not smuggle in an expression GitHub would evaluate.
        try """
        version: 1
        ci: {setup: ['echo ${{ secrets.ALL }}']}
        stages:
          "lint ${{ github.token }}": {run: "true"}
        """.write(toFile: repo.file("expr.yml"), atomically: false, encoding: .utf8)
        let expr = try MLCIRunner.run(["validate", "--config", "expr.yml"], in: repo.path)
        #expect(expr.status == 2)
        #expect(expr.err.contains("expr.yml:2:14: error: '${{' is not allowed here"), "\(expr.err)")
        #expect(expr.err.contains("expr.yml:4:3: error: '${{' is not allowed here"), "\(expr.err)")
    }

    @Test(
        "--out takes a bare file name or an absolute path, and writes through a symlink (a dangling one too) instead of replacing it"
    )
    func outPaths() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        try MLCIRunner.run(["generate", "gitlab", "--out", "gl.yml"], in: repo.path).requireSuccess()
        #expect(FileManager.default.fileExists(atPath: repo.file("gl.yml")))
        try FileManager.default.createSymbolicLink(atPath: repo.file("link.yml"), withDestinationPath: "gl.yml")
        try MLCIRunner.run(
            ["generate", "gitlab-child", "--pipeline", "ci", "--all", "--out", "link.yml"], in: repo.path
        ).requireSuccess()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: repo.file("link.yml")) == "gl.yml")
        #expect(try String(contentsOfFile: repo.file("gl.yml"), encoding: .utf8).contains("gitlab-child --pipeline ci"))
        // A dangling link (a Jenkinsfile kept in ci/, linked from the root) gets its target written.
        try FileManager.default.createSymbolicLink(
            atPath: repo.file("Jenkinsfile"), withDestinationPath: "ci/Jenkinsfile")
        try MLCIRunner.run(["generate", "jenkins"], in: repo.path).requireSuccess()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: repo.file("Jenkinsfile")) == "ci/Jenkinsfile")
        #expect(try String(contentsOfFile: repo.file("ci/Jenkinsfile"), encoding: .utf8).contains("pipeline {"))
        // An absolute path in another directory, created as needed.
        let elsewhere = try TemporaryDirectory("generate-out")
        try MLCIRunner.run(["generate", "gitlab", "--out", elsewhere.file("x/y.yml")], in: repo.path).requireSuccess()
        #expect(FileManager.default.fileExists(atPath: elsewhere.file("x/y.yml")))
    }

    @Test("a hand-written .gitlab-ci.yml or Jenkinsfile is never replaced without --force: exit 1, file untouched")
    func neverClobber() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        for (kind, file) in [("gitlab", ".gitlab-ci.yml"), ("jenkins", "Jenkinsfile")] {
            let mine = "# my own pipeline, with edits not yet committed\nstages: [build]\n"
            try mine.write(toFile: repo.file(file), atomically: false, encoding: .utf8)
            let refused = try MLCIRunner.run(["generate", kind], in: repo.path)
            #expect(refused.status == 1, "\(kind): \(refused.err)")
            #expect(refused.err.contains("not generated by mlci") && refused.err.contains("--force"), "\(refused.err)")
            #expect(try String(contentsOfFile: repo.file(file), encoding: .utf8) == mine, "\(file) must be untouched")
            let forced = try MLCIRunner.run(["generate", kind, "--force"], in: repo.path)
            #expect(forced.status == 0, "\(forced.err)")
            let written = try String(contentsOfFile: repo.file(file), encoding: .utf8)
            #expect(written.contains("Generated by mlci"))
            // Once it is mlci's, regenerating needs no --force.
            #expect(try MLCIRunner.run(["generate", kind], in: repo.path).status == 0)
        }
    }

    @Test("bad pipelines: unknown stage, a stage in two pipelines, an invalid cron; each with file:line, exit 2")
    func badPipelines() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        let bad = """
            version: 1
            pipelines:
              ci: {stages: [lint, tset]}
              cd: {stages: [lint], schedule: "61 * * * *"}
            stages:
              lint: {run: ruff}
              test: {run: pytest}
            """
        try bad.write(toFile: repo.file("bad.yml"), atomically: false, encoding: .utf8)
        let result = try MLCIRunner.run(["generate", "github", "--config", "bad.yml"], in: repo.path)
        #expect(result.status == 2)
        #expect(
            result.err.contains("bad.yml:3:23: error: pipeline 'ci' names unknown stage 'tset' (did you mean 'test'?)"))
        #expect(result.err.contains("bad.yml:4:17: error: stage 'lint' is in pipeline 'ci' and in pipeline 'cd'"))
        #expect(
            result.err.contains(
                "bad.yml:4:34: error: pipeline 'cd': invalid cron '61 * * * *': minute 61 is out of range 0-59"))
    }

    @Test("stage names that are not job ids map deterministically; collisions are refused")
    func jobNames() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        try "version: 1\nstages:\n  e2e tests: {run: make e2e}\n  1st: {run: make first}\n  image: {run: make image}\n"
            .write(toFile: repo.file("names.yml"), atomically: false, encoding: .utf8)
        let out = try TemporaryDirectory("names")
        try MLCIRunner.run(["generate", "github", "--config", "names.yml", "--out", out.path], in: repo.path)
            .requireSuccess()
        let doc = try #require(
            try Yams.load(yaml: String(contentsOfFile: out.file("mlci-mlci.yml"), encoding: .utf8)) as? [String: Any])
        #expect(Set((doc["jobs"] as? [String: Any] ?? [:]).keys) == ["plan", "e2e_tests", "_1st", "image", "mlci"])
        try MLCIRunner.run(["generate", "gitlab", "--config", "names.yml", "--out", out.file("gl.yml")], in: repo.path)
            .requireSuccess()
        let child = try MLCIRunner.run(
            ["generate", "gitlab-child", "--config", "names.yml", "--pipeline", "mlci", "--all"], in: repo.path)
        #expect(child.out.contains("\nimage_job:\n") && child.out.contains("\ne2e_tests:\n"))
        try "version: 1\nstages:\n  a b: {run: x}\n  a_b: {run: y}\n".write(
            toFile: repo.file("clash.yml"), atomically: false, encoding: .utf8)
        let clash = try MLCIRunner.run(["generate", "github", "--config", "clash.yml"], in: repo.path)
        #expect(clash.status == 2 && clash.err.contains("stages 'a b' and 'a_b' both become job id 'a_b'"))
    }

    @Test(
        "the embedded templates and hooks equal the files in templates/ and hooks/ (run scripts/embed-templates after editing them)"
    )
    func templatesDrift() throws {
        let root = FixturePaths.packageRoot + "/templates"
        let enumerator = FileManager.default.enumerator(atPath: root)
        var names: [String] = []
        while let name = enumerator?.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDir), !isDir.boolValue {
                names.append(name)
            }
        }
        let hooks =
            try FileManager.default.contentsOfDirectory(atPath: FixturePaths.packageRoot + "/hooks").map {
                "hooks/" + $0
            } + ["packaging/release-hashes.txt"]
        #expect((names + hooks).sorted() == Templates.builtInNames)
        for name in names {
            #expect(
                Templates.builtIn(name) == (try String(contentsOfFile: root + "/" + name, encoding: .utf8)), "\(name)")
        }
        for name in hooks {
            #expect(
                Templates.builtIn(name)
                    == (try String(contentsOfFile: FixturePaths.packageRoot + "/" + name, encoding: .utf8)), "\(name)")
        }
    }

    @Test("a templates: directory in mlci.yml overrides a built-in template")
    func templateOverride() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        try FileManager.default.createDirectory(
            atPath: repo.file("ci-templates/github"), withIntermediateDirectories: true)
        try "- uses: actions/checkout@v4.2.2\n  with:\n    fetch-depth: 0\n    lfs: true\n".write(
            toFile: repo.file("ci-templates/github/checkout.yml"), atomically: false, encoding: .utf8)
        var config = try String(contentsOfFile: repo.file("mlci.yml"), encoding: .utf8)
        config = config.replacingOccurrences(of: "version: 1\n", with: "version: 1\ntemplates: ci-templates\n")
        try config.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try MLCIRunner.run(["generate", "github"], in: repo.path).requireSuccess()
        #expect(
            try String(contentsOfFile: repo.file(".github/workflows/mlci-ci.yml"), encoding: .utf8).contains(
                "lfs: true"))
    }
}

extension ProcessResult {
    @discardableResult
    func requireSuccess() throws -> ProcessResult {
        guard status == 0 else { throw ShellError(arguments: ["mlci"], result: self) }
        return self
    }
}

/// The docs link to the golden files of generate-mlops (checked by `goldens` above) instead of
/// pasting generated pipelines; `DocsTests` checks that any excerpt left in the docs is a run of
/// lines of its golden file.
@Suite("generate --check on every fixture")
struct GenerateCheckEveryFixtureTests {
    @Test("--check is clean right after generating, for every fixture configuration")
    func checkEveryFixture() throws {
        for fixture in ["sample-ml", "plan-scenarios", "generate-mlops", "ml-files", "dvc-project"] {
            let repo = try FixtureRepository.build(fixture)
            for kind in ["github", "gitlab", "jenkins"] {
                try MLCIRunner.run(["generate", kind], in: repo.path).requireSuccess()
                let check = try MLCIRunner.run(["generate", kind, "--check"], in: repo.path)
                #expect(check.status == 0 && check.out.isEmpty, "\(fixture) \(kind)")
            }
        }
    }
}
