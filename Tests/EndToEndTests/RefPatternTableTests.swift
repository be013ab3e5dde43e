import Foundation
import MLCITestSupport
import Testing
import Yams

/// One meaning for `tags:` and `branches:` patterns — `*` within a `/` segment, `**` across —
/// held by the plan, by the generated GitLab rule (evaluated as GitLab documents `=~`) and by
/// Jenkins' Ant-style `GLOB` comparator (the Jenkinsfile tests' own implementation). GitHub's
/// filter gives `*` and `**` the same meaning; the characters it reads differently are refused.
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

    @Test("each (pattern, tag) answer is the same in mlci plan, the generated GitLab rule and Jenkins' GLOB")
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

        for (pattern, ref, expected) in Self.table {
            let i = try #require(patterns.firstIndex(of: pattern))
            let plan = try PlanHelpers.plan(["--base", "HEAD", "--head", "HEAD", "--tag", ref], in: repo.path)
            #expect(PlanHelpers.affected(plan).contains("s\(i)") == expected, "plan: \(pattern) vs \(ref)")

            let job = try #require(gitlab["mlci-p\(i)"] as? [String: Any], "trigger job of p\(i)")
            let rules = (job["rules"] as? [[String: Any]] ?? []).compactMap { $0["if"] as? String }
            let tagRule = try #require(rules.first { $0.hasPrefix("$CI_COMMIT_TAG =~ ") }, "\(rules)")
            #expect(
                try GitLabRulesTests.holds(tagRule, ["CI_COMMIT_TAG": ref]) == expected, "GitLab: \(tagRule) vs \(ref)")

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
