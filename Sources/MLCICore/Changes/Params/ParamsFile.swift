import Foundation
import MLCIGit
import Yams

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
