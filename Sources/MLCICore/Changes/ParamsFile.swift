import Foundation
import MLCIGit
import Yams

/// The formats a params file may have, chosen by extension.
public enum ParamsFormat: Sendable {
    case yaml, json, toml, python

    public init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            self = .yaml
        } else if lower.hasSuffix(".json") {
            self = .json
        } else if lower.hasSuffix(".toml") {
            self = .toml
        } else if lower.hasSuffix(".py") {
            self = .python
        } else {
            return nil
        }
    }
}

/// A params file that could not be parsed; `line` when the parser knows it.
public struct ParamsError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let line: Int?
    public var description: String { (line.map { "line \($0): " } ?? "") + message }
}

/// A params file as compared between two commits: its values, or — when mlci cannot read it key
/// by key (a Python file using constructs it does not model, a file that does not parse) — the
/// whole file, which then stands for every key, so that any change to it counts.
public enum ParamsContent: Sendable {
    case values(JSONValue)
    case whole(JSONValue)

    public static func read(_ bytes: [UInt8], path: String) -> ParamsContent {
        if let format = ParamsFormat(path: path), let values = try? ParamsFile.parse(bytes, format: format) {
            return .values(values)
        }
        return .whole(.string("file " + ObjectID.hashing(bytes).hex.prefix(12)))
    }

    /// The value of a dotted key; nil for the whole file's values.
    public func value(_ key: String?) -> JSONValue? {
        switch self {
        case .values(let values): return key.map(values.lookup) ?? values
        case .whole(let file): return file
        }
    }
}

/// Reads params files into values, so stages compare what a key means, not how it is written.
public enum ParamsFile {
    public static func parse(_ bytes: [UInt8], format: ParamsFormat) throws(ParamsError) -> JSONValue {
        // Checked in place: a params file can be 16 MiB, and JSON and YAML are read from the
        // bytes without a String copy of them.
        guard bytes.withUnsafeBufferPointer(JSONParser.isUTF8) else {
            throw ParamsError(message: "the file is not UTF-8 text", line: nil)
        }
        if format == .json {
            return try bytes.withUnsafeBufferPointer { (b) throws(ParamsError) -> JSONValue in
                try JSONParser.parse(bytes: b)
            }
        }
        if format == .yaml, let values = bytes.withUnsafeBufferPointer({ YAMLValues.read(bytes: $0) }) {
            return values
        }
        let text = String(decoding: bytes, as: UTF8.self)
        switch format {
        case .json: return try JSONParser.parse(text)
        case .toml: return try TOMLParser.parse(text)
        case .python:
            guard let values = PythonParams.parse(text) else {
                throw ParamsError(
                    message: "not read key by key (a construct mlci does not model, or not valid Python)", line: nil)
            }
            return values
        case .yaml:
            do {
                guard let node = try Node.composedWithMerges(text) else { return .object([]) }
                return typed(node)
            } catch let error as YAMLTooLarge {
                throw ParamsError(message: error.description, line: nil)
            } catch let error as YamlError {
                let d = YAMLDocument.diagnostic(error, file: "", text: text)
                throw ParamsError(message: d.message, line: d.location?.line)
            } catch {
                throw ParamsError(message: "\(error)", line: nil)
            }
        }
    }

    /// YAML with scalars resolved to their types (`0.1` a number, `"0.1"` a string), by the YAML
    /// 1.2 core schema DVC reads params with (ruamel): `yes`, `on` and `off` are strings,
    /// `0o17` is octal while `017` is seventeen, and `1_000` is a thousand.
    static func typed(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let s):
            return s.style == .plain ? plainScalar(s.string) : .string(s.string)
        case .sequence(let seq): return .array(seq.map(typed))
        case .mapping(let map): return .object(map.map { ($0.key.string ?? "\($0.key)", typed($0.value)) })
        case .alias: return .null
        }
    }

    static func plainScalar(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        // Every number, infinity and NaN starts with a digit or '.', after an optional sign:
        // anything else (a path, a command, most hashes) is a string without further matching.
        var utf8 = text.utf8.makeIterator()
        var lead = utf8.next()
        if lead == UInt8(ascii: "-") || lead == UInt8(ascii: "+") { lead = utf8.next() }
        guard let lead, (0x30...0x39).contains(lead) || lead == UInt8(ascii: ".") else { return .string(text) }
        // Read once per scalar (a params file or dvc.lock may hold a million): the bytes are
        // made once, and underscores removed only where there are any.
        let bytes = Array(text.utf8)
        func matches(_ pattern: YAML12.Pattern) -> Bool { pattern.matches(bytes) }
        var body = Substring(text)
        let negative = body.first == "-"
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let digits = bytes.contains(UInt8(ascii: "_")) ? body.replacingOccurrences(of: "_", with: "") : String(body)
        // Floats first, as the resolver tries them first.
        if matches(YAML12.float) {
            guard let d = Double(digits) else { return .string(text) }
            return .double(negative ? -d : d)
        }
        if matches(YAML12.infinity) { return .double(negative ? -.infinity : .infinity) }
        if matches(YAML12.nan) { return .double(.nan) }
        let radix: (String, Int)?
        if matches(YAML12.binary) {
            radix = (String(digits.dropFirst(2)), 2)
        } else if matches(YAML12.hex) {
            radix = (String(digits.dropFirst(2)), 16)
        } else if matches(YAML12.octal) {
            radix = (String(digits.dropFirst(2)), 8)
        } else if matches(YAML12.decimal) {
            radix = (digits, 10)
        } else {
            radix = nil
        }
        if let (number, base) = radix {
            // Too large for 64 bits, or nothing but underscores: kept as written.
            guard let n = Int(number, radix: base) else { return .string(text) }
            return .int(negative ? -n : n)
        }
        return .string(text)
    }
}

/// The plain-scalar patterns of ruamel's YAML 1.2 resolver, matched by hand (a regular
/// expression engine would load ICU on the start-up path of every plan that reads a params file):
///   float     ^[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+]?[0-9]+)?$ | ^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$
///             | ^[-+]?\.[0-9_]+([eE][-+][0-9]+)?$
///   infinity  ^[-+]?\.(inf|Inf|INF)$        nan  ^\.(nan|NaN|NAN)$
///   binary    ^[-+]?0b[0-1_]+$   hex  ^[-+]?0x[0-9a-fA-F_]+$   octal  ^[-+]?0o[0-7_]+$
///   decimal   ^[-+]?[0-9_]+$
enum YAML12 {
    enum Pattern {
        case float, infinity, nan, binary, hex, octal, decimal

        func matches(_ s: [UInt8]) -> Bool {
            var i = 0
            func sign() { if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") { i += 1 } }
            /// Consumes bytes while `accept` holds; returns how many.
            func run(_ accept: (UInt8) -> Bool) -> Int {
                let start = i
                while i < s.count, accept(s[i]) { i += 1 }
                return i - start
            }
            func byte(_ c: Character) -> Bool {
                guard i < s.count, s[i] == c.asciiValue! else { return false }
                i += 1
                return true
            }
            func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
            func digitOrUnderscore(_ b: UInt8) -> Bool { digit(b) || b == UInt8(ascii: "_") }
            /// [eE] sign-digits; `signRequired` for the third float form.
            func exponent(signRequired: Bool) -> Bool {
                guard byte("e") || byte("E") else { return false }
                let signed = byte("-") || byte("+")
                if signRequired && !signed { return false }
                return run(digit) > 0
            }
            switch self {
            case .float:
                sign()
                if i < s.count, digit(s[i]) {
                    i += 1
                    _ = run(digitOrUnderscore)
                    if byte(".") {
                        _ = run(digitOrUnderscore)
                        let mark = i
                        if !exponent(signRequired: false) { i = mark }
                        return i == s.count
                    }
                    return exponent(signRequired: false) && i == s.count
                }
                guard byte("."), run(digitOrUnderscore) > 0 else { return false }
                let mark = i
                if !exponent(signRequired: true) { i = mark }
                return i == s.count
            case .infinity:
                sign()
                guard byte(".") else { return false }
                let rest = String(decoding: s[i...], as: UTF8.self)
                return rest == "inf" || rest == "Inf" || rest == "INF"
            case .nan:
                let text = String(decoding: s, as: UTF8.self)
                return text == ".nan" || text == ".NaN" || text == ".NAN"
            case .binary, .hex, .octal:
                sign()
                let (letter, accept): (Character, (UInt8) -> Bool) =
                    switch self {
                    case .binary: ("b", { $0 == 0x30 || $0 == 0x31 || $0 == UInt8(ascii: "_") })
                    case .hex:
                        ("x", { digitOrUnderscore($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) })
                    default: ("o", { ($0 >= 0x30 && $0 <= 0x37) || $0 == UInt8(ascii: "_") })
                    }
                guard byte("0"), byte(letter) else { return false }
                return run(accept) > 0 && i == s.count
            case .decimal:
                sign()
                return run(digitOrUnderscore) > 0 && i == s.count
            }
        }
    }

    static let float = Pattern.float, infinity = Pattern.infinity, nan = Pattern.nan
    static let binary = Pattern.binary, hex = Pattern.hex, octal = Pattern.octal, decimal = Pattern.decimal
}

extension JSONValue {
    /// The value at a dotted key (`train.lr`; a number selects a list item: `layers.0`).
    public func lookup(_ dotted: String) -> JSONValue? {
        var current = self
        for part in dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            switch current {
            case .object(let pairs):
                guard let next = pairs.last(where: { $0.0 == part })?.1 else { return nil }
                current = next
            case .array(let items):
                guard let i = Int(part), items.indices.contains(i) else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Equality of meaning: `1` equals `1.0`, object key order does not matter.
    public func sameValue(as other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            let bd = Dictionary(b, uniquingKeysWith: { _, last in last })
            return a.allSatisfy { key, value in bd[key].map { value.sameValue(as: $0) } ?? false }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        default:
            return self == other
        }
    }

    /// A short rendering for reasons: scalars bare, anything else as compact JSON.
    public var display: String {
        switch self {
        case .string(let s): return s
        case .null: return "null"
        default: return serialized(pretty: false)
        }
    }
}
