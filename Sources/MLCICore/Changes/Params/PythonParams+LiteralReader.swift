/// Literal expressions, as `ast.literal_eval` reads them.
extension PythonParams {
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
}
