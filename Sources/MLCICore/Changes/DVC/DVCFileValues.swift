import Yams

/// DVC's own files (`.dvc` pointers, `dvc.lock`, a `dvc.yaml` read for its `wdir`s) as values
/// with every scalar kept as written: a hash `0123e4` stays text, not a number. Read straight
/// from libyaml's events — through Yams' node tree a 15 MB `dvc.lock` took 330 MB and seconds —
/// and through Yams only when that reader leaves a file to it (see `YAMLValues`).
enum DVCFileValues {
    static func read(_ bytes: [UInt8]) throws -> JSONValue {
        if let values = bytes.withUnsafeBufferPointer({ YAMLValues.read(bytes: $0, scalars: .text) }) {
            return values
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let node = try Node.composedWithMerges(text) else { return .object([]) }
        return asText(node)
    }

    private static func asText(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let s): return .string(s.string)
        case .sequence(let seq): return .array(seq.map(asText))
        case .mapping(let map): return .object(map.map { ($0.key.string ?? "\($0.key)", asText($0.value)) })
        case .alias: return .null
        }
    }
}

extension JSONValue {
    /// A mapping's value for `name` (the last written, as YAML readers keep), else nil.
    func field(_ name: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.last { $0.0 == name }?.1
    }

    /// A mapping's entries in order (none for anything else).
    var entries: [(String, JSONValue)] {
        if case .object(let pairs) = self { return pairs }
        return []
    }

    /// A sequence's items (none for anything else).
    var elements: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}
