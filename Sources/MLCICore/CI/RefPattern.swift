/// The meaning of a `branches:` or `tags:` entry, one for the plan and every generated pipeline:
/// `*` matches within one `/`-separated segment, `**` across segments, every other character
/// stands for itself. This is GitHub's filter meaning of `*` and `**`, the GitLab rule mlci
/// generates (`GitLabEmitter.regex`), and Jenkins' `GLOB` comparator (Ant-style). Characters the
/// platforms read differently are refused (`problem`): GitHub takes `?` and `+` as repeats of
/// the previous character and a leading `!` as a negation, where the others take them literally
/// or as a wildcard.
enum RefPattern {
    /// Whether the whole ref name (`release/1.0`, `model@v3`, `churn#prod#4`) matches.
    static func matches(_ pattern: String, _ ref: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(ref.utf8)
        // reachable[j]: the pattern read so far can end just before byte j of the ref.
        var reachable = [Bool](repeating: false, count: t.count + 1)
        reachable[0] = true
        var i = 0
        while i < p.count {
            var next = [Bool](repeating: false, count: t.count + 1)
            if p[i] == UInt8(ascii: "*") {
                let crossesSlash = i + 1 < p.count && p[i + 1] == UInt8(ascii: "*")
                var carried = false
                for j in 0...t.count {
                    // A star extends over any run of bytes (none of them '/' for a single star).
                    if j > 0, !crossesSlash, t[j - 1] == UInt8(ascii: "/") { carried = false }
                    carried = carried || reachable[j]
                    next[j] = carried
                }
                i += crossesSlash ? 2 : 1
            } else {
                for j in 0..<t.count where reachable[j] && t[j] == p[i] { next[j + 1] = true }
                i += 1
            }
            reachable = next
        }
        return reachable[t.count]
    }

    /// Why a pattern cannot name git refs the same way on every platform, or nil: git refuses
    /// these characters in ref names (`git check-ref-format`), and `?`, `+`, a leading `!` and
    /// `[…]` mean different things to GitHub's filters than to GitLab and Jenkins.
    static func problem(_ pattern: String) -> String? {
        if pattern.isEmpty { return "is empty" }
        if pattern.hasPrefix("-") || pattern.hasPrefix("/") || pattern.hasSuffix("/") || pattern.hasSuffix(".lock")
            || pattern.contains("..") || pattern.contains("//") || pattern.contains("@{")
        {
            return "is not a valid git ref name pattern (see git check-ref-format)"
        }
        for scalar in pattern.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f || " ~^:\\[]".unicodeScalars.contains(scalar) {
                return
                    "holds '\(String(scalar).debugDescription.dropFirst().dropLast())', which git does not allow in ref names"
                    + (scalar == "[" || scalar == "]" ? " (character classes are not supported; use *)" : "")
            }
        }
        if pattern.hasPrefix("!") {
            return "starts with '!', which GitHub reads as a negation and GitLab and Jenkins as a character"
        }
        for special in ["?", "+"] where pattern.contains(special) {
            return "holds '\(special)', which GitHub reads as a repeat of the character before it; use *"
        }
        return nil
    }
}
