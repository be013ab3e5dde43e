import Foundation
import MLCITestSupport
import Testing

/// The output shown in the docs is what mlci prints. A `console` block marked
/// `<!-- output: FIXTURE -->` is run: each `$ mlci …` line in a fresh build of
/// `Fixtures/FIXTURE`, its output compared with the lines that follow it (a `...` line stands
/// for any number of lines; the repository's path is shown as `/home/me/churn`). A block marked
/// `<!-- file: NAME -->` earlier on the page is written to `NAME` in the repository first. A block
/// marked `<!-- generated: Fixtures/generate-mlops/expected/FILE -->` must be a run of lines of
/// what `mlci generate` writes now. (`DocsTests` checks that every console block is marked.)
@Suite("examples in the docs")
struct DocsExampleTests {
    static let shownRepository = "/home/me/churn"

    struct Block {
        let page: String
        let line: Int
        let info: String
        let marker: String?
        let lines: [String]

        func marker(named name: String) -> String? {
            guard let marker, marker.hasPrefix(name + ":") else { return nil }
            return marker.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
        }
    }

    static var pages: [String] {
        var pages = ["README.md", "CONTRIBUTING.md", "RELEASING.md", "bench/README.md"]
        let docs = FileManager.default.enumerator(atPath: FixturePaths.packageRoot + "/docs")
        while let file = docs?.nextObject() as? String {
            if file.hasSuffix(".md") { pages.append("docs/" + file) }
        }
        return pages.sorted()
    }

    /// The fenced code blocks of a page, each with the HTML comment on the closest non-blank
    /// line before its fence.
    static func blocks(_ page: String) throws -> [Block] {
        let text = try String(contentsOfFile: FixturePaths.packageRoot + "/" + page, encoding: .utf8)
        var blocks: [Block] = []
        var open: (info: String, line: Int, marker: String?)?
        var body: [String] = []
        var marker: String?
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("```") {
                if let fence = open {
                    blocks.append(
                        Block(page: page, line: fence.line, info: fence.info, marker: fence.marker, lines: body))
                    open = nil
                } else {
                    open = (String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), index + 1, marker)
                    body = []
                }
            } else if open != nil {
                body.append(line)
            } else {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->") {
                    marker = String(trimmed.dropFirst(4).dropLast(3)).trimmingCharacters(in: .whitespaces)
                } else if !trimmed.isEmpty {
                    marker = nil
                }
            }
        }
        return blocks
    }

    /// One `$ command` of a console block and the lines shown after it.
    struct Example {
        let command: String
        let expected: [String]
    }

    static func examples(_ lines: [String]) -> [Example] {
        var examples: [Example] = []
        var command: String?
        var expected: [String] = []
        func flush() {
            if let command {
                while expected.last?.isEmpty == true { expected.removeLast() }
                examples.append(Example(command: command, expected: expected))
            }
        }
        for line in lines {
            if line.hasPrefix("$ ") {
                flush()
                command = String(line.dropFirst(2))
                expected = []
            } else {
                expected.append(line)
            }
        }
        flush()
        return examples
    }

    /// The arguments of `mlci …`, without a trailing `# comment`, and the word of a trailing
    /// `| grep WORD`.
    static func parse(_ command: String) -> (arguments: [String], grep: String?)? {
        var text = command
        if let comment = text.range(of: #"\s+#\s.*$"#, options: .regularExpression) {
            text.removeSubrange(comment)
        }
        var grep: String?
        if let pipe = text.range(of: " | grep ") {
            grep = String(text[pipe.upperBound...]).trimmingCharacters(in: .whitespaces)
            text = String(text[..<pipe.lowerBound])
        }
        let words = text.split(separator: " ").map(String.init)
        guard words.first == "mlci" else { return nil }
        return (Array(words.dropFirst()), grep)
    }

    /// Whether `actual` is `expected`, where a `...` line in `expected` stands for any lines.
    static func matches(_ expected: [String], _ actual: [String]) -> Bool {
        func match(_ e: Int, _ a: Int) -> Bool {
            if e == expected.count { return a == actual.count }
            if expected[e].trimmingCharacters(in: .whitespaces) == "..." {
                return (a...actual.count).contains { match(e + 1, $0) }
            }
            return a < actual.count && expected[e] == actual[a] && match(e + 1, a + 1)
        }
        return match(0, 0)
    }

    static func outputLines(_ text: String, grep: String?) -> [String] {
        var lines = text.components(separatedBy: "\n")
        while lines.last?.isEmpty == true { lines.removeLast() }
        if let grep { lines = lines.filter { $0.contains(grep) } }
        return lines
    }

    @Test("every console block marked output: FIXTURE shows what mlci prints there")
    func outputs() throws {
        var checked = 0
        for page in Self.pages {
            var files: [(name: String, text: String)] = []
            for block in try Self.blocks(page) {
                let place = "\(page):\(block.line)"
                if let name = block.marker(named: "file") {
                    files.append((name, block.lines.joined(separator: "\n") + "\n"))
                }
                guard block.info == "console", let fixture = block.marker(named: "output") else { continue }
                let repo = try FixtureRepository.build(fixture)
                for file in files {
                    try file.text.write(toFile: repo.file(file.name), atomically: false, encoding: .utf8)
                }
                let examples = Self.examples(block.lines)
                #expect(!examples.isEmpty, "\(place): no $ command in the block")
                for example in examples {
                    guard let parsed = Self.parse(example.command) else {
                        Issue.record("\(place): a checked block runs only mlci: \(example.command)")
                        continue
                    }
                    let (arguments, grep) = parsed
                    let result = try MLCIRunner.run(arguments, in: repo.path, environment: ["NO_COLOR": "1"])
                    let shown = { (text: String) in
                        Self.outputLines(
                            text.replacingOccurrences(of: repo.path, with: Self.shownRepository), grep: grep)
                    }
                    let matched =
                        Self.matches(example.expected, shown(result.out + result.err))
                        || Self.matches(example.expected, shown(result.err + result.out))
                    #expect(
                        matched,
                        "\(place): $ \(example.command)\nthe page shows:\n\(example.expected.joined(separator: "\n"))\nmlci printed:\n\(result.err)\(result.out)"
                    )
                    checked += 1
                }
            }
        }
        #expect(checked > 0)
    }

    @Test("generated pipeline text in the docs is a run of lines of what mlci generate writes")
    func generatedExcerpts() throws {
        let blocks = try Self.pages.flatMap { try Self.blocks($0) }.filter { $0.marker(named: "generated") != nil }
        guard !blocks.isEmpty else { return }
        let repo = try FixtureRepository.build("generate-mlops")
        let out = try TemporaryDirectory("docs-generated")
        _ = try GenerateTests.generateAll(repo.path, into: out.path)
        for block in blocks {
            let golden = block.marker(named: "generated") ?? ""
            let prefix = "Fixtures/generate-mlops/expected/"
            guard golden.hasPrefix(prefix) else {
                Issue.record("\(block.page):\(block.line): only generate-mlops excerpts are generated here: \(golden)")
                continue
            }
            let name = String(golden.dropFirst(prefix.count))
            let files = FileManager.default.enumerator(atPath: out.path)?.allObjects as? [String] ?? []
            guard let file = files.first(where: { $0.replacingOccurrences(of: "/", with: "_") == name }) else {
                Issue.record("\(block.page):\(block.line): mlci generate writes no file for \(golden)")
                continue
            }
            let lines = try String(contentsOfFile: out.file(file), encoding: .utf8).components(separatedBy: "\n")
            let isRun =
                block.lines.count <= lines.count
                && (0...(lines.count - block.lines.count)).contains {
                    Array(lines[$0..<$0 + block.lines.count]) == block.lines
                }
            #expect(isRun, "\(block.page):\(block.line): not a run of lines of the generated \(file)")
        }
    }
}
