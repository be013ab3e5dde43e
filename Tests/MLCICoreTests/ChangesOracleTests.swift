import Foundation
import MLCICore
import MLCIGit
import MLCITestSupport
import Testing

/// git is the oracle: for every commit and each of its parents (the empty tree for a root),
/// `mlci changes` must print exactly what `git diff --name-status --no-renames` prints.
@Suite("mlci changes equals git diff")
struct ChangesOracleTests {
    /// Compares every (parent, commit) pair reachable from any ref; returns the pairs checked.
    static func compareAllPairs(gitDir: String, openAt: String) throws -> (checked: Int, differences: [String]) {
        let repo = try Repository(discoveringFrom: openAt)
        let quoting = PathQuoting(quoteHighBytes: (try? repo.configBool("core.quotepath")) ?? true)
        let revList = try Shell.run(["git", "--git-dir", gitDir, "rev-list", "--all", "--parents"])
        var differences: [String] = []
        var checked = 0
        for line in revList.out.split(separator: "\n") {
            let ids = line.split(separator: " ").map(String.init)
            let commit = ids[0]
            let bases: [String?] = ids.count == 1 ? [nil] : ids.dropFirst().map { $0 }
            for base in bases {
                let git = try Shell.run([
                    "git", "--git-dir", gitDir, "diff", "--name-status", "--no-renames",
                    base ?? ObjectID.emptyTree.hex, commit,
                ])
                let mine: Result<[UInt8], Error> = Result {
                    let changes = try repo.changes(from: base.map { ObjectID(hex: $0)! }, to: ObjectID(hex: commit)!)
                    return ChangeListing.nameStatus(changes, quoting: quoting)
                }
                checked += 1
                switch (git.status, mine) {
                case (0, .success(let bytes)) where bytes == git.stdout:
                    continue
                case (0, .success(let bytes)):
                    differences.append(
                        "\(base ?? "(empty)")..\(commit):\n--- git\n\(git.out)--- mlci\n\(String(decoding: bytes, as: UTF8.self))"
                    )
                case (0, .failure(let error)):
                    differences.append("\(base ?? "(empty)")..\(commit): mlci failed where git succeeded: \(error)")
                case (_, .success):
                    differences.append("\(base ?? "(empty)")..\(commit): git failed (\(git.err)) where mlci succeeded")
                case (_, .failure):
                    continue  // both refuse a broken repository
                }
            }
        }
        return (checked, differences)
    }

    @Test("every scenario fixture repository", arguments: FixtureRepository.scenarios)
    func scenarios(_ scenario: String) throws {
        let dir = try FixtureRepository.build(scenario)
        let result = try Self.compareAllPairs(gitDir: dir.path + "/.git", openAt: dir.path)
        #expect(result.checked > 0)
        #expect(result.differences.isEmpty, "\(result.differences.joined(separator: "\n"))")
    }

    @Test("libgit2's own fixture corpus")
    func libgit2Corpus() throws {
        let dir = try TemporaryDirectory("libgit2-corpus")
        let repos = try FixtureRepository.libgit2Corpus(into: dir)
        #expect(repos.count > 40, "expected the whole corpus, found \(repos.count) repositories")
        var total = 0
        for (name, gitDir) in repos {
            let result = try Self.compareAllPairs(gitDir: gitDir, openAt: gitDir)
            total += result.checked
            #expect(result.differences.isEmpty, "\(name):\n\(result.differences.joined(separator: "\n"))")
        }
        #expect(total > 1000, "compared \(total) commit pairs")
    }
}

@Suite("path quoting follows core.quotePath")
struct QuotePathTests {
    @Test("with core.quotePath=false, bytes ≥ 0x80 print raw, exactly as git prints them")
    func quotePathFalse() throws {
        let dir = try FixtureRepository.build("core-paths")
        try Shell.git(dir.path, "config", "core.quotePath", "false")
        let result = try ChangesOracleTests.compareAllPairs(gitDir: dir.path + "/.git", openAt: dir.path)
        #expect(result.differences.isEmpty, "\(result.differences.joined(separator: "\n"))")
        let quoted = try Shell.git(dir.path, "log", "--format=%H", "--grep", "paths git quotes", "main")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let git = try Shell.git(dir.path, "diff", "--name-status", "--no-renames", quoted + "~1", quoted)
        #expect(git.contains("caf\u{e9}"), "the fixture must contain a raw UTF-8 path for this test to mean anything")
    }
}
