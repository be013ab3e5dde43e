/// What goes wrong choosing a Jenkins build's base.
public enum JenkinsError: MLCIFailure, Equatable {
    case changeTargetMissing(remote: String, target: String)

    public var category: ErrorCategory { .unresolvableBase }

    public var description: String {
        switch self {
        case .changeTargetMissing(let remote, let target):
            "the change target \(remote)/\(target) (CHANGE_TARGET) is not in this clone; "
                + "fetch it first (git fetch \(remote) \(target):refs/remotes/\(remote)/\(target))"
        }
    }
}
