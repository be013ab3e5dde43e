import Foundation
import Testing

@testable import MLCICore

/// The hand-written YAML 1.2 scalar matchers against ruamel's resolver patterns as regular
/// expressions (the oracle), over every string of up to four characters from an alphabet of
/// the characters the patterns care about, plus longer realistic scalars.
@Suite("YAML 1.2 scalar patterns")
struct YAML12PatternTests {
    static let oracle: [(YAML12.Pattern, String)] = [
        (
            .float,
            #"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?)$"#
        ),
        (.infinity, #"^[-+]?\.(?:inf|Inf|INF)$"#),
        (.nan, #"^\.(?:nan|NaN|NAN)$"#),
        (.binary, #"^[-+]?0b[0-1_]+$"#),
        (.hex, #"^[-+]?0x[0-9a-fA-F_]+$"#),
        (.octal, #"^[-+]?0o[0-7_]+$"#),
        (.decimal, #"^[-+]?[0-9_]+$"#),
    ]

    @Test("every short string over the patterns' alphabet, and realistic scalars, match as the regular expressions do")
    func agreesWithRegularExpressions() throws {
        let alphabet = Array("019_.eE-+bxoaF")
        var samples: [String] = [""]
        var layer = [""]
        for _ in 1...4 {
            layer = layer.flatMap { prefix in alphabet.map { prefix + String($0) } }
            samples += layer
        }
        samples += [
            "0.1", "1e5", "1.5e-3", "-2.", ".5", ".5e+3", ".5e3", "1_000", "0x1F", "0o17", "0b101", "017", "+12",
            ".inf", "-.Inf", ".NaN", ".nan", "1.0.0", "1e", "e5", "0x", "--1", "3.14_15", "INF", "nan", "12:30",
        ]
        var checked = 0
        for (pattern, source) in Self.oracle {
            let regex = try NSRegularExpression(pattern: source)
            for text in samples {
                let expected = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                #expect(pattern.matches(Array(text.utf8)) == expected, "\(pattern) on '\(text)'")
                checked += 1
            }
        }
        #expect(checked > 100_000)
    }
}
