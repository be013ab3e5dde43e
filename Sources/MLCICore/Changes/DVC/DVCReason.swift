/// Why a DVC stage is invalidated, in DVC's terms.
public struct DVCReason: Sendable {
    /// new, always_changed, cmd, unfrozen, deps, outs, tracked_params, dep, out, params, upstream.
    public let type: String
    /// One line for people (the JSON `summary`, and `detail` for earlier readers).
    public let detail: String
    /// The reason's own fields in the JSON plan, named as in stage reasons: `path`, `file`,
    /// `key`, `old`, `new`, `stage`, `added`, `removed`.
    public var fields: [(String, JSONValue)] = []

    /// One line for people: the upstream reason names the stage.
    public var summary: String { type == "upstream" ? "upstream \(detail) changed" : detail }

    public init(type: String, detail: String, fields: [(String, JSONValue)] = []) {
        self.type = type
        self.detail = detail
        self.fields = fields
    }
}
