/// Installing, removing and running git hooks, and reading what git hands a hook.
public struct HookError: MLCIFailure {
    public let category: ErrorCategory
    public let description: String

    public init(_ category: ErrorCategory, _ message: String) {
        self.category = category
        self.description = message
    }
}
