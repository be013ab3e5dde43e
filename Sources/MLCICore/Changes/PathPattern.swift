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

/// A pattern borrowed for matching: unsafe views of its parts, copied without reference counting.
struct PatternMatcher {
    let segments: UnsafeBufferPointer<PathPattern.Segment>
    let pool: UnsafeBufferPointer<UInt8>
    let anchored: Bool
    let directoryOnly: Bool

    func matches(_ path: PathView) -> Bool {
        let count = path.components.count
        guard count > 0 else { return false }
        if !anchored {
            // A single segment, matched against any component: the file itself, or a directory.
            let last = directoryOnly ? count - 1 : count
            for i in 0..<last where match(segments[0], path.component(i)) {
                return true
            }
            return false
        }
        // Anchored: the segments must match the first k+1 components, for the whole path
        // (as a file) or for a containing directory.
        return matchSegments(path, fileIndex: count - 1)
    }

    /// Whether segments[0...] match components 0..<c for some c that ends at a directory
    /// (c <= fileIndex) or, when not directory-only, at the file itself (c == fileIndex + 1).
    /// A trailing `**` needs at least one component ("a/**" is inside a, not a itself), so
    /// the segments before it must end before the last allowed component.
    ///
    /// Each `**` matches any number of components and every other segment exactly one, so
    /// this is wildcard matching and the classic one-backtrack-point walk decides it: on a
    /// mismatch only the latest `**` needs to swallow one more component, never an earlier
    /// one. That keeps a match O(segments × components) whatever the pattern, where trying
    /// every split for every `**` was exponential in their number (the parser also
    /// collapses adjacent `**`).
    private func matchSegments(_ path: PathView, fileIndex: Int) -> Bool {
        var end = segments.count
        var limit = directoryOnly ? fileIndex : fileIndex + 1
        let trailingStar = segments[end - 1].shape == .anyDirectories
        if trailingStar {
            end -= 1
            limit -= 1
        }
        guard limit >= 0 else { return false }
        var s = 0, c = 0
        var star = -1, starC = 0
        while true {
            if s == end {
                // Only the lone `**` pattern ends here with nothing consumed; the `**` itself
                // then takes the one component it needs.
                return c > 0 || trailingStar
            }
            if segments[s].shape == .anyDirectories {
                star = s
                starC = c
                s += 1
                continue
            }
            if c < limit, match(segments[s], path.component(c)) {
                s += 1
                c += 1
                continue
            }
            guard star >= 0, starC < limit else { return false }
            starC += 1
            c = starC
            s = star + 1
        }
    }

    private func match(_ segment: PathPattern.Segment, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let bytes = UnsafeBufferPointer(rebasing: pool[segment.bytes])
        switch segment.shape {
        case .literal:
            return bytes.count == name.count
                && (name.isEmpty || memcmp(bytes.baseAddress!, name.baseAddress!, name.count) == 0)
        case .suffix:
            guard name.count >= bytes.count else { return false }
            return memcmp(bytes.baseAddress!, name.baseAddress! + (name.count - bytes.count), bytes.count) == 0
        case .prefix:
            guard name.count >= bytes.count else { return false }
            return memcmp(bytes.baseAddress!, name.baseAddress!, bytes.count) == 0
        case .glob: return Glob.match(bytes, name)
        case .anyDirectories: return true
        }
    }
}

/// Many patterns flattened into one segment array and one byte pool, lent out as matchers
/// for a loop over many paths.
struct PatternTable: Sendable {
    private let segments: [PathPattern.Segment]
    private let pool: [UInt8]
    private let spans: [(segments: Range<Int>, anchored: Bool, directoryOnly: Bool)]

    init(_ patterns: [PathPattern]) {
        var segments: [PathPattern.Segment] = [], pool: [UInt8] = []
        var spans: [(segments: Range<Int>, anchored: Bool, directoryOnly: Bool)] = []
        for pattern in patterns {
            let start = segments.count
            segments += pattern.segments.map {
                PathPattern.Segment(
                    shape: $0.shape, bytes: ($0.bytes.lowerBound + pool.count)..<($0.bytes.upperBound + pool.count))
            }
            pool += pattern.pool
            spans.append((start..<segments.count, pattern.anchored, pattern.directoryOnly))
        }
        self.segments = segments
        self.pool = pool
        self.spans = spans
    }

    /// One matcher per pattern, in order, valid inside `body`.
    func withMatchers<R>(_ body: ([PatternMatcher]) -> R) -> R {
        segments.withUnsafeBufferPointer { segments in
            pool.withUnsafeBufferPointer { pool in
                body(
                    spans.map {
                        PatternMatcher(
                            segments: UnsafeBufferPointer(rebasing: segments[$0.segments]), pool: pool,
                            anchored: $0.anchored, directoryOnly: $0.directoryOnly)
                    })
            }
        }
    }
}

/// A path split once into components, so each of many patterns can match it without
/// re-scanning or allocating.
public struct SplitPath: Sendable {
    public let bytes: [UInt8]
    let components: [Range<Int>]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var ranges: [Range<Int>] = []
        bytes.withUnsafeBufferPointer { Self.appendComponents(of: $0, to: &ranges) }
        components = ranges
    }

    /// Appends the ranges of the non-empty `/`-separated components of `bytes`.
    static func appendComponents(of bytes: UnsafeBufferPointer<UInt8>, to ranges: inout [Range<Int>]) {
        var start = 0
        for i in 0..<bytes.count where bytes[i] == UInt8(ascii: "/") {
            if i > start { ranges.append(start..<i) }
            start = i + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
    }

    public init(_ path: String) { self.init(Array(path.utf8)) }
}

/// A path's bytes and component ranges, borrowed for the inner loops: no allocation and no
/// reference counting per path when many paths are matched one after another.
struct PathView {
    let buffer: UnsafeBufferPointer<UInt8>
    let components: UnsafeBufferPointer<Range<Int>>

    func component(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: buffer[components[i]])
    }

    /// Splits `bytes` at `/` into `scratch` (emptied first, its storage reused) and lends the view to `body`.
    static func split<R>(_ bytes: UnsafeBufferPointer<UInt8>, scratch: inout [Range<Int>], _ body: (PathView) -> R) -> R
    {
        scratch.removeAll(keepingCapacity: true)
        SplitPath.appendComponents(of: bytes, to: &scratch)
        return scratch.withUnsafeBufferPointer { body(PathView(buffer: bytes, components: $0)) }
    }
}

/// Matching of one path component against `*`, `?`, `[...]` and `\` escapes.
enum Glob {
    static func match(_ pattern: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = pattern.startIndex, n = name.startIndex
        var starP: Int? = nil, starN = 0
        while n < name.endIndex {
            if p < pattern.endIndex {
                let c = pattern[p]
                if c == UInt8(ascii: "*") {
                    starP = p; starN = n; p += 1
                    continue
                }
                if c == UInt8(ascii: "?") { p += 1; n += 1; continue }
                if c == UInt8(ascii: "["), let (matched, next) = matchClass(pattern, p, name[n]) {
                    if matched { p = next; n += 1; continue }
                } else {
                    var literal = c, next = p + 1
                    if c == UInt8(ascii: "\\"), next < pattern.endIndex { literal = pattern[next]; next += 1 }
                    if literal == name[n] { p = next; n += 1; continue }
                }
            }
            // Mismatch: let the last `*` swallow one more byte, or fail.
            guard let star = starP else { return false }
            p = star + 1
            starN += 1
            n = starN
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }

    /// Matches `byte` against the class starting at `pattern[start] == "["`; returns whether it
    /// matched and the index after `]`, or nil when the class is unterminated (then `[` is literal).
    private static func matchClass(_ pattern: UnsafeBufferPointer<UInt8>, _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.endIndex, pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^") {
            negate = true; i += 1
        }
        var matched = false
        var first = true
        while i < pattern.endIndex {
            var c = pattern[i]
            if c == UInt8(ascii: "]") && !first { return (matched != negate, i + 1) }
            first = false
            if c == UInt8(ascii: "\\"), i + 1 < pattern.endIndex { i += 1; c = pattern[i] }
            if i + 2 < pattern.endIndex, pattern[i + 1] == UInt8(ascii: "-"), pattern[i + 2] != UInt8(ascii: "]") {
                var hi = pattern[i + 2]
                var skip = 3
                if hi == UInt8(ascii: "\\"), i + 3 < pattern.endIndex { hi = pattern[i + 3]; skip = 4 }
                if c <= byte && byte <= hi { matched = true }
                i += skip
            } else {
                if c == byte { matched = true }
                i += 1
            }
        }
        return nil
    }
}

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
