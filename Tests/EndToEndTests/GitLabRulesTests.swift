import Foundation
import MLCITestSupport
import Testing
import Yams

/// Which child pipelines the generated `.gitlab-ci.yml` starts, for each kind of GitLab
/// pipeline. gitlabci-local does not evaluate `rules:`, so the test evaluates the trigger jobs'
/// rules the way GitLab documents them: the first rule whose `if` holds decides (`when: never`
/// starts nothing), no matching rule starts nothing; `$VAR` is true when set and not empty,
/// `&&` joins conditions that must all hold,
/// `==` compares strings (an unset variable is null), `=~` matches a regular expression.
@Suite("GitLab trigger rules")
struct GitLabRulesTests {
    static let config = """
        version: 1
        pipelines:
          ci: {stages: [lint]}
          cd: {stages: [deploy], branches: [main, "release/*", 'we"ird', 'it''s"both']}
          ct: {stages: [train], schedule: "0 3 * * 1", dispatch: retrain}
        stages:
          lint: {run: "true", on: ["src/**"]}
          deploy: {run: "true", on: ["models/**"], tags: ["model@v*"]}
          train: {run: "true", on: ["data/**"]}
        """

    /// Evaluates one `rules: if:` expression of the forms the generator writes.
    static func holds(_ expression: String, _ env: [String: String]) throws -> Bool {
        if expression.contains(" && ") {
            return try expression.components(separatedBy: " && ").allSatisfy { try holds($0, env) }
        }
        let parts = expression.split(separator: " ", maxSplits: 2).map(String.init)
        let name = String(try #require(parts.first).dropFirst())
        let value = env[name]
        guard parts.count == 3 else { return !(value ?? "").isEmpty }
        switch parts[1] {
        case "==":
            // GitLab's string literal: "…" or '…', no escapes.
            let literal = String(parts[2].dropFirst().dropLast())
            #expect(
                parts[2].first == parts[2].last && (parts[2].first == "\"" || parts[2].first == "'"), "\(expression)")
            return value == literal
        case "=~":
            guard let value else { return false }
            let pattern = String(parts[2].dropFirst().dropLast()).replacingOccurrences(of: "\\/", with: "/")
            return value.range(of: pattern, options: .regularExpression) != nil
        default:
            Issue.record("unexpected operator in \(expression)")
            return false
        }
    }

    /// GitLab's lexer for a regular-expression operand (`Gitlab::Ci::Pipeline::Expression::
    /// Lexeme::Pattern`): it ends at the first unescaped `/`, even inside a character class.
    static let gitlabPatternLexeme = try! NSRegularExpression(pattern: #"^\/([^\/]|\\/)+[^\\]\/[ismU]*"#)

    /// Every `=~` operand is read by GitLab's lexer as the whole pattern mlci wrote.
    static func lexesWhole(_ expression: String) -> Bool {
        var ok = true
        for part in expression.components(separatedBy: " && ") {
            let pieces = part.split(separator: " ", maxSplits: 2).map(String.init)
            guard pieces.count == 3, pieces[1] == "=~" else { continue }
            let operand = pieces[2]
            let match = gitlabPatternLexeme.firstMatch(in: operand, range: NSRange(operand.startIndex..., in: operand))
            ok = ok && match?.range.length == (operand as NSString).length
        }
        return ok
    }

    /// The child pipelines the parent starts in an environment.
    static func started(_ parent: [String: Any], _ env: [String: String]) throws -> Set<String> {
        var out: Set<String> = []
        for (job, body) in parent where job.hasPrefix("mlci-") && job != "mlci-plan" {
            let rules = (body as? [String: Any])?["rules"] as? [[String: Any]] ?? []
            for rule in rules {
                if let condition = rule["if"] as? String {
                    #expect(lexesWhole(condition), "GitLab would cut a pattern short in: \(condition)")
                    if !(try holds(condition, env)) { continue }
                }
                if rule["when"] as? String != "never" { out.insert(String(job.dropFirst(5))) }
                break
            }
        }
        return out
    }

    @Test(
        "tags start the pipelines that deploy on them, branch globs and quotes work, schedules start only scheduled pipelines, merge requests skip training"
    )
    func triggerRules() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        try Self.config.write(toFile: repo.file("rules.yml"), atomically: false, encoding: .utf8)
        try MLCIRunner.run(["generate", "gitlab", "--config", "rules.yml", "--out", "rules-ci.yml"], in: repo.path)
            .requireSuccess()
        #expect(
            try Validators.problems(
                "check-jsonschema",
                ["--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci", repo.file("rules-ci.yml")])
                == nil)
        let parent = try #require(
            try Yams.load(yaml: String(contentsOfFile: repo.file("rules-ci.yml"), encoding: .utf8)) as? [String: Any])
        let push = ["CI_PIPELINE_SOURCE": "push"]
        func branch(_ name: String) -> [String: String] { push.merging(["CI_COMMIT_BRANCH": name]) { $1 } }
        #expect(try Self.started(parent, branch("main")) == ["ci", "cd", "ct"])
        #expect(try Self.started(parent, branch("release/1.0")) == ["ci", "cd", "ct"], "a branch glob")
        #expect(try Self.started(parent, branch("release/1.0/x")) == ["ci", "ct"], "* stays within a segment")
        #expect(try Self.started(parent, branch("we\"ird")) == ["ci", "cd", "ct"], "a quote in a branch name")
        #expect(try Self.started(parent, branch("it's\"both")) == ["ci", "cd", "ct"], "both quotes")
        #expect(try Self.started(parent, branch("feature")) == ["ci", "ct"])
        #expect(
            try Self.started(parent, push.merging(["CI_COMMIT_TAG": "model@v1"]) { $1 }) == ["cd"],
            "a release tag starts the deployment (GitLab leaves CI_COMMIT_BRANCH unset for tags)")
        #expect(try Self.started(parent, push.merging(["CI_COMMIT_TAG": "v2.0"]) { $1 }).isEmpty)
        #expect(try Self.started(parent, ["CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main"]) == ["ct"])
        #expect(
            try Self.started(
                parent, ["CI_PIPELINE_SOURCE": "trigger", "MLCI_TRIGGER": "retrain", "CI_COMMIT_BRANCH": "main"])
                == ["ct"])
        #expect(
            try Self.started(parent, ["CI_PIPELINE_SOURCE": "merge_request_event", "CI_COMMIT_BRANCH": ""]) == ["ci"],
            "training does not start for every merge request")
        // MLCI_TRIGGER set on a push (a project variable, git push -o ci.variable=…) changes nothing:
        // the plan reads it only in triggered pipelines, and so do the rules.
        #expect(
            try Self.started(parent, branch("main").merging(["MLCI_TRIGGER": "retrain"]) { $1 }) == ["ci", "cd", "ct"])
        #expect(
            try Self.started(
                parent, ["CI_PIPELINE_SOURCE": "pipeline", "MLCI_TRIGGER": "retrain", "CI_COMMIT_BRANCH": "main"])
                == ["ct"], "a multi-project trigger")
    }

    @Test("merge trains and merged results plan from the target branch's tip")
    func mergeTrainBase() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        let main = try Shell.git(repo.path, "rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
        for type in ["merge_train", "merged_result"] {
            let plan = try PlanHelpers.plan(
                ["--head", "feature"], in: repo.path,
                environment: [
                    "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event",
                    "CI_MERGE_REQUEST_EVENT_TYPE": type,
                    "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": main, "CI_MERGE_REQUEST_DIFF_BASE_SHA": main,
                ])
            #expect(
                PlanHelpers.base(plan)["sha"] as? String == main
                    && PlanHelpers.base(plan)["source"] as? String == "gitlab:\(type)")
        }
    }

    @Test("the plan's dotenv is a report only within GitLab's 20-variable limit; past it, a plain artifact")
    func dotenvLimit() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        for (count, report) in [(18, true), (19, false)] {
            let stages = (1...count).map { "  s\($0): {run: \"true\"}" }.joined(separator: "\n")
            try "version: 1\nstages:\n\(stages)\n".write(
                toFile: repo.file("many.yml"), atomically: false, encoding: .utf8)
            try MLCIRunner.run(
                ["generate", "gitlab", "--config", "many.yml", "--out", "many-ci.yml", "--force"], in: repo.path
            )
            .requireSuccess()
            let parent = try #require(
                try Yams.load(yaml: String(contentsOfFile: repo.file("many-ci.yml"), encoding: .utf8)) as? [String: Any]
            )
            let artifacts = try #require((parent["mlci-plan"] as? [String: Any])?["artifacts"] as? [String: Any])
            let dotenv = (artifacts["reports"] as? [String: Any])?["dotenv"] as? String
            #expect((dotenv == "mlci.env") == report, "\(count) stages")
            #expect(((artifacts["paths"] as? [String])?.contains("mlci.env") ?? false) == !report, "\(count) stages")
            // What the report would hold: a variable per stage and the two shas.
            let variables = try MLCIRunner.run(["plan", "--config", "many.yml", "--format", "dotenv"], in: repo.path)
            #expect(variables.out.split(separator: "\n").count == count + 2)
        }
    }

    @Test("shards above GitLab's parallel limit of 200 are refused at their line")
    func shardLimit() throws {
        let repo = try FixtureRepository.build("generate-mlops")
        try "version: 1\nstages:\n  test: {run: pytest, shards: 201}\n".write(
            toFile: repo.file("shards.yml"), atomically: false, encoding: .utf8)
        let result = try MLCIRunner.run(["validate", "--config", "shards.yml"], in: repo.path)
        #expect(
            result.status == 2
                && result.err.contains(
                    "shards.yml:3:31: error: stage 'test': shards must be a whole number from 1 to 200"),
            "\(result.err)")
    }
}
