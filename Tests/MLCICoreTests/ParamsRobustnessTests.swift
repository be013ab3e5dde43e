import MLCITestSupport
import Testing

@testable import MLCICore

/// Params files are user input read on every plan: damaged ones must be rejected with an error
/// (the file then counts as a whole), never crash the process. Mutations of valid files, from
/// a fixed seed so a failure reproduces.
@Suite("params readers on damaged files")
struct ParamsRobustnessTests {
    static let seeds: [(ParamsFormat, String)] = [
        (.toml, "a = 1\n[t]\nx = [1, 2, {y = 'z'}]\n[[arr]]\nn = 0x1F\ns = \"\"\"m\nl\"\"\"\nf = 1e3\n"),
        (.json, #"{"a": [1, 2.5e3, {"b": "c\u00e9\ud83d\ude00"}], "n": null, "t": true}"#),
        (.yaml, "a: &x {b: [1, 2]}\nc:\n  <<: *x\n  d: 0o17\n"),
        (
            .python,
            "A = 1\nclass T:\n    b: int = 0x1F\n    def __init__(self):\n        self.c = [1, (2,), {'d': 'e'}]\nS = '''x\ny'''\n"
        ),
    ]

    static let fragments = [
        "[", "]", "{", "}", "\"", "'", "\\", "\n", " ", "=", ":", ",", "#", "0x", "1e", "-", "@", "*", "&",
        "\u{0}", "\"\"\"", "'''", "<<", "9999999999999999999999", ".", "\\u12", "\\ud800", "\\udbff\\u0041", "\t",
    ]

    @Test("thousands of damaged files: each is read or rejected, the same way twice, and none crashes")
    func damagedFiles() {
        var rng = SplitMix64(state: 2026)
        var read = 0, total = 0
        for (format, seed) in Self.seeds {
            for _ in 0..<2000 {
                var bytes = Array(seed.utf8)
                for _ in 0..<Int.random(in: 1...5, using: &rng) {
                    let at = Int.random(in: 0...bytes.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0:
                        if at < bytes.count {
                            bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...4, using: &rng)))
                        }
                    case 1: bytes.insert(contentsOf: Array(Self.fragments.randomElement(using: &rng)!.utf8), at: at)
                    default: if at < bytes.count { bytes[at] = UInt8.random(in: 0...255, using: &rng) }
                    }
                }
                let first = try? ParamsFile.parse(bytes, format: format)
                let second = try? ParamsFile.parse(bytes, format: format)
                #expect((first == nil) == (second == nil))
                if first != nil { read += 1 }
                total += 1
            }
        }
        // The damage must leave a share of files readable, or only the rejection paths ran.
        #expect(read > total / 50 && read < total, "\(read) of \(total) read")
    }
}

/// Crashes the fuzzers found (`scripts/fuzz`): each input overflowed the stack of a reader that
/// recursed once per nesting level. Deep nesting is now refused at a fixed depth.
@Suite("params readers on deeply nested files (fuzzer regressions)")
struct ParamsNestingTests {
    static func tomlError(_ text: String) -> String? {
        do {
            _ = try TOMLParser.parse(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("TOML nested 100,000 levels (arrays, inline tables, headers, dotted keys) is refused; 100 levels are read")
    func deepTOML() {
        let cases = [
            "a = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n",
            "a = " + String(repeating: "{b = ", count: 50_000) + "1" + String(repeating: "}", count: 50_000) + "\n",
            "[" + Array(repeating: "a", count: 30_000).joined(separator: ".") + "]\n",
            Array(repeating: "a", count: 30_000).joined(separator: ".") + " = 1\n",
            "[" + Array(repeating: "t", count: 300).joined(separator: ".") + "]\n"
                + Array(repeating: "k", count: 300).joined(separator: ".") + " = 1\n",
            "a = {" + Array(repeating: "k", count: 400).joined(separator: ".") + " = "
                + String(repeating: "[", count: 400) + String(repeating: "]", count: 400) + "}\n",
        ]
        for text in cases {
            #expect(Self.tomlError(text)?.contains("nested deeper than 512 levels") == true, "\(text.prefix(40))")
        }
        let fine = "a = " + String(repeating: "[", count: 100) + "1" + String(repeating: "]", count: 100) + "\n"
        #expect(Self.tomlError(fine) == nil)
    }

    @Test("Python nested deeper than CPython allows (200 brackets, 100 blocks) is opaque, not a crash")
    func deepPython() {
        let list = "X = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        #expect(PythonParams.parse(list) == nil)
        let classes =
            (0..<3000).map { String(repeating: " ", count: $0) + "class A:\n" }.joined()
            + String(repeating: " ", count: 3000) + "x = 1\n"
        #expect(PythonParams.parse(classes) == nil)
        let fine = "X = " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "\n"
        #expect(PythonParams.parse(fine) != nil)
        let nested =
            (0..<50).map { String(repeating: " ", count: $0) + "class A\($0):\n" }.joined()
            + String(repeating: " ", count: 50) + "x = 1\n"
        #expect(
            PythonParams.parse(nested)?.lookup(Array((0..<50).map { "A\($0)" } + ["x"]).joined(separator: "."))
                == .int(1))
    }
}
