import Foundation
import MLCITestSupport
import Testing

/// Files and patterns built to make a reader or the matcher do quadratic or exponential work,
/// each planned by the real binary over a real repository. The bounds are on CPU time and
/// generous (a debug build on a shared machine); before, the quadratic readers took several
/// seconds each in a release build, and the exponential matcher over a minute.
@Suite("parsers and matching scale linearly")
struct ParserScalingTests {
    /// A repository whose second commit writes `files`, committed through `git fast-import`
    /// (a hundred thousand paths are written in a second, without a checkout); `mlci.yml` is
    /// also left in the working tree.
    static func repository(
        config: String, files: [(path: String, text: String)], root: [(path: String, text: String)] = []
    ) throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory("parser-scaling")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        var script = ""
        func data(_ text: String) { script += "data \(text.utf8.count)\n\(text)\n" }
        func commit(_ message: String, mark: Int, from: Int?, _ entries: [(path: String, text: String)]) {
            script += "commit refs/heads/main\nmark :\(mark)\ncommitter A <a@example.com> 1700000000 +0000\n"
            data(message)
            if let from { script += "from :\(from)\n" }
            for (path, text) in entries {
                script += "M 100644 inline \(path)\n"
                data(text)
            }
        }
        commit(
            "root", mark: 1, from: nil,
            [("mlci.yml", config), ("params.toml", "lr = 1\n"), ("params.py", "lr = 1\n")] + root)
        commit("hostile", mark: 2, from: 1, files)
        try Shell.ok(["git", "-C", repo.path, "fast-import", "--quiet"], stdin: Array(script.utf8))
        try config.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        return repo
    }

    /// Runs `mlci plan --base HEAD~1 --format json` and returns the result with the CPU time
    /// it used (the kernel's user + system time for the child, read by a small Python
    /// wrapper): unlike wall time, it does not grow when other work shares the machine.
    static func timedPlan(_ repo: TemporaryDirectory) throws -> (result: ProcessResult, seconds: Double) {
        let wrapper =
            "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
            + "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
            + "sys.stderr.write('\\ncpu-seconds %f\\n' % (u.ru_utime + u.ru_stime)); sys.exit(r.returncode)"
        var env: [String: String] = [:]
        for key in ["GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "MLCI_BASE", "MLCI_ALL"] { env[key] = "" }
        let result = try Shell.run(
            ["python3", "-c", wrapper, FixturePaths.mlciBinary, "plan", "--base", "HEAD~1", "--format", "json"],
            in: repo.path, environment: env)
        let line = result.err.split(separator: "\n").last { $0.hasPrefix("cpu-seconds ") } ?? "cpu-seconds 0"
        let seconds = Double(line.dropFirst(12)) ?? 0
        print("mlci plan: \(String(format: "%.2f", seconds)) s of CPU")
        return (result, seconds)
    }

    static func affected(_ result: ProcessResult) throws -> Set<String> {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        return Set(PlanHelpers.affected(json))
    }

    @Test(
        "`**/**/…/x.py` (8 and 50 times) over 100,000 paths and `src/**/tests/**/test_*.py` over 5,000 paths 400 directories deep cost what plain patterns cost"
    )
    func starStarPatterns() throws {
        let deep = "src/" + String(repeating: "tests/", count: 398)
        var files: [(path: String, text: String)] = (0..<100_000).map { ("d\($0 % 100)/e\($0)/y.py", "") }
        files += (0..<5_000).map { (deep + "x\($0).py", "") }
        // One path each pattern matches, so the matcher must also still say yes.
        files += [("q/x.py", ""), (deep + "test_ok.py", "")]
        func config(_ patterns: [String]) -> String {
            "version: 1\nstages:\n"
                + patterns.enumerated().map { "  s\($0.offset): {run: \"true\", on: [\"\($0.element)\"]}\n" }.joined()
        }
        let eight = Array(repeating: "**", count: 8).joined(separator: "/") + "/x.py"
        let fifty = Array(repeating: "**", count: 50).joined(separator: "/") + "/x.py"
        let hostile = try Self.repository(config: config([eight, fifty, "src/**/tests/**/test_*.py"]), files: files)
        let plain = try Self.repository(config: config(["x.py", "q/x.py", "test_ok.py"]), files: files)

        let (control, controlSeconds) = try Self.timedPlan(plain)
        #expect(control.status == 0, "\(control.err)")
        let (result, seconds) = try Self.timedPlan(hostile)
        #expect(result.status == 0, "\(result.err)")
        #expect(try Self.affected(result) == ["s0", "s1", "s2"], "\(result.out.prefix(2000))")
        // Reading and diffing 105,000 paths is the same work in both; the patterns add little.
        #expect(seconds < controlSeconds * 2 + 3, "hostile \(seconds) s, plain patterns \(controlSeconds) s")
    }

    @Test("a TOML file with 20,000 [[arr]] headers is read in linear time")
    func tomlArrayOfTables() throws {
        let toml = "lr = 2\n" + (0..<20_000).map { "[[arr]]\nx = \($0)\n" }.joined()
        let repo = try Self.repository(
            config: "version: 1\nstages:\n  train: {run: \"true\", params: {params.toml: [lr, arr.19999.x]}}\n",
            files: [("params.toml", toml)])
        let (result, seconds) = try Self.timedPlan(repo)
        #expect(try result.status == 0 && Self.affected(result) == ["train"], "\(result.err)")
        #expect(result.out.contains("arr.19999.x"), "\(result.out.prefix(2000))")
        #expect(seconds < 3, "\(seconds) s")
    }

    @Test("params.py with 60,000 assignments, and with a dict literal of 30,000 keys, is read in linear time")
    func pythonParams() throws {
        let config = "version: 1\nstages:\n  train: {run: \"true\", params: {params.py: [lr, K59999, D.k29999]}}\n"
        let assignments = (0..<60_000).map { "K\($0) = \($0)\n" }.joined() + "lr = 2\n"
        let dict = "D = {" + (0..<30_000).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + "}\n"
        let repo = try Self.repository(config: config, files: [("params.py", assignments + dict)])
        let (result, seconds) = try Self.timedPlan(repo)
        #expect(try result.status == 0 && Self.affected(result) == ["train"], "\(result.err)")
        // Read key by key: the new keys are named, not the whole file.
        #expect(result.out.contains("K59999") && result.out.contains("D.k29999"), "\(result.out.prefix(2000))")
        #expect(seconds < 6, "\(seconds) s")

        let keywords = "lr = 2\nX = dict(" + (0..<30_000).map { "k\($0)=\($0)" }.joined(separator: ", ") + ")\n"
        let call = try Self.repository(config: config, files: [("params.py", keywords)])
        let (read, callSeconds) = try Self.timedPlan(call)
        #expect(try read.status == 0 && Self.affected(read) == ["train"], "\(read.err)")
        #expect(callSeconds < 3, "\(callSeconds) s")
    }
}
