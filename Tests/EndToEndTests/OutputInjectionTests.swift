import Foundation
import MLCITestSupport
import Testing

/// Changed paths and stage names come from pull requests. Whatever they hold, mlci's text never
/// sends a control sequence to a terminal, never issues a GitHub workflow command, and never
/// opens HTML, links, code spans or table rows in a step summary.
@Suite("hostile paths in mlci's output")
struct OutputInjectionTests {
    static let hostile = [
        "src/\u{1B}[2Jclear.py",  // clears the screen
        "src/\u{1B}]52;c;cHduZWQ=\u{07}clip.py",  // OSC 52: writes the clipboard
        "docs/::error file=x::forged.md",  // a workflow command
        "docs/!x`</table><img src=x onerror=alert(1)>|fake|row.md",  // sorts first: the summary names it
        "docs/carriage\rreturn.md",
    ]

    static func repository() throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory("hostile")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try "version: 1\nkinds: {code: [\"src/**\"]}\nstages:\n  lint: {run: \"true\", on: [code]}\n".write(
            toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        for path in hostile {
            try FileManager.default.createDirectory(
                atPath: repo.file((path as NSString).deletingLastPathComponent), withIntermediateDirectories: true)
            try "x\n".write(toFile: repo.file(path), atomically: false, encoding: .utf8)
        }
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "hostile names")
        return repo
    }

    @Test("plan text and --explain show control characters escaped")
    func terminal() throws {
        let repo = try Self.repository()
        for args in [["plan", "--base", "HEAD~1"], ["plan", "--base", "HEAD~1", "--explain", "lint"]] {
            let result = try MLCIRunner.run(args, in: repo.path)
            #expect(result.status == 0, "\(result.err)")
            #expect(
                !result.stdout.contains(0x1B) && !result.stdout.contains(0x07) && !result.stdout.contains(0x0D),
                "\(args)")
            #expect(result.out.contains("\\x1b[2Jclear.py") || result.out.contains("\\x1b]52"), "\(result.out)")
        }
    }

    @Test("--format github stops workflow commands around the text; the step summary escapes HTML, code and rows")
    func githubLogAndSummary() throws {
        let repo = try Self.repository()
        let files = try TemporaryDirectory("github-files")
        let result = try MLCIRunner.run(
            ["plan", "--base", "HEAD~1", "--format", "github"], in: repo.path,
            environment: ["GITHUB_OUTPUT": files.file("output"), "GITHUB_STEP_SUMMARY": files.file("summary")])
        #expect(result.status == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false)
        let token = try #require(lines.first.flatMap { $0.hasPrefix("::stop-commands::") ? $0.dropFirst(17) : nil })
        #expect(token.count > 20, "the end token cannot be guessed")
        #expect(result.out.hasSuffix("::\(token)::\n"))
        #expect(result.out.contains("::error file=x::forged.md"), "the path is shown, inside the stopped region")
        let summary = try String(contentsOfFile: files.file("summary"), encoding: .utf8)
        #expect(!summary.contains("<img") && !summary.contains("</table>") && !summary.contains("\u{1B}"), "\(summary)")
        #expect(
            summary.contains(
                "<code>docs/!x&#96;&lt;/table&gt;&lt;img src=x onerror=alert(1)&gt;\\|fake\\|row.md</code>"
            ),
            "\(summary)")
        for line in summary.split(separator: "\n") where line.hasPrefix("|") {
            #expect(
                line.filter { $0 == "|" }.count - line.components(separatedBy: "\\|").count + 1 == 4,
                "a forged cell: \(line)")
        }
    }

    @Test("a stage name with a line break is refused at its line")
    func stageNameControlCharacters() throws {
        let repo = try Self.repository()
        try "version: 1\nstages:\n  \"lint\\nforged=true\": {run: \"true\"}\n".write(
            toFile: repo.file("bad.yml"), atomically: false, encoding: .utf8)
        let result = try MLCIRunner.run(["validate", "--config", "bad.yml"], in: repo.path)
        #expect(
            result.status == 2 && result.err.contains("bad.yml:3:3: error: stage name")
                && result.err.contains("control character"), "\(result.err)")
    }
}
