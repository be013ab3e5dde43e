/// Choosing the base or reading what the plan compares: revisions, CI variables and events, params, DVC and other ML files.
public struct PlanError: MLCIFailure {
    public let category: ErrorCategory
    public let description: String

    public init(_ category: ErrorCategory, _ message: String) {
        self.category = category
        self.description = message
    }
}
