import Foundation
import MLCICore
import MLCIGit
import MLCITestSupport
import Testing

/// `mlci changes --worktree` must list what `git add -A && git diff --cached --name-status
/// --no-renames BASE` lists, without touching the index.
@Suite("worktree changes equal git add -A + diff --cached")
struct WorktreeOracleTests {
    /// Leaves the core-paths fixture with staged, unstaged, untracked and ignored changes.
    static func dirty(_ dir: String) throws {
        let fm = FileManager.default
        func write(_ path: String, _ text: String) throws { try TestRepository.write(dir, path, text) }
        try write(".gitignore", "build/\n*.log\n")
        try write("README.md", "staged edit\n")
        try Shell.git(dir, "add", "README.md", ".gitignore")
        try write("src/app.py", "unstaged edit\n")
        try write("a0", "staged\n")
        try Shell.git(dir, "add", "a0")
        try write("a0", "then edited again\n")
        try write("new/untracked.txt", "untracked\n")
        try write("new/deeper/also.txt", "untracked\n")
        try write("build/out.bin", "ignored\n")
        try write("debug.log", "ignored\n")
        try fm.removeItem(atPath: dir + "/sp ace.txt")
        try Shell.git(dir, "rm", "-q", "--cached", "docs")
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/src/app.py")
        try fm.removeItem(atPath: dir + "/a.b")
        try fm.createSymbolicLink(atPath: dir + "/a.b", withDestinationPath: "README.md")
        try fm.removeItem(atPath: dir + "/a-b")
        try write("a-b/inner", "file became a directory\n")
        try write("staged-then-gone", "x\n")
        try Shell.git(dir, "add", "staged-then-gone")
        try fm.removeItem(atPath: dir + "/staged-then-gone")
        try write("weird\tname \u{e9}", "quoted\n")
    }

    @Test("staged, unstaged, untracked and ignored files, against several bases")
    func matchesGitAddAll() throws {
        let dir = try FixtureRepository.build("core-paths")
        try Self.dirty(dir.path)
        let indexBefore = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/.git/index"))

        let copy = try TemporaryDirectory("worktree-oracle")
        try Shell.ok(["cp", "-a", dir.path + "/.", copy.path])
        try Shell.git(copy.path, "add", "-A")

        let repo = try Repository(discoveringFrom: dir.path)
        let quoting = PathQuoting()
        let root = try Shell.git(dir.path, "rev-list", "--max-parents=0", "HEAD").split(separator: "\n").last.map(
            String.init)!
        for base in ["HEAD", "HEAD~3", "left", root] {
            let git = try Shell.ok(["git", "-C", copy.path, "diff", "--cached", "--name-status", "--no-renames", base])
            let range = try ChangeRange.resolve(in: repo, base: base, head: nil, mergeBase: false, worktree: true)
            let mine = ChangeListing.nameStatus(try range.changes(in: repo), quoting: quoting)
            #expect(String(decoding: mine, as: UTF8.self) == git.out, "base \(base)")
            #expect(!git.stdout.isEmpty)
        }
        let indexAfter = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/.git/index"))
        #expect(indexBefore == indexAfter, "the index must not be modified")
    }

    @Test("object ids of working-tree files are the blob ids git add records")
    func worktreeIDs() throws {
        let dir = try FixtureRepository.build("core-paths")
        try Self.dirty(dir.path)
        let repo = try Repository(discoveringFrom: dir.path)
        let changes = try repo.worktreeChanges(from: try repo.resolveCommit("HEAD"))
        let copy = try TemporaryDirectory("worktree-ids")
        try Shell.ok(["cp", "-a", dir.path + "/.", copy.path])
        try Shell.git(copy.path, "add", "-A")
        var checked = 0
        for change in changes where change.newID != nil {
            let staged = try Shell.ok(["git", "-C", copy.path, "ls-files", "-s", "-z", "--", change.path])
            let fields = staged.out.split(separator: " ")
            #expect(fields.count >= 2 && String(fields[1]) == change.newID!.hex, "\(change.path)")
            #expect(fields.first.map(String.init) == change.newMode?.octal, "\(change.path)")
            checked += 1
        }
        #expect(checked >= 6)
    }

    @Test("an empty repository compares its working tree against the empty tree")
    func emptyRepository() throws {
        let dir = try TemporaryDirectory("empty-repo")
        try Shell.git(dir.path, "init", "-q")
        try "hello\n".write(toFile: dir.path + "/hello.txt", atomically: false, encoding: .utf8)
        let repo = try Repository(discoveringFrom: dir.path)
        let range = try ChangeRange.resolve(in: repo, base: nil, head: nil, mergeBase: false, worktree: true)
        let changes = try range.changes(in: repo)
        #expect(changes.map(\.path) == ["hello.txt"])
        #expect(changes.map(\.status) == [.added])
    }
}
