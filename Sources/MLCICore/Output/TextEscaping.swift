/// Small text helpers shared by the renderers, and the one rule for showing text that came from
/// data (paths, names, values, messages) to a terminal or a CI log.
enum CharacterSetASCII {
    static func alnum(_ s: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(s.value) || (0x41...0x5a).contains(s.value) || (0x61...0x7a).contains(s.value)
    }
}

extension String {
    /// For a Mermaid label: no quote, backtick or line break can end it.
    var replacingQuotes: String {
        replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "`", with: "'")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    /// For a Markdown table cell that GitHub renders: text from paths and names (which a pull
    /// request controls) cannot open HTML, links, code spans or new rows; control characters
    /// are escaped as in `terminalSafe`.
    var escapedForTable: String {
        var out = ""
        for c in self {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "`": out += "&#96;"
            case "[": out += "&#91;"
            case "]": out += "&#93;"
            case "|": out += "\\|"
            default: out += String(c).terminalSafe
            }
        }
        return out
    }

    /// One field of text from data, as mlci shows it: the text can neither reach the terminal as
    /// a control sequence nor end its line. Every control character — newline, tab and ESC
    /// included, so colour codes (SGR) from data too — is shown as `\n`, `\r`, `\t` or `\xNN`;
    /// characters that reorder or break text (bidirectional overrides, line separators) as
    /// `\u{NNNN}`; GitHub's legacy workflow-command prefix `##[`, which the runner reads anywhere
    /// in a line, as `#\x23[`. mlci's own colours are added after this, never before.
    public var terminalSafe: String {
        guard unicodeScalars.contains(where: { Self.escape($0) != nil || $0 == "#" }) else { return self }
        var out = String.UnicodeScalarView()
        var hashes = 0
        for s in unicodeScalars {
            defer { hashes = s == "#" ? hashes + 1 : 0 }
            if let escaped = Self.escape(s) {
                out.append(contentsOf: escaped.unicodeScalars)
            } else if s == "[", hashes >= 2 {
                // `##[` → `#\x23[`: the last `#` of the run goes out escaped.
                out.removeLast()
                out.append(contentsOf: "\\x23[".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// The escape of one scalar under `terminalSafe`, nil when it is shown as it is.
    private static func escape(_ s: Unicode.Scalar) -> String? {
        switch s.value {
        case 0x0a: return "\\n"
        case 0x0d: return "\\r"
        case 0x09: return "\\t"
        case 0..<0x20, 0x7f, 0x80...0x9f: return "\\x" + String(s.value, radix: 16).leftPadded(2)
        case 0x061c, 0x200e, 0x200f, 0x2028...0x202e, 0x2066...0x2069:
            return "\\u{" + String(s.value, radix: 16).leftPadded(4) + "}"
        default: return nil
        }
    }

    /// A path or a name from data, as mlci shows it: as it is when plain; otherwise in double
    /// quotes (git's style), escaped as in `terminalSafe` with `\"` and `\\` — when it holds
    /// anything `terminalSafe` escapes, a quote or a backslash, or starts or ends with a space or
    /// starts with `:` (so that it cannot begin a line GitHub reads as a `::` command).
    public var quotedIfNeeded: String {
        let safe = terminalSafe
        let plain =
            safe == self && !contains("\"") && !contains("\\") && !hasPrefix(":")
            && first.map { !$0.isWhitespace } ?? true && last.map { !$0.isWhitespace } ?? true
        guard !plain else { return self }
        var out = "\""
        for s in unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(s)
            }
        }
        return out.terminalSafe + "\""
    }

    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
