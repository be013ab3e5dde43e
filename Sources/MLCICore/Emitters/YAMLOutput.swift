import Foundation
import Yams

/// Builds YAML documents from typed values and serializes them with Yams, so quoting is always
/// right (`'on'`, `'true'`, `${{ … }}` and colons are quoted where YAML needs it).
enum Y {
    static func map(_ pairs: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1) }))
    }

    static func seq(_ items: [Node]) -> Node { .sequence(Node.Sequence(items)) }

    static func str(_ s: String) -> Node {
        // Multi-line scripts as literal blocks, readable in review.
        if s.contains("\n") { return Node(s, .implicit, .literal) }
        // A string that YAML would read back as a number, boolean or null is quoted.
        if looksTyped(s) { return Node(s, Tag(.str), .doubleQuoted) }
        return Node(s)
    }

    static func looksTyped(_ s: String) -> Bool {
        let lower = s.lowercased()
        if ["", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"].contains(lower) { return true }
        if Int(s) != nil || Double(s) != nil { return true }
        if lower.hasPrefix("0x") || lower.hasPrefix("0o") || lower.hasPrefix(".") && Double("0" + s) != nil {
            return true
        }
        return false
    }

    static func strs(_ items: [String]) -> Node { seq(items.map(str)) }

    static func int(_ i: Int) -> Node { Node(String(i), Tag(.int)) }

    static func bool(_ b: Bool) -> Node { Node(b ? "true" : "false", Tag(.bool)) }

    /// One string when there is one item, else a list (GitHub `runs-on`).
    static func oneOrMany(_ items: [String]) -> Node { items.count == 1 ? str(items[0]) : strs(items) }

    /// The document with a generated-file header. Lines are never folded: an `if:`
    /// expression split over lines is legal YAML but hard to read and to grep.
    static func document(_ node: Node, header: String) throws -> String {
        let body = try Yams.serialize(
            node: node, indent: 2, width: -1, allowUnicode: true, lineBreak: .ln,
            explicitStart: true, sortKeys: false)
        return header + body
    }
}
