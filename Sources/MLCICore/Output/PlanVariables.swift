/// `mlci plan --format dotenv`: for GitLab `artifacts:reports:dotenv` and jobs of the user's own.
public enum PlanVariables {
    public static func dotenv(_ plan: Plan) -> String {
        var out = ""
        for d in plan.stages { out += "\(StageJobEnvironment.affectedVariable(d.stage.name))=\(d.affected)\n" }
        out += "\(StageJobEnvironment.baseSHA)=\(plan.base.sha?.hex ?? "")\n"
        out += "\(StageJobEnvironment.headSHA)=\(plan.head?.hex ?? "")\n"
        return out
    }
}
