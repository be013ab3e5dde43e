import Foundation

/// What `mlci plan --format github` hands the rest of a GitHub Actions workflow: the plan job's
/// outputs appended to `$GITHUB_OUTPUT` and the Markdown summary to `$GITHUB_STEP_SUMMARY`.
public enum GitHubStepFiles {
    /// Appends the plan's outputs and summary to the files GitHub names, when it names them.
    public static func append(_ plan: Plan, environment: [String: String]) throws {
        if let path = environment["GITHUB_OUTPUT"], !path.isEmpty {
            try append(outputs(plan), to: path, variable: "GITHUB_OUTPUT")
        }
        if let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
            try append(PlanGraph.markdown(plan), to: path, variable: "GITHUB_STEP_SUMMARY")
        }
    }

    /// Lines for `$GITHUB_OUTPUT`: `<job id>=true|false` per stage (see `GitHubPlatform.jobID`),
    /// `stages=<JSON array of affected stage names>`, `any=true|false`, and the two shas.
    public static func outputs(_ plan: Plan) -> String {
        var out = ""
        for d in plan.stages { out += "\(GitHubPlatform.jobID(d.stage.name))=\(d.affected)\n" }
        let names = plan.affected.map { JSONValue.string($0.stage.name) }
        out += "\(StageJobEnvironment.Output.stages)=\(JSONValue.array(names).serialized(pretty: false))\n"
        out += "\(StageJobEnvironment.Output.any)=\(!plan.affected.isEmpty)\n"
        out += "\(StageJobEnvironment.Output.baseSHA)=\(plan.base.sha?.hex ?? "")\n"
        out += "\(StageJobEnvironment.Output.headSHA)=\(plan.head?.hex ?? "")\n"
        return out
    }

    private static func append(_ text: String, to path: String, variable: String) throws {
        guard
            let handle = FileHandle(forWritingAtPath: path)
                ?? {
                    FileManager.default.createFile(atPath: path, contents: nil)
                        ? FileHandle(forWritingAtPath: path) : nil
                }()
        else {
            throw GitHubError.cannotWriteStepFile(path: path, variable: variable)
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
    }
}
