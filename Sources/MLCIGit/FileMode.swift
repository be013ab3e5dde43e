/// The kind of an entry in a git tree, from its mode.
public enum FileMode: UInt32, Sendable, Hashable {
    case tree = 0o040000
    case blob = 0o100644
    case executable = 0o100755
    case symlink = 0o120000
    case gitlink = 0o160000

    /// git canonicalises modes before comparing (`canon_mode`): any regular file is 644 or 755
    /// by its owner-execute bit, so legacy modes such as 100664 compare equal to 100644.
    public init(canonicalizing raw: UInt32) {
        switch raw & 0o170000 {
        case 0o040000: self = .tree
        case 0o100000: self = (raw & 0o100) != 0 ? .executable : .blob
        case 0o120000: self = .symlink
        case 0o160000: self = .gitlink
        default: self = .gitlink  // git's canon_mode: anything else is a gitlink
        }
    }

    /// The six-digit octal form git prints (`100644`).
    public var octal: String {
        let s = String(rawValue, radix: 8)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }

    /// The `S_IFMT` part: two modes of the same format differ by permissions only (status M),
    /// of different formats by type (status T).
    var format: UInt32 { rawValue & 0o170000 }
}
