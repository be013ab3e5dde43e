import MLCIGit

/// Puts each changed path into its kinds and matches it against stages' `on` entries.
/// Patterns are compiled once; each path is split once and matched against each pattern once.
public struct ChangeClassifier {
    let config: MLCIConfig

    public init(config: MLCIConfig) { self.config = config }

    public struct Classified {
        public let change: ChangedFile
        public let split: SplitPath
        public let kinds: [String]
        /// For each kind name, the pattern that put the path in it.
        let kindPatterns: [String: PathPattern]
    }

    public func classify(_ change: ChangedFile) -> Classified {
        let split = SplitPath(change.pathBytes)
        var kinds: [String] = []
        var patterns: [String: PathPattern] = [:]
        for kind in config.kinds {
            if let p = kind.patterns.decidingPattern(split) {
                kinds.append(kind.name)
                patterns[kind.name] = p
            }
        }
        return Classified(change: change, split: split, kinds: kinds, kindPatterns: patterns)
    }

    /// The stage's `on` entries are one ordered list in which the last entry matching a path
    /// decides (a kind matches when the path is of that kind; a `!pattern` takes it back).
    /// Reasons are grouped by entry: the first path and how many matched it.
    func pathReasons(_ stage: Stage, _ items: [Classified], matched: inout [Bool]) -> [Reason] {
        guard !stage.on.isEmpty else { return [] }
        var firstPath: [Int: (path: String, pattern: String, kind: String?)] = [:]
        var counts: [Int: Int] = [:]
        for (i, item) in items.enumerated() {
            for (index, entry) in stage.on.enumerated().reversed() {
                var hit: (String, String?)? = nil
                var negated = false
                switch entry.target {
                case .kind(let name):
                    if let p = item.kindPatterns[name] { hit = (p.source, name) }
                case .pattern(let p):
                    if p.matches(item.split) { hit = (p.source, nil); negated = p.negated }
                }
                guard let (pattern, kind) = hit else { continue }
                if !negated {
                    matched[i] = true
                    if firstPath[index] == nil { firstPath[index] = (item.change.path, pattern, kind) }
                    counts[index, default: 0] += 1
                }
                break
            }
        }
        return firstPath.keys.sorted().map { index in
            let f = firstPath[index]!
            return .path(path: f.path, pattern: f.pattern, kind: f.kind, matches: counts[index] ?? 1)
        }
    }
}
