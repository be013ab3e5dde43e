#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

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
