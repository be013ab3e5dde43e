#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

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
