import CLibgit2

/// A git object id (SHA-1), held by value so it can leave MLCIGit and cross threads.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The 20 raw bytes, packed into three integers for cheap hashing and comparison.
    let a: UInt64, b: UInt64, c: UInt32

    init(_ oid: git_oid) {
        var oid = oid
        var a: UInt64 = 0, b: UInt64 = 0, c: UInt32 = 0
        withUnsafeBytes(of: &oid.id) { raw in
            for i in 0..<8 { a = a << 8 | UInt64(raw[i]) }
            for i in 8..<16 { b = b << 8 | UInt64(raw[i]) }
            for i in 16..<20 { c = c << 8 | UInt32(raw[i]) }
        }
        self.a = a; self.b = b; self.c = c
    }

    /// Builds an id from 20 raw bytes (as stored in trees and the commit-graph file).
    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 20, "an object id has 20 bytes")
        var a: UInt64 = 0, b: UInt64 = 0, c: UInt32 = 0
        for (i, byte) in bytes.enumerated() {
            switch i {
            case 0..<8: a = a << 8 | UInt64(byte)
            case 8..<16: b = b << 8 | UInt64(byte)
            default: c = c << 8 | UInt32(byte)
            }
        }
        self.a = a; self.b = b; self.c = c
    }

    /// Parses 40 hex digits; nil for anything else.
    public init?(hex: String) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 40 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(20)
        var i = 0
        while i < 40 {
            guard let hi = Self.nibble(utf8[i]), let lo = Self.nibble(utf8[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        self.init(bytes: bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(20)
        for i in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: a >> (UInt64(i) * 8))) }
        for i in (0..<8).reversed() { out.append(UInt8(truncatingIfNeeded: b >> (UInt64(i) * 8))) }
        for i in (0..<4).reversed() { out.append(UInt8(truncatingIfNeeded: c >> (UInt32(i) * 8))) }
        return out
    }

    public var hex: String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 40) { buffer in
            var i = 0
            func put(_ value: UInt64, _ count: Int) {
                for shift in stride(from: (count - 1) * 4, through: 0, by: -4) {
                    buffer[i] = digits.utf8Start[Int((value >> UInt64(shift)) & 0xf)]
                    i += 1
                }
            }
            put(a, 16)
            put(b, 16)
            put(UInt64(c), 8)
            return 40
        }
    }

    public var description: String { hex }

    /// The id git gives the empty tree; the base of a root commit.
    public static let emptyTree = ObjectID(hex: "4b825dc642cb6eb9a060e54bf8d69288fbee4904")!

    public static let zero = ObjectID(bytes: [UInt8](repeating: 0, count: 20))

    public var isZero: Bool { a == 0 && b == 0 && c == 0 }

    public static func < (l: ObjectID, r: ObjectID) -> Bool {
        (l.a, l.b, l.c) < (r.a, r.b, r.c)
    }

    var gitOID: git_oid {
        var oid = git_oid()
        let raw = bytes
        withUnsafeMutableBytes(of: &oid.id) { dst in
            for i in 0..<20 { dst[i] = raw[i] }
        }
        return oid
    }
}

extension ObjectID {
    /// The id git would give `bytes` as a blob (`git hash-object --stdin`); mlci also uses it as
    /// a content hash for cache keys, so hashing needs nothing beyond libgit2.
    public static func hashing(_ bytes: [UInt8]) -> ObjectID {
        Libgit2.ensureInitialized()
        var oid = git_oid()
        _ = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        return ObjectID(oid)
    }
}
