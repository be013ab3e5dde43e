/// A strict JSON parser into `JSONValue`, keeping integers apart from floats and key order,
/// with line numbers in its errors.
enum JSONParser {
    static func parse(_ text: String) throws(ParamsError) -> JSONValue {
        var p = Cursor(Array(text.utf8))
        p.skipSpace()
        let value = try p.value()
        p.skipSpace()
        guard p.atEnd else { throw p.error("unexpected text after the JSON value") }
        return value
    }

    /// Deeper nesting is refused: a reader recursing 200,000 levels would overflow its stack.
    static let maximumDepth = 512

    struct Cursor {
        let bytes: [UInt8]
        var i = 0
        var depth = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { i >= bytes.count }
        var line: Int { bytes[..<min(i, bytes.count)].reduce(1) { $1 == 10 ? $0 + 1 : $0 } }
        func error(_ message: String) -> ParamsError { ParamsError(message: "invalid JSON: \(message)", line: line) }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[i]) { i += 1 }
        }

        mutating func expect(_ literal: String, _ value: JSONValue) throws(ParamsError) -> JSONValue {
            let l = Array(literal.utf8)
            guard i + l.count <= bytes.count, Array(bytes[i..<i + l.count]) == l else {
                throw error("unexpected character")
            }
            i += l.count
            return value
        }

        mutating func value() throws(ParamsError) -> JSONValue {
            guard i < bytes.count else { throw error("unexpected end of input") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                depth += 1
                defer { depth -= 1 }
                guard depth <= JSONParser.maximumDepth else {
                    throw error("nested deeper than \(JSONParser.maximumDepth) levels")
                }
                var pairs: [(String, JSONValue)] = []
                // Where each key is, so a repeated key is found at once (a large flat object
                // must not cost a scan per key).
                var positions: [String: Int] = [:]
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let key = try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    i += 1
                    skipSpace()
                    // A repeated key keeps its first place and its last value, as Python's json does.
                    let v = try value()
                    if let k = positions[key] {
                        pairs[k].1 = v
                    } else {
                        positions[key] = pairs.count
                        pairs.append((key, v))
                    }
                    skipSpace()
                    guard i < bytes.count else { throw error("unterminated object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                    throw error("expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                depth += 1
                defer { depth -= 1 }
                guard depth <= JSONParser.maximumDepth else {
                    throw error("nested deeper than \(JSONParser.maximumDepth) levels")
                }
                var items: [JSONValue] = []
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value())
                    skipSpace()
                    guard i < bytes.count else { throw error("unterminated array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expect("true", .bool(true))
            case UInt8(ascii: "f"): return try expect("false", .bool(false))
            case UInt8(ascii: "n"): return try expect("null", .null)
            default: return try number()
            }
        }

        /// JSON's number grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`), and the
        /// `NaN`, `Infinity` and `-Infinity` that Python's json (DVC's reader) also accepts.
        mutating func number() throws(ParamsError) -> JSONValue {
            for (word, value) in [("NaN", Double.nan), ("Infinity", .infinity), ("-Infinity", -.infinity)]
            where bytes[i...].starts(with: word.utf8) {
                i += word.utf8.count
                return .double(value)
            }
            let start = i
            func digits() -> Int {
                let from = i
                while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
                return i - from
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            let intStart = i
            let intDigits = digits()
            guard intDigits > 0 else {
                throw error(i == start ? "unexpected character" : "bad number: a digit must follow '-'")
            }
            guard intDigits == 1 || bytes[intStart] != UInt8(ascii: "0") else {
                throw error("bad number: leading zeros")
            }
            var isInteger = true
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                isInteger = false
                guard digits() > 0 else { throw error("bad number: a digit must follow '.'") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                isInteger = false
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw error("bad number: a digit must follow the exponent") }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if isInteger, let n = Int(text) { return .int(n) }
            guard let d = Double(text) else { throw error("bad number '\(text)'") }
            return .double(d)
        }

        mutating func string() throws(ParamsError) -> String {
            i += 1  // opening quote
            var out = [UInt8]()
            while i < bytes.count {
                let c = bytes[i]
                i += 1
                switch c {
                case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard i < bytes.count else { break }
                    let e = bytes[i]; i += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "u"):
                        guard i + 4 <= bytes.count,
                            let code = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
                        else {
                            throw error("bad \\u escape")
                        }
                        i += 4
                        var scalar = code
                        // A surrogate pair encodes one scalar above U+FFFF.
                        // A high half not followed by a low one stays unpaired (U+FFFD).
                        if (0xD800..<0xDC00).contains(code), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                            bytes[i + 1] == UInt8(ascii: "u"),
                            let low = UInt32(String(decoding: bytes[i + 2..<i + 6], as: UTF8.self), radix: 16),
                            (0xDC00..<0xE000).contains(low)
                        {
                            scalar = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                            i += 6
                        }
                        out.append(contentsOf: Array(String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8))
                    default: out.append(e)
                    }
                default: out.append(c)
                }
            }
            throw error("unterminated string")
        }
    }
}
