import Foundation
import MLCITestSupport
import Testing

@testable import MLCICore

/// The documentation against the code it describes: the configuration reference against the
/// loader's key lists, every relative link and anchor against the files and headings it names,
/// the README's length and first code block, and pasted generated text against its golden file.
/// (The `console` blocks marked `<!-- output: FIXTURE -->` are run by `DocsExampleTests`.)
@Suite("documentation")
struct DocsTests {
    /// Every page the docs tests read, relative to the package root.
    static var pages: [String] {
        let root = FixturePaths.packageRoot
        var pages = ["README.md", "CONTRIBUTING.md", "RELEASING.md", "bench/README.md"]
        let docs = FileManager.default.enumerator(atPath: root + "/docs")
        while let file = docs?.nextObject() as? String {
            if file.hasSuffix(".md") { pages.append("docs/" + file) }
        }
        return pages.sorted()
    }

    static func page(_ path: String) throws -> MarkdownPage {
        MarkdownPage(
            path: path, text: try String(contentsOfFile: FixturePaths.packageRoot + "/" + path, encoding: .utf8))
    }

    // MARK: The configuration reference

    @Test("docs/configuration.md documents every key the loader accepts, and only those")
    func configurationReference() throws {
        let findings = ConfigurationReference.findings(try Self.page("docs/configuration.md"))
        #expect(findings.isEmpty, "\(findings.joined(separator: "\n"))")
    }

    @Test("the reference check fails on a missing row, an unknown key and a malformed row")
    func configurationReferenceCanFail() throws {
        let text = try String(
            contentsOfFile: FixturePaths.packageRoot + "/docs/configuration.md", encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        func findings(_ edited: [String]) -> [String] {
            ConfigurationReference.findings(
                MarkdownPage(path: "docs/configuration.md", text: edited.joined(separator: "\n")))
        }
        for key in ["stages.<name>.dvc", "pipelines.<name>.branches", "ci.install", "protected_stages"] {
            let without = lines.filter { !$0.hasPrefix("| `\(key)` |") }
            #expect(without.count == lines.count - 1, "no row \(key) to remove")
            #expect(findings(without).contains { $0.contains("`\(key)`") }, "removing \(key) went unnoticed")
        }
        let row = try #require(lines.firstIndex { $0.hasPrefix("| `stages.<name>.run` |") })
        for bogus in [
            "| `stages.<name>.command` | no such key |", "| `pipelines.<name>.cron` | no such key |",
            "| `ci.github.runs-on` | no such key |", "| `ci.install.hash` | no such key |",
            "| `cache_dir` | no such key |", "| `stages.<name>.run`, `stages.<name>.on` | two keys |",
        ] {
            var with = lines
            with.insert(bogus, at: row + 1)
            #expect(!findings(with).isEmpty, "\(bogus) went unnoticed")
        }
    }

    // MARK: Links

    @Test("every relative link and anchor in the docs resolves")
    func links() throws {
        var broken: [String] = []
        var anchors: [String: Set<String>] = [:]
        for path in Self.pages {
            let page = try Self.page(path)
            for link in page.links {
                guard link.target.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*:"#, options: .regularExpression) == nil
                else { continue }  // https:, mailto:
                let (file, anchor) = MarkdownPage.split(link.target)
                let target = file.isEmpty ? path : MarkdownPage.resolve(file, from: path)
                guard FileManager.default.fileExists(atPath: FixturePaths.packageRoot + "/" + target) else {
                    broken.append("\(path):\(link.line): \(link.target): no file \(target)")
                    continue
                }
                guard let anchor, target.hasSuffix(".md") else { continue }
                if anchors[target] == nil { anchors[target] = try Self.page(target).anchors }
                if anchors[target]?.contains(anchor) != true {
                    broken.append("\(path):\(link.line): \(link.target): no heading #\(anchor) in \(target)")
                }
            }
        }
        #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
    }

    @Test("headings become GitHub's anchors")
    func slugs() {
        #expect(MarkdownPage.slug("`mlci plan`") == "mlci-plan")
        #expect(MarkdownPage.slug("Hooks on developers' machines") == "hooks-on-developers-machines")
        #expect(MarkdownPage.slug("Kinds or paths in `on:`") == "kinds-or-paths-in-on")
        #expect(MarkdownPage.slug("Yes/no variables") == "yesno-variables")
        #expect(
            MarkdownPage.slug("Pipelines, triggers and per-stage CI settings")
                == "pipelines-triggers-and-per-stage-ci-settings")
        #expect(MarkdownPage.slug("Model releases by tag") == "model-releases-by-tag")
        let page = MarkdownPage(path: "x.md", text: "# A\n## A\n```\n# not a heading\n```\n## A b_c\n")
        #expect(page.anchors == ["a", "a-1", "a-b_c"])
    }

    // MARK: The README

    @Test("the README is at most 250 lines, opens with the two set-up commands and links every page")
    func readme() throws {
        let readme = try Self.page("README.md")
        #expect(readme.lines.count <= 250, "README.md has \(readme.lines.count) lines")
        let first = try #require(readme.codeBlocks.first)
        #expect(
            first.lines.count == 2 && first.lines[0].hasPrefix("./scripts/demo")
                && first.lines[1].hasPrefix("./scripts/test"),
            "the README's first code block must be ./scripts/demo and ./scripts/test: \(first.lines)")
        #expect(readme.heading(before: first.line) == "Quick start")
        let linked = Set(
            readme.links.map { MarkdownPage.resolve(MarkdownPage.split($0.target).file, from: "README.md") })
        let unlinked = Self.pages.filter { $0 != "README.md" && !linked.contains($0) }
        #expect(unlinked.isEmpty, "README.md links none of \(unlinked)")
    }

    // MARK: Code blocks

    @Test("generated pipeline text in the docs is its golden file, or a run of its lines")
    func generatedText() throws {
        var problems: [String] = []
        for path in Self.pages {
            for block in try Self.page(path).codeBlocks {
                let place = "\(path):\(block.line)"
                guard let golden = block.marker(named: "generated") else {
                    if block.lines.contains(where: { $0.contains("Generated by mlci from mlci.yml") }) {
                        problems.append(
                            "\(place): generated text without <!-- generated: FILE -->; link the golden file")
                    }
                    continue
                }
                guard golden.hasPrefix("Fixtures/"), golden.contains("/expected/"),
                    let text = try? String(contentsOfFile: FixturePaths.packageRoot + "/" + golden, encoding: .utf8)
                else {
                    problems.append("\(place): \(golden) is no golden file under Fixtures/*/expected/")
                    continue
                }
                if !MarkdownPage.isRun(block.lines, of: text.components(separatedBy: "\n")) {
                    problems.append("\(place): the block is not a run of lines of \(golden)")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("every console block says whether a test checks it, and names a fixture that exists")
    func consoleBlocksAreMarked() throws {
        var problems: [String] = []
        for path in Self.pages {
            for block in try Self.page(path).codeBlocks where block.info == "console" {
                if let fixture = block.marker(named: "output") {
                    if !FileManager.default.fileExists(atPath: FixturePaths.fixtures + "/\(fixture)/build.sh") {
                        problems.append("\(path):\(block.line): no fixture Fixtures/\(fixture)/build.sh")
                    }
                } else if block.marker(named: "output not checked") == nil {
                    problems.append(
                        "\(path):\(block.line): mark it <!-- output: FIXTURE --> (run by DocsExampleTests) or"
                            + " <!-- output not checked: why --> and say in the text that it is an example")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("every mlci.yml shown whole in the docs loads without errors")
    func configurationExamplesLoad() throws {
        var problems: [String] = []
        for path in Self.pages {
            for block in try Self.page(path).codeBlocks
            where block.info == "yaml" && block.lines.first == "version: 1" && block.marker(named: "file") == nil {
                do {
                    _ = try ConfigLoader().load(text: block.lines.joined(separator: "\n") + "\n")
                } catch {
                    problems.append("\(path):\(block.line): \(error.description)")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}

/// Checks the key tables of docs/configuration.md (tables whose first column is `key`) against
/// the loader: every key it accepts has its row, and every row names a key it accepts.
enum ConfigurationReference {
    static func findings(_ page: MarkdownPage) -> [String] {
        var findings: [String] = []
        var documented: [String: Int] = [:]
        for row in page.keyTableRows {
            guard let key = row.key else {
                findings.append("docs/configuration.md:\(row.line): the first cell must be one key in backticks")
                continue
            }
            documented[key, default: 0] += 1
            if let problem = problem(key) { findings.append("docs/configuration.md:\(row.line): `\(key)` \(problem)") }
        }
        for (key, count) in documented where count > 1 {
            findings.append("`\(key)` has \(count) rows")
        }
        let expected =
            ConfigLoader.topLevelKeys + ConfigLoader.stageKeys.map { "stages.<name>.\($0)" }
            + ConfigLoader().pipelineKeys.map { "pipelines.<name>.\($0)" } + ConfigLoader.ciKeys.map { "ci.\($0)" }
            + InstallSettings.keys.map { "ci.install.\($0)" } + ["kinds.<name>", "x-…"]
            + CIPlatforms.builtIn.flatMap { platform in platform.settingsKeys.map { "ci.\(platform.id).\($0)" } }
            + CIPlatforms.builtIn.flatMap { platform in
                platform.pipelineSettingsKeys.map { "pipelines.<name>.\(platform.id).\($0)" }
            }
        for key in expected where documented[key] == nil {
            findings.append("`\(key)` is read by the loader but has no row in docs/configuration.md")
        }
        return findings
    }

    /// Why a documented key is not one the loader accepts, or nil.
    static func problem(_ key: String) -> String? {
        if key.hasPrefix("x-") { return key == "x-…" ? nil : "is written `x-…` (any key starting x-)" }
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard ConfigLoader.topLevelKeys.contains(parts[0]) else { return "is not a top-level key of the loader" }
        switch (parts[0], parts.count) {
        case (_, 1):
            return nil
        case ("kinds", 2):
            return parts[1] == "<name>" ? nil : "is written `kinds.<name>`"
        case ("stages", 3), ("pipelines", 3):
            guard parts[1] == "<name>" else { return "is written `\(parts[0]).<name>.KEY`" }
            let known = parts[0] == "stages" ? ConfigLoader.stageKeys : ConfigLoader().pipelineKeys
            return known.contains(parts[2]) ? nil : "is not a key of a \(parts[0].dropLast()) the loader reads"
        case ("ci", 2):
            return ConfigLoader.ciKeys.contains(parts[1]) ? nil : "is not a key of ci the loader reads"
        case ("pipelines", 4):
            guard parts[1] == "<name>", let platform = CIPlatforms.builtIn.first(where: { $0.id == parts[2] }) else {
                return "names no key the loader reads"
            }
            return platform.pipelineSettingsKeys.contains(parts[3])
                ? nil : "is not a key of pipelines.<name>.\(parts[2]) the loader reads"
        case ("ci", 3) where parts[1] == "install":
            return InstallSettings.keys.contains(parts[2]) ? nil : "is not a key of ci.install the loader reads"
        case ("ci", 3):
            guard let platform = CIPlatforms.builtIn.first(where: { $0.id == parts[1] }) else {
                return "names no key the loader reads"
            }
            return platform.settingsKeys.contains(parts[2]) ? nil : "is not a key of ci.\(parts[1]) the loader reads"
        default:
            return "names no key the loader reads"
        }
    }
}

/// The parts of a Markdown page the docs tests read. Lines inside fenced code blocks are
/// neither headings nor links.
struct MarkdownPage {
    struct CodeBlock {
        /// The fence's info string (`console`, `yaml`, …) and the 1-based line of the fence.
        let info: String
        let line: Int
        let lines: [String]
        /// The HTML comment on the closest non-blank line before the fence, without `<!--`/`-->`.
        let marker: String?

        /// The value of a `<!-- name: value -->` marker.
        func marker(named name: String) -> String? {
            guard let marker, marker.hasPrefix(name + ":") else { return nil }
            return marker.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
        }
    }

    struct TableRow {
        let line: Int
        /// The first cell when it is exactly one code span, without its backticks.
        let key: String?
    }

    let path: String
    let lines: [String]
    private(set) var codeBlocks: [CodeBlock] = []
    /// (1-based line, text) of every line outside code blocks.
    private(set) var prose: [(line: Int, text: String)] = []

    init(path: String, text: String) {
        self.path = path
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
        var open: (info: String, line: Int, marker: String?)?
        var body: [String] = []
        var marker: String?
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                if let fence = open {
                    codeBlocks.append(CodeBlock(info: fence.info, line: fence.line, lines: body, marker: fence.marker))
                    open = nil
                } else {
                    open = (String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), index + 1, marker)
                    body = []
                }
                continue
            }
            if open != nil {
                body.append(line)
                continue
            }
            prose.append((index + 1, line))
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->") {
                marker = String(trimmed.dropFirst(4).dropLast(3)).trimmingCharacters(in: .whitespaces)
            } else if !trimmed.isEmpty {
                marker = nil
            }
        }
    }

    /// The anchors of the page's headings, numbered as GitHub numbers repeated ones.
    var anchors: Set<String> {
        var seen: [String: Int] = [:]
        var anchors: Set<String> = []
        for (_, text) in prose {
            guard let heading = Self.headingText(text) else { continue }
            let slug = Self.slug(heading)
            if let count = seen[slug] {
                seen[slug] = count + 1
                anchors.insert("\(slug)-\(count + 1)")
            } else {
                seen[slug] = 0
                anchors.insert(slug)
            }
        }
        return anchors
    }

    /// The text of the last heading before a line.
    func heading(before line: Int) -> String? {
        prose.last { $0.line < line && Self.headingText($0.text) != nil }.flatMap { Self.headingText($0.text) }
    }

    static func headingText(_ line: String) -> String? {
        guard let match = line.range(of: #"^#{1,6} "#, options: .regularExpression) else { return nil }
        return String(line[match.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "# "))
    }

    /// GitHub's rule: lower-cased; letters, digits, `-` and `_` kept, spaces become `-`, the rest
    /// (backticks and other punctuation) dropped.
    static func slug(_ heading: String) -> String {
        var slug = ""
        for character in heading.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            } else if character == " " {
                slug.append("-")
            }
        }
        return slug
    }

    /// Every `](target)` outside code, with its line. Code spans are dropped first, so a link
    /// written inside backticks is not one.
    var links: [(line: Int, target: String)] {
        var links: [(line: Int, target: String)] = []
        for (line, text) in prose {
            let withoutCode = text.replacingOccurrences(of: "`[^`]*`", with: "", options: .regularExpression)
            var rest = withoutCode[...]
            while let open = rest.range(of: "](") {
                guard let close = rest[open.upperBound...].firstIndex(of: ")") else { break }
                links.append((line: line, target: String(rest[open.upperBound..<close])))
                rest = rest[close...]
            }
        }
        return links
    }

    /// Rows of tables whose header's first cell is `key`.
    var keyTableRows: [TableRow] {
        var rows: [TableRow] = []
        var inKeyTable = false
        for (index, (line, text)) in prose.enumerated() {
            guard text.hasPrefix("|") else {
                inKeyTable = false
                continue
            }
            let cells = text.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let first = cells.count > 1 ? cells[1] : ""
            let previous = index > 0 ? prose[index - 1].text : ""
            if !previous.hasPrefix("|") {
                inKeyTable = first == "key"
                continue
            }
            if !inKeyTable || first.hasPrefix("---") { continue }
            let isOneKey = first.range(of: "^`[^`]+`$", options: .regularExpression) != nil
            rows.append(TableRow(line: line, key: isOneKey ? String(first.dropFirst().dropLast()) : nil))
        }
        return rows
    }

    static func split(_ target: String) -> (file: String, anchor: String?) {
        guard let hash = target.firstIndex(of: "#") else { return (target, nil) }
        return (String(target[..<hash]), String(target[target.index(after: hash)...]))
    }

    /// A link's file relative to the package root, from the page linking to it.
    static func resolve(_ file: String, from page: String) -> String {
        var parts = page.split(separator: "/").dropLast().map(String.init)
        for part in file.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// Whether `excerpt` is a contiguous run of `lines`.
    static func isRun(_ excerpt: [String], of lines: [String]) -> Bool {
        guard !excerpt.isEmpty, excerpt.count <= lines.count else { return false }
        return (0...(lines.count - excerpt.count)).contains { Array(lines[$0..<$0 + excerpt.count]) == excerpt }
    }
}
