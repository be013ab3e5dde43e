/// An error mlci itself reports: a message for a person, and its category.
public protocol MLCIFailure: Error, CustomStringConvertible, Sendable {
    var category: ErrorCategory { get }
}
