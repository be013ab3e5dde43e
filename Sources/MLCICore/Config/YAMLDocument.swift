import Foundation
import Yams

/// A parsed YAML file that remembers where each value came from, for `file:line:column`
/// messages. Parse failures become diagnostics with the position libyaml reports.
struct YAMLDocument {
    let file: String
    let root: Node?

    init(text: String, file: String) throws(ConfigError) {
        self.file = file
        do {
            root = try Node.composedWithMerges(text)
        } catch let error as YAMLTooLarge {
            throw ConfigError([
                Diagnostic(.error, error.description, at: SourceLocation(file: file, line: 1, column: 1))
            ])
        } catch let error as YamlError {
            throw ConfigError([Self.diagnostic(error, file: file, text: text)])
        } catch {
            throw ConfigError([
                Diagnostic(.error, "cannot parse YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
            ])
        }
    }

    static func diagnostic(_ error: YamlError, file: String, text: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if character(in: text, at: mark) == "\t" {
                return Diagnostic(
                    .error, "a tab character: YAML does not allow tabs for indentation; indent with spaces",
                    at: at(mark))
            }
            let prefix = context.map { "\($0.text): " } ?? ""
            return Diagnostic(.error, "invalid YAML: \(prefix)\(problem)", at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            // libyaml marks the mapping; the line to fix is the key's second occurrence.
            let key = duplicates.first.map { "\($0)" } ?? ""
            let lines = occurrences(of: key, in: text, mappingAt: context.mark)
            let message = "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping"
            guard lines.count >= 2 else { return Diagnostic(.error, message, at: at(context.mark)) }
            return Diagnostic(
                .error, message + " (first at line \(lines[0]))",
                at: SourceLocation(file: file, line: lines[1], column: context.mark.column))
        case .reader(let problem, let offset, let value, _):
            // Yams reports an offset in characters; a person wants the line and column.
            let what = value >= 0 ? String(format: " (U+%04X)", value) : ""
            let index = text.index(text.startIndex, offsetBy: offset ?? 0, limitedBy: text.endIndex) ?? text.endIndex
            return Diagnostic(
                .error, "cannot read YAML: \(problem)\(what)",
                at: SourceLocation(
                    file: file, byteOffset: text.utf8.distance(from: text.startIndex, to: index), in: Array(text.utf8)))
        default:
            return Diagnostic(.error, "invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// The character at a libyaml mark (1-based line and column).
    static func character(in text: String, at mark: Mark) -> Character? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let line = lines[mark.line - 1]
        guard mark.column >= 1, mark.column <= line.count else { return nil }
        return line[line.index(line.startIndex, offsetBy: mark.column - 1)]
    }

    /// Lines (1-based) of a block mapping's entries for `key`: lines from the mapping's start,
    /// up to the first line indented less than it, that hold `key:` at the mapping's column.
    private static func occurrences(of key: String, in text: String, mappingAt mark: Mark) -> [Int] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1 else { return [] }
        let column = mark.column - 1
        var found: [Int] = []
        for n in (mark.line - 1)..<lines.count {
            let line = lines[n]
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let indent = line.prefix(column)
            guard line.count > column, indent.allSatisfy({ $0 == " " || $0 == "-" }) else {
                if n > mark.line - 1 { break }  // the mapping ended
                continue
            }
            let rest = line.dropFirst(column)
            for form in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(form + ":") {
                found.append(n + 1)
            }
        }
        return found
    }

    func location(_ node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }
}

extension Node {
    /// A DVC file's YAML (a `.dvc` pointer, `dvc.yaml`, `dvc.lock`) with merge keys applied;
    /// nil for an empty document.
    static func composedWithMerges(_ bytes: [UInt8]) throws -> Node? {
        try composedWithMerges(String(decoding: bytes, as: UTF8.self))
    }

    /// YAML text composed with merge keys applied. Applying them rebuilds every mapping, a
    /// second copy of the whole tree at once: a document with no `<<` anywhere cannot hold a
    /// merge key, and is kept as composed.
    static func composedWithMerges(_ text: String) throws -> Node? {
        let node = try composeBounded(text)
        guard containsMergeMarker(text) else { return node }
        return node?.resolvingMerges()
    }

    /// Whether `<<` appears anywhere: a byte loop (the generic substring search cost a sixth of
    /// planning a 10,000-stage dvc.yaml).
    static func containsMergeMarker(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "<") && previous == UInt8(ascii: "<") { return true }
            previous = byte
        }
        return false
    }

    /// The most values a YAML document may add through its aliases. A few hundred bytes of
    /// nested aliases (a "billion laughs") expand to billions of values: every file mlci reads
    /// may come from a pull request, so no reader may walk such a document. Values written
    /// out in the file are not counted — reading them costs what the file's size costs — so a
    /// large plain file (a params file with a million keys) is read.
    static let maximumAliasedNodes = 1_000_000

    /// `Yams.compose`, refusing a document whose aliases expand past `maximumAliasedNodes`.
    /// Composing shares the aliased nodes; the walk that counts them stops at the limit.
    /// Scalars are read without Yams' default resolver: it compiles regular expressions, which
    /// loads ICU on the start-up path of every command, and mlci types scalars itself
    /// (`plainBool`, `plainInt`, `ParamsFile.typed`). Templates that are written back out keep
    /// the default, so the emitter quotes them as before.
    static func composeBounded(_ text: String, resolver: Resolver = .basic) throws -> Node? {
        guard let node = try Yams.compose(yaml: text, resolver) else { return nil }
        var budget = maximumAliasedNodes
        var written = Set<Int>()
        guard node.fitsWritten(&budget, &written) else { throw YAMLTooLarge() }
        return node
    }

    /// Walks the document as written. Composing puts the anchored node itself where an alias
    /// stood, so a mapping or list met a second time at the same position is an alias: its
    /// whole expansion counts against `budget`. (An aliased scalar is one value, as cheap as
    /// the alias that names it.) False once the budget runs out.
    private func fitsWritten(_ budget: inout Int, _ written: inout Set<Int>) -> Bool {
        switch self {
        case .mapping(let m):
            guard let mark = m.mark, written.insert(mark.line << 32 | mark.column).inserted else {
                return fitsExpanded(&budget)
            }
            for (key, value) in m where !key.fitsWritten(&budget, &written) || !value.fitsWritten(&budget, &written) {
                return false
            }
        case .sequence(let s):
            guard let mark = s.mark, written.insert(mark.line << 32 | mark.column).inserted else {
                return fitsExpanded(&budget)
            }
            for item in s where !item.fitsWritten(&budget, &written) { return false }
        default: break
        }
        return true
    }

    /// Counts this node and everything under it against `budget`; false once it runs out.
    private func fitsExpanded(_ budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch self {
        case .mapping(let m):
            for (key, value) in m where !key.fitsExpanded(&budget) || !value.fitsExpanded(&budget) { return false }
        case .sequence(let s):
            for item in s where !item.fitsExpanded(&budget) { return false }
        default: break
        }
        return true
    }

    /// The node with YAML merge keys (`<<: *defaults`) applied as YAML 1.1 readers apply them
    /// (PyYAML and ruamel, which DVC uses): the merged mappings' keys come first, a mapping
    /// earlier in `<<: [*a, *b]` wins over a later one, and the mapping's own keys win over all.
    /// Each key appears once, where it first appeared, with its winning value; positions are
    /// kept for messages. A `<<` whose value is not a mapping (or list of them) stays a key.
    public func resolvingMerges() -> Node {
        switch self {
        case .mapping(let mapping):
            var merged: [(Node, Node)] = [], own: [(Node, Node)] = []
            for (key, value) in mapping {
                let resolved = value.resolvingMerges()
                let sources: [Node.Mapping]? =
                    switch resolved {
                    case .mapping(let m): [m]
                    case .sequence(let items):
                        items.allSatisfy { $0.mapping != nil } ? items.compactMap(\.mapping) : nil
                    default: nil
                    }
                // A merge key is a plain `<<` (a quoted "<<" is an ordinary key).
                if key.scalar?.string == "<<", key.scalar?.style == .plain, let sources {
                    // Later sources first: the last occurrence of a key wins below.
                    for source in sources.reversed() { merged += source.map { ($0.key, $0.value) } }
                } else {
                    own.append((key, resolved))
                }
            }
            var pairs: [(Node, Node)] = []
            var position: [String: Int] = [:]
            for (key, value) in merged + own {
                if let name = key.scalar?.string, let i = position[name] {
                    pairs[i].1 = value
                } else {
                    if let name = key.scalar?.string { position[name] = pairs.count }
                    pairs.append((key, value))
                }
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            return .sequence(
                Node.Sequence(sequence.map { $0.resolvingMerges() }, sequence.tag, sequence.style, sequence.mark))
        default:
            return self
        }
    }

    /// A plain scalar as a boolean, in the spellings YAML 1.1 (and so Yams' default resolver)
    /// reads as one; a quoted scalar is a string.
    var plainBool: Bool? {
        guard case .scalar(let s) = self, s.style == .plain else { return nil }
        switch s.string {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// A plain scalar as an integer (YAML 1.2's forms: `4`, `1_000`, `0x1F`, `0o17`).
    var plainInt: Int? {
        guard case .scalar(let s) = self, s.style == .plain, case .int(let n) = ParamsFile.plainScalar(s.string)
        else { return nil }
        return n
    }

    /// A short name of the node's shape, for "expected a list, found a mapping".
    var shapeName: String {
        switch self {
        case .scalar: return "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The value with mapping keys sorted and positions dropped: two definitions that differ
    /// only in layout, quoting or comments compare equal.
    var canonical: JSONValue {
        switch self {
        case .scalar(let s):
            return s.tag.description == "tag:yaml.org,2002:null"
                || (s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string))
                ? .null : .string(s.string)
        case .sequence(let seq): return .array(seq.map(\.canonical))
        case .mapping(let map):
            return .object(map.map { ($0.key.string ?? "\($0.key)", $0.value.canonical) }.sorted { $0.0 < $1.0 })
        case .alias: return .null
        }
    }
}
