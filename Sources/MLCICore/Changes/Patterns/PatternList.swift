#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// An ordered list of patterns where the last one that matches decides, so a later `!pattern`
/// takes back what an earlier pattern matched.
public struct PatternList: Sendable, Hashable {
    public let patterns: [PathPattern]

    public init(_ patterns: [PathPattern]) { self.patterns = patterns }

    /// The positive pattern that decides a match, or nil when the path does not match
    /// (no pattern matched, or the last that did was a negation).
    public func decidingPattern(_ path: SplitPath) -> PathPattern? {
        for pattern in patterns.reversed() where pattern.matches(path) {
            return pattern.negated ? nil : pattern
        }
        return nil
    }
}
