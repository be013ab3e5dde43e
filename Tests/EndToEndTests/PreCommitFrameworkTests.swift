import Foundation
import MLCITestSupport
import Testing

/// mlci's `.pre-commit-hooks.yaml` used as a user of the pre-commit framework uses it: the real
/// `pre-commit` (from .venv), offline, with the built mlci on PATH (`language: system`), through
/// `pre-commit try-repo` against this checkout and through real `git push`es of a repository whose
/// `.pre-commit-config.yaml` names mlci's hooks.
@Suite("pre-commit framework")
struct PreCommitFrameworkTests {
    /// A fixture repository (HookTests' clone with a bare remote), a PATH whose only mlci is the
    /// built one, and a private pre-commit cache.
    final class Setup {
        let clone: HookTests.Clone
        let tools: TemporaryDirectory
        let preCommit: String

        init(config: String = HookTests.config) throws {
            preCommit = try Validators.path("pre-commit")
            clone = try HookTests.Clone(install: false, config: config)
            tools = try TemporaryDirectory("pre-commit-tools")
            try FileManager.default.createDirectory(atPath: tools.file("bin"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: tools.file("bin/mlci"), withDestinationPath: FixturePaths.mlciBinary)
        }

        var environment: [String: String] {
            [
                "PATH": tools.file("bin") + ":/usr/local/bin:/usr/bin:/bin", "PRE_COMMIT_HOME": tools.file("cache"),
                "CI": "", "MLCI_TEST_SCRATCH": clone.scratch.path, "PRE_COMMIT_COLOR": "never",
            ]
        }

        /// `pre-commit ARGS` in the fixture repository.
        func preCommit(_ args: [String]) throws -> ProcessResult {
            try Shell.run([preCommit] + args, in: clone.path, environment: environment)
        }

        /// `pre-commit try-repo <this checkout> HOOK ARGS`.
        func tryRepo(_ hook: String, _ args: [String] = []) throws -> ProcessResult {
            try preCommit(["try-repo", FixturePaths.packageRoot, hook] + args)
        }

        /// `pre-commit try-repo … mlci-plan` as pre-commit's own pre-push hook calls it, with the
        /// range and remote it passes.
        func tryPrePush(from: String, to: String, branch: String = "refs/heads/main") throws -> ProcessResult {
            try tryRepo(
                "mlci-plan",
                [
                    "--hook-stage", "pre-push", "--from-ref", from, "--to-ref", to, "--remote-name", "origin",
                    "--remote-url", clone.remote, "--local-branch", branch, "--remote-branch", branch,
                ])
        }
    }

    @Test("mlci-validate: a broken mlci.yml fails with its file:line, a fixed one passes")
    func validate() throws {
        let s = try Setup()
        try s.clone.write("mlci.yml", HookTests.config + "\n  bad: {run: \"true\", on: [code], needs: [nope]}\n")
        try s.clone.commit("broken config")
        let broken = try s.tryRepo("mlci-validate", ["--all-files"])
        #expect(broken.status != 0, "\(broken.out)\(broken.err)")
        #expect(broken.out.contains("mlci.yml:7:") && broken.out.contains("unknown stage 'nope'"), "\(broken.out)")
        try s.clone.write("mlci.yml", HookTests.config)
        try s.clone.commit("fixed config")
        let fixed = try s.tryRepo("mlci-validate", ["--all-files"])
        #expect(fixed.status == 0, "\(fixed.out)\(fixed.err)")
        #expect(fixed.out.contains("mlci validate") && fixed.out.contains("Passed"), "\(fixed.out)")
    }

    @Test("mlci-plan on pre-push takes pre-commit's FROM/TO range: broken code in it blocks, docs pass")
    func planPushedRange() throws {
        let s = try Setup()
        let root = try s.clone.head()
        try s.clone.write("src/app.py", "FAILTEST\n")
        try s.clone.commit("broken")
        let broken = try s.clone.head()
        try s.clone.write("docs/more.md", "more\n")
        try s.clone.commit("docs")
        let docs = try s.clone.head()

        let blocked = try s.tryPrePush(from: root, to: docs)
        #expect(blocked.status != 0, "\(blocked.out)\(blocked.err)")
        #expect(blocked.out.contains("runs lint, test") && blocked.out.contains("push blocked"), "\(blocked.out)")
        #expect(s.clone.ran("test") == [docs], "the stages ran at TO_REF")

        let onlyDocs = try s.tryPrePush(from: broken, to: docs)
        #expect(onlyDocs.status == 0, "\(onlyDocs.out)\(onlyDocs.err)")
        #expect(onlyDocs.out.contains("no hook stage affected"), "\(onlyDocs.out)")
        #expect(s.clone.ran("test").count == 1)

        // pre-commit itself never passes all zeros (it runs git diff FROM..TO first), but another
        // caller may, as git does for a new branch: the commits not on the remote are checked.
        let zeros = try Shell.run(
            [FixturePaths.mlciBinary, "hook", "run", "pre-push", "--from-pre-commit"], in: s.clone.path,
            environment: s.environment.merging([
                "PRE_COMMIT_FROM_REF": String(repeating: "0", count: 40), "PRE_COMMIT_TO_REF": docs,
                "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/topic", "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/topic",
                "PRE_COMMIT_REMOTE_NAME": "origin",
            ]) { $1 })
        #expect(zeros.status == 1 && zeros.err.contains("origin topic: new commits since"), "\(zeros.err)")
    }

    @Test("mlci-generate-check: missing or drifted workflows fail, generated ones pass")
    func generateCheck() throws {
        let s = try Setup()
        let missing = try s.tryRepo("mlci-generate-check", ["--all-files"])
        #expect(missing.status != 0, "\(missing.out)")
        try MLCIRunner.run(["generate", "github"], in: s.clone.path).requireSuccess()
        try s.clone.commit("workflows")
        let clean = try s.tryRepo("mlci-generate-check", ["--all-files"])
        #expect(clean.status == 0, "\(clean.out)\(clean.err)")
        try s.clone.write("mlci.yml", HookTests.config + "\n  deploy: {run: \"true\", on: [code]}\n")
        try s.clone.commit("config changed, workflows not regenerated")
        let drift = try s.tryRepo("mlci-generate-check", ["--all-files"])
        #expect(drift.status != 0, "\(drift.out)")
    }

    @Test(
        "a .pre-commit-config.yaml naming mlci's hooks: real git pushes through pre-commit's pre-push hook (existing branch, new branch, first push of a whole history)"
    )
    func realPushes() throws {
        let s = try Setup()
        // The shipped manifest, as a repository with a rev, the way a user's config names mlci.
        let hooksRepo = s.tools.file("mlci-hooks")
        try FileManager.default.createDirectory(atPath: hooksRepo, withIntermediateDirectories: true)
        try Shell.ok(["git", "init", "-q", "-b", "main", hooksRepo])
        try FileManager.default.copyItem(
            atPath: FixturePaths.packageRoot + "/.pre-commit-hooks.yaml", toPath: hooksRepo + "/.pre-commit-hooks.yaml")
        try Shell.git(hooksRepo, "add", "-A")
        try Shell.git(hooksRepo, "commit", "-qm", "hooks")
        let rev = try Shell.git(hooksRepo, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try s.clone.write(
            ".pre-commit-config.yaml",
            """
            repos:
              - repo: \(hooksRepo)
                rev: \(rev)
                hooks:
                  - id: mlci-validate
                  - id: mlci-plan

            """)
        try s.clone.commit("pre-commit config")
        try #require(s.preCommit(["install", "--hook-type", "pre-push"]).status == 0)
        /// `git push ARGS`; pre-commit prints the hooks' output on standard output, git on standard error.
        func push(_ args: String...) throws -> (status: Int32, err: String) {
            let result = try Shell.run(["git", "-C", s.clone.path, "push"] + args, environment: s.environment)
            return (result.status, result.out + result.err)
        }

        // An existing branch: FROM is the remote's commit.
        try #require(push("origin", "main").status == 0)
        let old = try s.clone.head()
        try s.clone.write("src/app.py", "FAILTEST\n")
        try s.clone.commit("broken")
        let blocked = try push("origin", "main")
        #expect(blocked.status != 0 && blocked.err.contains("push blocked"), "\(blocked.err)")
        #expect(try Shell.git(s.clone.remote, "rev-parse", "main").hasPrefix(old))
        try s.clone.write("src/app.py", "print('fixed')\n")
        try s.clone.commit("fixed")
        let fixed = try push("origin", "main")
        #expect(fixed.status == 0, "\(fixed.err)")
        #expect(s.clone.ran("test").last == (try s.clone.head()), "\(fixed.err)")

        // A new branch off an older commit: pre-commit passes the parent of its first new
        // commit, so main's later code does not count; docs only runs nothing.
        try Shell.git(s.clone.path, "checkout", "-q", "-b", "feature", old)
        try s.clone.write("docs/feature.md", "feature\n")
        try s.clone.commit("feature docs")
        let runs = s.clone.ran("lint").count
        let feature = try push("origin", "feature")
        #expect(feature.status == 0 && feature.err.contains("no hook stage affected"), "\(feature.err)")
        #expect(s.clone.ran("lint").count == runs)

        // A first push of the whole history to an empty remote: pre-commit passes no FROM_REF
        // (only PRE_COMMIT_LOCAL_BRANCH); every commit is checked.
        let empty = s.tools.file("empty.git")
        try Shell.ok(["git", "init", "-q", "--bare", "-b", "main", empty])
        try Shell.git(s.clone.path, "remote", "add", "fresh", empty)
        let whole = try push("fresh", "feature")
        #expect(whole.status == 0, "\(whole.err)")
        #expect(whole.err.contains("fresh feature: whole history") && whole.err.contains("runs lint"), "\(whole.err)")
    }
}
