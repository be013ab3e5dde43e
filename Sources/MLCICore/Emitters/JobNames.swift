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

    /// Problems with the names stages become in generated files: GitHub and GitLab job ids,
    /// mlci's own job ids, and the variable names of
    /// `mlci plan --format dotenv` and the Jenkinsfile. Each problem names the stage to point at.
    public static func problems(_ stages: [Stage]) -> [(stage: String, message: String)] {
        var problems: [(String, String)] = []
        var seenIDs: [String: String] = [:]
        var seenVariables: [String: String] = [:]
        for stage in stages {
            let name = stage.name
            let ids = Set([github(name), gitlab(name)])
            for id in ids.sorted() where reserved.contains(id) {
                problems.append(
                    (name, "stage '\(name)' becomes job id '\(id)', which mlci uses for its own job; rename the stage"))
            }
            for id in ids.sorted() {
                if let other = seenIDs[id], other != name {
                    problems.append((name, "stages '\(other)' and '\(name)' both become job id '\(id)'; rename one"))
                }
                seenIDs[id] = name
            }
            let variable = PlanVariables.variableName(name)
            if let other = seenVariables[variable], other != name {
                problems.append(
                    (
                        name,
                        "stages '\(other)' and '\(name)' both become the variable \(variable) (dotenv, Jenkins); rename one"
                    ))
            }
            seenVariables[variable] = name
        }
        // Jenkins stage names must be unique in the Jenkinsfile, beside its own Plan stage and the
        // stages a sharded stage fans out to.
        var jenkinsNames: [String: String] = ["Plan": "mlci's own Plan stage"]
        for stage in stages {
            for shard in 1...max(1, stage.shards ?? 1) where (stage.shards ?? 1) > 1 {
                jenkinsNames[JenkinsEmitter.shardStageName(stage.name, shard, of: stage.shards ?? 1)] =
                    "a shard of stage '\(stage.name)'"
            }
        }
        for stage in stages {
            if let other = jenkinsNames[stage.name] {
                problems.append((stage.name, "stage '\(stage.name)' has the Jenkins stage name of \(other); rename it"))
            }
        }
        return problems
    }
}
