import Foundation
import MLCITestSupport
import Testing

/// The pre-push hook end to end: a repository with a local bare remote, `mlci hook install`,
/// and real `git push`es through the installed hook.
@Suite("git hooks")
struct HookTests {
    static let config = """
        version: 1
        kinds: {code: ["src/**", "tests/**"], docs: ["docs/**"]}
        stages:
          lint: {run: "git rev-parse HEAD >> \\"$MLCI_TEST_SCRATCH/lint\\"; ! grep -rq BROKEN src", on: [code], cache: false}
          test: {run: "git rev-parse HEAD >> \\"$MLCI_TEST_SCRATCH/test\\"; ! grep -rq FAILTEST src tests", on: [code], cache: false}
          train: {run: "true", on: ["data/**"]}
        """

    final class Clone {
        let dir: TemporaryDirectory
        let scratch: TemporaryDirectory
        var path: String { dir.file(name) }
        var remote: String { dir.file("remote.git") }

        let name: String

        /// `name`: where the clone lives inside the test directory (it may hold hostile characters).
        init(install: Bool = true, config: String = HookTests.config, name: String = "work") throws {
            self.name = name
            dir = try TemporaryDirectory("hook")
            scratch = try TemporaryDirectory("hook-scratch")
            try Shell.ok(["git", "init", "-q", "--bare", "-b", "main", remote])
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try Shell.ok(["git", "init", "-q", "-b", "main", path])
            try write("mlci.yml", config)
            try write("src/app.py", "print(1)\n")
            try write("tests/test_app.py", "def test(): pass\n")
            try write("docs/index.md", "docs\n")
            try write("data/a.csv", "a\n")
            try commit("root")
            try Shell.git(path, "remote", "add", "origin", remote)
            try Shell.ok(["git", "-C", path, "push", "-q", "--no-verify", "origin", "main"])
            if install { try mlci(["hook", "install"]).requireSuccess() }
        }

        func write(_ file: String, _ text: String) throws { try TestRepository.write(path, file, text) }

        func commit(_ message: String) throws { try TestRepository.commitAll(path, message) }

        func head(_ rev: String = "HEAD") throws -> String { try TestRepository.sha(path, rev) }

        /// `git push ARGS` with CI unset (the hook does nothing under CI).
        func push(_ args: String..., env: [String: String] = [:]) throws -> ProcessResult {
            try Shell.run(
                ["git", "-C", path, "push"] + args,
                environment: ["CI": "", "MLCI_TEST_SCRATCH": scratch.path].merging(env) { $1 })
        }

        /// `git commit ARGS` with CI unset.
        func commitThroughHook(_ args: String..., env: [String: String] = [:]) throws -> ProcessResult {
            try Shell.run(
                ["git", "-C", path, "commit"] + args,
                environment: ["CI": "", "MLCI_TEST_SCRATCH": scratch.path].merging(env) { $1 })
        }

        func mlci(_ args: [String]) throws -> ProcessResult { try MLCIRunner.run(args, in: path) }

        func ran(_ stage: String) -> [String] {
            ((try? String(contentsOfFile: scratch.file(stage), encoding: .utf8)) ?? "").split(separator: "\n").map(
                String.init)
        }
    }

    @Test("a docs-only push runs no stage and goes through")
    func docsOnly() throws {
        let c = try Clone()
        try c.write("docs/index.md", "more docs\n")
        try c.commit("docs")
        let push = try c.push("origin", "main")
        #expect(push.status == 0, "\(push.err)")
        #expect(push.err.contains("no hook stage affected"))
        #expect(c.ran("lint").isEmpty && c.ran("test").isEmpty)
    }

    @Test("a failing stage blocks the push; a passing one lets it through")
    func blocksAndPasses() throws {
        let c = try Clone()
        try c.write("src/app.py", "FAILTEST\n")
        try c.commit("broken")
        let blocked = try c.push("origin", "main")
        #expect(blocked.status != 0)
        #expect(blocked.err.contains("push blocked"))
        #expect(
            try Shell.git(c.remote, "rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
                != (try c.head()))
        try c.write("src/app.py", "print(2)\n")
        try c.commit("fixed")
        let ok = try c.push("origin", "main")
        #expect(ok.status == 0, "\(ok.err)")
        #expect(c.ran("test").last == (try c.head()))
    }

    @Test("git push origin a b: every ref is planned, and only b's code change runs the stages, at b")
    func multipleRefs() throws {
        let c = try Clone()
        try Shell.git(c.path, "checkout", "-q", "-b", "a")
        try c.write("docs/a.md", "a\n")
        try c.commit("a: docs")
        try Shell.git(c.path, "checkout", "-q", "-b", "b", "main")
        try c.write("src/b.py", "B = 1\n")
        try c.commit("b: code")
        try Shell.git(c.path, "checkout", "-q", "main")
        let push = try c.push("origin", "a", "b")
        #expect(push.status == 0, "\(push.err)")
        #expect(c.ran("lint") == [try c.head("b")], "the stages ran once, at the pushed commit of b")
        #expect(push.err.contains("origin a: ") && push.err.contains("no hook stage affected"))
    }

    @Test("a first push of a branch behind origin/main counts only the branch's own commits")
    func newBranchBehindMain() throws {
        let c = try Clone()
        let old = try c.head()
        try c.write("src/app.py", "print('newer main')\n")
        try c.commit("main moves on")
        try #require(c.push("origin", "main").status == 0)
        try Shell.git(c.path, "checkout", "-q", "-b", "feature", old)
        try c.write("docs/feature.md", "feature docs\n")
        try c.commit("feature: docs only")
        let before = c.ran("lint").count
        let push = try c.push("origin", "feature")
        #expect(push.status == 0, "\(push.err)")
        #expect(c.ran("lint").count == before, "main's newer code must not count for the feature branch")
        #expect(push.err.contains("no hook stage affected"))
    }

    @Test("a force push after a rebase plans the rewritten commits only")
    func forcePush() throws {
        let c = try Clone()
        try Shell.git(c.path, "checkout", "-q", "-b", "topic")
        try c.write("docs/topic.md", "v1\n")
        try c.commit("topic v1")
        try #require(c.push("origin", "topic").status == 0)
        try Shell.git(c.path, "commit", "-q", "--amend", "-m", "topic v1, reworded")
        try c.write("src/app.py", "BROKEN\n")
        try c.commit("topic: broken code")
        let push = try c.push("--force", "origin", "topic")
        #expect(push.status != 0, "the rewritten history holds broken code")
        #expect(push.err.contains("not on origin"))
    }

    @Test("a deletion push and a tag of a pushed commit check nothing; a tag of a new commit is checked")
    func deletionAndTags() throws {
        let c = try Clone()
        try Shell.git(c.path, "checkout", "-q", "-b", "gone")
        try #require(c.push("origin", "gone").status == 0)
        let deletion = try c.push("origin", "--delete", "gone")
        #expect(deletion.status == 0 && deletion.err.contains("deletion"))
        try Shell.git(c.path, "checkout", "-q", "main")
        try Shell.git(c.path, "tag", "-a", "v1", "-m", "v1")
        let tag = try c.push("origin", "v1")
        #expect(tag.status == 0 && tag.err.contains("every commit is already on origin"), "\(tag.err)")
        try c.write("src/app.py", "FAILTEST\n")
        try c.commit("broken, tagged")
        try Shell.git(c.path, "tag", "v2")
        let newTag = try c.push("origin", "v2")
        #expect(newTag.status != 0, "a tag of a new broken commit is checked")
    }

    @Test("an uncommitted fix does not rescue a broken commit")
    func uncommittedFix() throws {
        let c = try Clone()
        try c.write("src/app.py", "BROKEN\n")
        try c.commit("broken")
        try c.write("src/app.py", "print('fixed, not committed')\n")
        let push = try c.push("origin", "main")
        #expect(push.status != 0)
        #expect(push.err.contains("temporary worktree"))
        #expect(
            try String(contentsOfFile: c.path + "/src/app.py", encoding: .utf8) == "print('fixed, not committed')\n",
            "the user's file is untouched")
        #expect(
            try Shell.git(c.path, "worktree", "list").split(separator: "\n").count == 1,
            "the temporary worktree is removed")
    }

    @Test("install keeps an existing hook (run first), is idempotent, and uninstall restores it byte for byte")
    func existingHook() throws {
        let c = try Clone(install: false)
        let hookPath = c.path + "/.git/hooks/pre-push"
        let mine = "#!/bin/sh\n# my own hook\necho mine-ran >> \"$MLCI_TEST_SCRATCH/mine\"\nexit 0\n"
        try mine.write(toFile: hookPath, atomically: false, encoding: .utf8)
        chmod(hookPath, 0o755)
        let first = try c.mlci(["hook", "install"])
        #expect(first.status == 0 && first.out.contains("kept as"))
        #expect(try c.mlci(["hook", "install", "--stages", "lint"]).status == 0, "installing again just updates")
        #expect(try String(contentsOfFile: hookPath + ".mlci-prev", encoding: .utf8) == mine)
        try c.write("src/app.py", "print(3)\n")
        try c.commit("code")
        #expect(try c.push("origin", "main").status == 0)
        #expect(c.ran("mine") == ["mine-ran"], "the previous hook ran")
        #expect(c.ran("lint").count == 1 && c.ran("test").isEmpty, "the reinstall limited the hook to lint")
        let status = try c.mlci(["hook", "status"])
        #expect(status.out.contains("stages:    lint") && status.out.contains("kept as pre-push.mlci-prev"))
        #expect(try c.mlci(["hook", "uninstall"]).status == 0)
        #expect(try String(contentsOfFile: hookPath, encoding: .utf8) == mine)
        #expect(!FileManager.default.fileExists(atPath: hookPath + ".mlci-prev"))
        let refuse = try c.mlci(["hook", "uninstall"])
        #expect(refuse.status == 2 && refuse.err.contains("not mlci's"))
        #expect(try String(contentsOfFile: hookPath, encoding: .utf8) == mine)
    }

    @Test("the previous hook failing blocks the push too")
    func previousHookFails() throws {
        let c = try Clone(install: false)
        let hookPath = c.path + "/.git/hooks/pre-push"
        try "#!/bin/sh\necho 'my hook says no' >&2\nexit 1\n".write(
            toFile: hookPath, atomically: false, encoding: .utf8)
        chmod(hookPath, 0o755)
        try c.mlci(["hook", "install"]).requireSuccess()
        try c.write("docs/x.md", "x\n")
        try c.commit("docs")
        let push = try c.push("origin", "main")
        #expect(push.status != 0 && push.err.contains("my hook says no"))
    }

    @Test(
        "the hooks directory is the one git uses: core.hooksPath inside the repository, the common dir for linked worktrees; outside is refused"
    )
    func hooksDirectory() throws {
        let c = try Clone(install: false)
        try Shell.git(c.path, "config", "core.hooksPath", ".githooks")
        try c.mlci(["hook", "install"]).requireSuccess()
        let gitPath = try Shell.git(c.path, "rev-parse", "--git-path", "hooks").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(gitPath == ".githooks")
        #expect(FileManager.default.fileExists(atPath: c.path + "/.githooks/pre-push"))
        try c.write("src/app.py", "BROKEN\n")
        try c.commit("broken")
        #expect(try c.push("origin", "main").status != 0, "git runs the hook from core.hooksPath")

        let outside = try TemporaryDirectory("global-hooks")
        try Shell.git(c.path, "config", "core.hooksPath", outside.path)
        let refused = try c.mlci(["hook", "install"])
        #expect(refused.status == 2 && refused.err.contains(outside.path) && refused.err.contains("--hooks-path"))
        #expect(
            try Shell.git(c.path, "config", "core.hooksPath").trimmingCharacters(in: .whitespacesAndNewlines)
                == outside.path, "never changed")
        #expect(try c.mlci(["hook", "install", "--hooks-path", outside.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: outside.path + "/pre-push"))

        try Shell.git(c.path, "config", "--unset", "core.hooksPath")
        let linked = c.dir.file("linked")
        try Shell.git(c.path, "worktree", "add", "-q", "-b", "side", linked)
        try MLCIRunner.run(["hook", "install"], in: linked).requireSuccess()
        let common = try Shell.git(linked, "rev-parse", "--path-format=absolute", "--git-path", "hooks")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(FileManager.default.fileExists(atPath: common + "/pre-push"))
        #expect(common == c.path + "/.git/hooks")
    }

    @Test("a missing mlci binary blocks the push with instructions, unless installed with --fail-open")
    func missingBinary() throws {
        let c = try Clone(install: false)
        let copy = c.dir.file("mlci-copy")
        try FileManager.default.copyItem(atPath: FixturePaths.mlciBinary, toPath: copy)
        try Shell.ok([copy, "hook", "install"], in: c.path)
        try FileManager.default.removeItem(atPath: copy)
        try c.write("docs/y.md", "y\n")
        try c.commit("docs")
        let env = ["PATH": "/usr/bin:/bin"]
        let blocked = try c.push("origin", "main", env: env)
        #expect(blocked.status != 0)
        #expect(
            blocked.err.contains("cannot find mlci") && blocked.err.contains("mlci hook install")
                && blocked.err.contains("MLCI=0"))
        let status = try c.mlci(["hook", "status"])
        #expect(status.out.contains("MISSING"))
        try FileManager.default.copyItem(atPath: FixturePaths.mlciBinary, toPath: copy)
        try Shell.ok([copy, "hook", "install", "--fail-open"], in: c.path)
        try FileManager.default.removeItem(atPath: copy)
        #expect(try c.push("origin", "main", env: env).status == 0)
    }

    @Test("MLCI=0 skips the check and MLCI_SKIP skips stages, both announced")
    func skipVariables() throws {
        let c = try Clone()
        try c.write("src/app.py", "FAILTEST\n")
        try c.commit("test would fail")
        let skipAll = try c.push("origin", "main", env: ["MLCI": "0"])
        #expect(skipAll.status == 0 && skipAll.err.contains("MLCI=0"))
        try c.write("src/app.py", "FAILTEST again\n")
        try c.commit("still failing")
        let skipTest = try c.push("origin", "main", env: ["MLCI_SKIP": "test"])
        #expect(skipTest.status == 0, "\(skipTest.err)")
        #expect(skipTest.err.contains("MLCI_SKIP skips test"))
        #expect(c.ran("lint").count == 1 && c.ran("test").isEmpty)
        #expect(skipTest.err.contains("runs lint; skips test (MLCI_SKIP)"), "\(skipTest.err)")
        try c.write("src/app.py", "FAILTEST once more\n")
        try c.commit("skipping both")
        let skipBoth = try c.push("origin", "main", env: ["MLCI_SKIP": "lint,test"])
        #expect(
            skipBoth.err.contains("skips lint, test (MLCI_SKIP)") && !skipBoth.err.contains("no hook stage affected"))
    }

    @Test(
        "--stages values are quoted in the hook script: shell syntax in a name runs nothing, a name with a space works")
    func stagesQuoted() throws {
        let config =
            HookTests.config
            + "\n  e2e tests: {run: \"echo e2e >> \\\"$MLCI_TEST_SCRATCH/e2e\\\"\", on: [code], cache: false}\n"
        let c = try Clone(install: false, config: config)
        try c.mlci(["hook", "install", "--stages", "lint;touch${IFS}INJECTED;#"]).requireSuccess()
        try c.write("src/app.py", "print(2)\n")
        try c.commit("code")
        _ = try c.push("origin", "main")
        #expect(!FileManager.default.fileExists(atPath: c.path + "/INJECTED"), "a stage name ran as shell")
        #expect(!FileManager.default.fileExists(atPath: c.path + "/.git/INJECTED"))
        try c.mlci(["hook", "install", "--stages", "lint,e2e tests"]).requireSuccess()
        try c.write("src/app.py", "print(3)\n")
        try c.commit("more code")
        let push = try c.push("origin", "main")
        #expect(push.status == 0, "\(push.err)")
        #expect(c.ran("e2e") == ["e2e"] && c.ran("lint").count == 1, "\(push.err)")
        let newline = try c.mlci(["hook", "install", "--stages", "lint\nrm -rf /"])
        #expect(newline.status == 2 && newline.err.contains("control character"), "\(newline.err)")
    }

    @Test("a push of commits without mlci.yml while the working tree has one says to commit it, or how to skip")
    func uncommittedConfig() throws {
        let c = try Clone(install: false)
        try Shell.git(c.path, "rm", "-q", "--cached", "mlci.yml")
        try c.write("src/app.py", "print(2)\n")
        try Shell.git(c.path, "commit", "-qam", "mlci.yml not committed")
        try c.mlci(["hook", "install"]).requireSuccess()
        let push = try c.push("origin", "main")
        #expect(push.status != 0)
        #expect(
            push.err.contains("mlci.yml is in your working tree but not in the pushed commit")
                && push.err.contains("MLCI=0 git push") && push.err.contains("--no-verify"), "\(push.err)")
    }

    @Test("a hook stage mlci.yml does not define is named at install and at every push, with the stages there are")
    func missingHookStage() throws {
        let c = try Clone(install: false)
        let install = try c.mlci(["hook", "install", "--stages", "lnit"])
        #expect(install.status == 0)
        #expect(install.out.contains("mlci.yml has no stage 'lnit' (did you mean 'lint'?)"), "\(install.out)")
        try c.write("src/app.py", "print(2)\n")
        try c.commit("code")
        let push = try c.push("origin", "main")
        #expect(push.err.contains("mlci: warning: mlci.yml has no stage 'lnit'"), "\(push.err)")
    }

    @Test("malformed hook input is refused with the line, and empty input is fine")
    func malformedInput() throws {
        let c = try Clone()
        let bad = try MLCIRunner.run(
            ["hook", "run", "pre-push", "origin", c.remote], in: c.path, environment: ["CI": ""],
            stdin: Array("refs/heads/main abc\n".utf8))
        #expect(bad.status == 2 && bad.err.contains("line 1"))
        let empty = try MLCIRunner.run(
            ["hook", "run", "pre-push", "origin", c.remote], in: c.path, environment: ["CI": ""], stdin: [])
        #expect(empty.status == 0 && empty.err.contains("nothing is being pushed"))
        let unknown = try MLCIRunner.run(
            ["hook", "run", "pre-push", "origin", c.remote], in: c.path, environment: ["CI": ""],
            stdin: Array(
                "refs/heads/main \(String(repeating: "ab", count: 20)) refs/heads/main \(String(repeating: "0", count: 40))\n"
                    .utf8))
        #expect(unknown.status == 2 && unknown.err.contains("not a commit"))
    }
}

@Suite("pre-commit hook")
struct PreCommitTests {
    @Test(
        "pre-commit runs lint on exactly the staged content: unstaged fixes do not rescue it, unstaged breakage does not block it"
    )
    func stagedContent() throws {
        let c = try HookTests.Clone(install: false)
        try c.mlci(["hook", "install", "--hook", "pre-commit"]).requireSuccess()
        #expect(try c.mlci(["hook", "status", "--hook", "pre-commit"]).out.contains("stages:    lint"))
        func commit(_ message: String) throws -> ProcessResult {
            try Shell.run(
                ["git", "-C", c.path, "commit", "-qm", message],
                environment: ["CI": "", "MLCI_TEST_SCRATCH": c.scratch.path])
        }
        try c.write("docs/index.md", "docs only\n")
        try Shell.git(c.path, "add", "docs/index.md")
        let docs = try commit("docs")
        #expect(docs.status == 0 && docs.err.contains("no hook stage affected"))
        #expect(c.ran("lint").isEmpty)

        try c.write("src/app.py", "BROKEN\n")
        try Shell.git(c.path, "add", "src/app.py")
        try c.write("src/app.py", "print('fixed but not staged')\n")
        let blocked = try commit("broken staged")
        #expect(blocked.status != 0 && blocked.err.contains("commit blocked"))
        #expect(blocked.err.contains("temporary worktree"))
        #expect(
            try String(contentsOfFile: c.path + "/src/app.py", encoding: .utf8) == "print('fixed but not staged')\n")

        try Shell.git(c.path, "add", "src/app.py")
        try c.write("src/app.py", "BROKEN but unstaged\n")
        let passes = try commit("good staged")
        #expect(passes.status == 0, "\(passes.err)")
        // `git commit -a` commits through a temporary index that git names in GIT_INDEX_FILE.
        try c.write("src/app.py", "BROKEN again\n")
        let all = try Shell.run(
            ["git", "-C", c.path, "commit", "-qam", "commit -a"],
            environment: ["CI": "", "MLCI_TEST_SCRATCH": c.scratch.path])
        #expect(all.status != 0 && all.err.contains("commit blocked"), "\(all.err)")
        #expect(try c.mlci(["hook", "uninstall", "--hook", "pre-commit"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: c.path + "/.git/hooks/pre-commit"))
    }

    static let inputsConfig = """
        version: 1
        kinds: {code: ["src/**"]}
        stages:
          lint: {run: "! grep -q BAD conf/x", on: [code], inputs: ["conf/**"], cache: false}
        """

    @Test(
        "a stage's inputs: count as what it reads: an unstaged BAD in an input does not block a good commit, a staged one blocks"
    )
    func inputsAreRead() throws {
        let c = try HookTests.Clone(install: false, config: Self.inputsConfig)
        try c.write("conf/x", "fine\n")
        try c.commit("conf")
        try c.mlci(["hook", "install", "--hook", "pre-commit"]).requireSuccess()

        // Staged: a code change and a good conf/x; unstaged: BAD in conf/x.
        try c.write("src/app.py", "print(2)\n")
        try Shell.git(c.path, "add", "src/app.py")
        try c.write("conf/x", "BAD\n")
        let good = try c.commitThroughHook("-qm", "code change, unstaged BAD input")
        #expect(good.status == 0, "\(good.err)")
        #expect(good.err.contains("runs lint") && good.err.contains("temporary worktree"), "\(good.err)")
        #expect(try String(contentsOfFile: c.path + "/conf/x", encoding: .utf8) == "BAD\n", "the unstaged edit is kept")

        // The mirror: BAD staged, the fix unstaged.
        try Shell.git(c.path, "add", "conf/x")
        try c.write("src/app.py", "print(3)\n")
        try Shell.git(c.path, "add", "src/app.py")
        try c.write("conf/x", "fixed but not staged\n")
        let bad = try c.commitThroughHook("-qm", "staged BAD input")
        #expect(bad.status != 0 && bad.err.contains("commit blocked"), "\(bad.err)")
        #expect(try String(contentsOfFile: c.path + "/conf/x", encoding: .utf8) == "fixed but not staged\n")
    }
}
