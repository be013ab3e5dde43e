import Foundation
import MLCITestSupport
import Testing

/// The messages and counts a person reads every day: each says what is wrong where it is
/// wrong, and numbers mean what they say.
@Suite("daily-use messages")
struct DailyUseTests {
    func config(_ text: String) throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory("daily")
        try Shell.git(dir.path, "init", "-q", "-b", "main")
        try text.write(toFile: dir.file("c.yml"), atomically: false, encoding: .utf8)
        return (dir, dir.file("c.yml"))
    }

    @Test("--config reads a pipe as it reads a file (mlci plan --config <(…), --config /dev/stdin)")
    func configFromPipe() throws {
        let repo = try FixtureRepository.build("sample-ml")
        let text = try String(contentsOfFile: repo.file("mlci.yml"), encoding: .utf8)
        let piped = try MLCIRunner.run(
            ["plan", "--base", "HEAD~1", "--config", "/dev/stdin", "--format", "json"], in: repo.path,
            stdin: Array(text.utf8))
        let file = try MLCIRunner.run(["plan", "--base", "HEAD~1", "--format", "json"], in: repo.path)
        #expect(piped.status == 0, "\(piped.err)")
        #expect(PlanHelpers.affected(try Self.json(piped.out)) == PlanHelpers.affected(try Self.json(file.out)))
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("a tab used for indentation is named as such, at its line")
    func tabIndentation() throws {
        let (dir, file) = try config("version: 1\nstages:\n\tlint: {run: x}\n")
        let result = try MLCIRunner.run(["validate", "--config", file], in: dir.path)
        #expect(result.status == 2)
        #expect(result.err.contains("c.yml:3:1: error: a tab character: YAML does not allow tabs"), "\(result.err)")
    }

    @Test("a duplicate key points at its second occurrence and names the first")
    func duplicateKey() throws {
        let (dir, file) = try config("version: 1\nstages:\n  lint: {run: x}\n  test: {run: y}\n  lint: {run: z}\n")
        let result = try MLCIRunner.run(["validate", "--config", file], in: dir.path)
        #expect(result.status == 2)
        #expect(
            result.err.contains("c.yml:5:3: error: duplicate key 'lint' in a mapping (first at line 3)"),
            "\(result.err)")
    }

    @Test("an on: word that extends a kind's name (dataset, models) is an error, not a silent path")
    func kindLikeWord() throws {
        let (dir, file) = try config(
            "version: 1\nkinds: {data: [\"data/**\"]}\nstages:\n  train: {run: x, on: [dataset]}\n")
        let result = try MLCIRunner.run(["validate", "--config", file], in: dir.path)
        #expect(result.status == 2)
        #expect(
            result.err.contains(
                "c.yml:4:24: error: stage 'train' watches 'dataset', which is not a declared kind (did you mean 'data'?)"
            ), "\(result.err)")
    }

    @Test("a relative revision past the root says so (no 'fetch it' advice); a missing name keeps the fetch hint")
    func pastRoot() throws {
        let repo = try FixtureRepository.build("sample-ml")
        let past = try MLCIRunner.run(["plan", "--base", "HEAD~99"], in: repo.path)
        #expect(past.status == 3 && past.err.contains("'HEAD~99' goes past the first commit"), "\(past.err)")
        #expect(!past.err.contains("fetch"))
        let missing = try MLCIRunner.run(["plan", "--base", "no-such-branch"], in: repo.path)
        #expect(missing.status == 3 && missing.err.contains("git fetch"))
    }

    @Test(
        "the file count is git's; paths derived through DVC pointers are counted apart; reasons and paths say which 'more'"
    )
    func counts() throws {
        let repo = try FixtureRepository.build("sample-ml")
        let gitCount = try Shell.git(repo.path, "diff", "--name-only", "HEAD~3", "HEAD~2").split(separator: "\n").count
        let plan = try MLCIRunner.run(["plan", "--base", "HEAD~3", "--head", "HEAD~2"], in: repo.path)
        #expect(
            plan.out.contains("changes  \(gitCount) file\(gitCount == 1 ? "" : "s") (data 1), and 1 DVC-tracked path"),
            "\(plan.out)")
        #expect(plan.out.contains("matched data (*.dvc) and 1 more path\n"))
        let code = try MLCIRunner.run(["plan", "--base", "main", "--head", "feature/faster-features"], in: repo.path)
        #expect(code.out.contains("(+1 more reason)"), "\(code.out)")
    }

    @Test(
        "generate --check shows removed lines before added ones, as git does; the default pipeline's workflow is named mlci"
    )
    func checkDiffOrder() throws {
        let repo = try FixtureRepository.build("sample-ml")
        try MLCIRunner.run(["generate", "github"], in: repo.path).requireSuccess()
        let file = repo.file(".github/workflows/mlci-mlci.yml")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\nname: mlci\n"))
        try text.replacingOccurrences(of: "\nname: mlci\n", with: "\nname: renamed by hand\n").write(
            toFile: file, atomically: false, encoding: .utf8)
        let check = try MLCIRunner.run(["generate", "github", "--check"], in: repo.path)
        #expect(check.status == 1)
        let minus = try #require(check.out.range(of: "-name: renamed by hand"))
        let plus = try #require(check.out.range(of: "+name: mlci"))
        #expect(minus.lowerBound < plus.lowerBound, "\(check.out)")
    }
}
