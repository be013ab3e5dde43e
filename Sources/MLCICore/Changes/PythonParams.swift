/// Reads a Python params file (`params.py`) the way DVC does (`dvc/utils/serialize/_py.py`):
/// module-level assignments of literal values (`LR = 0.1`, `LAYERS: list = [64, 32]`), class
/// bodies as nested mappings (`class Train: lr = 0.1` → `Train.lr`), and `self.x = …` inside
/// `__init__`. Assignments whose value is not a literal (`N = len(x)`, `PATH = f"{ROOT}/x"`),
/// with several targets, or inside `if`/`for`/`def` blocks are left out, as DVC leaves them out.
///
/// The reader never guesses. When the file holds a literal it does not model exactly (complex
/// numbers, bytes, sets, integers beyond 64 bits, `\N{…}` escapes, `...`) or is not valid
/// Python as far as it can tell, `parse` returns nil and callers treat the file as a whole: any
/// change to it counts for every key, so a change is never missed.
enum PythonParams {
    static func parse(_ text: String) -> JSONValue? {
        guard let lines = try? LogicalLines(text).lines else { return nil }
        var reader = BlockReader(lines: lines)
        guard let values = try? reader.block(indent: 0, onlySelf: false), reader.position == lines.count else {
            return nil
        }
        return .object(values.pairs)
    }

    /// The deepest bracket nesting and block nesting CPython accepts (MAXLEVEL, MAXINDENT); a
    /// deeper file is not valid Python, and reading it would recurse once per level.
    static let maximumBracketDepth = 200
    static let maximumBlockDepth = 100

    /// Something the reader cannot decide exactly: the whole file is then treated as opaque.
    struct Unsure: Error {}

    // MARK: Tokens

    enum Token: Equatable {
        case name(String)
        case number(String)
        /// Adjacent string literals are joined by the reader; `value` is nil for f-strings.
        case string(value: String?, bytes: Bool)
        case op(String)
    }

    struct Line {
        let indent: Int
        let tokens: [Token]
    }

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

    /// Reads blocks of logical lines the way DVC walks the syntax tree.
    struct BlockReader {
        let lines: [Line]
        private(set) var position = 0
        /// How many class or def bodies enclose the block being read.
        private var nesting = 0

        init(lines: [Line]) { self.lines = lines }

        static let compoundKeywords: Set<String> = [
            "if", "elif", "else", "for", "while", "with", "try", "except", "finally", "async",
        ]

        /// The lines at exactly `indent`, from `position`, until one is less indented.
        mutating func block(indent: Int, onlySelf: Bool) throws -> KeyedPairs {
            var values = KeyedPairs()
            while position < lines.count {
                let line = lines[position]
                if line.indent < indent { break }
                guard line.indent == indent else { throw Unsure() }  // unexpected indent
                position += 1
                try statementLine(line, into: &values, onlySelf: onlySelf)
            }
            return values
        }

        private mutating func statementLine(_ line: Line, into values: inout KeyedPairs, onlySelf: Bool)
            throws
        {
            let tokens = line.tokens
            guard case .name(let first)? = tokens.first else {
                // `@decorator` lines and expression statements.
                if tokens.first == .op("@") { return }
                try simpleStatements(tokens[...], into: &values, onlySelf: onlySelf)
                return
            }
            let isClass = first == "class", isDef = first == "def"
            let isSoftCompound =
                (first == "match" || first == "case") && tokens.last == .op(":") && nextIsIndented(line)
            guard isClass || isDef || Self.compoundKeywords.contains(first) || isSoftCompound else {
                try simpleStatements(tokens[...], into: &values, onlySelf: onlySelf)
                return
            }
            // A compound statement: its header ends at the first `:` outside brackets.
            guard let colon = Self.topLevel(tokens[...], .op(":")) else { throw Unsure() }
            let inline = tokens[(colon + 1)...]
            var body = KeyedPairs()
            let bodyOnlySelf = isDef
            if !inline.isEmpty {
                if isClass || isDef { try simpleStatements(inline, into: &body, onlySelf: bodyOnlySelf) }
            } else {
                guard nextIsIndented(line) else { throw Unsure() }  // a header needs a body
                let bodyIndent = lines[position].indent
                if isClass || isDef {
                    nesting += 1
                    defer { nesting -= 1 }
                    guard nesting <= PythonParams.maximumBlockDepth else { throw Unsure() }
                    body = try block(indent: bodyIndent, onlySelf: bodyOnlySelf)
                } else {
                    while position < lines.count, lines[position].indent >= bodyIndent { position += 1 }
                }
            }
            if isClass, case .name(let name)? = tokens.dropFirst().first {
                values.set(name, .object(body.pairs))
            } else if isDef, tokens.dropFirst().first == .name("__init__") {
                for (key, value) in body.pairs { values.set(key, value) }
            }
        }

        private func nextIsIndented(_ line: Line) -> Bool {
            position < lines.count && lines[position].indent > line.indent
        }

        /// `a = 1; b = 2`: each statement on its own.
        private func simpleStatements(
            _ tokens: ArraySlice<Token>, into values: inout KeyedPairs, onlySelf: Bool
        ) throws {
            var rest = tokens
            while !rest.isEmpty {
                let end = Self.topLevel(rest, .op(";")) ?? rest.endIndex
                try assignment(rest[rest.startIndex..<end], into: &values, onlySelf: onlySelf)
                rest = end < rest.endIndex ? rest[(end + 1)...] : []
            }
        }

        private func assignment(_ tokens: ArraySlice<Token>, into values: inout KeyedPairs, onlySelf: Bool)
            throws
        {
            let equals = Self.topLevelIndices(tokens, .op("="))
            guard let firstEquals = equals.first else { return }
            let annotation = Self.topLevel(tokens[..<firstEquals], .op(":"))
            // `a = b = 1` has several targets; DVC leaves it out.
            if annotation == nil && equals.count > 1 { return }
            let target = tokens[tokens.startIndex..<(annotation ?? firstEquals)]
            let name: String
            if target.count == 1, case .name(let n) = target.first!, !onlySelf, !Self.keywords.contains(n) {
                name = n
            } else if target.count == 3, target.first == .name("self"), target.dropFirst().first == .op("."),
                case .name(let n) = target.last!
            {
                name = n
            } else {
                return
            }
            switch try LiteralReader.value(tokens[(firstEquals + 1)...]) {
            case .literal(let value): values.set(name, value)
            case .notLiteral: return
            }
        }

        static let keywords: Set<String> = [
            "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
            "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
            "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
            "return", "try", "while", "with", "yield",
        ]

        /// Every `token` outside brackets, in one pass (a depth count per `=` made a call with
        /// tens of thousands of keyword arguments quadratic).
        static func topLevelIndices(_ tokens: ArraySlice<Token>, _ token: Token) -> [Int] {
            var depth = 0
            var found: [Int] = []
            for i in tokens.indices {
                let t = tokens[i]
                if t == .op("(") || t == .op("[") || t == .op("{") { depth += 1 }
                if t == .op(")") || t == .op("]") || t == .op("}") { depth -= 1 }
                if depth == 0 && t == token { found.append(i) }
            }
            return found
        }

        /// The first `token` outside brackets.
        static func topLevel(_ tokens: ArraySlice<Token>, _ token: Token) -> Int? {
            var depth = 0
            for i in tokens.indices {
                let t = tokens[i]
                if t == .op("(") || t == .op("[") || t == .op("{") { depth += 1 }
                if t == .op(")") || t == .op("]") || t == .op("}") { depth -= 1 }
                if depth == 0 && t == token { return i }
            }
            return nil
        }
    }

    // MARK: Literals

    /// `ast.literal_eval` over tokens: strings, numbers, `True`/`False`/`None`, lists, tuples
    /// and dicts of literals, a sign before a number.
    struct LiteralReader {
        enum Result {
            case literal(JSONValue)
            case notLiteral
        }

        private let tokens: [Token]
        private var i = 0

        static func value(_ tokens: ArraySlice<Token>) throws -> Result {
            var reader = LiteralReader(tokens: Array(tokens))
            do {
                var value = try reader.expression()
                // `x = 1, 2` is a tuple.
                if reader.i < reader.tokens.count, reader.tokens[reader.i] == .op(",") {
                    var items = [value]
                    while reader.i < reader.tokens.count, reader.tokens[reader.i] == .op(",") {
                        reader.i += 1
                        if reader.i == reader.tokens.count { break }
                        items.append(try reader.expression())
                    }
                    value = .array(items)
                }
                guard reader.i == reader.tokens.count else { throw NotLiteral() }
                return .literal(value)
            } catch is NotLiteral {
                // Certain only when something in the value is plainly not a literal; otherwise
                // (an operator between numbers, say) the reader may be missing a case.
                guard Self.plainlyNotLiteral(tokens) else { throw Unsure() }
                return .notLiteral
            }
        }

        struct NotLiteral: Error {}

        /// A name other than True/False/None, an f-string, an operator `literal_eval` rejects,
        /// or `+`/`-` between two operands where no complex number is involved (`literal_eval`
        /// accepts only `real ± imaginary`).
        static func plainlyNotLiteral(_ tokens: ArraySlice<Token>) -> Bool {
            let imaginary = tokens.contains {
                if case .number(let n) = $0 { return n.lowercased().hasSuffix("j") }; return false
            }
            let binarySign =
                !imaginary
                && tokens.indices.dropFirst().contains { i in
                    guard tokens[i] == .op("+") || tokens[i] == .op("-") else { return false }
                    switch tokens[i - 1] {
                    case .number, .string, .name, .op(")"), .op("]"), .op("}"): return true
                    case .op: return false
                    }
                }
            return binarySign
                || tokens.contains { token in
                    switch token {
                    case .name(let n): return !["True", "False", "None", "set", "j", "J"].contains(n)
                    case .string(let value, _): return value == nil
                    case .op(let o):
                        return [
                            "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^", "~", "<", ">", "==", "!=",
                            "<=", ">=", ":=", ".",
                        ].contains(o)
                    case .number: return false
                    }
                }
        }

        private mutating func next() throws -> Token {
            guard i < tokens.count else { throw NotLiteral() }
            i += 1
            return tokens[i - 1]
        }

        private func peek(_ token: Token) -> Bool { i < tokens.count && tokens[i] == token }

        private mutating func expression() throws -> JSONValue {
            let token = try next()
            switch token {
            case .name("True"): return .bool(true)
            case .name("False"): return .bool(false)
            case .name("None"): return .null
            case .number(let text): return try Self.number(text, negative: false)
            case .op("-"), .op("+"):
                guard case .number(let text) = try next() else { throw NotLiteral() }
                return try Self.number(text, negative: token == .op("-"))
            case .string(let value, let bytes):
                guard let value, !bytes else { throw bytes ? Unsure() : NotLiteral() }
                var joined = value
                // Adjacent literals are one string.
                while i < tokens.count, case .string(let more, let moreBytes) = tokens[i] {
                    guard let more, !moreBytes else { throw moreBytes ? Unsure() : NotLiteral() }
                    joined += more
                    i += 1
                }
                return .string(joined)
            case .op("["): return .array(try items(until: "]"))
            case .op("("):
                if peek(.op(")")) { i += 1; return .array([]) }
                let first = try expression()
                if peek(.op(")")) { i += 1; return first }  // parentheses, not a tuple
                guard peek(.op(",")) else { throw NotLiteral() }
                i += 1
                return .array([first] + (try items(until: ")")))
            case .op("{"):
                if peek(.op("}")) { i += 1; return .object([]) }
                let firstKey = try expression()
                guard peek(.op(":")) else { throw Unsure() }  // a set
                i += 1
                var pairs = KeyedPairs()
                var key = firstKey
                while true {
                    // Keys other than strings would need Python's key equality (1 == 1.0 == True).
                    guard case .string(let name) = key else { throw Unsure() }
                    let value = try expression()
                    pairs.set(name, value)
                    if peek(.op("}")) { i += 1; return .object(pairs.pairs) }
                    guard peek(.op(",")) else { throw NotLiteral() }
                    i += 1
                    if peek(.op("}")) { i += 1; return .object(pairs.pairs) }
                    key = try expression()
                    guard peek(.op(":")) else { throw NotLiteral() }
                    i += 1
                }
            case .op("..."): throw Unsure()
            default: throw NotLiteral()
            }
        }

        /// Comma-separated literals up to `close`, a trailing comma allowed.
        private mutating func items(until close: String) throws -> [JSONValue] {
            var out: [JSONValue] = []
            while true {
                if peek(.op(close)) { i += 1; return out }
                out.append(try expression())
                if peek(.op(close)) { i += 1; return out }
                guard peek(.op(",")) else { throw NotLiteral() }
                i += 1
            }
        }

        /// Python's integer and float literals; complex numbers, and integers that do not fit
        /// 64 bits, are not modelled.
        static func number(_ text: String, negative: Bool) throws -> JSONValue {
            let lower = text.lowercased()
            if lower.hasSuffix("j") { throw Unsure() }
            guard !lower.hasPrefix("_"), !lower.hasSuffix("_"), !lower.contains("__") else { throw Unsure() }
            let digits = lower.replacingOccurrences(of: "_", with: "")
            for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where digits.hasPrefix(prefix) {
                guard let n = Int(digits.dropFirst(2), radix: radix) else { throw Unsure() }
                return .int(negative ? -n : n)
            }
            if digits.allSatisfy(\.isNumber) {
                // Leading zeros are a syntax error in Python 3 ("007"), except for zero itself.
                guard digits.first != "0" || digits.allSatisfy({ $0 == "0" }) else { throw Unsure() }
                guard let n = Int(digits) else { throw Unsure() }
                return .int(negative ? -n : n)
            }
            guard digits.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "+" || $0 == "-" }),
                digits.filter({ $0 == "." }).count <= 1, let d = Double(digits), d.isFinite
            else { throw Unsure() }
            return .double(negative ? -d : d)
        }
    }

    /// Keys in the order they first appeared, a later value replacing an earlier one (as a
    /// Python dict does), found through an index: a linear search per key made 60,000
    /// assignments, or a dict literal with 30,000 keys, quadratic.
    struct KeyedPairs {
        private(set) var pairs: [(String, JSONValue)] = []
        private var position: [String: Int] = [:]

        mutating func set(_ key: String, _ value: JSONValue) {
            if let i = position[key] {
                pairs[i].1 = value
            } else {
                position[key] = pairs.count
                pairs.append((key, value))
            }
        }
    }
}
