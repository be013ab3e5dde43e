import Foundation
import MLCITestSupport
import Testing

/// Anyone who can push a tag can point it at any commit, and a tag build runs jobs with their
/// secrets. A stage with secrets runs in a tag build only for a commit on the default branch
/// (`tag_commits: default-branch`, its default); the attack is a release tag on a commit of an
/// unmerged branch.
@Suite("tag builds of commits off the default branch")
struct TagCommitsTests {
    /// An upstream with `v1` on main and `v1-feature` on an unmerged branch, and a clone of it.
    final class Upstream {
        let dir: TemporaryDirectory
        var upstream: String { dir.file("upstream") }
        var clone: String { dir.file("clone") }

        init() throws {
            dir = try TemporaryDirectory("tag-commits")
            try FileManager.default.createDirectory(atPath: upstream, withIntermediateDirectories: true)
            try Shell.git(upstream, "init", "-q", "-b", "main")
            try """
            version: 1
            default_branch: main
            ci:
              setup: ["mlci --version"]
            pipelines:
              release: {stages: [test, deploy, publish, notify, smoke]}
            stages:
              test: {run: "true", on: ["tests/**"], tags: ["v*"]}
              deploy: {run: "true", on: ["deploy/**"], tags: ["v*"], secrets: [DEPLOY_TOKEN]}
              publish: {run: "true", on: ["pub/**"], tags: ["v*"], secrets: [PYPI_TOKEN], tag_commits: any}
              notify: {run: "true", on: ["notify/**"], tags: ["v*"], tag_commits: default-branch}
              smoke: {run: "true", on: ["smoke/**"], needs: [deploy]}
            """.write(toFile: upstream + "/mlci.yml", atomically: false, encoding: .utf8)
            try "print(1)\n".write(toFile: upstream + "/app.py", atomically: false, encoding: .utf8)
            try Shell.git(upstream, "add", "-A")
            try Shell.git(upstream, "commit", "-qm", "release")
            try Shell.git(upstream, "tag", "v1")
            try Shell.git(upstream, "checkout", "-qb", "feature")
            try "print('unreviewed')\n".write(toFile: upstream + "/app.py", atomically: false, encoding: .utf8)
            try Shell.git(upstream, "commit", "-qam", "unreviewed")
            try Shell.git(upstream, "tag", "v1-feature")
            try Shell.git(upstream, "checkout", "-q", "main")
            try Shell.ok(["git", "clone", "-q", upstream, clone])
        }

        func plan(_ tag: String, in dir: String, environment: [String: String] = [:]) throws -> [String: Any] {
            try Shell.git(dir, "checkout", "-q", "--detach", tag)
            return try PlanHelpers.plan(["--base", "HEAD", "--head", "HEAD", "--tag", tag], in: dir)
        }
    }

    static func heldBack(_ plan: [String: Any], _ stage: String) -> String? {
        (plan["stages"] as? [[String: Any]] ?? []).first { $0["name"] as? String == stage }?["held_back"] as? String
    }

    @Test(
        "a tag on an unmerged commit runs no stage with secrets (nor one that asks), says why, and its needs-dependents stay put; the same tag on main runs them"
    )
    func tagOffTheDefaultBranch() throws {
        let u = try Upstream()
        let off = try u.plan("v1-feature", in: u.clone)
        #expect(PlanHelpers.affected(off) == ["test", "publish"], "\(off)")
        let held = try #require(Self.heldBack(off, "deploy"))
        #expect(
            held.contains("tag v1-feature is on commit") && held.contains("not on the default branch (origin/main)"))
        #expect(Self.heldBack(off, "notify") == held)
        #expect(Self.heldBack(off, "smoke") == nil, "smoke has no reason of its own to run")
        // The reasons it would have run for are kept, so the plan explains the whole decision.
        #expect(PlanHelpers.reasons(off, "deploy").first?["type"] as? String == "tag")

        let text = try MLCIRunner.run(["plan", "--base", "HEAD", "--head", "HEAD", "--tag", "v1-feature"], in: u.clone)
        #expect(text.status == 0)
        #expect(text.out.contains("deploy   no   held back: tag v1-feature is on commit"), "\(text.out)")
        let explained = try MLCIRunner.run(
            ["plan", "--explain", "deploy", "--base", "HEAD", "--head", "HEAD", "--tag", "v1-feature"], in: u.clone)
        #expect(explained.out.contains("held back: tag v1-feature"), "\(explained.out)")

        let on = try u.plan("v1", in: u.clone)
        #expect(PlanHelpers.affected(on) == ["test", "deploy", "publish", "notify", "smoke"], "\(on)")
        #expect(Self.heldBack(on, "deploy") == nil)

        // The tag read from the CI's own variables is held back the same way.
        try Shell.git(u.clone, "checkout", "-q", "--detach", "v1-feature")
        let gitlab = try PlanHelpers.plan(
            ["--base", "HEAD", "--head", "HEAD"], in: u.clone, environment: ["CI_COMMIT_TAG": "v1-feature"])
        #expect(PlanHelpers.affected(gitlab) == ["test", "publish"])
        let github = try PlanHelpers.plan(
            ["--base", "HEAD", "--head", "HEAD"], in: u.clone, environment: ["GITHUB_REF": "refs/tags/v1-feature"])
        #expect(PlanHelpers.affected(github) == ["test", "publish"])
    }

    @Test(
        "a clone holding only the tag cannot show the commit is on main, so the stage is held back with the fetch to run; the generated GitLab and Jenkins plan steps fetch it"
    )
    func tagOnlyClone() throws {
        let u = try Upstream()
        let tagOnly = u.dir.file("tag-only")
        try FileManager.default.createDirectory(atPath: tagOnly, withIntermediateDirectories: true)
        try Shell.git(tagOnly, "init", "-q")
        try Shell.git(tagOnly, "remote", "add", "origin", u.upstream)
        try Shell.git(
            tagOnly, "fetch", "-q", "origin", "+refs/tags/v1:refs/tags/v1", "+refs/tags/v1-feature:refs/tags/v1-feature"
        )

        let unknown = try u.plan("v1", in: tagOnly)
        #expect(PlanHelpers.affected(unknown) == ["test", "publish"])
        #expect(
            Self.heldBack(unknown, "deploy")?.contains(
                "the default branch main is not in this clone, so the tagged commit cannot be shown to be on it "
                    + "(fetch it: git fetch origin +refs/heads/main:refs/remotes/origin/main)") == true,
            "\(unknown)")

        // The generated GitLab plan job runs this line before planning a tag pipeline.
        let generated = try MLCIRunner.run(["generate", "gitlab", "--out", u.dir.file("gitlab.yml")], in: u.clone)
        #expect(generated.status == 0, "\(generated.err)")
        let gitlab = try String(contentsOfFile: u.dir.file("gitlab.yml"), encoding: .utf8)
        let line = try #require(
            gitlab.split(separator: "\n").first { $0.contains("git fetch --quiet origin") }.map {
                String($0.drop { $0 != "i" }).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            })
        #expect(line.hasPrefix("if [ -n \"${CI_COMMIT_TAG:-}\" ]; then git fetch"), "\(line)")
        try Shell.ok(["bash", "-euc", line], in: tagOnly, environment: ["CI_COMMIT_TAG": "v1"])
        #expect(PlanHelpers.affected(try u.plan("v1", in: tagOnly)).contains("deploy"))
        #expect(!PlanHelpers.affected(try u.plan("v1-feature", in: tagOnly)).contains("deploy"))

        try MLCIRunner.run(["generate", "jenkins", "--out", u.dir.file("Jenkinsfile")], in: u.clone)
        let jenkins = try String(contentsOfFile: u.dir.file("Jenkinsfile"), encoding: .utf8)
        #expect(
            jenkins.contains(
                "if (env.TAG_NAME) { sh 'git fetch --quiet origin \\'+refs/heads/main:refs/remotes/origin/main\\' || true' }"
            ), "\(jenkins)")
    }

    @Test("tag_commits takes default-branch or any, and default_branch a plain branch name, each refused at its line")
    func refusedValues() throws {
        let repo = try TemporaryDirectory("tag-commits-config")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        let cases: [(String, String)] = [
            (
                "stages:\n  deploy: {run: \"true\", on: [\"*.py\"], tags: [\"v*\"], tag_commits: sometimes}\n",
                "mlci.yml:3:66: error: stage 'deploy': tag_commits must be default-branch or any"
            ),
            (
                "default_branch: \"main; curl x | sh\"\nstages:\n  t: {run: \"true\", on: [\"*.py\"]}\n",
                "mlci.yml:2:17: error: default_branch must be a branch name"
            ),
        ]
        for (body, message) in cases {
            try ("version: 1\n" + body).write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
            let result = try MLCIRunner.run(["validate"], in: repo.path)
            #expect(result.status == 2, "\(result.err)")
            #expect(result.err.contains(message), "\(result.err)")
        }
    }
}
