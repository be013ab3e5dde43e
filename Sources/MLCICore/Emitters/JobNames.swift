/// Stage names become job ids. GitHub job ids must match `[A-Za-z_][A-Za-z0-9_-]*`; GitLab job
/// names may not be one of its global keywords. The mapping is deterministic: any other
/// character becomes `_`, a leading digit or `-` gets a `_` prefix, and a GitLab keyword gets
/// the suffix `_job`. Two stages mapping to the same id is a configuration error.
public enum JobNames {
    static let gitlabReserved: Set<String> = [
        "image", "services", "stages", "types", "before_script", "after_script", "variables", "cache",
        "include", "workflow", "default", "pages",
    ]
    /// Job ids mlci itself uses in generated files.
    static let reserved: Set<String> = ["plan", "mlci", "mlci-plan", "mlci-result", "mlci-nothing-affected"]

    public static func github(_ stage: String) -> String {
        var id = String(
            stage.map { c -> Character in
                c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-") ? c : "_"
            })
        if id.isEmpty || id.first!.isNumber || id.first == "-" { id = "_" + id }
        return id
    }

    public static func gitlab(_ stage: String) -> String {
        let id = github(stage)
        return gitlabReserved.contains(id) ? id + "_job" : id
    }

    /// Problems with the mapping of these stage names: collisions and clashes with mlci's own jobs.
    public static func problems(_ stages: [String]) -> [String] {
        var problems: [String] = []
        var seen: [String: String] = [:]
        for stage in stages {
            for id in [github(stage), gitlab(stage)] {
                if reserved.contains(id) {
                    problems.append(
                        "stage '\(stage)' becomes job id '\(id)', which mlci uses for its own job; rename the stage")
                }
                if let other = seen[id], other != stage {
                    problems.append("stages '\(other)' and '\(stage)' both become job id '\(id)'; rename one")
                }
                seen[id] = stage
            }
        }
        return Array(Set(problems)).sorted()
    }
}
