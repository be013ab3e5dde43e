#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

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
