/// git's quoting of paths in its output (`quote_c_style`): a path holding a control byte,
/// a double quote, a backslash or DEL — or, while `core.quotePath` is true (the default), any
/// byte ≥ 0x80 — is printed in double quotes with C escapes, other bytes as three-digit octal.
public struct PathQuoting: Sendable {
    /// `core.quotePath`.
    public var quoteHighBytes: Bool

    public init(quoteHighBytes: Bool = true) {
        self.quoteHighBytes = quoteHighBytes
    }

    private func mustQuote(_ byte: UInt8) -> Bool {
        switch byte {
        case 0..<0x20, 0x22, 0x5c, 0x7f: return true
        case 0x80...: return quoteHighBytes
        default: return false
        }
    }

    /// Appends `path` to `out` as git would print it.
    public func append(_ path: [UInt8], to out: inout [UInt8]) {
        guard path.contains(where: mustQuote) else {
            out.append(contentsOf: path)
            return
        }
        out.append(0x22)
        for byte in path {
            guard mustQuote(byte) else { out.append(byte); continue }
            out.append(0x5c)
            switch byte {
            case 0x07: out.append(UInt8(ascii: "a"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x0a: out.append(UInt8(ascii: "n"))
            case 0x0b: out.append(UInt8(ascii: "v"))
            case 0x0c: out.append(UInt8(ascii: "f"))
            case 0x0d: out.append(UInt8(ascii: "r"))
            case 0x22, 0x5c: out.append(byte)
            default:
                out.append(UInt8(ascii: "0") + (byte >> 6))
                out.append(UInt8(ascii: "0") + ((byte >> 3) & 7))
                out.append(UInt8(ascii: "0") + (byte & 7))
            }
        }
        out.append(0x22)
    }

    public func quoted(_ path: [UInt8]) -> String {
        var out = [UInt8]()
        append(path, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
