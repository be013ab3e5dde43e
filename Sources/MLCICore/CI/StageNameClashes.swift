/// Stage names become job ids in generated files, by each platform's own mapping. Two stages
/// mapping to one id, or a stage taking the id of one of mlci's own jobs, is a configuration
/// error, reported at the stage.
public enum StageNameClashes {
    public static func problems(_ stages: [Stage], jobID: (String) -> String, reserved: Set<String>) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var seen: [String: String] = [:]
        for stage in stages {
            let name = stage.name
            let id = jobID(name)
            if reserved.contains(id) {
                problems.append(
                    Diagnostic(
                        .error,
                        "stage '\(name)' becomes job id '\(id)', which mlci uses for its own job; rename the stage",
                        at: stage.location))
            }
            if let other = seen[id], other != name {
                problems.append(
                    Diagnostic(
                        .error, "stages '\(other)' and '\(name)' both become job id '\(id)'; rename one",
                        at: stage.location))
            }
            seen[id] = name
        }
        return problems
    }
}
