/// One problem found in a configuration or input file.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public let severity: Severity
    public let location: SourceLocation?
    public let message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    /// One line, whatever the message holds: messages carry paths and values from the
    /// repository, so the message is escaped as one field (`terminalSafe`).
    public var description: String { rendered(color: false) }

    /// The description with its severity label in red (error) or yellow (warning), for a
    /// terminal; the colour is added after the message is escaped.
    public func rendered(color: Bool) -> String {
        let label = severity.rawValue + ":"
        let painted = color ? "\u{1B}[\(severity == .error ? "31" : "33")m\(label)\u{1B}[0m" : label
        return (location.map { "\($0): " } ?? "") + painted + " " + message.terminalSafe
    }
}
