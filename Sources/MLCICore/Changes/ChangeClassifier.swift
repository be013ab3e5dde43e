import MLCIGit

/// Puts each changed path into its kinds and matches it against stages' `on` entries.
/// Patterns are compiled once, kinds are referred to by index rather than by name, and each
/// path is split once: planning tens of thousands of changes must cost little next to reading
/// the trees.
public struct ChangeClassifier {
    let config: MLCIConfig
    /// Each stage's `on` entries with kind names resolved to indexes into `config.kinds`.
    private let compiledOn: [String: [CompiledEntry]]

    private enum CompiledEntry {
        case kind(Int)
        case pattern(PathPattern)
    }

    public init(config: MLCIConfig) {
        self.config = config
        let kindIndex = Dictionary(uniqueKeysWithValues: config.kinds.enumerated().map { ($1.name, $0) })
        var compiled: [String: [CompiledEntry]] = [:]
        for stage in config.stages {
            compiled[stage.name] = stage.on.compactMap { entry in
                switch entry.target {
                case .kind(let name): return kindIndex[name].map(CompiledEntry.kind)
                case .pattern(let p): return .pattern(p)
                }
            }
        }
        compiledOn = compiled
    }

    public struct Classified {
        public let change: ChangedFile
        /// The path as text, decoded once.
        public let path: String
        public let split: SplitPath
        public let kinds: [String]
        /// For each kind (by index in the config), the pattern that put the path in it.
        let kindPatterns: [PathPattern?]
    }

    public func classify(_ change: ChangedFile) -> Classified { classify(change, path: change.path) }

    /// With the path already decoded (the planner decodes each path once).
    public func classify(_ change: ChangedFile, path: String) -> Classified {
        let split = SplitPath(change.pathBytes)
        var kinds: [String] = []
        var patterns: [PathPattern?] = []
        patterns.reserveCapacity(config.kinds.count)
        for kind in config.kinds {
            let p = kind.patterns.decidingPattern(split)
            patterns.append(p)
            if p != nil { kinds.append(kind.name) }
        }
        return Classified(change: change, path: path, split: split, kinds: kinds, kindPatterns: patterns)
    }

    /// The stage's `on` entries are one ordered list in which the last entry matching a path
    /// decides (a kind matches when the path is of that kind; a `!pattern` takes it back).
    /// Reasons are grouped by entry: the first path and how many matched it.
    func pathReasons(_ stage: Stage, _ items: [Classified], matched: inout [Bool]) -> [Reason] {
        guard let entries = compiledOn[stage.name], !entries.isEmpty else { return [] }
        var firstItem = [Int?](repeating: nil, count: entries.count)
        var firstPattern = [String](repeating: "", count: entries.count)
        var counts = [Int](repeating: 0, count: entries.count)
        for i in items.indices {
            var index = entries.count - 1
            while index >= 0 {
                var hit: PathPattern? = nil
                switch entries[index] {
                case .kind(let k): hit = items[i].kindPatterns[k]
                case .pattern(let p): if p.matches(items[i].split) { hit = p }
                }
                if let hit {
                    // A kind's deciding pattern is never a negation; a `!pattern` entry takes the path back.
                    if !hit.negated {
                        matched[i] = true
                        if firstItem[index] == nil { firstItem[index] = i; firstPattern[index] = hit.source }
                        counts[index] += 1
                    }
                    break
                }
                index -= 1
            }
        }
        return entries.indices.compactMap { index in
            guard let i = firstItem[index] else { return nil }
            var kind: String? = nil
            if case .kind(let k) = entries[index] { kind = config.kinds[k].name }
            return .path(path: items[i].path, pattern: firstPattern[index], kind: kind, matches: counts[index])
        }
    }

    /// True when the stage's `on` entries select this path (the last matching entry decides).
    public func watches(_ stage: Stage, _ item: Classified) -> Bool {
        guard let entries = compiledOn[stage.name] else { return false }
        for entry in entries.reversed() {
            switch entry {
            case .kind(let k): if item.kindPatterns[k] != nil { return true }
            case .pattern(let p): if p.matches(item.split) { return !p.negated }
            }
        }
        return false
    }

}
