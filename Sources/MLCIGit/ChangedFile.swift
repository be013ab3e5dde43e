/// One path that differs between two trees, as `git diff --name-status --no-renames` lists it.
public struct ChangedFile: Sendable, Hashable {
    public enum Status: Character, Sendable {
        case added = "A"
        case deleted = "D"
        case modified = "M"
        case typeChanged = "T"
    }

    public let status: Status
    /// The path exactly as stored in git: bytes, not necessarily UTF-8.
    public let pathBytes: [UInt8]
    public let oldMode: FileMode?
    public let newMode: FileMode?
    public let oldID: ObjectID?
    public let newID: ObjectID?

    public init(
        status: Status, pathBytes: [UInt8], oldMode: FileMode?, newMode: FileMode?,
        oldID: ObjectID?, newID: ObjectID?
    ) {
        self.status = status
        self.pathBytes = pathBytes
        self.oldMode = oldMode
        self.newMode = newMode
        self.oldID = oldID
        self.newID = newID
    }

    /// The path as text; bytes that are not UTF-8 become U+FFFD, so use `pathBytes` where
    /// exact bytes matter (output quoting, lookups).
    public var path: String { String(decoding: pathBytes, as: UTF8.self) }
}
