/// A problem a person can act on, with the exit code it maps to. Git-level failures stay
/// `GitError`; everything mlci itself rejects (configuration, flags, input files) is this.
public struct MLCIError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 2) {
        self.description = message
        self.exitCode = exitCode
    }

    /// Exit 2: bad usage or configuration.
    public static func usage(_ message: String) -> MLCIError { MLCIError(message, exitCode: 2) }
    /// Exit 3: the base revision cannot be resolved.
    public static func unresolvableBase(_ message: String) -> MLCIError { MLCIError(message, exitCode: 3) }
    /// Exit 1: a run or check failed.
    public static func failed(_ message: String) -> MLCIError { MLCIError(message, exitCode: 1) }
}
