#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

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
