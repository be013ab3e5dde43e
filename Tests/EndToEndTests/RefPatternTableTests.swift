import Foundation
import MLCITestSupport
import Testing
import Yams

/// One meaning for `tags:` and `branches:` patterns — `*` within a `/` segment, `**` across —
/// held by the plan, by the generated GitHub workflow's push filter (evaluated with GitHub's
/// documented filter semantics, as the act tests do: act itself does not apply `on:`), by the
/// generated GitLab rule (evaluated as GitLab documents `=~`) and by Jenkins' Ant-style `GLOB`
/// comparator (the Jenkinsfile tests' own implementation). The characters the platforms read
/// differently are refused.
@Suite("ref patterns mean one thing")
struct RefPatternTableTests {
    static let table: [(pattern: String, ref: String, matches: Bool)] = [
        ("release/*", "release/1.0", true),
        ("release/*", "release/a/b", false),  // planned before, never started by GitLab
        ("release/**", "release/a/b", true),
        ("release/**", "release/1.0", true),
        ("model@v*", "model@v3", true),
        ("model@v*", "model@v3/rc", false),
        ("model@v*", "other@v3", false),
        ("*#prod#*", "churn#prod#4", true),
        ("*#prod#*", "team/churn#prod#4", false),
        ("**#prod#*", "team/churn#prod#4", true),
        ("v*.*", "v1.2", true),
        ("v*.*", "v12", false),
        ("v1", "v1", true),
        ("v1", "v10", false),
        ("*", "a/b", false),
        ("**", "a/b", true),
        ("a*b*c", "axxbyyc", true),
        ("a*b*c", "axx/byyc", false),
    ]

    @Test("each (pattern, tag) answer is the same in mlci plan, the GitHub filter, the GitLab rule and Jenkins' GLOB")
    func oneMeaning() throws {
        let patterns = Array(Set(Self.table.map(\.pattern))).sorted()
        let repo = try TemporaryDirectory("ref-patterns")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        var config = "version: 1\nci: {setup: [\"true\"]}\npipelines:\n"
        for i in patterns.indices { config += "  p\(i): {stages: [s\(i)]}\n" }
        config += "stages:\n"
        for (i, pattern) in patterns.enumerated() {
            config += "  s\(i): {run: \"true\", on: [\"never/\(i)/**\"], tags: ['\(pattern)']}\n"
        }
        try repo.write("mlci.yml", config)
        try repo.commitAll("root")
        let generated = try MLCIRunner.run(["generate", "gitlab", "--out", repo.file("gitlab.yml")], in: repo.path)
        #expect(generated.status == 0, "\(generated.err)")
        let gitlab = try #require(
            try Yams.load(yaml: String(contentsOfFile: repo.file("gitlab.yml"), encoding: .utf8)) as? [String: Any])
        let workflows = try MLCIRunner.run(["generate", "github", "--out", repo.file("workflows")], in: repo.path)
        #expect(workflows.status == 0, "\(workflows.err)")
        func workflow(_ i: Int) throws -> [String: Any] {
            let text = try String(contentsOfFile: repo.file("workflows/mlci-p\(i).yml"), encoding: .utf8)
            return try #require(try Yams.load(yaml: text) as? [String: Any])
        }

        for (pattern, ref, expected) in Self.table {
            let i = try #require(patterns.firstIndex(of: pattern))
            let plan = try PlanHelpers.plan(["--base", "HEAD", "--head", "HEAD", "--tag", ref], in: repo.path)
            #expect(PlanHelpers.affected(plan).contains("s\(i)") == expected, "plan: \(pattern) vs \(ref)")

            let job = try #require(gitlab["mlci-p\(i)"] as? [String: Any], "trigger job of p\(i)")
            let rules = (job["rules"] as? [[String: Any]] ?? []).compactMap { $0["if"] as? String }
            let tagRule = try #require(rules.first { $0.hasPrefix("$CI_COMMIT_TAG =~ ") }, "\(rules)")
            #expect(
                try GitLabRulesTests.holds(tagRule, ["CI_COMMIT_TAG": ref]) == expected, "GitLab: \(tagRule) vs \(ref)")

            #expect(
                WorkflowEngineTests.triggers(try workflow(i), event: "push", ref: "refs/tags/" + ref) == expected,
                "GitHub: \(pattern) vs \(ref)")

            #expect(JenkinsfileTests.glob(pattern, ref) == expected, "Jenkins GLOB: \(pattern) vs \(ref)")
        }
    }

    @Test("each (pattern, branch) answer is the same in the GitHub filter, the GitLab rule and Jenkins' GLOB")
    func branches() throws {
        let patterns = Array(Set(Self.table.map(\.pattern))).sorted()
        let repo = try TemporaryDirectory("branch-patterns")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        var config = "version: 1\nci: {setup: [\"true\"]}\npipelines:\n"
        for (i, pattern) in patterns.enumerated() { config += "  p\(i): {stages: [s\(i)], branches: ['\(pattern)']}\n" }
        config += "stages:\n"
        for i in patterns.indices { config += "  s\(i): {run: \"true\", on: [\"src/\(i)/**\"]}\n" }
        try repo.write("mlci.yml", config)
        try repo.commitAll("root")
        #expect(
            try MLCIRunner.run(["generate", "gitlab", "--out", repo.file("gitlab.yml")], in: repo.path).status == 0)
        #expect(try MLCIRunner.run(["generate", "github", "--out", repo.file("workflows")], in: repo.path).status == 0)
        #expect(
            try MLCIRunner.run(["generate", "jenkins", "--out", repo.file("Jenkinsfile")], in: repo.path).status == 0)
        let gitlab = try #require(
            try Yams.load(yaml: String(contentsOfFile: repo.file("gitlab.yml"), encoding: .utf8)) as? [String: Any])
        let jenkinsfile = try String(contentsOfFile: repo.file("Jenkinsfile"), encoding: .utf8)

        for (pattern, ref, expected) in Self.table {
            let i = try #require(patterns.firstIndex(of: pattern))
            let text = try String(contentsOfFile: repo.file("workflows/mlci-p\(i).yml"), encoding: .utf8)
            let workflow = try #require(try Yams.load(yaml: text) as? [String: Any])
            #expect(
                WorkflowEngineTests.triggers(workflow, event: "push", ref: "refs/heads/" + ref) == expected,
                "GitHub: \(pattern) vs \(ref)")

            let job = try #require(gitlab["mlci-p\(i)"] as? [String: Any], "trigger job of p\(i)")
            let rules = (job["rules"] as? [[String: Any]] ?? []).compactMap { $0["if"] as? String }
            let branchRule = try #require(rules.first { $0.hasPrefix("$CI_COMMIT_BRANCH ") }, "\(rules)")
            #expect(
                try GitLabRulesTests.holds(branchRule, ["CI_COMMIT_BRANCH": ref]) == expected,
                "GitLab: \(branchRule) vs \(ref)")

            // The Jenkinsfile names the pattern with the GLOB comparator the Jenkins tests evaluate.
            #expect(jenkinsfile.contains("branch pattern: '\(pattern)', comparator: 'GLOB'"), "\(pattern)")
            #expect(JenkinsfileTests.glob(pattern, ref) == expected, "Jenkins GLOB: \(pattern) vs \(ref)")
        }
    }

    @Test("?, + and a leading ! are refused at their line: GitHub reads them differently")
    func refused() throws {
        let repo = try TemporaryDirectory("ref-patterns-refused")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        for (pattern, message) in [
            ("v1.?", "holds '?', which GitHub reads as a repeat of the character before it; use *"),
            ("v1+", "holds '+', which GitHub reads as a repeat"),
            ("!v1", "starts with '!', which GitHub reads as a negation"),
        ] {
            try "version: 1\nstages:\n  deploy: {run: 'true', on: ['*.py'], tags: ['\(pattern)']}\n"
                .write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
            let result = try MLCIRunner.run(["validate"], in: repo.path)
            #expect(result.status == 2, "\(result.err)")
            #expect(result.err.contains("mlci.yml:3:") && result.err.contains(message), "\(result.err)")
        }
    }
}
