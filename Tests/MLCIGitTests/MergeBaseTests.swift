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
            let chain = try String(
                contentsOfFile: dir.path + "/.git/objects/info/commit-graphs/commit-graph-chain", encoding: .utf8)
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
        let tips = try Shell.git(dir.path, "for-each-ref", "--format=%(objectname)", "refs/heads").split(
            separator: "\n"
        ).map(String.init)
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
        let git = try Shell.git(dir.path, "merge-base", "--all", "left", "right").split(separator: "\n").map(
            String.init)
        #expect(git.count == 2, "the fixture must be a real criss-cross")
        #expect(try repo.mergeBases(left, right).map(\.hex) == git)
    }

    /// The byte range of each chunk of a commit-graph file, from its chunk table.
    static func chunks(_ bytes: [UInt8]) -> [String: Range<Int>] {
        func u64(_ at: Int) -> Int { bytes[at..<at + 8].reduce(0) { $0 << 8 | Int($1) } }
        let count = Int(bytes[6])
        var out: [String: Range<Int>] = [:]
        for i in 0..<count {
            let at = 8 + i * 12
            out[String(decoding: bytes[at..<at + 4], as: UTF8.self)] = u64(at + 4)..<u64(at + 16)
        }
        return out
    }

    @Test("a damaged commit-graph crashes nothing: the answer is git's, read from commit objects")
    func damagedGraph() throws {
        let dir = try Self.prepare(.v2)
        let path = dir.path + "/.git/objects/info/commit-graph"
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let chunks = Self.chunks(good)
        let cdat = try #require(chunks["CDAT"]), fanout = try #require(chunks["OIDF"])
        func setUInt32(_ bytes: inout [UInt8], _ at: Int, _ value: UInt32) {
            for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (24 - 8 * k)) }
        }
        var damages: [(String, [UInt8])] = []
        var b = good; setUInt32(&b, cdat.lowerBound + 20, 0x6fff_ffff);
        damages.append(("a parent outside the graph", b))
        b = good; setUInt32(&b, cdat.lowerBound + 24, 0x8000_0000 | 0x00ff_ffff);
        damages.append(("an octopus edge past its chunk", b))
        b = good; setUInt32(&b, fanout.lowerBound + 40, 0xffff_ffff);
        damages.append(("a fanout that does not count up", b))
        b = good; b[8 + 4 + 7] = 0xff; damages.append(("a chunk offset past the end", b))
        damages.append(("a file cut in half", Array(good.prefix(good.count / 2))))

        let tips = try Shell.git(dir.path, "for-each-ref", "--format=%(objectname)", "refs/heads").split(
            separator: "\n"
        ).map(String.init)
        let merges = try Shell.git(dir.path, "rev-list", "--all", "--merges").split(separator: "\n").map(String.init)
        let sample = Array(Set(tips + merges)).sorted()
        for (what, bytes) in damages {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let repo = try Repository(discoveringFrom: dir.path)
            for a in sample {
                for b in sample where a < b {
                    let objects = try Shell.run([
                        "git", "-C", dir.path, "-c", "core.commitGraph=false", "merge-base", "--all", a, b,
                    ])
                    let mine = try repo.mergeBases(ObjectID(hex: a)!, ObjectID(hex: b)!).map(\.hex)
                    #expect(Set(mine) == Set(objects.out.split(separator: "\n").map(String.init)), "\(what): \(a) \(b)")
                }
            }
        }
        #expect(sample.count >= 4)
    }
}
