import Foundation
import MLCITestSupport
import Testing

/// Files a pull request controls, built to exhaust a reader: a YAML alias bomb and JSON nested
/// far deeper than any real file. Each is refused with a message and exit 2, never a crash, and
/// without using memory out of proportion.
@Suite("hostile input files")
struct HostileInputTests {
    /// 642 bytes that expand to 9^9 (about 387 million) values.
    static let aliasBomb = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """

    static func repository(_ files: [String: String]) throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory("hostile-input")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try
            "version: 1\nstages:\n  train: {run: \"true\", params: {params.yaml: [lr]}}\n  other: {run: \"true\", params: {params.json: [lr]}}\n"
            .write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try "lr: 1\n".write(toFile: repo.file("params.yaml"), atomically: false, encoding: .utf8)
        try "{\"lr\": 1}\n".write(toFile: repo.file("params.json"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        for (path, text) in files { try text.write(toFile: repo.file(path), atomically: false, encoding: .utf8) }
        try Shell.git(repo.path, "commit", "-qam", "hostile")
        return repo
    }

    /// Runs mlci and reports its peak resident memory (the kernel's `ru_maxrss` for the child,
    /// read by a small Python wrapper), in MiB.
    static func peak(_ arguments: [String], in dir: String, environment: [String: String] = [:]) throws -> (
        result: ProcessResult, mebibytes: Double
    ) {
        let wrapper =
            "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
            + "sys.stderr.write('\\npeak-kib %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            + "sys.exit(r.returncode)"
        var env = environment
        for key in ["GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "MLCI_BASE"] where env[key] == nil { env[key] = "" }
        let result = try Shell.run(
            ["python3", "-c", wrapper, FixturePaths.mlciBinary] + arguments, in: dir, environment: env)
        let line = result.err.split(separator: "\n").last { $0.hasPrefix("peak-kib ") } ?? "peak-kib 0"
        return (result, (Double(line.dropFirst(9)) ?? 0) / 1024)
    }

    /// The budget the issue set for any hostile file.
    static let memoryBudget = 100.0

    @Test("a YAML alias bomb in mlci.yml (even under an x- key) or in a params file is refused")
    func aliasBomb() throws {
        let config =
            "version: 1\nx-bomb:\n" + Self.aliasBomb.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
            + "\nstages:\n  train: {run: \"true\"}\n"
        let repo = try Self.repository(["mlci.yml": config])
        let (plan, planPeak) = try Self.peak(["plan", "--base", "HEAD~1"], in: repo.path)
        #expect(plan.status == 2 && plan.err.contains("alias bomb"), "\(plan.err)")
        #expect(planPeak > 0 && planPeak < Self.memoryBudget, "peak \(planPeak) MiB")

        let params = try Self.repository(["params.yaml": "lr: 2\n" + Self.aliasBomb + "\n"])
        let (read, readPeak) = try Self.peak(["plan", "--base", "HEAD~1"], in: params.path)
        #expect(read.status == 2 && read.err.contains("params.yaml") && read.err.contains("alias bomb"), "\(read.err)")
        #expect(readPeak > 0 && readPeak < Self.memoryBudget, "peak \(readPeak) MiB")
    }

    @Test("JSON nested 200,000 levels (params, the GitHub event file) is refused; a large flat object is read")
    func deepJSON() throws {
        let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
        let repo = try Self.repository(["params.json": "{\"lr\": " + deep + "}"])
        let (plan, planPeak) = try Self.peak(["plan", "--base", "HEAD~1"], in: repo.path)
        #expect(plan.status == 2 && plan.err.contains("nested deeper than 512 levels"), "\(plan.err)")
        #expect(planPeak > 0 && planPeak < Self.memoryBudget, "peak \(planPeak) MiB")

        let events = try TemporaryDirectory("deep-event")
        try (String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000))
            .write(toFile: events.file("event.json"), atomically: false, encoding: .utf8)
        let event = try MLCIRunner.run(
            ["plan"], in: repo.path,
            environment: [
                "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request",
                "GITHUB_EVENT_PATH": events.file("event.json"),
            ])
        // In a GitHub Actions step mlci's errors go to stdout, between the stop-commands lines.
        #expect(event.status == 2 && event.out.contains("nested deeper than 512 levels"), "\(event.out)")

        // 60,000 distinct keys: read in one pass (a scan per key was quadratic).
        let flat = "{" + (0..<60_000).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"lr\": 3}"
        let big = try Self.repository(["params.json": flat])
        let (read, readPeak) = try Self.peak(["plan", "--base", "HEAD~1", "--format", "json"], in: big.path)
        #expect(read.status == 0 && read.out.contains("\"key\": \"lr\""), "\(read.err)")
        #expect(readPeak > 0 && readPeak < Self.memoryBudget, "peak \(readPeak) MiB")
    }

    @Test("a 13 MB params.yaml with 800,000 keys and no aliases is read, not taken for an alias bomb")
    func largePlainYAML() throws {
        let yaml = (0..<800_000).map { "key\($0): \($0)\n" }.joined() + "lr: 2\n"
        let repo = try Self.repository(["params.yaml": yaml])
        let (plan, planPeak) = try Self.peak(["plan", "--base", "HEAD~1", "--format", "json"], in: repo.path)
        #expect(plan.status == 0 && plan.out.contains("\"key\": \"lr\""), "\(plan.err)")
        #expect(!plan.err.contains("alias bomb"), "\(plan.err)")
        print("800,000-key params.yaml: peak \(planPeak) MiB")
        #expect(planPeak > 0 && planPeak < LargeFileMemoryTests.budget, "peak \(planPeak) MiB")

        // Aliases a real file uses (one block of defaults shared by many entries) are fine too;
        // what counts is what the aliases add, so a bomb is refused however large the file.
        let shared =
            "defaults: &d {a: 1, b: 2, c: 3}\nlr: 2\n" + (0..<10_000).map { "e\($0): *d\n" }.joined()
        let aliased = try Self.repository(["params.yaml": shared])
        let read = try MLCIRunner.run(["plan", "--base", "HEAD~1"], in: aliased.path)
        #expect(read.status == 0, "\(read.err)")
        let padded = try Self.repository(["params.yaml": yaml + Self.aliasBomb + "\n"])
        let refused = try MLCIRunner.run(["plan", "--base", "HEAD~1"], in: padded.path)
        #expect(refused.status == 2 && refused.err.contains("alias bomb"), "\(refused.err)")
    }
}
