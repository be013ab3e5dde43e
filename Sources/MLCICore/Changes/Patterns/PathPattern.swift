#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// One pattern of mlci's single pattern dialect, the gitignore one: `*` and `?` within a path
/// component, `[...]` classes, `**` for any number of directories, a leading `/` (or any `/`
/// before the end) anchors the pattern at the repository root, a trailing `/` matches
/// directories only, and a leading `!` negates. A pattern matches a file when it matches the
/// file's path or any directory containing it, as ignoring a directory ignores its contents.
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written, `!` included.
    public let source: String
    public let negated: Bool
    let anchored: Bool
    let directoryOnly: Bool
    /// The parts between `/`s: plain values whose bytes are ranges of `pool`, so that matching
    /// copies no references — what keeps matching tens of thousands of paths cheap.
    let segments: [Segment]
    let pool: [UInt8]

    struct Segment: Sendable, Hashable {
        enum Shape: UInt8, Sendable {
            case literal
            case suffix  // `*.py`: the common shape, matched without the glob engine
            case prefix  // `requirements*`
            case glob
            case anyDirectories  // `**`
        }
        let shape: Shape
        /// The bytes to compare (for `suffix` and `prefix`, without the `*`).
        let bytes: Range<Int>
    }

    public var description: String { source }

    /// Parses `source`; nil for a pattern that can match nothing (empty, `!` alone, `/` alone).
    public init?(_ source: String) {
        self.source = source
        var body = Array(source.utf8)
        negated = body.first == UInt8(ascii: "!")
        if negated { body.removeFirst() }
        directoryOnly = body.last == UInt8(ascii: "/")
        while body.last == UInt8(ascii: "/") { body.removeLast() }
        let leadingSlash = body.first == UInt8(ascii: "/")
        if leadingSlash { body.removeFirst() }
        guard !body.isEmpty else { return nil }
        let written = body.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        var parts: [ArraySlice<UInt8>] = []
        for part in written {
            // `**/**` means what `**` means (a trailing `**/**` still needs one component);
            // collapsing them keeps matching linear in the rest of the pattern.
            if part.elementsEqual("**".utf8), parts.last?.elementsEqual("**".utf8) == true { continue }
            parts.append(part)
        }
        anchored = leadingSlash || written.count > 1
        var pool: [UInt8] = []
        segments = parts.map { part in
            let bytes = Array(part)
            func segment(_ shape: Segment.Shape, _ kept: ArraySlice<UInt8>) -> Segment {
                pool += kept
                return Segment(shape: shape, bytes: pool.count - kept.count..<pool.count)
            }
            if bytes == Array("**".utf8) { return segment(.anyDirectories, []) }
            let special: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "\\")]
            let star = UInt8(ascii: "*")
            if bytes.count > 1, bytes.first == star, !bytes.dropFirst().contains(where: special.contains) {
                return segment(.suffix, bytes.dropFirst())
            }
            if bytes.count > 1, bytes.last == star, !bytes.dropLast().contains(where: special.contains) {
                return segment(.prefix, bytes.dropLast())
            }
            return segment(bytes.contains(where: special.contains) ? .glob : .literal, bytes[...])
        }
        self.pool = pool
    }

    /// True when the pattern (ignoring negation) matches the file at `path`.
    public func matches(_ path: SplitPath) -> Bool {
        path.bytes.withUnsafeBufferPointer { bytes in
            path.components.withUnsafeBufferPointer { components in
                segments.withUnsafeBufferPointer { segments in
                    pool.withUnsafeBufferPointer { pool in
                        PatternMatcher(segments: segments, pool: pool, anchored: anchored, directoryOnly: directoryOnly)
                            .matches(PathView(buffer: bytes, components: components))
                    }
                }
            }
        }
    }
}
