/// Running stages: starting processes, the cache, scratch worktrees, files handed to stages, run reports.
public struct RunError: MLCIFailure {
    public let category: ErrorCategory
    public let description: String

    public init(_ category: ErrorCategory, _ message: String) {
        self.category = category
        self.description = message
    }
}
