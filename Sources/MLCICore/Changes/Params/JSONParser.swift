/// A strict JSON parser into `JSONValue`, keeping integers apart from floats and key order,
/// with line numbers in its errors.
enum JSONParser {
    /// Which parts of a document to build. The rest is still read and checked, but not kept:
    /// a notebook's outputs can be tens of MiB that mlci never looks at.
    indirect enum Selection {
        /// Every value below.
        case all
        /// Of an object, only these keys (each with its own selection); of an array, each item
        /// selected the same way; a scalar is kept.
        case keys([String: Selection])
    }

    static func parse(_ text: String) throws(ParamsError) -> JSONValue {
        var text = text
        text.makeContiguousUTF8()
        let result = text.utf8.withContiguousStorageIfAvailable { bytes in
            Result { () throws(ParamsError) -> JSONValue in try parse(bytes: bytes) }
        }
        return try result!.get()
    }

    /// Parses UTF-8 bytes in place (the caller checks they are UTF-8), building `selection`.
    static func parse(bytes: UnsafeBufferPointer<UInt8>, selection: Selection = .all) throws(ParamsError)
        -> JSONValue
    {
        var p = Cursor(bytes)
        p.skipSpace()
        let value = try p.value(selection)
        p.skipSpace()
        guard p.atEnd else { throw p.error("unexpected text after the JSON value") }
        return value
    }

    /// Whether `bytes` are UTF-8, without copying them (`String(validating:)` would).
    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            // Runs of ASCII are the common case: skip them eight bytes at a time.
            if i + 8 <= bytes.count,
                UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                i += 8
                continue
            }
            let lead = bytes[i]
            let length: Int
            let lowest: UInt32
            switch lead {
            case 0x00..<0x80: i += 1; continue
            case 0xC2..<0xE0: (length, lowest) = (2, 0x80)
            case 0xE0..<0xF0: (length, lowest) = (3, 0x800)
            case 0xF0..<0xF5: (length, lowest) = (4, 0x10000)
            default: return false
            }
            guard i + length <= bytes.count else { return false }
            var scalar = UInt32(lead) & (0xFF >> (length + 1))
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
            guard scalar >= lowest, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            i += length
        }
        return true
    }

    /// Deeper nesting is refused: a reader recursing 200,000 levels would overflow its stack.
    static let maximumDepth = 512

    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0
        var depth = 0
        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { i >= bytes.count }
        var line: Int { bytes[..<min(i, bytes.count)].reduce(1) { $1 == 10 ? $0 + 1 : $0 } }
        func error(_ message: String) -> ParamsError { ParamsError(message: "invalid JSON: \(message)", line: line) }

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[i]) { i += 1 }
        }

        mutating func expect(_ literal: String, _ value: JSONValue) throws(ParamsError) -> JSONValue {
            let l = Array(literal.utf8)
            guard i + l.count <= bytes.count, bytes[i..<i + l.count].elementsEqual(l) else {
                throw error("unexpected character")
            }
            i += l.count
            return value
        }

        /// The value at the cursor, built as far as `selection` asks; `nil` selection reads and
        /// checks it but builds nothing (the result is `.null`).
        mutating func value(_ selection: Selection? = .all) throws(ParamsError) -> JSONValue {
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
                    let key = try string(keep: selection != nil)
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    i += 1
                    skipSpace()
                    let inner: Selection?
                    switch selection {
                    case .all?: inner = .all
                    case .keys(let keys)?: inner = keys[key]
                    case nil: inner = nil
                    }
                    // A repeated key keeps its first place and its last value, as Python's json does.
                    let v = try value(inner)
                    if inner == nil {
                        // Not kept.
                    } else if let k = positions[key] {
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
                    let item = try value(selection)
                    if selection != nil { items.append(item) }
                    skipSpace()
                    guard i < bytes.count else { throw error("unterminated array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                let text = try string(keep: selection != nil)
                return selection == nil ? .null : .string(text)
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

        /// A string at the cursor; with `keep: false` only checked (the result is empty).
        mutating func string(keep: Bool = true) throws(ParamsError) -> String {
            i += 1  // opening quote
            var out = [UInt8]()
            while i < bytes.count {
                let c = bytes[i]
                i += 1
                if !keep && c != UInt8(ascii: "\\") && c != UInt8(ascii: "\"") { continue }
                switch c {
                case UInt8(ascii: "\""): return keep ? String(decoding: out, as: UTF8.self) : ""
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
