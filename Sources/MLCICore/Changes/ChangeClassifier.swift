import Foundation
import MLCIGit

/// Puts changed paths into their kinds and matches them against stages' `on` entries.
///
/// Every distinct pattern of the configuration — the kinds' patterns and the patterns written
/// directly in `on` lists — is compiled once into one table, and each path is matched against
/// that table once, into a row of bits (bit p: pattern p matches, negation aside). Kinds and
/// stage decisions are then read off the bits without touching the path again. Many paths are
/// classified in one call, split between threads, with no allocation per path: planning tens
/// of thousands of changes must cost little next to reading the trees.
public final class ChangeClassifier: Sendable {
    let config: MLCIConfig
    /// The distinct patterns; a row's bit p is set when `patterns[p]` matches the path.
    private let patterns: [PathPattern]
    /// The kinds' patterns as indexes into `patterns`, kind after kind, each kind's in order;
    /// kind k's are `kindPatterns[kindSpans[k]]`.
    private let kindPatterns: [Int]
    private let kindSpans: [Range<Int>]
    /// Each stage's `on` entries, kinds and patterns both resolved to indexes.
    private let compiledOn: [String: [CompiledEntry]]
    /// `patterns` flattened for matching, and which of them are negations.
    private let table: PatternTable
    private let negated: [Bool]
    /// 64-bit words per row.
    private let words: Int

    private enum CompiledEntry: Sendable {
        case kind(Int)
        case pattern(Int)
    }

    public init(config: MLCIConfig) {
        self.config = config
        var table: [PathPattern] = []
        var indexOf: [PathPattern: Int] = [:]
        func index(_ pattern: PathPattern) -> Int {
            if let i = indexOf[pattern] { return i }
            indexOf[pattern] = table.count
            table.append(pattern)
            return table.count - 1
        }
        var kindPatterns: [Int] = [], kindSpans: [Range<Int>] = []
        for kind in config.kinds {
            kindPatterns += kind.patterns.patterns.map(index)
            kindSpans.append(kindPatterns.count - kind.patterns.patterns.count..<kindPatterns.count)
        }
        self.kindPatterns = kindPatterns
        self.kindSpans = kindSpans
        let kindIndex = Dictionary(uniqueKeysWithValues: config.kinds.enumerated().map { ($1.name, $0) })
        var compiled: [String: [CompiledEntry]] = [:]
        for stage in config.stages {
            compiled[stage.name] = stage.on.compactMap { entry in
                switch entry.target {
                case .kind(let name): return kindIndex[name].map(CompiledEntry.kind)
                case .pattern(let p): return .pattern(index(p))
                }
            }
        }
        compiledOn = compiled
        patterns = table
        self.table = PatternTable(table)
        negated = table.map(\.negated)
        words = max(1, (table.count + 63) / 64)
    }

    // MARK: Many paths

    /// The pattern rows of many paths, in the order given.
    public struct Classification: Sendable {
        public let count: Int
        fileprivate let bits: [UInt64]
    }

    /// Matches every path against the pattern table; large lists are split between threads.
    public func classify(paths: [[UInt8]]) -> Classification {
        let parts = ParallelChunks.map(count: paths.count) { rows(paths[$0]) }
        return Classification(count: paths.count, bits: parts.count == 1 ? parts[0] : parts.flatMap { $0 })
    }

    private func rows(_ paths: ArraySlice<[UInt8]>) -> [UInt64] {
        var bits = [UInt64](repeating: 0, count: paths.count * words)
        var scratch: [Range<Int>] = []
        table.withMatchers { matchers in
            bits.withUnsafeMutableBufferPointer { out in
                for (row, path) in paths.enumerated() {
                    path.withUnsafeBufferPointer { bytes in
                        PathView.split(bytes, scratch: &scratch) { view in
                            for p in matchers.indices where matchers[p].matches(view) {
                                out[row * words + p >> 6] |= 1 << UInt64(p & 63)
                            }
                        }
                    }
                }
            }
        }
        return bits
    }

    /// The kind names of each row in `included` (other rows get none), in the order of the
    /// configuration's kinds. Rows of the same kinds share one array.
    public func kindNames(_ rows: Classification, included: [Int]) -> [[String]] {
        var out = [[String]](repeating: [], count: rows.count)
        var shared: [[Int]: [String]] = [:]
        var kinds: [Int] = []
        for row in included {
            kinds.removeAll(keepingCapacity: true)
            for k in config.kinds.indices where deciding(kind: k, rows.bits, row) != nil { kinds.append(k) }
            if kinds.isEmpty { continue }
            if let names = shared[kinds] { out[row] = names; continue }
            let names = kinds.map { config.kinds[$0].name }
            shared[kinds] = names
            out[row] = names
        }
        return out
    }

    /// True when the stage's `on` entries select row `row`.
    public func watches(_ stage: Stage, _ rows: Classification, _ row: Int) -> Bool {
        guard let entries = compiledOn[stage.name] else { return false }
        return decidingEntry(entries, rows.bits, row) != nil
    }

    /// The stage's `on` entries are one ordered list in which the last entry matching a path
    /// decides (a kind matches when the path is of that kind; a `!pattern` takes it back).
    /// Reasons are grouped by entry: the first path and how many matched it. `matched[row]`
    /// is set for every row the stage selects.
    func pathReasons(
        _ stage: Stage, _ rows: Classification, included: [Int], path: (Int) -> String,
        matched: inout [Bool]
    ) -> [Reason] {
        guard let entries = compiledOn[stage.name], !entries.isEmpty else { return [] }
        var first = [(row: Int, pattern: Int)?](repeating: nil, count: entries.count)
        var counts = [Int](repeating: 0, count: entries.count)
        for row in included {
            guard let (entry, pattern) = decidingEntry(entries, rows.bits, row) else { continue }
            matched[row] = true
            if first[entry] == nil { first[entry] = (row, pattern) }
            counts[entry] += 1
        }
        return entries.indices.compactMap { index in
            guard let (row, pattern) = first[index] else { return nil }
            var kind: String? = nil
            if case .kind(let k) = entries[index] { kind = config.kinds[k].name }
            return .path(path: path(row), pattern: patterns[pattern].source, kind: kind, matches: counts[index])
        }
    }

    // MARK: One path

    /// One path classified on its own, for the few paths of a hook's or the runner's checks.
    public struct Classified {
        public let split: SplitPath
        fileprivate let row: Classification
    }

    public func classify(_ change: ChangedFile) -> Classified {
        Classified(split: SplitPath(change.pathBytes), row: Classification(count: 1, bits: rows([change.pathBytes])))
    }

    /// True when the stage's `on` entries select this path (the last matching entry decides).
    public func watches(_ stage: Stage, _ item: Classified) -> Bool {
        watches(stage, item.row, 0)
    }

    // MARK: Reading rows

    private func has(_ bits: [UInt64], _ row: Int, _ p: Int) -> Bool {
        bits[row * words + p >> 6] & (1 << UInt64(p & 63)) != 0
    }

    /// The pattern that puts the row in kind `k`: the last of the kind's patterns that
    /// matches, unless that one is a negation.
    private func deciding(kind k: Int, _ bits: [UInt64], _ row: Int) -> Int? {
        for i in kindSpans[k].reversed() where has(bits, row, kindPatterns[i]) {
            return negated[kindPatterns[i]] ? nil : kindPatterns[i]
        }
        return nil
    }

    /// The `on` entry that selects the row and the pattern it matched through; nil when the
    /// last matching entry is a `!pattern`, or none matches.
    private func decidingEntry(_ entries: [CompiledEntry], _ bits: [UInt64], _ row: Int) -> (entry: Int, pattern: Int)?
    {
        var index = entries.count - 1
        while index >= 0 {
            switch entries[index] {
            case .kind(let k):
                if let p = deciding(kind: k, bits, row) { return (index, p) }
            case .pattern(let p):
                if has(bits, row, p) { return negated[p] ? nil : (index, p) }
            }
            index -= 1
        }
        return nil
    }
}
