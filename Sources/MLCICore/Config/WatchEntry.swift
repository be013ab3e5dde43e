/// What a stage watches: a declared kind, or a path pattern.
public struct WatchEntry: Sendable {
    public enum Target: Sendable, Hashable {
        case kind(String)
        case pattern(PathPattern)
    }

    public let source: String
    public let target: Target
    public let location: SourceLocation?
}
