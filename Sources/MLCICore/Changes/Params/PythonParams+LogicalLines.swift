/// The tokenizer: source text into logical lines of tokens, as Python joins and splits them.
extension PythonParams {
    /// Splits the text into logical lines (brackets and `\` join physical lines; blank and
    /// comment-only lines are dropped), each with its indentation and tokens.
    struct LogicalLines {
        private(set) var lines: [Line] = []
        private let s: [Unicode.Scalar]
        private var i = 0

        init(_ text: String) throws {
            s = Array(text.unicodeScalars)
            var tokens: [Token] = []
            var depth = 0
            var indent = 0
            var atLineStart = true
            while i < s.count {
                if atLineStart && depth == 0 {
                    // Measure indentation; tabs advance to the next multiple of 8, as in CPython.
                    var column = 0
                    while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\u{0C}" {
                        column = s[i] == "\t" ? (column / 8 + 1) * 8 : (s[i] == " " ? column + 1 : 0)
                        i += 1
                    }
                    if i >= s.count { break }
                    if s[i] == "#" { skipComment(); continue }
                    if s[i] == "\n" || s[i] == "\r" { i += 1; continue }
                    indent = column
                    atLineStart = false
                }
                let c = s[i]
                switch c {
                case " ", "\t", "\u{0C}": i += 1
                case "#": skipComment()
                case "\r", "\n":
                    i += 1
                    if c == "\r", i < s.count, s[i] == "\n" { i += 1 }
                    if depth == 0 {
                        if !tokens.isEmpty { lines.append(Line(indent: indent, tokens: tokens)) }
                        tokens = []
                        atLineStart = true
                    }
                case "\\":
                    // A continuation: the backslash must end the physical line.
                    i += 1
                    if i < s.count, s[i] == "\r" { i += 1 }
                    guard i < s.count, s[i] == "\n" else { throw Unsure() }
                    i += 1
                default:
                    if let string = try stringToken() {
                        tokens.append(string)
                    } else if Self.isIdentifierStart(c) {
                        let start = i
                        while i < s.count, Self.isIdentifierPart(s[i]) { i += 1 }
                        tokens.append(.name(String(String.UnicodeScalarView(s[start..<i]))))
                    } else if c.properties.numericType != nil && c.isASCII
                        || (c == "." && i + 1 < s.count && s[i + 1].isASCII && s[i + 1].properties.numericType != nil)
                    {
                        tokens.append(.number(number()))
                    } else {
                        let op = try self.op()
                        if op == "(" || op == "[" || op == "{" {
                            depth += 1
                            // CPython's tokenizer refuses more (MAXLEVEL): such a file is not
                            // Python, and the literal reader recursing per bracket stays bounded.
                            guard depth <= PythonParams.maximumBracketDepth else { throw Unsure() }
                        }
                        if op == ")" || op == "]" || op == "}" {
                            depth -= 1
                            guard depth >= 0 else { throw Unsure() }
                        }
                        tokens.append(.op(op))
                    }
                }
            }
            guard depth == 0 else { throw Unsure() }
            if !tokens.isEmpty { lines.append(Line(indent: indent, tokens: tokens)) }
        }

        private mutating func skipComment() {
            while i < s.count, s[i] != "\n", s[i] != "\r" { i += 1 }
        }

        static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
            c == "_" || (c.isASCII ? c.properties.isAlphabetic : c.properties.isXIDStart)
        }

        static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
            c == "_"
                || (c.isASCII
                    ? (c.properties.isAlphabetic || c.properties.numericType != nil) : c.properties.isXIDContinue)
        }

        private mutating func number() -> String {
            // Digits, letters (x, o, b, e, j, hex digits), underscores, dots, and a sign right
            // after an exponent; validated when the value is read.
            let start = i
            while i < s.count {
                let c = s[i]
                if c.isASCII && (c.properties.isAlphabetic || c.properties.numericType != nil) || c == "_" || c == "." {
                    i += 1
                } else if c == "+" || c == "-", let last = s[start..<i].last, last == "e" || last == "E",
                    !String(String.UnicodeScalarView(s[start..<i])).lowercased().hasPrefix("0x")
                {
                    i += 1
                } else {
                    break
                }
            }
            return String(String.UnicodeScalarView(s[start..<i]))
        }

        /// Longest first; kept as scalars so that matching one allocates nothing.
        private static let operators: [(text: String, scalars: [Unicode.Scalar])] = [
            "**=", "//=", ">>=", "<<=", "...", "->", ":=", "==", "!=", "<=", ">=", "**", "//", "<<", ">>",
            "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
        ].map { ($0, Array($0.unicodeScalars)) }

        private mutating func op() throws -> String {
            for (text, scalars) in Self.operators
            where i + scalars.count <= s.count && s[i..<i + scalars.count].elementsEqual(scalars) {
                i += scalars.count
                return text
            }
            // Anything else (`$`, `?`, a byte-order mark, …) is not Python.
            guard "+-*/%@&|^~<>()[]{},:;.=".unicodeScalars.contains(s[i]) else { throw Unsure() }
            i += 1
            return String(s[i - 1])
        }

        /// A string literal with its prefix, or nil when the text here does not start one.
        private mutating func stringToken() throws -> Token? {
            var j = i
            var prefix = ""
            while j < s.count, j - i < 2, "rRbBuUfF".unicodeScalars.contains(s[j]) {
                prefix.unicodeScalars.append(s[j]); j += 1
            }
            guard j < s.count, s[j] == "\"" || s[j] == "'" else { return nil }
            let lower = prefix.lowercased()
            guard ["", "r", "u", "b", "br", "rb", "f", "fr", "rf"].contains(lower) else { return nil }
            let quote = s[j]
            let triple = j + 2 < s.count && s[j + 1] == quote && s[j + 2] == quote
            i = j + (triple ? 3 : 1)
            let raw = lower.contains("r")
            var value = String.UnicodeScalarView()
            while true {
                guard i < s.count else { throw Unsure() }  // unterminated
                let c = s[i]
                if c == quote && (!triple || (i + 2 < s.count && s[i + 1] == quote && s[i + 2] == quote)) {
                    i += triple ? 3 : 1
                    break
                }
                if (c == "\n" || c == "\r") && !triple { throw Unsure() }
                if c == "\\" {
                    guard i + 1 < s.count else { throw Unsure() }
                    if raw {
                        // A raw string keeps the backslash and the character after it.
                        value.append(c); value.append(s[i + 1]); i += 2
                        continue
                    }
                    i += 1
                    try escape(into: &value, bytes: lower.contains("b"))
                    continue
                }
                value.append(c)
                i += 1
            }
            if lower.contains("f") { return .string(value: nil, bytes: false) }
            return .string(value: String(value), bytes: lower.contains("b"))
        }

        private mutating func escape(into value: inout String.UnicodeScalarView, bytes: Bool) throws {
            let c = s[i]
            i += 1
            func hex(_ count: Int) throws -> Unicode.Scalar {
                guard i + count <= s.count,
                    let n = UInt32(String(String.UnicodeScalarView(s[i..<i + count])), radix: 16),
                    let scalar = Unicode.Scalar(n)
                else { throw Unsure() }
                i += count
                return scalar
            }
            switch c {
            case "\n": break
            case "\r": if i < s.count, s[i] == "\n" { i += 1 }
            case "\\", "'", "\"": value.append(c)
            case "a": value.append("\u{07}")
            case "b": value.append("\u{08}")
            case "f": value.append("\u{0C}")
            case "n": value.append("\n")
            case "r": value.append("\r")
            case "t": value.append("\t")
            case "v": value.append("\u{0B}")
            case "x": value.append(try hex(2))
            case "u" where !bytes: value.append(try hex(4))
            case "U" where !bytes: value.append(try hex(8))
            case "0"..."7":
                var n = c.value - 48
                var k = 0
                while k < 2, i < s.count, ("0"..."7").contains(s[i]) { n = n * 8 + s[i].value - 48; i += 1; k += 1 }
                guard let scalar = Unicode.Scalar(n) else { throw Unsure() }
                value.append(scalar)
            case "N": throw Unsure()  // named characters: not modelled
            default:
                // An unknown escape keeps its backslash.
                value.append("\\"); value.append(c)
            }
        }
    }

    // MARK: Statements
}
