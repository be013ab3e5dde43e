import MLCIGit

/// One changed path as the planner sees it, with the kinds it belongs to. Reading ML file
/// formats can turn a change into more than one (a `.dvc` pointer whose hashes changed stands
/// for its data paths too) or mark it as triggering nothing.
public struct PlannedChange: Sendable {
    public let change: ChangedFile
    /// Filled in by the planner once every change is classified.
    public internal(set) var kinds: [String]
    /// For a data path that changed through a `.dvc` pointer: the pointer.
    public let via: String?
    /// What mlci read from the file (DVC outs hashes, LFS oids, notebook outputs-only).
    public let note: JSONValue?
    /// False for changes that trigger nothing (metadata-only pointer edits, notebook outputs).
    public let participates: Bool

    /// The path as text (decoded on each use: tens of thousands of changes are planned, and
    /// most paths are only ever written out once).
    public var path: String { change.path }

    public init(
        change: ChangedFile, kinds: [String] = [], participates: Bool = true, via: String? = nil, note: JSONValue? = nil
    ) {
        self.change = change
        self.kinds = kinds
        self.participates = participates
        self.via = via
        self.note = note
    }
}
