#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

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
