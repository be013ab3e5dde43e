import Yams

/// One key of a `ConfigMapping` and its value.
public struct ConfigEntry {
    public let key: String
    /// How messages name this entry: `ci.github.runs_on`.
    public let what: String
    public let value: Node
    let keyNode: Node
    let doc: YAMLDocument
    let out: ConfigLoader.Collector
    let loader: ConfigLoader

    /// The value as a non-empty string (on one line unless `multiline`), or nil after reporting
    /// `message` at the value.
    public func string(else message: String, multiline: Bool = false) -> String? {
        if let s = value.scalar?.string, !s.isEmpty, multiline || !s.contains(where: \.isNewline) { return s }
        error(message)
        return nil
    }

    /// The value as a list of strings (a single string counts as a list of one).
    public func strings() -> [String] { loader.strings(value, what: what, doc, out).map(\.0) }

    /// The value as a mapping, or nil after reporting that it is not one.
    public func mapping() -> ConfigMapping? {
        guard case .mapping(let map) = value else {
            error("\(what) must be a mapping; found \(value.shapeName)")
            return nil
        }
        return ConfigMapping(what: what, loader: loader, map: map, doc, out)
    }

    /// An error at the value.
    public func error(_ message: String) { out.error(message, doc.location(value)) }

    /// An error at a node inside the value (an item of a list, a key of a mapping).
    public func error(_ message: String, at node: Node) { out.error(message, doc.location(node)) }

    /// "unknown key", with a did-you-mean among `known`, at the key.
    public func unknownKey(among known: [String], in owner: String) {
        out.error("\(owner): unknown key '\(key)'\(DidYouMean.hint(for: key, among: known))", doc.location(keyNode))
    }
}
