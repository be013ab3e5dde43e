/// A named class of changes (`code`, `data`, …): gitignore-style patterns, last match wins.
public struct Kind: Sendable {
    public let name: String
    public let patterns: PatternList
    public let location: SourceLocation?
}
