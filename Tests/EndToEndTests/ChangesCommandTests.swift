import Foundation
import MLCITestSupport
import Testing

/// `mlci changes` as a user runs it: flags, defaults, output formats and exit codes.
@Suite("mlci changes, end to end")
struct ChangesCommandTests {
    static func gitDiff(_ dir: String, _ args: String...) throws -> String {
        try Shell.ok(["git", "-C", dir, "diff", "--name-status", "--no-renames"] + args).out
    }

    @Test("--stage lists the changes one stage reads: the same paths its command gets in MLCI_STAGE_FILES")
    func stageFilter() throws {
        let repo = try TemporaryDirectory("changes-stage")
        let marks = try TemporaryDirectory("changes-stage-marks")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try """
        version: 1
        kinds: {code: ["src/**"]}
        stages:
          lint: {run: 'cp "$MLCI_STAGE_FILES" "$MARKS/lint"', on: [code, "!src/generated/**"]}
          train: {run: 'cp "$MLCI_STAGE_FILES" "$MARKS/train"', on: ["data/**"], params: {params.yaml: [lr]}}
        """.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        for dir in ["src/generated", "data", "docs"] {
            try FileManager.default.createDirectory(atPath: repo.file(dir), withIntermediateDirectories: true)
        }
        func write(_ text: String) throws {
            for path in ["src/a.py", "src/generated/g.py", "data/x.csv", "docs/r.md", "params.yaml"] {
                try text.write(toFile: repo.file(path), atomically: false, encoding: .utf8)
            }
        }
        try write("lr: 1\n")
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        try write("lr: 2\n")
        try Shell.git(repo.path, "commit", "-qam", "everything")
        let lint = try MLCIRunner.run(["changes", "--stage", "lint"], in: repo.path)
        #expect(lint.status == 0 && lint.out == "M\tsrc/a.py\n", "\(lint.out)\(lint.err)")
        let train = try MLCIRunner.run(["changes", "--stage", "train", "--format", "json"], in: repo.path)
        let paths = try #require(try JSONSerialization.jsonObject(with: Data(train.out.utf8)) as? [[String: Any]])
            .compactMap { $0["path"] as? String }
        #expect(paths == ["data/x.csv", "params.yaml"])
        // What the stages' commands are given.
        try MLCIRunner.run(["run", "--base", "HEAD~1"], in: repo.path, environment: ["MARKS": marks.path])
            .requireSuccess()
        #expect(try String(contentsOfFile: marks.file("lint"), encoding: .utf8) == "src/a.py\n")
        #expect(
            try String(contentsOfFile: marks.file("train"), encoding: .utf8) == paths.joined(separator: "\n") + "\n")
        let unknown = try MLCIRunner.run(["changes", "--stage", "lnt"], in: repo.path)
        #expect(unknown.status == 2 && unknown.err.contains("no stage named 'lnt'") && unknown.err.contains("lint"))
    }

    @Test("defaults: head is HEAD, base its first parent")
    func defaults() throws {
        let repo = try FixtureRepository.build("core-paths")
        try Shell.git(repo.path, "checkout", "-q", "--detach", "HEAD~1")
        let result = try MLCIRunner.run(["changes"], in: repo.path + "/src")
        #expect(result.status == 0)
        #expect(result.out == (try Self.gitDiff(repo.path, "HEAD~1", "HEAD")))
        #expect(!result.out.isEmpty)
    }

    @Test("a root commit is compared with the empty tree")
    func rootCommit() throws {
        let repo = try FixtureRepository.build("core-paths")
        let root = try Shell.git(repo.path, "rev-list", "--max-parents=0", "main").split(separator: "\n").last.map(
            String.init)!
        let result = try MLCIRunner.run(["changes", "--head", root], in: repo.path)
        #expect(result.status == 0)
        #expect(result.out == (try Self.gitDiff(repo.path, "4b825dc642cb6eb9a060e54bf8d69288fbee4904", root)))
        #expect(result.out.hasPrefix("A\t"))
    }

    @Test("--merge-base is git's three-dot diff")
    func mergeBase() throws {
        let repo = try FixtureRepository.build("core-paths")
        let result = try MLCIRunner.run(
            ["changes", "--base", "left", "--head", "right", "--merge-base"], in: repo.path)
        #expect(result.status == 0)
        #expect(
            result.out
                == (try Shell.ok(["git", "-C", repo.path, "diff", "--name-status", "--no-renames", "left...right"]).out)
        )
        let twoDot = try MLCIRunner.run(["changes", "--base", "left", "--head", "right"], in: repo.path)
        #expect(twoDot.out != result.out, "the fixture must make two-dot and three-dot differ")
    }

    @Test("--repo opens another directory, a linked worktree or a bare repository")
    func repoFlag() throws {
        let repo = try FixtureRepository.build("core-paths")
        let elsewhere = try TemporaryDirectory("elsewhere")
        let expected = try Self.gitDiff(repo.path, "HEAD~1", "HEAD")
        #expect(try MLCIRunner.run(["changes", "--repo", repo.path], in: elsewhere.path).out == expected)
        let bare = elsewhere.path + "/bare.git"
        try Shell.ok(["git", "clone", "-q", "--bare", repo.path, bare])
        #expect(try MLCIRunner.run(["changes", "--repo", bare, "--head", "main"], in: elsewhere.path).out == expected)
        let linked = elsewhere.path + "/linked"
        try Shell.git(repo.path, "worktree", "add", "-q", linked, "left")
        #expect(try MLCIRunner.run(["changes"], in: linked).out == (try Self.gitDiff(repo.path, "left~1", "left")))
    }

    @Test("JSON carries raw paths, modes and object ids")
    func json() throws {
        let repo = try FixtureRepository.build("core-paths")
        let commit = try Shell.git(repo.path, "log", "--format=%H", "--grep", "symlink added", "main")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try MLCIRunner.run(["changes", "--head", commit, "--format", "json"], in: repo.path)
        #expect(result.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: String]]
        let byPath = Dictionary(uniqueKeysWithValues: (parsed ?? []).map { ($0["path"] ?? "", $0) })
        #expect(byPath["docs/a.md"]?["status"] == "T")
        #expect(byPath["docs/a.md"]?["old_mode"] == "100644")
        #expect(byPath["docs/a.md"]?["new_mode"] == "120000")
        #expect(byPath["link"]?["status"] == "A")
        #expect(byPath["link"]?["old_oid"] == nil)
        let linkID = try Shell.git(repo.path, "rev-parse", "\(commit):link").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(byPath["link"]?["new_oid"] == linkID)
    }

    @Test("exit codes: 2 for usage and not-a-repository, 3 for revisions that cannot be resolved")
    func exitCodes() throws {
        let repo = try FixtureRepository.build("core-paths")
        let notRepo = try TemporaryDirectory("plain-dir")

        let outside = try MLCIRunner.run(["changes"], in: notRepo.path)
        #expect(outside.status == 2)
        #expect(outside.err.contains("not a git repository") && outside.err.contains(notRepo.path))

        let unknown = try MLCIRunner.run(["changes", "--base", "origin/nope"], in: repo.path)
        #expect(unknown.status == 3)
        #expect(unknown.err.contains("'origin/nope'") && unknown.err.contains("git fetch"))
        #expect(!unknown.err.contains("Fatal error"))

        let badFlag = try MLCIRunner.run(["changes", "--frobnicate"], in: repo.path)
        #expect(badFlag.status == 2)
        let badFormat = try MLCIRunner.run(["changes", "--format", "yaml"], in: repo.path)
        #expect(badFormat.status == 2)

        let empty = try TemporaryDirectory("empty-repo")
        try Shell.git(empty.path, "init", "-q")
        let noCommits = try MLCIRunner.run(["changes"], in: empty.path)
        #expect(noCommits.status == 3)
        #expect(noCommits.err.contains("no commits"))
    }

    @Test("a base cut off by a shallow clone exits 3 naming the sha and the fix")
    func shallow() throws {
        let repo = try FixtureRepository.build("core-paths")
        let clone = try TemporaryDirectory("shallow-clone")
        try Shell.ok([
            "git", "clone", "-q", "--depth", "1", "--branch", "main", "file://" + repo.path, clone.path + "/c",
        ])
        let parent = try Shell.git(repo.path, "rev-parse", "main~1").trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try MLCIRunner.run(["changes"], in: clone.path + "/c")
        #expect(result.status == 3)
        #expect(result.err.contains(parent))
        #expect(
            result.err.contains("shallow") && result.err.contains("fetch-depth: 0") && result.err.contains("--deepen"))
        let explicit = try MLCIRunner.run(["changes", "--base", parent], in: clone.path + "/c")
        #expect(explicit.status == 3)
        #expect(explicit.err.contains("shallow"))
    }

    @Test("--worktree lists uncommitted work without changing the index")
    func worktree() throws {
        let repo = try FixtureRepository.build("core-paths")
        try "edited\n".write(toFile: repo.path + "/README.md", atomically: false, encoding: .utf8)
        try "new\n".write(toFile: repo.path + "/untracked.txt", atomically: false, encoding: .utf8)
        let result = try MLCIRunner.run(["changes", "--worktree"], in: repo.path)
        #expect(result.status == 0)
        #expect(result.out == "M\tREADME.md\nA\tuntracked.txt\n")
        #expect(try Shell.git(repo.path, "status", "--porcelain") == " M README.md\n?? untracked.txt\n")
    }
}
