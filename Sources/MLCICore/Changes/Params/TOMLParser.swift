import Foundation

/// A TOML reader for params files: tables, arrays of tables, dotted and quoted keys, strings
/// (basic, literal, multi-line), integers, floats, booleans, arrays and inline tables.
/// Dates and times are kept as strings, which is enough to see that a value changed.
enum TOMLParser {
    static func parse(_ text: String) throws(ParamsError) -> JSONValue {
        var parser = Parser(Array(text.utf8))
        return try parser.document()
    }

    /// A mutable tree built while parsing, turned into a JSONValue at the end.
    final class Table {
        /// Set once a `[header]` names this table: naming it again is an error.
        var explicit = false
        var keys: [String] = []
        var values: [String: Entry] = [:]
        enum Entry {
            case value(JSONValue)
            case table(Table)
            case tables(TableArray)
        }

        func set(_ key: String, _ entry: Entry) { if values[key] == nil { keys.append(key) }; values[key] = entry }

        var json: JSONValue {
            .object(
                keys.map { key in
                    switch values[key]! {
                    case .value(let v): return (key, v)
                    case .table(let t): return (key, t.json)
                    case .tables(let ts): return (key, .array(ts.items.map(\.json)))
                    }
                })
        }
    }

    /// An array of tables, shared by reference so that each `[[header]]` appends in place:
    /// copying the array per header made 20,000 headers quadratic.
    final class TableArray {
        var items: [Table]
        init(_ first: Table) { items = [first] }
    }

    /// Deeper nesting (tables in tables, through headers, dotted keys, arrays and inline tables)
    /// is refused, as in JSON: reading and converting it recurses once per level.
    static let maximumDepth = JSONParser.maximumDepth

    struct Parser {
        let b: [UInt8]
        var i = 0
        /// The nesting of the value being read: its table's depth plus arrays and inline tables.
        var depth = 0
        init(_ bytes: [UInt8]) { b = bytes }

        var line: Int { b[..<min(i, b.count)].reduce(1) { $1 == 10 ? $0 + 1 : $0 } }
        func error(_ m: String) -> ParamsError { ParamsError(message: "invalid TOML: \(m)", line: line) }

        /// Fails when `levels` more would nest deeper than `TOMLParser.maximumDepth`.
        func checkDepth(_ levels: Int) throws(ParamsError) {
            guard depth + levels <= TOMLParser.maximumDepth else {
                throw error("nested deeper than \(TOMLParser.maximumDepth) levels")
            }
        }
        func peek(_ offset: Int = 0) -> UInt8? { i + offset < b.count ? b[i + offset] : nil }

        mutating func skipInline() {
            while let c = peek(), c == 0x20 || c == 0x09 { i += 1 }
            if peek() == UInt8(ascii: "#") { while let c = peek(), c != 0x0a { i += 1 } }
        }

        mutating func skipBlank() {
            while true {
                skipInline()
                if let c = peek(), c == 0x0a || c == 0x0d { i += 1 } else { return }
            }
        }

        mutating func endOfLine() throws(ParamsError) {
            skipInline()
            if peek() == 0x0d { i += 1 }
            guard peek() == nil || peek() == 0x0a else { throw error("expected the end of the line") }
            if peek() == 0x0a { i += 1 }
        }

        mutating func document() throws(ParamsError) -> JSONValue {
            let root = Table()
            var current = root
            var tableDepth = 0
            while true {
                skipBlank()
                guard let c = peek() else { break }
                if c == UInt8(ascii: "[") {
                    let array = peek(1) == UInt8(ascii: "[")
                    i += array ? 2 : 1
                    skipInline()
                    let path = try keyPath()
                    skipInline()
                    guard peek() == UInt8(ascii: "]"), !array || peek(1) == UInt8(ascii: "]") else {
                        throw error("expected ']'")
                    }
                    i += array ? 2 : 1
                    try endOfLine()
                    depth = 0
                    try checkDepth(path.count)
                    current = try header(root, path, array: array)
                    tableDepth = path.count
                } else {
                    let path = try keyPath()
                    skipInline()
                    guard peek() == UInt8(ascii: "=") else { throw error("expected '=' after a key") }
                    i += 1
                    skipInline()
                    depth = tableDepth
                    try checkDepth(path.count)
                    depth += path.count
                    let v = try value()
                    try assign(current, path, v)
                    try endOfLine()
                }
            }
            return root.json
        }

        func header(_ root: Table, _ path: [String], array: Bool) throws(ParamsError) -> Table {
            var table = root
            for (n, key) in path.enumerated() {
                let last = n == path.count - 1
                if last && array {
                    let fresh = Table()
                    if case .tables(let ts)? = table.values[key] {
                        ts.items.append(fresh)
                    } else if table.values[key] == nil {
                        table.set(key, .tables(TableArray(fresh)))
                    } else {
                        throw error("'\(key)' is already defined as something else")
                    }
                    return fresh
                }
                switch table.values[key] {
                case .table(let t)?:
                    if last {
                        guard !t.explicit else {
                            throw error("table '\(path.joined(separator: "."))' is defined twice")
                        }
                        t.explicit = true
                    }
                    table = t
                case .tables(let ts)?:
                    guard !last else { throw error("'\(key)' is an array of tables, not a table") }
                    table = ts.items.last!
                case nil: let t = Table(); t.explicit = last; table.set(key, .table(t)); table = t
                case .value?: throw error("'\(key)' is already a value, not a table")
                }
            }
            return table
        }

        func assign(_ table: Table, _ path: [String], _ v: JSONValue) throws(ParamsError) {
            var t = table
            for key in path.dropLast() {
                switch t.values[key] {
                case .table(let next)?: t = next
                case nil: let next = Table(); t.set(key, .table(next)); t = next
                default: throw error("'\(key)' is already a value, not a table")
                }
            }
            guard t.values[path.last!] == nil else { throw error("duplicate key '\(path.joined(separator: "."))'") }
            t.set(path.last!, .value(v))
        }

        mutating func keyPath() throws(ParamsError) -> [String] {
            var parts: [String] = []
            while true {
                skipInline()
                if peek() == UInt8(ascii: "\"") {
                    parts.append(try basicString())
                } else if peek() == UInt8(ascii: "'") {
                    parts.append(try literalString())
                } else {
                    let start = i
                    while let c = peek(), c.isBareKey { i += 1 }
                    guard i > start else { throw error("expected a key") }
                    parts.append(String(decoding: b[start..<i], as: UTF8.self))
                }
                skipInline()
                if peek() == UInt8(ascii: ".") { i += 1 } else { return parts }
            }
        }

        mutating func value() throws(ParamsError) -> JSONValue {
            guard let c = peek() else { throw error("expected a value") }
            switch c {
            case UInt8(ascii: "\""): return .string(try basicString())
            case UInt8(ascii: "'"): return .string(try literalString())
            case UInt8(ascii: "["):
                i += 1
                try checkDepth(1)
                depth += 1
                defer { depth -= 1 }
                var items: [JSONValue] = []
                while true {
                    skipBlank()
                    if peek() == UInt8(ascii: "]") { i += 1; return .array(items) }
                    items.append(try value())
                    skipBlank()
                    if peek() == UInt8(ascii: ",") { i += 1; continue }
                    guard peek() == UInt8(ascii: "]") else { throw error("expected ',' or ']' in an array") }
                }
            case UInt8(ascii: "{"):
                i += 1
                try checkDepth(1)
                depth += 1
                defer { depth -= 1 }
                let table = Table()
                skipInline()
                if peek() == UInt8(ascii: "}") { i += 1; return table.json }
                while true {
                    let path = try keyPath()
                    guard peek() == UInt8(ascii: "=") else { throw error("expected '=' in an inline table") }
                    i += 1
                    skipInline()
                    try checkDepth(path.count)
                    depth += path.count
                    let v = try value()
                    depth -= path.count
                    try assign(table, path, v)
                    skipInline()
                    if peek() == UInt8(ascii: ",") { i += 1; continue }
                    guard peek() == UInt8(ascii: "}") else { throw error("expected ',' or '}' in an inline table") }
                    i += 1
                    return table.json
                }
            default:
                let start = i
                while let c = peek(),
                    !(c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == UInt8(ascii: ",")
                        || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == UInt8(ascii: "#"))
                {
                    i += 1
                }
                // A date-time may hold one space between date and time.
                if peek() == 0x20, let d = peek(1), (0x30...0x39).contains(d), b[start..<i].contains(UInt8(ascii: "-"))
                {
                    i += 1
                    while let c = peek(), c != 0x20, c != 0x0a, c != UInt8(ascii: ","), c != UInt8(ascii: "]"),
                        c != UInt8(ascii: "}")
                    { i += 1 }
                }
                return try scalar(String(decoding: b[start..<i], as: UTF8.self))
            }
        }

        func scalar(_ raw: String) throws(ParamsError) -> JSONValue {
            switch raw {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "inf", "+inf": return .double(.infinity)
            case "-inf": return .double(-.infinity)
            case "nan", "+nan", "-nan": return .double(.nan)
            default: break
            }
            let clean = raw.replacingOccurrences(of: "_", with: "")
            for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where clean.hasPrefix(prefix) {
                if let v = Int(clean.dropFirst(2), radix: radix) { return .int(v) }
            }
            if let v = Int(clean) { return .int(v) }
            if clean.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let v = Double(clean) {
                return .double(v)
            }
            if raw.first?.isNumber == true, raw.contains("-") || raw.contains(":") { return .string(raw) }  // date/time
            throw error("cannot read value '\(raw)'")
        }

        mutating func literalString() throws(ParamsError) -> String {
            if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                return try multiline(quote: UInt8(ascii: "'"), escapes: false)
            }
            i += 1
            let start = i
            while let c = peek(), c != UInt8(ascii: "'") { if c == 0x0a { throw error("unterminated string") }; i += 1 }
            guard peek() != nil else { throw error("unterminated string") }
            defer { i += 1 }
            return String(decoding: b[start..<i], as: UTF8.self)
        }

        mutating func basicString() throws(ParamsError) -> String {
            if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                return try multiline(quote: UInt8(ascii: "\""), escapes: true)
            }
            i += 1
            var out = [UInt8]()
            while let c = peek() {
                i += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                if c == 0x0a { break }
                if c == UInt8(ascii: "\\") { try escape(&out) } else { out.append(c) }
            }
            throw error("unterminated string")
        }

        mutating func multiline(quote: UInt8, escapes: Bool) throws(ParamsError) -> String {
            i += 3
            if peek() == 0x0a { i += 1 } else if peek() == 0x0d, peek(1) == 0x0a { i += 2 }
            var out = [UInt8]()
            while let c = peek() {
                if c == quote, peek(1) == quote, peek(2) == quote {
                    i += 3
                    while peek() == quote { out.append(quote); i += 1 }
                    return String(decoding: out, as: UTF8.self)
                }
                i += 1
                if escapes, c == UInt8(ascii: "\\") {
                    // A backslash at the end of a line trims the newline and leading space.
                    var j = i
                    while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                    if j < b.count, b[j] == 0x0a || b[j] == 0x0d {
                        i = j
                        while let w = peek(), w == 0x20 || w == 0x09 || w == 0x0a || w == 0x0d { i += 1 }
                        continue
                    }
                    try escape(&out)
                } else {
                    out.append(c)
                }
            }
            throw error("unterminated multi-line string")
        }

        mutating func escape(_ out: inout [UInt8]) throws(ParamsError) {
            guard let e = peek() else { throw error("unterminated escape") }
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(e)
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let n = e == UInt8(ascii: "u") ? 4 : 8
                guard i + n <= b.count, let code = UInt32(String(decoding: b[i..<i + n], as: UTF8.self), radix: 16),
                    let scalar = Unicode.Scalar(code)
                else { throw error("bad unicode escape") }
                i += n
                out.append(contentsOf: Array(String(scalar).utf8))
            default: throw error("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
    }
}

extension UInt8 {
    fileprivate var isBareKey: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5a).contains(self) || (0x61...0x7a).contains(self)
            || self == UInt8(ascii: "_") || self == UInt8(ascii: "-")
    }
}
