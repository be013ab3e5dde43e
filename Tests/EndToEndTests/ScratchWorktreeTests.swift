import Foundation
import MLCITestSupport
import Testing

/// The scratch worktrees hooks check commits in: private, made without a shell, removed on
/// every way out (a signal included), and pruned when a killed hook left one behind.
@Suite("scratch worktrees")
struct ScratchWorktreeTests {
    /// lint records where it ran and the mode of its private directory; test records its
    /// own pid and mlci's, then waits (for the signal test).
    static let config = """
        version: 1
        kinds: {code: ["src/**"]}
        stages:
          lint: {run: "pwd >> \\"$MLCI_TEST_SCRATCH/lint\\"; stat -c %a .. >> \\"$MLCI_TEST_SCRATCH/mode\\"; ! grep -rq BROKEN src", on: [code], cache: false}
          slow: {run: "echo \\"$PPID $$\\" > \\"$MLCI_TEST_SCRATCH/pids\\"; sleep 300", on: ["slow/**"], cache: false}
        """

    /// A clone with a commit on branch `feature` that is not checked out, so pushing it needs
    /// a scratch worktree.
    static func cloneWithFeature(name: String = "work", file: String = "src/app.py") throws -> HookTests.Clone {
        let c = try HookTests.Clone(install: false, config: config, name: name)
        try c.mlci(["hook", "install", "--stages", "lint,slow"]).requireSuccess()
        try Shell.git(c.path, "checkout", "-q", "-b", "feature")
        try c.write(file, "print(2)\n")
        try c.commit("feature")
        try Shell.git(c.path, "checkout", "-q", "main")
        return c
    }

    /// Worktrees git knows of, as `git worktree list --porcelain` names them.
    static func worktrees(_ c: HookTests.Clone) throws -> [String] {
        try Shell.git(c.path, "worktree", "list", "--porcelain").split(separator: "\n")
            .filter { $0.hasPrefix("worktree ") }.map { String($0.dropFirst(9)) }
    }

    static func mlciDirectories(_ tmp: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).filter { $0.hasPrefix("mlci-") }
            .sorted()
    }

    static func find(_ name: String, under dirs: [String]) -> [String] {
        dirs.flatMap { dir in
            (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? [])
                .filter { ($0 as NSString).lastPathComponent == name }.map { dir + "/" + $0 }
        }
    }

    @Test(
        "a repository under a directory named a'$(touch PWNED)'b: both hooks check in scratch worktrees and run no injected command"
    )
    func hostileRepositoryPath() throws {
        let c = try Self.cloneWithFeature(name: "a'$(touch PWNED)'b/work")
        let tmp = try TemporaryDirectory("scratch-tmp")
        let push = try c.push("origin", "feature", env: ["TMPDIR": tmp.path])
        #expect(push.status == 0, "\(push.err)")
        #expect(push.err.contains("temporary worktree"), "\(push.err)")
        #expect(c.ran("lint").count == 1)

        try c.mlci(["hook", "install", "--hook", "pre-commit"]).requireSuccess()
        try c.write("src/app.py", "print(3)\n")
        try Shell.git(c.path, "add", "src/app.py")
        try c.write("src/app.py", "BROKEN but unstaged\n")
        let commit = try c.commitThroughHook("-qm", "staged", env: ["TMPDIR": tmp.path])
        #expect(commit.status == 0, "\(commit.err)")
        #expect(commit.err.contains("temporary worktree"), "\(commit.err)")
        #expect(c.ran("lint").count == 2)

        #expect(Self.find("PWNED", under: [c.dir.path, tmp.path, c.scratch.path]).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/PWNED"))
        #expect(try Self.worktrees(c) == [c.path])
        #expect(Self.mlciDirectories(tmp).isEmpty, "every scratch directory is removed")
    }

    @Test(
        "the scratch worktree is in a fresh 0700 directory; world-writable directories at the old predictable names are never used"
    )
    func privateDirectory() throws {
        let c = try Self.cloneWithFeature()
        let tmp = try TemporaryDirectory("scratch-tmp")
        let sha = try c.head("feature")
        // What another local user could pre-create under the names mlci used before.
        var decoys: [String] = []
        for name in ["mlci-push-\(sha.prefix(12))", "mlci-commit", "mlci-run"] {
            for pid in [1, 2, 100, 1000] {
                let dir = tmp.file("\(name)-\(pid)")
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try "planted\n".write(toFile: dir + "/planted", atomically: false, encoding: .utf8)
                chmod(dir, 0o777)
                decoys.append(dir)
            }
        }
        let push = try c.push("origin", "feature", env: ["TMPDIR": tmp.path])
        #expect(push.status == 0, "\(push.err)")
        let ranIn = try #require(c.ran("lint").first)
        #expect(ranIn.hasPrefix(tmp.path + "/mlci-"), "\(ranIn)")
        #expect(!decoys.contains { ranIn.hasPrefix($0) }, "ran in a planted directory: \(ranIn)")
        #expect(((try? String(contentsOfFile: c.scratch.file("mode"), encoding: .utf8)) ?? "") == "700\n")
        for dir in decoys {
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["planted"], "\(dir) was touched")
        }
        #expect(Self.mlciDirectories(tmp) == decoys.map { ($0 as NSString).lastPathComponent }.sorted())
    }

    @Test("a push killed with SIGHUP kills its stages, removes its scratch worktree and exits non-zero")
    func hangUp() throws {
        let c = try Self.cloneWithFeature(file: "slow/job.txt")
        let tmp = try TemporaryDirectory("scratch-tmp")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", c.path, "push", "origin", "feature"]
        var env = ProcessInfo.processInfo.environment
        env["CI"] = ""
        env["MLCI_TEST_SCRATCH"] = c.scratch.path
        env["TMPDIR"] = tmp.path
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pidsFile = c.scratch.file("pids")
        for _ in 0..<800 where !FileManager.default.fileExists(atPath: pidsFile) { usleep(25_000) }
        usleep(100_000)
        let pids = try String(contentsOfFile: pidsFile, encoding: .utf8).split(separator: " ")
            .compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(pids.count == 2)
        let (mlci, stage) = (pids[0], pids[1])
        let scratch = Self.mlciDirectories(tmp).filter {
            FileManager.default.fileExists(atPath: tmp.file($0 + "/worktree"))
        }
        #expect(scratch.count == 1, "the scratch worktree exists while the stage runs")
        kill(mlci, SIGHUP)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0, "a killed check must not let the push through")
        #expect(!RunCommandTests.processAlive(stage), "the stage's shell must be gone")
        // The stage ran in its own process group (its pid is the group id): nothing of it is left.
        var groupGone = false
        for _ in 0..<100 {
            if kill(-stage, 0) != 0 && errno == ESRCH { groupGone = true; break }
            usleep(20_000)
        }
        #expect(groupGone, "the stage's process group (its sleep) must be gone")
        #expect(try Self.worktrees(c) == [c.path])
        #expect(Self.mlciDirectories(tmp).isEmpty)
        #expect(try Shell.git(c.remote, "branch", "--list", "feature").isEmpty, "the push did not happen")
    }

    @Test("a scratch worktree left by a hook killed with SIGKILL is pruned by the next hook that needs one")
    func stalePruned() throws {
        let c = try Self.cloneWithFeature()
        let tmp = try TemporaryDirectory("scratch-tmp")
        // A finished process's pid stands for an owner that is gone.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = tmp.file("mlci-Stale1")
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: false)
        chmod(stale, 0o700)
        try "\(gone.processIdentifier)\n".write(toFile: stale + "/owner", atomically: false, encoding: .utf8)
        try Shell.git(c.path, "worktree", "add", "-q", "--detach", stale + "/worktree", "main")
        // One whose owner is alive (this test process) is left alone.
        let live = tmp.file("mlci-Live01")
        try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: false)
        chmod(live, 0o700)
        try "\(getpid())\n".write(toFile: live + "/owner", atomically: false, encoding: .utf8)
        try Shell.git(c.path, "worktree", "add", "-q", "--detach", live + "/worktree", "main")
        #expect(try Self.worktrees(c).count == 3)

        let push = try c.push("origin", "feature", env: ["TMPDIR": tmp.path])
        #expect(push.status == 0, "\(push.err)")
        #expect(try Self.worktrees(c) == [c.path, live + "/worktree"])
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(Self.mlciDirectories(tmp) == ["mlci-Live01"])
    }
}
