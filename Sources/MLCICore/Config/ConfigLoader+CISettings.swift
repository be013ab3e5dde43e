import Foundation
import Yams

/// Decoding `ci:` settings (top level and per stage): the shared keys here, each platform's
/// own mapping by that platform (`CIPlatform.settings`).
extension ConfigLoader {
    /// The keys `ci:` may hold: the shared ones and one per known platform.
    var ciKeys: [String] { platforms.map(\.id) + ["setup", "install"] }

    func ciSettings(_ node: Node, what: String, _ doc: YAMLDocument, _ out: Collector) -> CISettings {
        var settings = CISettings()
        guard case .mapping(let map) = node else {
            let names = ciKeys.dropLast().joined(separator: ", ") + " or " + (ciKeys.last ?? "")
            out.error("\(what) must be a mapping with \(names); found \(node.shapeName)", doc.location(node))
            return settings
        }
        for entry in ConfigMapping(what: what, loader: self, map: map, doc, out).entries {
            switch entry.key {
            case "setup":
                settings.setup = strings(entry.value, what: "\(what) setup", doc, out).map(\.0)
            case "install":
                settings.install = installSettings(entry.value, what: "\(what).install", doc, out)
            default:
                guard let platform = platforms.first(where: { $0.id == entry.key }) else {
                    entry.unknownKey(among: ciKeys, in: what)
                    continue
                }
                guard let mapping = entry.mapping() else { continue }
                settings.setPlatform(platform.settings(mapping))
            }
        }
        return settings
    }
}
