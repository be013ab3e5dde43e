import Foundation
import MLCIGit
import MLCITestSupport
import Testing

/// Revision parsing, merge-base and repository discovery, each checked against git.
@Suite("revisions and discovery agree with git")
struct RevisionTests {
    @Test("revision syntaxes resolve to the commit git's rev-parse names")
    func revisionsMatchRevParse() throws {
        let dir = try FixtureRepository.build("core-paths")
        let repo = try Repository(discoveringFrom: dir.path)
        let short = String(try Shell.git(dir.path, "rev-parse", "HEAD~2").prefix(9))
        let revs = [
            "HEAD", "HEAD~3", "HEAD^2", "HEAD^3", "main", "left", "refs/heads/right", "v1", "v1-annotated",
            "v1-annotated^{commit}", "v1^{commit}", short, "main@{0}", "HEAD^2~1^2",
        ]
        for rev in revs {
            let expected = try Shell.git(dir.path, "rev-parse", "--verify", "\(rev)^{commit}")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try repo.resolveCommit(rev).hex == expected, "\(rev)")
        }
    }

    @Test("unknown revisions and non-commits are reported, not crashed on")
    func badRevisions() throws {
        let dir = try FixtureRepository.build("core-paths")
        let repo = try Repository(discoveringFrom: dir.path)
        #expect(throws: GitError.unknownRevision("no-such-branch")) { try repo.resolveCommit("no-such-branch") }
        #expect(throws: GitError.pastRoot("HEAD~999")) { try repo.resolveCommit("HEAD~999") }
        #expect(throws: GitError.unknownRevision("nope~2")) { try repo.resolveCommit("nope~2") }
        let blob = try Shell.git(dir.path, "rev-parse", "HEAD:README.md").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(throws: GitError.notACommit(blob)) { try repo.resolveCommit(blob) }
        #expect(throws: GitError.self) { try repo.resolveCommit("HEAD^^^{tree}..") }
    }

    @Test("merge-base equals git merge-base for every pair of branch tips, criss-cross included")
    func mergeBaseMatchesGit() throws {
        let dir = try FixtureRepository.build("core-paths")
        let repo = try Repository(discoveringFrom: dir.path)
        let tips = ["main", "left", "right", "side", "HEAD~1", "HEAD^2~1", "v1-annotated"]
        var compared = 0
        for a in tips {
            for b in tips where a != b {
                let git = try Shell.run(["git", "-C", dir.path, "merge-base", a, b])
                let mine = try repo.mergeBase(try repo.resolveCommit(a), try repo.resolveCommit(b))
                if git.status == 0 {
                    #expect(mine?.hex == git.out.trimmingCharacters(in: .whitespacesAndNewlines), "\(a) \(b)")
                } else {
                    #expect(mine == nil, "\(a) \(b)")
                }
                compared += 1
            }
        }
        #expect(compared == 42)
    }

    @Test("discovery from a subdirectory, a linked worktree and a bare repository matches git")
    func discovery() throws {
        let dir = try FixtureRepository.build("core-paths")
        let sub = dir.path + "/src"
        let fromSub = try Repository(discoveringFrom: sub)
        #expect(fromSub.workdir == dir.path + "/")

        let linked = dir.path + "-linked"
        try Shell.git(dir.path, "worktree", "add", "-q", "--detach", linked, "HEAD~2")
        defer { try? FileManager.default.removeItem(atPath: linked) }
        let wt = try Repository(discoveringFrom: linked)
        #expect(wt.workdir == linked + "/")
        let gitDir = try Shell.git(linked, "rev-parse", "--absolute-git-dir").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let common = try Shell.git(linked, "rev-parse", "--git-common-dir").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(URL(fileURLWithPath: wt.gitDir).standardized.path == URL(fileURLWithPath: gitDir).standardized.path)
        #expect(
            URL(fileURLWithPath: wt.commonDir).standardized.path
                == URL(fileURLWithPath: common, relativeTo: URL(fileURLWithPath: linked + "/")).standardized.path)
        #expect(
            try wt.resolveCommit("HEAD").hex
                == (try Shell.git(linked, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)))

        let bare = dir.path + "-bare.git"
        try Shell.ok(["git", "clone", "-q", "--bare", dir.path, bare])
        defer { try? FileManager.default.removeItem(atPath: bare) }
        let bareRepo = try Repository(discoveringFrom: bare)
        #expect(bareRepo.isBare)
        #expect(bareRepo.workdir == nil)
        #expect(try bareRepo.resolveCommit("main") == (try Repository(discoveringFrom: dir.path).resolveCommit("main")))
    }

    @Test("a directory outside any repository is reported by path")
    func notARepository() throws {
        let dir = try TemporaryDirectory("not-a-repo")
        #expect(throws: GitError.notARepository(path: dir.path)) {
            try Repository(discoveringFrom: dir.path)
        }
    }

    @Test("a parent cut off by a shallow clone is reported as shallow, with its sha")
    func shallowClone() throws {
        let dir = try FixtureRepository.build("core-paths")
        let shallow = try TemporaryDirectory("shallow")
        try Shell.ok([
            "git", "clone", "-q", "--depth", "1", "--branch", "main", "file://" + dir.path, shallow.path + "/c",
        ])
        let repo = try Repository(discoveringFrom: shallow.path + "/c")
        #expect(repo.isShallow)
        let head = try repo.resolveCommit("HEAD")
        let parent = try repo.commit(head).parents[0]
        #expect(!repo.contains(parent))
        #expect(throws: GitError.missingInShallowClone(sha: parent.hex, what: "commit")) {
            try repo.commit(parent)
        }
        #expect(throws: GitError.missingInShallowClone(sha: "HEAD~1", what: "revision")) {
            try repo.resolveCommit("HEAD~1")
        }
    }

    @Test("files found by name anywhere in a tree are the ones git ls-tree lists with that name")
    func filesNamed() throws {
        let dir = try FixtureRepository.build("core-paths")
        // A name at several depths, and a directory that carries the name but is not a file.
        for path in ["dvc.yaml", "src/dvc.yaml", "src/a/b/c/dvc.yaml", "data/dvc.yaml/inner.txt", "xdvc.yaml"] {
            let full = dir.file(path)
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "stages: {}\n".write(toFile: full, atomically: false, encoding: .utf8)
        }
        try Shell.git(dir.path, "add", "-A")
        try Shell.git(dir.path, "commit", "-qm", "pipelines")
        let repo = try Repository(discoveringFrom: dir.path)
        let tree = try repo.commit(try repo.resolveCommit("HEAD")).tree
        let all = try Shell.ok(["git", "-C", dir.path, "ls-tree", "-r", "-z", "--name-only", "HEAD"]).out.split(
            separator: "\0"
        ).map(String.init)
        // Names are asked for as text: a fixture name that is not UTF-8 cannot be.
        let names = Set(all.map { String($0.split(separator: "/").last!) }).filter { !$0.contains("\u{FFFD}") }
        #expect(names.count > 5)
        for name in names.sorted() + ["dvc.yaml", "no-such-file"] {
            let git = all.filter { $0 == name || $0.hasSuffix("/" + name) }
            #expect(try repo.files(named: name, inTree: tree) == git, "\(name)")
        }
        #expect(try repo.files(named: "dvc.yaml", inTree: tree) == ["dvc.yaml", "src/a/b/c/dvc.yaml", "src/dvc.yaml"])
    }
}
