/// What kind of failure an error is. The CLI maps each category to the exit code docs/commands/README.md
/// documents, in one place (`ExitStatus`); no error carries a number of its own.
public enum ErrorCategory: Sendable, Equatable {
    /// Exit 2: the flags, the configuration or an input file are wrong; the person must fix them.
    case usage
    /// Exit 1: a run, a check or an operation on this machine failed (a stage, writing a file,
    /// starting git); the input was fine.
    case failure
    /// Exit 3: the base revision cannot be resolved in this clone.
    case unresolvableBase
}
