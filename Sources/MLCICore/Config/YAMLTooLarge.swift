import Foundation
import Yams

/// A YAML document whose aliases expand past `Node.maximumAliasedNodes` values.
struct YAMLTooLarge: Error, CustomStringConvertible {
    var description: String {
        "the YAML's aliases expand to more than \(Node.maximumAliasedNodes) values (an alias bomb?); refusing to read it"
    }
}
