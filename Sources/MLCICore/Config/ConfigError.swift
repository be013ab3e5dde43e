/// Every error found in a configuration, reported together (exit code 2) so a person can fix
/// them all in one pass.
public struct ConfigError: MLCIFailure {
    public let diagnostics: [Diagnostic]
    public var category: ErrorCategory { .usage }

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
