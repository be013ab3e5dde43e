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
}
