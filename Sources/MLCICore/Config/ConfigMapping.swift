import Yams

/// One mapping of mlci.yml handed to code outside the loader — a CI platform decoding its
/// `ci.<platform>` settings: its entries in order, each able to report a problem at its own
/// line and column into the loader's diagnostics (so every problem is still reported at once).
public struct ConfigMapping {
    /// How messages name the mapping: `ci.github`, `stage 'train' ci.github`.
    public let what: String
    public let entries: [ConfigEntry]
}

extension ConfigMapping {
    init(what: String, loader: ConfigLoader, map: Node.Mapping, _ doc: YAMLDocument, _ out: ConfigLoader.Collector) {
        self.what = what
        entries = map.map { keyNode, value in
            let key = keyNode.string ?? ""
            return ConfigEntry(
                key: key, what: "\(what).\(key)", value: value, keyNode: keyNode, doc: doc, out: out, loader: loader)
        }
    }
}
