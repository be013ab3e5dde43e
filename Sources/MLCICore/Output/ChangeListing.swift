import MLCIGit

/// Renders a list of changed files as `mlci changes` prints them.
public enum ChangeListing {
    /// `mlci changes` output: git's name-status text (`quotePath`: `core.quotepath`), or JSON.
    /// `park` keeps large values alive until the process exits (freeing them is measurable).
    public static func render(_ changes: [ChangedFile], json: Bool, quotePath: Bool, park: (Any) -> Void) -> [UInt8] {
        guard json else { return nameStatus(changes, quoting: PathQuoting(quoteHighBytes: quotePath)) }
        let value = Self.json(changes)
        park(value)
        return value.bytes()
    }

    /// Byte-identical to `git diff --name-status --no-renames`: status letter, a tab, the path
    /// quoted as git quotes it.
    public static func nameStatus(_ changes: [ChangedFile], quoting: PathQuoting) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(changes.count * 48)
        for change in changes {
            out.append(UInt8(ascii: change.status.rawValue.unicodeScalars.first!))
            out.append(0x09)
            quoting.append(change.pathBytes, to: &out)
            out.append(0x0a)
        }
        return out
    }

    /// One object per change with the raw (unquoted) path, modes in git's octal form and ids.
    public static func json(_ changes: [ChangedFile]) -> JSONValue {
        .array(changes.map(json))
    }

    public static func json(_ change: ChangedFile) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("status", .string(String(change.status.rawValue))),
            ("path", .string(change.path)),
        ]
        if let m = change.oldMode { fields.append(("old_mode", .string(m.octal))) }
        if let m = change.newMode { fields.append(("new_mode", .string(m.octal))) }
        if let id = change.oldID { fields.append(("old_oid", .string(id.hex))) }
        if let id = change.newID { fields.append(("new_oid", .string(id.hex))) }
        return .object(fields)
    }
}
