import CYaml
import Yams

/// Reads YAML straight from libyaml's events into typed values, as `ParamsFile.typed` reads a
/// composed document (merge keys applied, aliases expanded), without building Yams' node tree
/// first: that tree costs hundreds of bytes per value, so a 13 MB params file or dvc.lock took
/// over 600 MB. Anything this reader does not decide on its own — a syntax error, a duplicate
/// or non-scalar key, several documents, aliases adding more than `Node.maximumAliasedNodes`
/// values — returns nil, and the caller reads the file through Yams, which gives the message
/// (or the same values) it always gave.
enum YAMLValues {
    /// `typed`: plain scalars resolved as `ParamsFile.plainScalar` does; `text`: every scalar a
    /// string as written (DVC's hashes and paths: `md5: 0123e4` must not become a number).
    enum Scalars { case typed, text }

    static func read(_ text: String, scalars: Scalars = .typed) -> JSONValue? {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { read(bytes: $0, scalars: scalars) } ?? nil
    }

    /// Reads UTF-8 bytes in place (a large file is not copied into a String first).
    static func read(bytes: UnsafeBufferPointer<UInt8>, scalars: Scalars = .typed) -> JSONValue? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
        var reader = Reader(typed: scalars == .typed)
        return reader.run(&parser)
    }

    /// A mapping or sequence being read.
    private struct Frame {
        let isMapping: Bool
        let anchor: String?
        var items: [JSONValue] = []
        var own: [(String, JSONValue)] = []
        /// Mappings merged in through `<<`, in the order written.
        var sources: [[(String, JSONValue)]] = []
        /// Hashes of the keys written so far: a repeat (or, about once in 10^18 pairs, two keys
        /// with one hash) leaves the file to Yams, which names a duplicate with its line. Hashes,
        /// not the keys: a mapping of 800,000 keys would otherwise hold every key twice.
        var seen: Set<Int> = []
        /// The key read, waiting for its value; `merge` when it is a plain `<<`.
        var key: String? = nil
        var merge = false
        /// Values in this subtree (itself, keys and values), as the alias budget counts them.
        var size = 1
    }

    private struct Anchored {
        let value: JSONValue
        let size: Int
        /// The scalar as written, when the anchored node is one (an aliased key).
        let raw: String?
    }

    private struct Reader {
        let typed: Bool
        var stack: [Frame] = []
        var anchors: [String: Anchored] = [:]
        var aliased = 0
        var root: JSONValue? = nil
        var documents = 0

        /// The document's values, or nil to leave the file to Yams.
        mutating func run(_ parser: inout yaml_parser_t) -> JSONValue? {
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT: return root ?? .object([])
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    guard documents == 1 else { return nil }
                case YAML_ALIAS_EVENT:
                    guard let name = Self.string(event.data.alias.anchor), let target = anchors[name] else {
                        return nil
                    }
                    aliased += target.size
                    guard aliased <= Node.maximumAliasedNodes else { return nil }
                    guard deliver(target.value, size: target.size, raw: target.raw, plain: false, alias: true) else {
                        return nil
                    }
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let raw = String(
                        decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
                    let anchor = Self.string(scalar.anchor)
                    // A key is kept as written; only values (and anchors, which may be either) are typed.
                    let isKey = stack.last.map { $0.isMapping && $0.key == nil } ?? false
                    let value =
                        isKey && anchor == nil ? .null : plain && typed ? ParamsFile.plainScalar(raw) : .string(raw)
                    if let anchor { anchors[anchor] = Anchored(value: value, size: 1, raw: raw) }
                    guard deliver(value, size: 1, raw: raw, plain: plain, alias: false) else { return nil }
                case YAML_SEQUENCE_START_EVENT:
                    // A list as a key: Yams decides.
                    guard stack.last?.isMapping != true || stack.last?.key != nil else { return nil }
                    stack.append(Frame(isMapping: false, anchor: Self.string(event.data.sequence_start.anchor)))
                case YAML_MAPPING_START_EVENT:
                    // A mapping as a key: Yams decides.
                    guard stack.last?.isMapping != true || stack.last?.key != nil else { return nil }
                    stack.append(Frame(isMapping: true, anchor: Self.string(event.data.mapping_start.anchor)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let frame = stack.popLast() else { return nil }
                    let value = frame.isMapping ? Self.merged(frame) : .array(frame.items)
                    if let anchor = frame.anchor {
                        anchors[anchor] = Anchored(value: value, size: frame.size, raw: nil)
                    }
                    guard deliver(value, size: frame.size, raw: nil, plain: false, alias: false) else { return nil }
                default: break
                }
            }
        }

        /// Hands a finished node to the mapping or sequence it belongs to; false to give up.
        private mutating func deliver(_ value: JSONValue, size: Int, raw: String?, plain: Bool, alias: Bool) -> Bool {
            guard var frame = stack.popLast() else {
                root = value
                return true
            }
            defer { stack.append(frame) }
            if !frame.isMapping {
                frame.items.append(value)
                frame.size += size
                return true
            }
            guard let key = frame.key else {
                // A key: only scalars, each once (Yams refuses duplicates with their lines).
                guard let raw, frame.seen.insert(raw.hashValue).inserted else { return false }
                // An alias naming a `<<` scalar: whether it merges is Yams' call.
                if raw == "<<" && alias { return false }
                frame.key = raw
                frame.merge = plain && raw == "<<"
                frame.size += 1
                return true
            }
            frame.key = nil
            frame.size += size
            if frame.merge {
                switch value {
                case .object(let pairs):
                    frame.sources.append(pairs)
                    return true
                case .array(let items) where items.allSatisfy({ if case .object = $0 { true } else { false } }):
                    for case .object(let pairs) in items { frame.sources.append(pairs) }
                    return true
                default: break
                }
            }
            frame.own.append((key, value))
            return true
        }

        /// The mapping with merge keys applied as `Node.resolvingMerges` applies them.
        private static func merged(_ frame: Frame) -> JSONValue {
            guard !frame.sources.isEmpty else { return .object(frame.own) }
            var pairs: [(String, JSONValue)] = []
            var position: [String: Int] = [:]
            for (key, value) in frame.sources.reversed().joined() + frame.own {
                if let i = position[key] {
                    pairs[i].1 = value
                } else {
                    position[key] = pairs.count
                    pairs.append((key, value))
                }
            }
            return .object(pairs)
        }

        private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}
