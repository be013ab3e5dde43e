import Foundation
import MLCITestSupport
import Testing

/// The messages and counts a person reads every day: each says what is wrong where it is
/// wrong, and numbers mean what they say.
@Suite("daily-use messages")
struct DailyUseTests {
    func config(_ text: String) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory("daily")
        try Shell.git(dir.path, "init", "-q", "-b", "main")
        try text.write(toFile: dir.file("c.yml"), atomically: false, encoding: .utf8)
        return (dir, dir.file("c.yml"))
    }

    @Test("--config reads a pipe as it reads a file (mlci plan --config <(…), --config /dev/stdin)")
    func configFromPipe() throws {
        let repo = try FixtureRepository.build("sample-ml")
        let text = try String(contentsOfFile: repo.file("mlci.yml"), encoding: .utf8)
        let piped = try MLCIRunner.run(
            ["plan", "--base", "HEAD~1", "--config", "/dev/stdin", "--format", "json"], in: repo.path,
            stdin: Array(text.utf8))
        let file = try MLCIRunner.run(["plan", "--base", "HEAD~1", "--format", "json"], in: repo.path)
        #expect(piped.status == 0, "\(piped.err)")
        #expect(PlanHelpers.affected(try Self.json(piped.out)) == PlanHelpers.affected(try Self.json(file.out)))
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(
        "names CI would misread are refused at their line: a stage starting with '-', a branch git could not have, two pipelines requested by one MLCI_TRIGGER name"
    )
    func namesCIWouldMisread() throws {
        let (dir, file) = try config(
            """
            version: 1
            pipelines:
              prod: {stages: [deploy], dispatch: retrain, branches: ["feat ure", "a[bc]"]}
              retrain: {stages: [train], schedule: "0 3 * * 1"}
            stages:
              deploy: {run: x}
              train: {run: x, tags: ["v~1"]}
              "-h": {run: "exit 1"}
            """)
        let result = try MLCIRunner.run(["validate", "--config", file], in: dir.path)
        #expect(result.status == 2)
        for expected in [
            "c.yml:3:58: error: pipeline 'prod': branch 'feat ure' holds ' '",
            "c.yml:3:70: error: pipeline 'prod': branch 'a[bc]' holds '[', which git does not allow in ref names (character classes are not supported",
            "error: pipelines 'prod' and 'retrain' are both requested as MLCI_TRIGGER=retrain",
            "c.yml:7:26: error: stage 'train': tag 'v~1' holds '~'",
            "error: stage name '-h' starts with '-', which mlci job would read as a flag",
        ] {
            #expect(result.err.contains(expected), "\(expected)\n\(result.err)")
        }
    }

    @Test("an unknown MLCI_PIPELINE runs nothing and says so; MLCI_ALL=true forces; a blank MLCI_TRIGGER is no request")
    func triggerEdges() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        let events = try TemporaryDirectory("events")
        try "{}".write(toFile: events.file("e.json"), atomically: false, encoding: .utf8)
        let github = [
            "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "schedule", "GITHUB_EVENT_PATH": events.file("e.json"),
        ]
        let bogus = try PlanHelpers.plan(
            [], in: repo.path, environment: github.merging(["MLCI_PIPELINE": "bogus"]) { $1 })
        #expect(PlanHelpers.affected(bogus).isEmpty)
        #expect(PlanHelpers.base(bogus)["trigger_rule"] as? String == "MLCI_PIPELINE=bogus")
        let forced = try PlanHelpers.plan(["--base", "HEAD~1"], in: repo.path, environment: ["MLCI_ALL": "true"])
        #expect(PlanHelpers.affected(forced).count == 6)
        let jenkins = ["JENKINS_URL": "http://jenkins.invalid/", "BRANCH_NAME": "main", "MLCI_TRIGGER": "  "]
        let blank = try PlanHelpers.plan(["--base", "HEAD~1"], in: repo.path, environment: jenkins)
        #expect(PlanHelpers.base(blank)["trigger"] == nil, "\(PlanHelpers.base(blank))")
    }

    @Test("a params.yaml DVC cannot read is named as the problem, not the ${…} that then names nothing")
    func dvcParamsUnreadable() throws {
        let repo = try TemporaryDirectory("dvc-params")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try FileManager.default.createDirectory(atPath: repo.file(".dvc"), withIntermediateDirectories: true)
        try "".write(toFile: repo.file(".dvc/config"), atomically: false, encoding: .utf8)
        try "models: [a]\n".write(toFile: repo.file("params.yaml"), atomically: false, encoding: .utf8)
        try "stages:\n  s:\n    foreach: ${models}\n    do:\n      cmd: echo ${item}\n".write(
            toFile: repo.file("dvc.yaml"), atomically: false, encoding: .utf8)
        try "version: 1\nstages:\n  p: {run: 'true', dvc: true}\n".write(
            toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        try "models: [a]\nmodels: [b]\n".write(toFile: repo.file("params.yaml"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "duplicate key")
        let plan = try MLCIRunner.run(["plan", "--base", "HEAD~1"], in: repo.path)
        #expect(plan.err.contains("params.yaml:2:1: warning: cannot be read at head"), "\(plan.err)")
        #expect(plan.err.contains("duplicate key 'models'"), "\(plan.err)")
    }

    @Test("a tab used for indentation is named as such, at its line")
    func tabIndentation() throws {
        let (dir, file) = try config("version: 1\nstages:\n\tlint: {run: x}\n")
        let result = try MLCIRunner.run(["validate", "--config", file], in: dir.path)
        #expect(result.status == 2)
        #expect(result.err.contains("c.yml:3:1: error: a tab character: YAML does not allow tabs"), "\(result.err)")
    }

    @Test("a duplicate key points at its second occurrence and names the first")
    func duplicateKey() throws {
        let (dir, file) = try config("version: 1\nstages:\n  lint: {run: x}\n  test: {run: y}\n  lint: {run: z}\n")
        let result = try MLCIRunner.run(["validate", "--config", file], in: dir.path)
        #expect(result.status == 2)
        #expect(
            result.err.contains("c.yml:5:3: error: duplicate key 'lint' in a mapping (first at line 3)"),
            "\(result.err)")
    }

    @Test("an on: word that extends a kind's name (dataset, models) is an error, not a silent path")
    func kindLikeWord() throws {
        let (dir, file) = try config(
            "version: 1\nkinds: {data: [\"data/**\"]}\nstages:\n  train: {run: x, on: [dataset]}\n")
        let result = try MLCIRunner.run(["validate", "--config", file], in: dir.path)
        #expect(result.status == 2)
        #expect(
            result.err.contains(
                "c.yml:4:24: error: stage 'train' watches 'dataset', which is not a declared kind (did you mean 'data'?)"
            ), "\(result.err)")
    }

    @Test("a relative revision past the root says so (no 'fetch it' advice); a missing name keeps the fetch hint")
    func pastRoot() throws {
        let repo = try FixtureRepository.build("sample-ml")
        let past = try MLCIRunner.run(["plan", "--base", "HEAD~99"], in: repo.path)
        #expect(past.status == 3 && past.err.contains("'HEAD~99' goes past the first commit"), "\(past.err)")
        #expect(!past.err.contains("fetch"))
        let missing = try MLCIRunner.run(["plan", "--base", "no-such-branch"], in: repo.path)
        #expect(missing.status == 3 && missing.err.contains("git fetch"))
    }

    @Test(
        "the file count is git's; paths derived through DVC pointers are counted apart; reasons and paths say which 'more'"
    )
    func counts() throws {
        let repo = try FixtureRepository.build("sample-ml")
        let gitCount = try Shell.git(repo.path, "diff", "--name-only", "HEAD~3", "HEAD~2").split(separator: "\n").count
        let plan = try MLCIRunner.run(["plan", "--base", "HEAD~3", "--head", "HEAD~2"], in: repo.path)
        #expect(
            plan.out.contains("changes  \(gitCount) file\(gitCount == 1 ? "" : "s") (data 1), and 1 DVC-tracked path"),
            "\(plan.out)")
        #expect(plan.out.contains("matched data (*.dvc) and 1 more path\n"))
        let code = try MLCIRunner.run(["plan", "--base", "main", "--head", "feature/faster-features"], in: repo.path)
        #expect(code.out.contains("(+1 more reason)"), "\(code.out)")
    }

    @Test(
        "generate --check shows removed lines before added ones, as git does; the default pipeline's workflow is named mlci"
    )
    func checkDiffOrder() throws {
        let repo = try FixtureRepository.build("sample-ml")
        try MLCIRunner.run(["generate", "github"], in: repo.path).requireSuccess()
        let file = repo.file(".github/workflows/mlci-mlci.yml")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\nname: mlci\n"))
        try text.replacingOccurrences(of: "\nname: mlci\n", with: "\nname: renamed by hand\n").write(
            toFile: file, atomically: false, encoding: .utf8)
        let check = try MLCIRunner.run(["generate", "github", "--check"], in: repo.path)
        #expect(check.status == 1)
        let minus = try #require(check.out.range(of: "-name: renamed by hand"))
        let plus = try #require(check.out.range(of: "+name: mlci"))
        #expect(minus.lowerBound < plus.lowerBound, "\(check.out)")
    }
}

@Suite("stage names in generated GitLab jobs")
struct GitLabStageNameTests {
    @Test("a stage name holding '$' reaches the job unexpanded (expand: false) and the child validates")
    func dollarInStageName() throws {
        let repo = try TemporaryDirectory("gitlab-dollar")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try "version: 1\nstages:\n  \"$HOME-lint\": {run: 'true', on: [\"*.py\"]}\n".write(
            toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try "x\n".write(toFile: repo.file("a.py"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        let child = try MLCIRunner.run(
            ["generate", "gitlab-child", "--pipeline", "mlci", "--all", "--out", "child.yml"], in: repo.path)
        #expect(child.status == 0, "\(child.err)")
        let text = try String(contentsOfFile: repo.file("child.yml"), encoding: .utf8)
        #expect(text.contains("MLCI_STAGE:\n      value: $HOME-lint\n      expand: false"), "\(text)")
        #expect(
            try Validators.problems(
                "check-jsonschema",
                ["--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci", repo.file("child.yml")])
                == nil)
    }
}
