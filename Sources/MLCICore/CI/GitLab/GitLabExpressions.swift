/// Writing values into GitLab `rules: if:` expressions, as GitLab's expression lexer reads
/// them: string literals, `/pattern/` literals, and ref patterns as anchored patterns.
extension GitLabEmitter {
    /// The pipeline sources that compare no commits (`GitLabPlatform.triggerEvents`, the list
    /// the base rule reads too).
    static let triggerSources =
        "$CI_PIPELINE_SOURCE =~ /^(\(GitLabPlatform.sources.joined(separator: "|")))$/"

    /// A string literal for a `rules: if:` expression. GitLab's expression lexer takes a
    /// literal as `"…"` or `'…'` with no escapes, so a value holding `"` is single-quoted and one
    /// holding both quotes becomes an anchored regular expression with the quotes as `\x22`/`\x27`.
    static func quoted(_ value: String) -> String {
        if !value.contains("\"") { return "\"" + value + "\"" }
        if !value.contains("'") { return "'" + value + "'" }
        return "/^" + value.map(patternLiteral).joined() + "$/"
    }

    /// One character standing for itself in a GitLab `/pattern/`: metacharacters and `/` escaped,
    /// quotes as `\x22`/`\x27`.
    static func patternLiteral(_ c: Character) -> String {
        switch c {
        case "\"": return "\\x22"
        case "'": return "\\x27"
        default: return "\\^$.|?*+()[]{}/".contains(c) ? "\\" + String(c) : String(c)
        }
    }

    /// `== literal`, or `=~ /regex/` when only a pattern can express the value.
    static func equals(_ value: String) -> String {
        let literal = quoted(value)
        return (literal.hasPrefix("/") ? "=~ " : "== ") + literal
    }

    /// A ref pattern (`release/*`, `model@v*`; `*` within a segment, `**` across, as
    /// `RefPattern.matches` reads it) as a GitLab regular expression literal matching the whole name.
    static func regex(_ glob: String) -> String {
        var out = "/^"
        var chars = Array(glob)[...]
        while let c = chars.popFirst() {
            if c == "*" {
                if chars.first == "*" {
                    chars.removeFirst()
                    out += ".*"
                } else {
                    // GitLab's lexer ends a /pattern/ at the first unescaped slash, even in a class.
                    out += "[^\\/]*"
                }
            } else {
                out += Self.patternLiteral(c)
            }
        }
        return out + "$/"
    }
}
