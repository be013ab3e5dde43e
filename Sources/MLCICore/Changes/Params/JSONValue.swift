/// A JSON value whose objects keep their keys in the order written, so the output that CI
/// scripts and golden files read is stable and reads in a sensible order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (l: JSONValue, r: JSONValue) -> Bool {
        l.serialized() == r.serialized()
    }

    /// Pretty-printed with two-space indentation and a trailing newline.
    public func serialized(pretty: Bool = true) -> String {
        String(decoding: bytes(pretty: pretty), as: UTF8.self)
    }

    /// The serialization as UTF-8 bytes, written into one buffer: plans with tens of
    /// thousands of changes are serialized on every CI run.
    public func bytes(pretty: Bool = true) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(4096)
        write(to: &out, indent: pretty ? 0 : nil)
        if pretty { out.append(0x0a) }
        return out
    }

    func write(to out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d):
            let text: String
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
                text = String(Int(d))
            } else if d.isFinite {
                text = String(d)
            } else {
                text = "null"
            }
            out += Array(text.utf8)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += [0x5b, 0x5d]; return }
            out.append(0x5b)
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(0x2c) }
                Self.newline(&out, indent.map { $0 + 1 })
                item.write(to: &out, indent: indent.map { $0 + 1 })
            }
            Self.newline(&out, indent)
            out.append(0x5d)
        case .object(let pairs):
            if pairs.isEmpty { out += [0x7b, 0x7d]; return }
            out.append(0x7b)
            for (n, (key, value)) in pairs.enumerated() {
                if n > 0 { out.append(0x2c) }
                Self.newline(&out, indent.map { $0 + 1 })
                Self.writeString(key, to: &out)
                out.append(0x3a)
                if indent != nil { out.append(0x20) }
                value.write(to: &out, indent: indent.map { $0 + 1 })
            }
            Self.newline(&out, indent)
            out.append(0x7d)
        }
    }

    static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(0x0a)
        for _ in 0..<(indent * 2) { out.append(0x20) }
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { writeString(utf8: $0, to: &out) }
    }

    /// A path as a JSON string straight from its bytes; bytes that are not UTF-8 become U+FFFD,
    /// as in `ChangedFile.path`. Paths are nearly always ASCII and take the direct route.
    static func writePath(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            if buffer.allSatisfy({ $0 < 0x80 }) {
                writeString(utf8: buffer, to: &out)
            } else {
                writeString(String(decoding: buffer, as: UTF8.self), to: &out)
            }
        }
    }

    /// `utf8` must be valid UTF-8.
    static func writeString(utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        // Most strings need no escaping: copy them in one go.
        if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c || $0 == 0x7f }) {
            out.append(contentsOf: utf8)
        } else {
            for byte in utf8 {
                switch byte {
                case 0x22: out.append(0x5c); out.append(0x22)
                case 0x5c: out.append(0x5c); out.append(0x5c)
                case 0x0a: out.append(0x5c); out.append(UInt8(ascii: "n"))
                case 0x0d: out.append(0x5c); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5c); out.append(UInt8(ascii: "t"))
                case 0..<0x20, 0x7f:
                    let hex: StaticString = "0123456789abcdef"
                    out.append(0x5c); out.append(UInt8(ascii: "u")); out.append(0x30); out.append(0x30)
                    out.append(hex.utf8Start[Int(byte >> 4)]); out.append(hex.utf8Start[Int(byte & 0xf)])
                default: out.append(byte)
                }
            }
        }
        out.append(0x22)
    }
}
