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
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ParamsError(message: "the file is not UTF-8 text", line: nil)
        }
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
                guard let node = try Node.composeBounded(text) else { return .object([]) }
                return typed(node.resolvingMerges())
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
        func matches(_ pattern: NSRegularExpression) -> Bool {
            pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        var body = Substring(text)
        let negative = body.first == "-"
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        let digits = body.replacingOccurrences(of: "_", with: "")
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

/// The plain-scalar patterns of ruamel's YAML 1.2 resolver, compiled once.
private enum YAML12 {
    static let float = regex(
        #"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?)$"#
    )
    static let infinity = regex(#"^[-+]?\.(?:inf|Inf|INF)$"#)
    static let nan = regex(#"^\.(?:nan|NaN|NAN)$"#)
    static let binary = regex(#"^[-+]?0b[0-1_]+$"#)
    static let hex = regex(#"^[-+]?0x[0-9a-fA-F_]+$"#)
    static let octal = regex(#"^[-+]?0o[0-7_]+$"#)
    static let decimal = regex(#"^[-+]?[0-9_]+$"#)

    private static func regex(_ pattern: String) -> NSRegularExpression {
        // The patterns are constants: failing to compile one is a programming error.
        try! NSRegularExpression(pattern: pattern)
    }
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
