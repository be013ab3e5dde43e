import Foundation
import MLCITestSupport
import Testing

/// The JSON plan of every scenario commit of a fixture (tags `<prefix><name>`, planned against
/// their parent), compared with the recorded golden files `Fixtures/<fixture>/expected/<name>.json`.
/// Re-record after an intended change with
///   MLCI_RECORD=1 swift test --filter PlanGoldenTests
/// and review the diff of the expected/ directories before committing it.
enum GoldenPlans {
    static func check(fixture: String, tagPrefix: String, minimum: Int) throws {
        let repo = try FixtureRepository.build(fixture)
        let expectedDir = FixturePaths.fixtures + "/\(fixture)/expected"
        try FileManager.default.createDirectory(atPath: expectedDir, withIntermediateDirectories: true)
        let tags = try Shell.git(repo.path, "tag", "-l", tagPrefix + "*").split(separator: "\n").map(String.init)
            .filter { $0 != tagPrefix + "root" }
        #expect(tags.count >= minimum)
        var names: Set<String> = []
        for tag in tags {
            let name = String(tag.dropFirst(tagPrefix.count))
            names.insert(name)
            let result = try MLCIRunner.run(
                ["plan", "--format", "json", "--base", tag + "~1", "--head", tag], in: repo.path)
            #expect(result.status == 0, "\(tag): \(result.err)")
            let file = expectedDir + "/\(name).json"
            let mismatch = try Golden.mismatch(result.out, golden: file)
            #expect(mismatch == nil, "\(tag): \(mismatch ?? "")")
        }
        // A golden file whose scenario is gone would otherwise rot unnoticed.
        let files = try FileManager.default.contentsOfDirectory(atPath: expectedDir).filter { $0.hasSuffix(".json") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == names)
    }
}

@Suite("plan scenarios match their golden JSON")
struct PlanGoldenTests {
    @Test("every s-* scenario of plan-scenarios")
    func planScenarios() throws {
        try GoldenPlans.check(fixture: "plan-scenarios", tagPrefix: "s-", minimum: 15)
    }

    @Test("every d-* commit of the DVC project (affected DVC stages and mlci stages)")
    func dvcProject() throws {
        try GoldenPlans.check(fixture: "dvc-project", tagPrefix: "d-", minimum: 9)
    }

    @Test("every m-* commit of the ML files fixture (DVC pointers, LFS, notebooks)")
    func mlFiles() throws {
        try GoldenPlans.check(fixture: "ml-files", tagPrefix: "m-", minimum: 10)
    }
}

/// The affected stages of each scenario, written by hand, so a careless re-record of the
/// golden files cannot bless a wrong plan.
@Suite("plan scenarios: affected stages")
struct PlanScenarioTests {
    static let expected: [String: [String]] = [
        "code-only": ["lint", "test", "package", "deploy"],
        "data-only": ["train", "evaluate", "deploy"],
        "params-key": ["train", "evaluate", "deploy"],
        "params-untracked": [],
        "params-format": [],
        "params-json-toml": ["train", "evaluate", "deploy"],
        "model": ["deploy"],
        "move": ["train", "evaluate", "deploy"],
        "deletion": ["lint", "test", "package", "deploy"],
        "needs-vs-after": ["test", "package", "deploy"],
        "config-definition": ["train", "evaluate", "deploy"],
        "config-comment": [],
        "negated": [],
        "unwatched": [],
        "kind-patterns": ["train", "evaluate", "deploy"],
    ]

    @Test("each scenario affects exactly the stages the rules say")
    func affectedStages() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        for (name, stages) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let plan = try PlanHelpers.plan(["--base", "s-\(name)~1", "--head", "s-\(name)"], in: repo.path)
            #expect(PlanHelpers.affected(plan) == stages, "\(name)")
        }
    }

    @Test("reasons name the path, the pattern and the kind; params reasons the key and both values")
    func reasonDetails() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        let data = try PlanHelpers.plan(["--base", "s-data-only~1", "--head", "s-data-only"], in: repo.path)
        let train = PlanHelpers.reasons(data, "train")
        #expect(train.first?["type"] as? String == "path")
        #expect(train.first?["path"] as? String == "data/new.csv")
        #expect(train.first?["pattern"] as? String == "data/**")
        #expect(train.first?["kind"] as? String == "data")
        #expect(PlanHelpers.reasons(data, "deploy").first?["stage"] as? String == "evaluate")

        let params = try PlanHelpers.plan(["--base", "s-params-key~1", "--head", "s-params-key"], in: repo.path)
        let reason = PlanHelpers.reasons(params, "train").first
        #expect(reason?["key"] as? String == "train.lr")
        #expect(reason?["old"] as? Double == 0.1)
        #expect(reason?["new"] as? Double == 0.2)

        let moved = try PlanHelpers.plan(["--base", "s-move~1", "--head", "s-move"], in: repo.path)
        #expect(moved["unwatched"] as? [String] == ["archive/old.csv"])
        let changes = moved["changes"] as? [[String: Any]] ?? []
        #expect(changes.map { $0["status"] as? String } == ["A", "D"])

        let definition = try PlanHelpers.plan(
            ["--base", "s-config-definition~1", "--head", "s-config-definition"], in: repo.path)
        #expect(PlanHelpers.reasons(definition, "train").first?["fields"] as? [String] == ["run"])
    }

    @Test("text output: the base line, one row per stage, and --explain follows needs upstream")
    func textAndExplain() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        let text = try MLCIRunner.run(["plan", "--base", "s-data-only~1", "--head", "s-data-only"], in: repo.path)
        #expect(text.status == 0)
        #expect(text.out.contains("base  "))
        #expect(text.out.contains("flag"))
        #expect(text.out.contains("train     yes  data/new.csv matched data (data/**)"))
        #expect(text.out.contains("lint      no   not affected"))
        let explain = try MLCIRunner.run(
            ["plan", "--base", "s-data-only~1", "--head", "s-data-only", "--explain", "deploy"], in: repo.path)
        #expect(explain.out.contains("deploy: runs"))
        #expect(explain.out.contains("  - needs evaluate"))
        #expect(explain.out.contains("evaluate: runs"))
        #expect(explain.out.contains("train: runs"))
        #expect(explain.out.contains("A data/new.csv"))
        let unknown = try MLCIRunner.run(["plan", "--explain", "deplyo"], in: repo.path)
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("no stage named 'deplyo'"))
    }

    @Test("machine formats: dotenv names, GitHub outputs and step summary, mermaid and dot")
    func machineFormats() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        let range = ["--base", "s-model~1", "--head", "s-model"]
        let dotenv = try MLCIRunner.run(["plan", "--format", "dotenv"] + range, in: repo.path)
        #expect(dotenv.out.contains("MLCI_AFFECTED_DEPLOY=true\n"))
        #expect(dotenv.out.contains("MLCI_AFFECTED_LINT=false\n"))

        let outputs = try TemporaryDirectory("gh-out")
        let env = ["GITHUB_OUTPUT": outputs.file("out"), "GITHUB_STEP_SUMMARY": outputs.file("summary")]
        let github = try MLCIRunner.run(["plan", "--format", "github"] + range, in: repo.path, environment: env)
        #expect(github.status == 0)
        let out = try String(contentsOfFile: outputs.file("out"), encoding: .utf8)
        #expect(out.contains("deploy=true\n") && out.contains("train=false\n"))
        #expect(out.contains("stages=[\"deploy\"]\n") && out.contains("any=true\n"))
        let summary = try String(contentsOfFile: outputs.file("summary"), encoding: .utf8)
        #expect(summary.contains("```mermaid") && summary.contains("| deploy | ✅ yes |"))
        #expect(github.out.contains("deploy    yes"))

        let mermaid = try MLCIRunner.run(["plan", "--format", "mermaid"] + range, in: repo.path)
        #expect(mermaid.out.hasPrefix("flowchart LR\n"))
        #expect(mermaid.out.contains(" -.-> "), "after edges are dotted")
        let dot = try MLCIRunner.run(["plan", "--format", "dot"] + range, in: repo.path)
        #expect(dot.out.hasPrefix("digraph mlci {") && dot.out.contains("\"package\" -> \"deploy\""))
    }

    @Test("--worktree plans uncommitted changes, with the working tree's mlci.yml")
    func worktree() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        try "x,y\n".write(toFile: repo.file("data/dirty.csv"), atomically: false, encoding: .utf8)
        let plan = try PlanHelpers.plan(["--worktree", "--base", "HEAD"], in: repo.path)
        #expect(PlanHelpers.affected(plan) == ["train", "evaluate", "deploy"])
        #expect((plan["head"] as? [String: Any])?["worktree"] as? Bool == true)
    }

    @Test("a stage's Python params file is read key by key; one mlci cannot read counts as a whole")
    func pythonParams() throws {
        let repo = try TemporaryDirectory("python-params")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try """
        version: 1
        stages:
          train: {run: "python train.py", params: {params.py: [Train.lr, EPOCHS]}}
        """.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-q", "-m", "config")
        func commit(_ params: String) throws -> [String: Any] {
            try params.write(toFile: repo.file("params.py"), atomically: false, encoding: .utf8)
            try Shell.git(repo.path, "add", "-A")
            try Shell.git(repo.path, "commit", "-q", "-m", "params")
            return try PlanHelpers.plan(["--base", "HEAD~1"], in: repo.path)
        }
        _ = try commit("EPOCHS = 3\nclass Train:\n    lr = 0.1\n")
        let comment = try commit("EPOCHS = 3  # more later\nclass Train:\n    lr = 0.1\n    momentum = 0.9\n")
        #expect(PlanHelpers.affected(comment).isEmpty, "a comment and an untracked key change nothing")
        let lr = try commit("EPOCHS = 3\nclass Train:\n    lr = 0.05\n    momentum = 0.9\n")
        #expect(PlanHelpers.affected(lr) == ["train"])
        let reason = try #require(PlanHelpers.reasons(lr, "train").first)
        #expect(reason["type"] as? String == "params" && reason["key"] as? String == "Train.lr")
        #expect(reason["old"] as? Double == 0.1 && reason["new"] as? Double == 0.05)
        // A complex number is not modelled: the file is compared as a whole, so even a comment counts.
        _ = try commit("EPOCHS = 3\nC = 1j\nclass Train:\n    lr = 0.05\n")
        let whole = try commit("EPOCHS = 3  # note\nC = 1j\nclass Train:\n    lr = 0.05\n")
        #expect(PlanHelpers.affected(whole) == ["train"])
        #expect(PlanHelpers.reasons(whole, "train").count == 2, "both keys stand for the whole file")
    }

    @Test("MLCI_TRACE_PERFORMANCE=1 times each step on stderr and leaves the plan alone")
    func performanceTrace() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        let plain = try MLCIRunner.run(["plan", "--format", "json"], in: repo.path)
        let traced = try MLCIRunner.run(
            ["plan", "--format", "json"], in: repo.path, environment: ["MLCI_TRACE_PERFORMANCE": "1"])
        #expect(plain.status == 0 && traced.status == 0)
        #expect(traced.stdout == plain.stdout)
        #expect(!plain.err.contains("mlci: performance:"))
        let steps = traced.err.split(separator: "\n").filter { $0.hasPrefix("mlci: performance: ") }
        for step in ["changes compared", "changes classified", "stages decided", "output written"] {
            #expect(steps.contains { $0.hasSuffix(" ms " + step) }, "\(step) in \(traced.err)")
        }
        let off = try MLCIRunner.run(
            ["plan", "--format", "json"], in: repo.path, environment: ["MLCI_TRACE_PERFORMANCE": "0"])
        #expect(!off.err.contains("mlci: performance:"))
    }

    @Test("--all and MLCI_ALL=1 force every stage")
    func forced() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        for (args, env) in [(["--all"], [String: String]()), ([], ["MLCI_ALL": "1"])] {
            let plan = try PlanHelpers.plan(args, in: repo.path, environment: env)
            #expect(PlanHelpers.affected(plan).count == 6)
            #expect(PlanHelpers.reasons(plan, "lint").first?["type"] as? String == "forced")
        }
    }
}

enum PlanHelpers {
    static func plan(_ args: [String], in dir: String, environment: [String: String] = [:]) throws -> [String: Any] {
        let result = try MLCIRunner.run(["plan", "--format", "json"] + args, in: dir, environment: environment)
        guard result.status == 0 else { throw ShellError(arguments: args, result: result) }
        return try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any] ?? [:]
    }

    static func affected(_ plan: [String: Any]) -> [String] {
        (plan["stages"] as? [[String: Any]] ?? []).filter { $0["affected"] as? Bool == true }.compactMap {
            $0["name"] as? String
        }
    }

    static func reasons(_ plan: [String: Any], _ stage: String) -> [[String: Any]] {
        (plan["stages"] as? [[String: Any]] ?? []).first { $0["name"] as? String == stage }?["reasons"]
            as? [[String: Any]] ?? []
    }

    static func base(_ plan: [String: Any]) -> [String: Any] { plan["base"] as? [String: Any] ?? [:] }
}
