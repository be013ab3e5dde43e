import Foundation
import MLCIGit
import MLCITestSupport
import Testing

/// merge-base against `git merge-base --all`, with the commit-graph in every shape git writes:
/// none, generation data v1 and v2, a split chain, and a graph that misses newer commits.
@Suite("merge-base equals git's, with and without a commit-graph")
struct MergeBaseTests {
    enum GraphShape: String, CaseIterable, CustomTestStringConvertible {
        case none, v1, v2, split, stale
        var testDescription: String { rawValue }
    }

    static func prepare(_ shape: GraphShape) throws -> TemporaryDirectory {
        let dir = try FixtureRepository.build("core-paths")
        let git = { (args: [String]) in try Shell.ok(["git", "-C", dir.path] + args) }
        switch shape {
        case .none: break
        case .v1: try git(["-c", "commitGraph.generationVersion=1", "commit-graph", "write", "--reachable"])
        case .v2: try git(["-c", "commitGraph.generationVersion=2", "commit-graph", "write", "--reachable"])
        case .split:
            try git(["checkout", "-q", "left"])
            try git(["commit-graph", "write", "--reachable", "--split"])
            try "more\n".write(toFile: dir.path + "/more.txt", atomically: false, encoding: .utf8)
            try git(["add", "-A"]); try git(["commit", "-qm", "after the first layer"])
            try git(["commit-graph", "write", "--reachable", "--split=no-merge"])
            let chain = try String(contentsOfFile: dir.path + "/.git/objects/info/commit-graphs/commit-graph-chain", encoding: .utf8)
            #expect(chain.split(separator: "\n").count >= 2, "a real chain of layers")
        case .stale:
            try git(["commit-graph", "write", "--reachable"])
            try git(["checkout", "-q", "-b", "later", "right"])
            try "later\n".write(toFile: dir.path + "/later.txt", atomically: false, encoding: .utf8)
            try git(["add", "-A"]); try git(["commit", "-qm", "not in the graph"])
            try git(["merge", "-q", "--no-ff", "side", "-m", "merge not in the graph"])
        }
        return dir
    }

    @Test("every pair of tips and merges", arguments: GraphShape.allCases)
    func allPairs(_ shape: GraphShape) throws {
        let dir = try Self.prepare(shape)
        let repo = try Repository(discoveringFrom: dir.path)
        let revs = try Shell.git(dir.path, "rev-list", "--all").split(separator: "\n").map(String.init)
        let tips = try Shell.git(dir.path, "for-each-ref", "--format=%(objectname)", "refs/heads").split(separator: "\n").map(String.init)
        let merges = try Shell.git(dir.path, "rev-list", "--all", "--merges").split(separator: "\n").map(String.init)
        let sample = Array(Set(tips + merges + revs)).sorted()
        var compared = 0
        for a in sample {
            for b in sample where a < b {
                let all = try Shell.run(["git", "-C", dir.path, "merge-base", "--all", a, b])
                let first = try Shell.run(["git", "-C", dir.path, "merge-base", a, b])
                let mine = try repo.mergeBases(ObjectID(hex: a)!, ObjectID(hex: b)!).map(\.hex)
                #expect(Set(mine) == Set(all.out.split(separator: "\n").map(String.init)), "\(a) \(b)")
                #expect(mine.first == first.out.split(separator: "\n").first.map(String.init), "\(a) \(b)")
                compared += 1
            }
        }
        #expect(compared > 150)
        let crissCross = try Shell.git(dir.path, "merge-base", "--all", "left~1", "right").split(separator: "\n")
        #expect(crissCross.count >= 1)
    }

    @Test("a criss-cross merge has two merge bases and both are found")
    func crissCross() throws {
        let dir = try Self.prepare(.v2)
        let repo = try Repository(discoveringFrom: dir.path)
        let left = try repo.resolveCommit("left"), right = try repo.resolveCommit("right")
        let git = try Shell.git(dir.path, "merge-base", "--all", "left", "right").split(separator: "\n").map(String.init)
        #expect(git.count == 2, "the fixture must be a real criss-cross")
        #expect(try repo.mergeBases(left, right).map(\.hex) == git)
    }
}
