import Foundation
import MLCITestSupport
import Testing

/// A pull request controls the head's mlci.yml. Removing a stage is reported; removing one the
/// base protects fails the plan (so the required check fails); and a plan can follow the base
/// commit's mlci.yml instead, as the generated pipelines do for pull requests from forks.
@Suite("changed definitions: removed stages, protected stages, --config-from base")
struct ConfigPolicyTests {
    static let baseConfig = """
        version: 1
        kinds: {code: ["src/**"]}
        protected_stages: [lint]
        stages:
          lint: {run: 'echo lint-from-base > "$MARKS/lint"', on: [code]}
          test: {run: 'echo test-from-base > "$MARKS/test"', on: [code]}
          docs: {run: "true", on: ["docs/**"]}
        """

    /// main has the base config; the branch edits code and applies `headConfig`.
    func repo(headConfig: String) throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory("config-policy")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try FileManager.default.createDirectory(atPath: repo.file("src"), withIntermediateDirectories: true)
        try Self.baseConfig.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try "a\n".write(toFile: repo.file("src/a.py"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        try Shell.git(repo.path, "checkout", "-q", "-b", "pr")
        try headConfig.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try "b\n".write(toFile: repo.file("src/a.py"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "pr")
        return repo
    }

    @Test("removing an unprotected stage is a warning and listed in removed_stages; the plan passes")
    func unprotectedRemoval() throws {
        let repo = try repo(
            headConfig: Self.baseConfig.replacingOccurrences(
                of: "  docs: {run: \"true\", on: [\"docs/**\"]}", with: ""))
        let json = try MLCIRunner.run(["plan", "--base", "main", "--format", "json"], in: repo.path)
        #expect(json.status == 0, "\(json.err)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let removed = try #require(plan["removed_stages"] as? [[String: Any]])
        #expect(
            removed.count == 1 && removed[0]["name"] as? String == "docs" && removed[0]["protected"] as? Bool == false)
        let text = try MLCIRunner.run(["plan", "--base", "main"], in: repo.path)
        #expect(
            text.status == 0 && text.out.contains("warning: stage docs is in mlci.yml at the base but not at the head"))
        let markdown = try MLCIRunner.run(["plan", "--base", "main", "--format", "markdown"], in: repo.path)
        #expect(markdown.out.contains("stage docs is in mlci.yml at the base but not at the head"))
    }

    @Test("removing a stage the base protects fails the plan with exit 1, even when the head unprotects it too")
    func protectedRemoval() throws {
        let head = """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              test: {run: "true", on: [code]}
              docs: {run: "true", on: ["docs/**"]}
            """
        let repo = try repo(headConfig: head)
        let json = try MLCIRunner.run(["plan", "--base", "main", "--format", "json"], in: repo.path)
        #expect(json.status == 1)
        #expect(json.err.contains("a protected stage was removed"), "\(json.err)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let removed = try #require(plan["removed_stages"] as? [[String: Any]])
        #expect(removed.first?["name"] as? String == "lint" && removed.first?["protected"] as? Bool == true)
        let text = try MLCIRunner.run(["plan", "--base", "main"], in: repo.path)
        #expect(
            text.status == 1
                && text.out.contains(
                    "error: stage lint is in mlci.yml at the base but not at the head: it is protected")
        )
    }

    @Test("moving a protected stage into a pipeline that never runs for pull requests fails the plan too")
    func protectedLeavesPullRequests() throws {
        let head = """
            version: 1
            kinds: {code: ["src/**"]}
            pipelines:
              ci: {stages: [test, docs]}
              never: {stages: [lint], dispatch: nope}
            stages:
              lint: {run: 'true', on: [code]}
              test: {run: 'true', on: [code]}
              docs: {run: "true", on: ["docs/**"]}
            """
        let repo = try repo(headConfig: head)
        let json = try MLCIRunner.run(["plan", "--base", "main", "--format", "json"], in: repo.path)
        #expect(json.status == 1, "\(json.err)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let removed = try #require((plan["removed_stages"] as? [[String: Any]])?.first)
        #expect(removed["name"] as? String == "lint" && removed["reason"] as? String == "not run for pull requests")
        let text = try MLCIRunner.run(["plan", "--base", "main"], in: repo.path)
        #expect(text.out.contains("at the head no pipeline that runs for pull requests holds it"), "\(text.out)")
    }

    @Test("--config-from base follows the base's mlci.yml: a removed stage still runs, edited commands are the base's")
    func configFromBase() throws {
        let head = """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              test: {run: 'echo test-from-head > "$MARKS/test"', on: ["nothing/**"]}
            """
        let repo = try repo(headConfig: head)
        let plan = try PlanHelpers.plan(["--base", "main", "--config-from", "base"], in: repo.path)
        #expect(Set(PlanHelpers.affected(plan)) == ["lint", "test"])
        #expect((plan["removed_stages"] as? [Any])?.isEmpty == true)
        #expect(PlanHelpers.reasons(plan, "lint").allSatisfy { $0["type"] as? String == "path" })
        // The same through the variable the generated pipelines set; the stage runs the base's command.
        let marks = try TemporaryDirectory("config-policy-marks")
        let env = ["MLCI_CONFIG_FROM": "base", "MARKS": marks.path]
        let run = try MLCIRunner.run(["run", "--base", "main"], in: repo.path, environment: env)
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(try String(contentsOfFile: marks.file("test"), encoding: .utf8) == "test-from-base\n")
        #expect(try String(contentsOfFile: marks.file("lint"), encoding: .utf8) == "lint-from-base\n")
        let job = try MLCIRunner.run(
            ["job", "test"], in: repo.path,
            environment: env.merging(["MLCI_BASE_SHA": "main", "MLCI_HEAD_SHA": "pr"]) { $1 })
        #expect(job.status == 0, "\(job.out)\(job.err)")
        #expect(try String(contentsOfFile: marks.file("test"), encoding: .utf8) == "test-from-base\n")
    }

    @Test("bad uses of --config-from exit 2 with the reason")
    func configFromErrors() throws {
        let repo = try repo(headConfig: Self.baseConfig)
        let bogus = try MLCIRunner.run(
            ["plan", "--base", "main"], in: repo.path, environment: ["MLCI_CONFIG_FROM": "fork"])
        #expect(bogus.status == 2 && bogus.err.contains("MLCI_CONFIG_FROM must be head or base"), "\(bogus.err)")
        let both = try MLCIRunner.run(
            ["plan", "--base", "main", "--config-from", "base", "--config", "mlci.yml"], in: repo.path)
        #expect(both.status == 2 && both.err.contains("cannot be used with --config"), "\(both.err)")
        try Shell.git(repo.path, "rm", "-q", "mlci.yml")
        try Shell.git(repo.path, "commit", "-qm", "no config at head")
        let noBaseConfig = try MLCIRunner.run(["plan", "--base", "HEAD", "--config-from", "base"], in: repo.path)
        #expect(noBaseConfig.status == 2 && noBaseConfig.err.contains("no mlci.yml in base"), "\(noBaseConfig.err)")
    }
}
