/// What goes wrong choosing a GitLab pipeline's base or checking its committed parent pipeline.
public enum GitLabError: MLCIFailure, Equatable {
    case mergeRequestWithoutDiffBase
    case parentUnreadable(path: String)
    case parentMissesPipelines(path: String, stages: [String])
    case unknownPipeline(String, pipelines: [String])

    public var category: ErrorCategory {
        switch self {
        case .mergeRequestWithoutDiffBase: .unresolvableBase
        case .parentUnreadable, .parentMissesPipelines: .failure
        case .unknownPipeline: .usage
        }
    }

    public var description: String {
        switch self {
        case .mergeRequestWithoutDiffBase:
            "a merge request pipeline without CI_MERGE_REQUEST_DIFF_BASE_SHA; set --base or \(StageJobEnvironment.base)"
        case .parentUnreadable(let path):
            "cannot read the parent pipeline \(path) to check that it triggers every affected stage's pipeline"
        case .parentMissesPipelines(let path, let stages):
            "\(path) has no trigger job for the pipeline of affected stage \(stages.joined(separator: ", ")); "
                + "they would be planned and never run. Regenerate it with 'mlci generate gitlab' and commit it"
        case .unknownPipeline(let name, let pipelines):
            "no pipeline named '\(name)'; pipelines: \(pipelines.joined(separator: ", "))"
        }
    }
}
