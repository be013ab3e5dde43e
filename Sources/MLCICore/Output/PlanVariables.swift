import Foundation

/// Machine outputs: dotenv for GitLab `artifacts:reports:dotenv`, key=value for `$GITHUB_OUTPUT`.
public enum PlanVariables {
    /// `MLCI_AFFECTED_<STAGE>`: upper-cased, anything but letters and digits becomes `_`.
    public static func variableName(_ stage: String) -> String {
        StageJobEnvironment.affectedPrefix
            + String(
                stage.uppercased().unicodeScalars.map { scalar -> Character in
                    (scalar.isASCII && (CharacterSetASCII.alnum(scalar))) ? Character(scalar) : "_"
                })
    }

    public static func dotenv(_ plan: Plan) -> String {
        var out = ""
        for d in plan.stages { out += "\(variableName(d.stage.name))=\(d.affected)\n" }
        out += "\(StageJobEnvironment.baseSHA)=\(plan.base.sha?.hex ?? "")\n"
        out += "\(StageJobEnvironment.headSHA)=\(plan.head?.hex ?? "")\n"
        return out
    }

    /// Lines for `$GITHUB_OUTPUT`: `<stage>=true|false` (the stage's job id, see `JobNames`),
    /// `stages=<JSON array of affected stage names>`, `any=true|false`, and the two shas.
    /// Appends the plan's outputs to `GITHUB_OUTPUT` and its Markdown summary to
    /// `GITHUB_STEP_SUMMARY`, when GitHub sets them (`mlci plan --format github`).
    public static func appendGitHubFiles(_ plan: Plan, environment: [String: String]) throws {
        if let path = environment["GITHUB_OUTPUT"], !path.isEmpty {
            try append(githubOutputs(plan), to: path, variable: "GITHUB_OUTPUT")
        }
        if let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty {
            try append(PlanGraph.markdown(plan), to: path, variable: "GITHUB_STEP_SUMMARY")
        }
    }

    private static func append(_ text: String, to path: String, variable: String) throws {
        guard
            let handle = FileHandle(forWritingAtPath: path)
                ?? {
                    FileManager.default.createFile(atPath: path, contents: nil)
                        ? FileHandle(forWritingAtPath: path) : nil
                }()
        else {
            throw PlanError(.failure, "cannot write to \(path) (\(variable))")
        }
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
    }

    public static func githubOutputs(_ plan: Plan) -> String {
        var out = ""
        for d in plan.stages { out += "\(JobNames.github(d.stage.name))=\(d.affected)\n" }
        let names = plan.affected.map { JSONValue.string($0.stage.name) }
        out += "\(StageJobEnvironment.Output.stages)=\(JSONValue.array(names).serialized(pretty: false))\n"
        out += "\(StageJobEnvironment.Output.any)=\(!plan.affected.isEmpty)\n"
        out += "\(StageJobEnvironment.Output.baseSHA)=\(plan.base.sha?.hex ?? "")\n"
        out += "\(StageJobEnvironment.Output.headSHA)=\(plan.head?.hex ?? "")\n"
        return out
    }
}
