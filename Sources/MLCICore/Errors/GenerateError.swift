/// Writing files: CI pipelines and their templates (`generate`), starter configs (`init`).
public struct GenerateError: MLCIFailure {
    public let category: ErrorCategory
    public let description: String

    public init(_ category: ErrorCategory, _ message: String) {
        self.category = category
        self.description = message
    }
}
