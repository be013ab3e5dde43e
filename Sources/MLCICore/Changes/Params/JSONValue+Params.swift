import Foundation
import MLCIGit
import Yams

extension JSONValue {
    /// The value at a dotted key (`train.lr`; a number selects a list item: `layers.0`).
    public func lookup(_ dotted: String) -> JSONValue? {
        var current = self
        for part in dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            switch current {
            case .object(let pairs):
                guard let next = pairs.last(where: { $0.0 == part })?.1 else { return nil }
                current = next
            case .array(let items):
                guard let i = Int(part), items.indices.contains(i) else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Equality of meaning: `1` equals `1.0`, object key order does not matter.
    public func sameValue(as other: JSONValue) -> Bool {
        switch (self, other) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            let bd = Dictionary(b, uniquingKeysWith: { _, last in last })
            return a.allSatisfy { key, value in bd[key].map { value.sameValue(as: $0) } ?? false }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        default:
            return self == other
        }
    }

    /// A short rendering for reasons: scalars bare, anything else as compact JSON.
    public var display: String {
        switch self {
        case .string(let s): return s
        case .null: return "null"
        default: return serialized(pretty: false)
        }
    }
}
