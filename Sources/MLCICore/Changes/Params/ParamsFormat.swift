import Foundation
import MLCIGit
import Yams

/// The formats a params file may have, chosen by extension.
public enum ParamsFormat: Sendable {
    case yaml, json, toml, python

    public init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            self = .yaml
        } else if lower.hasSuffix(".json") {
            self = .json
        } else if lower.hasSuffix(".toml") {
            self = .toml
        } else if lower.hasSuffix(".py") {
            self = .python
        } else {
            return nil
        }
    }
}
