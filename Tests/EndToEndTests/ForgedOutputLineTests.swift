import Foundation
import MLCITestSupport
import Testing

/// A pull request controls file names, params values, notebooks and `dvc.lock`. Whatever they
/// hold, each reaches mlci's output as one escaped field: no line of its own (a forged plan row,
/// a GitHub workflow command), no control byte (ESC, OSC, SGR colours, BEL) for the terminal.
/// In a GitHub Actions step, `::stop-commands::` is the first thing mlci writes.
@Suite("forged lines and escapes from data in mlci's output")
struct ForgedOutputLineTests {
    /// A notebook whose name carries a workflow command on a line of its own.
    static let notebook = "nb/x\n::error title=Security scan::FAILED\n.ipynb"
    /// Paths that paint, hide or forge text.
    static let paths = [
        "src/\u{1B}[32mgreen.py",  // SGR: paints what follows green
        "src/\u{1B}[8mhidden.py",  // SGR: conceals what follows
        "src/y\ndeploy  no   not affected\n.py",  // a forged plan row
        "src/z ##[error]legacy.py",  // GitHub's legacy command form, read anywhere in a line
        "::warning::root.py",  // a workflow command at the start of a line
    ]
    static let stages = ["lint", "test", "train", "deploy"]

    /// A repository whose last commit does all of it: the notebook (valid at the base) becomes
    /// invalid JSON holding OSC 52 and a clear-screen, the params value holds a forged row, and
    /// dvc.lock's `schema:` holds OSC, BEL and SGR.
    static func repository() throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory("forged-lines")
        func write(_ path: String, _ text: String) throws { try repo.write(path, text) }
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try write(
            "mlci.yml",
            """
            version: 1
            kinds: {code: ["src/**", "*.py"], notebooks: ["nb/**"]}
            stages:
              lint: {run: "true", on: [code]}
              test: {run: "printf '::error title=from the stage::stage line\\\\n'", on: [notebooks], params: {params.yaml: [lr]}}
              train: {run: "true", dvc: true}
              deploy: {run: "true", needs: [train]}

            """)
        try write("dvc.yaml", "stages:\n  train: {cmd: \"true\", deps: [src/a.py], outs: [model.pkl]}\n")
        try write(
            "dvc.lock",
            "schema: \"2.0\"\nstages:\n  train: {cmd: \"true\", deps: [{path: src/a.py, md5: x}], outs: [{path: model.pkl, md5: y}]}\n"
        )
        try write("params.yaml", "lr: 0.1\n")
        try write("src/a.py", "a\n")
        try write(notebook, "{\"cells\": [], \"nbformat\": 4}\n")
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        try write("params.yaml", "lr: \"0.2\\ndeploy  no   not affected\"\n")
        try write("dvc.lock", "schema: \"\\e]0;pwned\\a\\e[32mgreen\\e[8mhidden\"\nstages: {}\n")
        try write(notebook, "{\"cells\": [\u{1B}]52;c;cHduZWQ=\u{07} \u{1B}[2J")
        for path in paths { try write(path, "x\n") }
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "hostile data")
        return repo
    }

    /// Every byte mlci wrote that is a control character other than the line feeds mlci puts
    /// between lines (C0, DEL, and C1 as UTF-8).
    static func controlBytes(_ bytes: [UInt8]) -> [UInt8] {
        var found: [UInt8] = []
        for (i, b) in bytes.enumerated() {
            if b < 0x20 && b != 0x0a || b == 0x7f { found.append(b) }
            if b == 0xc2, i + 1 < bytes.count, (0x80...0x9f).contains(bytes[i + 1]) { found.append(bytes[i + 1]) }
        }
        return found
    }

    /// Lines GitHub's runner would read as workflow commands: `::` first (after spaces), or
    /// `##[` anywhere.
    static func commandLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter {
            $0.drop(while: \.isWhitespace).hasPrefix("::") || $0.contains("##[")
        }
    }

    /// The rows of the text table: from the header to the first blank line.
    static func tableRows(_ text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("STAGE ") && $0.hasSuffix("RUN  REASON") }) else {
            return []
        }
        return Array(lines[(header + 1)...].prefix { !$0.isEmpty })
    }

    /// The stop line, the text between, the end line: nothing before, nothing after, and
    /// nothing on stderr (which the runner reads apart, so it could slip outside the region).
    static func stopped(_ result: ProcessResult) throws -> String {
        #expect(result.err.isEmpty, "stderr in GitHub mode: \(result.err)")
        let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let token = try #require(
            lines.first.flatMap { $0.hasPrefix("::stop-commands::") ? String($0.dropFirst(17)) : nil },
            "the first line: \(result.out)")
        #expect(token.count >= 32, "a token nobody can guess: \(token)")
        #expect(lines.suffix(2) == ["::\(token)::", ""], "the last line resumes: \(result.out)")
        let inside = lines.dropFirst().dropLast(2).joined(separator: "\n")
        #expect(!inside.contains(token), "the token is not shown between")
        return inside
    }

    @Test("plan text, --explain, markdown and validate: one line per field, no control byte, one row per stage")
    func terminal() throws {
        let repo = try Self.repository()
        for args in [
            ["plan", "--base", "HEAD~1"], ["plan", "--base", "HEAD~1", "--explain", "test"],
            ["plan", "--base", "HEAD~1", "--format", "markdown"], ["validate"],
        ] {
            let result = try MLCIRunner.run(args, in: repo.path)
            #expect(result.status == (args == ["validate"] ? 2 : 0), "\(args): \(result.err)")
            for (stream, bytes) in [("stdout", result.stdout), ("stderr", result.stderr)] {
                #expect(Self.controlBytes(bytes).isEmpty, "\(args) \(stream): \(Self.controlBytes(bytes))")
            }
            let all = result.out + result.err
            #expect(Self.commandLines(all).isEmpty, "\(args): \(Self.commandLines(all))")
            #expect(all.split(separator: "\n").filter { $0.hasPrefix("deploy ") }.count <= 1, "a forged row: \(args)")
            #expect(
                all.contains("\\x1b]0;pwned\\x07\\x1b[32mgreen\\x1b[8mhidden"), "dvc.lock's schema, escaped: \(all)")
        }
        let plan = try MLCIRunner.run(["plan", "--base", "HEAD~1"], in: repo.path)
        #expect(Self.tableRows(plan.out).map { String($0.prefix { $0 != " " }) } == Self.stages, "\(plan.out)")
        #expect(
            plan.err.contains(
                #"warning: "nb/x\n::error title=Security scan::FAILED\n.ipynb": cannot read the notebook"#),
            "the notebook is named, quoted, on one line: \(plan.err)")
        #expect(plan.out.contains(#"lint    yes  "::warning::root.py" matched code"#), "quoted: \(plan.out)")
        let explain = try MLCIRunner.run(["plan", "--base", "HEAD~1", "--explain", "lint"], in: repo.path)
        for path in Self.paths {
            #expect(
                explain.out.contains("A \(path.quotedIfNeededForTest)\n"), "\(path.debugDescription): \(explain.out)")
        }
        let params = try MLCIRunner.run(["plan", "--base", "HEAD~1", "--explain", "test"], in: repo.path)
        #expect(params.out.contains(#"params.yaml: lr 0.1 → 0.2\ndeploy  no   not affected"#), "\(params.out)")
    }

    @Test("--format github: the stop line first (stderr included), the end token last, one row per stage")
    func githubPlan() throws {
        let repo = try Self.repository()
        let files = try TemporaryDirectory("forged-lines-files")
        let result = try MLCIRunner.run(
            ["plan", "--base", "HEAD~1", "--format", "github"], in: repo.path,
            environment: ["GITHUB_OUTPUT": files.file("output"), "GITHUB_STEP_SUMMARY": files.file("summary")])
        #expect(result.status == 0, "\(result.out)")
        let inside = try Self.stopped(result)
        #expect(Self.controlBytes(result.stdout).isEmpty, "\(Self.controlBytes(result.stdout))")
        #expect(Self.commandLines(inside).isEmpty, "\(Self.commandLines(inside))")
        #expect(inside.contains("cannot read the notebook") && inside.contains("unknown schema"), "warnings inside")
        #expect(Self.tableRows(inside).map { String($0.prefix { $0 != " " }) } == Self.stages, "\(inside)")
        let summary = try String(contentsOfFile: files.file("summary"), encoding: .utf8)
        #expect(!summary.unicodeScalars.contains("\u{1B}"), "\(summary)")
        #expect(
            summary.split(separator: "\n").filter {
                $0.hasPrefix("| ") && !$0.hasPrefix("| stage") && !$0.hasPrefix("| ---")
            }.count == 4)
    }

    @Test("the text plan and validate in a GitHub Actions step stop workflow commands first, as --format github does")
    func githubStep() throws {
        let repo = try Self.repository()
        for args in [["plan", "--base", "HEAD~1"], ["plan", "--base", "HEAD~1", "--explain", "test"], ["validate"]] {
            let result = try MLCIRunner.run(args, in: repo.path, environment: ["GITHUB_ACTIONS": "true"])
            let inside = try Self.stopped(result)
            #expect(Self.commandLines(inside).isEmpty && Self.controlBytes(result.stdout).isEmpty, "\(args)")
            #expect(inside.contains("unknown schema"), "\(args): the diagnostic is inside: \(inside)")
        }
        // What programs read is left as it is.
        let json = try MLCIRunner.run(
            ["plan", "--base", "HEAD~1", "--format", "json"], in: repo.path, environment: ["GITHUB_ACTIONS": "true"])
        #expect(json.out.hasPrefix("{"), "\(json.out.prefix(80))")
    }

    @Test("mlci job in a GitHub Actions step: stopped before the stage's output and mlci's warnings, resumed last")
    func githubJob() throws {
        let repo = try Self.repository()
        let cache = try TemporaryDirectory("forged-lines-cache")
        let env = ["GITHUB_ACTIONS": "true", "MLCI_CACHE_DIR": cache.path]
        let job = try MLCIRunner.run(["job", "test", "--base", "HEAD~1"], in: repo.path, environment: env)
        #expect(job.status == 0, "\(job.out)")
        let inside = try Self.stopped(job)
        #expect(inside.contains("::error title=from the stage::stage line"), "the stage's output is inside: \(inside)")
        #expect(Self.controlBytes(job.stdout).isEmpty, "\(Self.controlBytes(job.stdout))")
        #expect(
            inside.contains(#"warning: "nb/x\n::error title=Security scan::FAILED\n.ipynb""#)
                && inside.contains("\\x1b]0;pwned"), "warnings, escaped, inside: \(inside)")
        // A value the workflow reads (`key=$(mlci job STAGE --cache-key)`) is only the value.
        let key = try MLCIRunner.run(
            ["job", "test", "--base", "HEAD~1", "--cache-key"], in: repo.path, environment: env)
        #expect(key.out.range(of: "^[0-9a-f]{16,}\n$", options: .regularExpression) != nil, "\(key.out)")
        // Outside GitHub the warnings are escaped all the same.
        let plain = try MLCIRunner.run(
            ["job", "test", "--base", "HEAD~1"], in: repo.path, environment: ["MLCI_CACHE_DIR": cache.path])
        #expect(!plain.out.hasPrefix("::stop-commands::"))
        #expect(Self.controlBytes(plain.stderr).isEmpty && Self.commandLines(plain.err).isEmpty, "\(plain.err)")
    }
}

extension String {
    /// How the plan shows a path: as it is when plain, else in double quotes with C escapes.
    /// Written out here, apart from mlci's own rule, so the test checks the rule.
    fileprivate var quotedIfNeededForTest: String {
        let plain = unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7f && $0 != "\"" && $0 != "\\" }
        guard !plain || hasPrefix(":") || contains("##[") else { return self }
        var out = "\""
        for s in unicodeScalars {
            switch s {
            case "\n": out += "\\n"
            case "\u{1B}": out += "\\x1b"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "[" where out.hasSuffix("##"): out = String(out.dropLast()) + "\\x23["
            default: out.unicodeScalars.append(s)
            }
        }
        return out + "\""
    }
}
