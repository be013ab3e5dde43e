/// Checks that need the repository's files: patterns that match nothing are probably typos.
public enum ConfigChecks {
    /// One warning per kind pattern or `on:` pattern that matches no tracked file, and per
    /// params file that is not tracked.
    public static func trackedFileWarnings(_ config: MLCIConfig, paths: [[UInt8]], file: String) -> [Diagnostic] {
        let split = paths.map(SplitPath.init)
        func matchesNothing(_ p: PathPattern) -> Bool {
            !p.negated && !split.contains { p.matches($0) }
        }
        var warnings: [Diagnostic] = []
        for kind in config.kinds {
            for p in kind.patterns.patterns where matchesNothing(p) {
                warnings.append(
                    Diagnostic(
                        .warning, "pattern '\(p.source)' of kind '\(kind.name)' matches no tracked file",
                        at: kind.location))
            }
        }
        let tracked = Set(paths.map { String(decoding: $0, as: UTF8.self) })
        for stage in config.stages {
            for entry in stage.on {
                if case .pattern(let p) = entry.target, matchesNothing(p) {
                    warnings.append(
                        Diagnostic(
                            .warning, "stage '\(stage.name)' watches '\(entry.source)', which matches no tracked file",
                            at: entry.location))
                }
            }
            for params in stage.params where !tracked.contains(params.file) {
                warnings.append(
                    Diagnostic(
                        .warning,
                        "stage '\(stage.name)' tracks params in '\(params.file)', which is not a tracked file",
                        at: stage.location))
            }
        }
        return warnings
    }

    /// `needs` across pipelines is an error: generated pipelines run independently, so the stage
    /// would start without waiting for the one it needs (and even after it failed). `after`
    /// across pipelines orders nothing in CI: a warning.
    static func acrossPipelines(
        _ stages: [Stage], pipelines: [Pipeline], locations: [String: SourceLocation?]
    ) -> [Diagnostic] {
        guard pipelines.count > 1 else { return [] }
        var out: [Diagnostic] = []
        var owner: [String: String] = [:]
        for p in pipelines { for s in p.stages { owner[s] = p.name } }
        for stage in stages {
            guard let mine = owner[stage.name] else { continue }
            for up in stage.needs {
                guard let theirs = owner[up], theirs != mine else { continue }
                out.append(
                    Diagnostic(
                        .error,
                        "stage '\(stage.name)' (pipeline \(mine)) needs '\(up)' (pipeline \(theirs)), but pipelines run "
                            + "independently in CI, so it would not wait for '\(up)'; put both stages in one pipeline, "
                            + "or drop the need and start pipeline \(mine) from \(theirs) (dispatch)",
                        at: locations[stage.name] ?? nil))
            }
            for up in stage.after {
                guard let theirs = owner[up], theirs != mine else { continue }
                out.append(
                    Diagnostic(
                        .warning,
                        "stage '\(stage.name)' (pipeline \(mine)) runs after '\(up)' (pipeline \(theirs)) only in mlci run; "
                            + "in CI the pipelines run independently",
                        at: locations[stage.name] ?? nil))
            }
        }
        return out
    }
}
