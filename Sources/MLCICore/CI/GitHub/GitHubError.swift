/// What goes wrong reading GitHub's event file, writing its step files or a workflow.
public enum GitHubError: MLCIFailure, Equatable {
    case eventPathUnset
    case eventFileUnreadable(path: String)
    case eventFileNotJSON(path: String, detail: String)
    case eventFieldMissing(path: String, field: String)
    case cannotWriteStepFile(path: String, variable: String)
    case notASecretName(stage: String, secret: String)

    public var category: ErrorCategory {
        switch self {
        case .cannotWriteStepFile: .failure
        default: .usage
        }
    }

    public var description: String {
        switch self {
        case .eventPathUnset:
            "\(GitHubPlatform.eventPath) is not set, so the GitHub event cannot be read; set --base or "
                + StageJobEnvironment.base
        case .eventFileUnreadable(let path): "cannot read the GitHub event file \(path) (\(GitHubPlatform.eventPath))"
        case .eventFileNotJSON(let path, let detail):
            "\(path): the GitHub event file (\(GitHubPlatform.eventPath)) is not valid JSON: \(detail)"
        case .eventFieldMissing(let path, let field): "the GitHub event file \(path) has no \(field)"
        case .cannotWriteStepFile(let path, let variable): "cannot write to \(path) (\(variable))"
        case .notASecretName(let stage, let secret):
            "stage '\(stage)': secret '\(secret)' is not a GitHub secret name (letters, digits and _, not starting with a digit)"
        }
    }
}
