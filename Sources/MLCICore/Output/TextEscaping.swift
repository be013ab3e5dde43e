/// Small text helpers shared by the renderers.
enum CharacterSetASCII {
    static func alnum(_ s: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(s.value) || (0x41...0x5a).contains(s.value) || (0x61...0x7a).contains(s.value)
    }
}

extension String {
    var replacingQuotes: String { replacingOccurrences(of: "\"", with: "'") }
    var escapedForTable: String { replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
}
