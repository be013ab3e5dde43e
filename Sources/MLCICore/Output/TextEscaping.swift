/// Small text helpers shared by the renderers.
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
    /// request controls) cannot open HTML, links, code spans or new rows.
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
            case "\n", "\r", "\r\n": out += " "
            default: out += String(c).terminalSafe
            }
        }
        return out
    }

    /// For a terminal: every control character (C0, DEL, C1) is shown as `\xNN`, so a file name
    /// cannot clear the screen, set the clipboard (OSC 52) or rewrite a line; mlci's own colour
    /// codes (`ESC [ digits m`) pass.
    var terminalSafe: String {
        var out = ""
        var scalars = Array(unicodeScalars)[...]
        while let s = scalars.popFirst() {
            if s == "\u{1B}", scalars.first == "[" {
                var sequence = "\u{1B}["
                var rest = scalars.dropFirst()
                while let d = rest.first, ("0"..."9").contains(d) || d == ";" {
                    sequence.unicodeScalars.append(d)
                    rest = rest.dropFirst()
                }
                if rest.first == "m" {
                    out += sequence + "m"
                    scalars = rest.dropFirst()
                    continue
                }
            }
            let v = s.value
            if v < 0x20 && s != "\n" || v == 0x7f || (0x80...0x9f).contains(v) {
                out += "\\x" + String(v, radix: 16, uppercase: false).leftPadded(2)
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
