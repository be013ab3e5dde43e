/// A place in a file, printed as `file:line:column` so editors and CI annotations can jump to it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The file is a path from the repository: quoted when it needs it (`quotedIfNeeded`).
    public var description: String { "\(file.quotedIfNeeded):\(line):\(column)" }

    /// The line and column (in characters, from 1) of a byte offset into UTF-8 `bytes`.
    init(file: String, byteOffset: Int, in bytes: [UInt8]) {
        let before = bytes[..<min(max(byteOffset, 0), bytes.count)]
        let lines = before.split(separator: 0x0a, omittingEmptySubsequences: false)
        self.init(
            file: file, line: lines.count,
            column: String(decoding: lines.last ?? [], as: UTF8.self).unicodeScalars.count + 1)
    }
}

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

/// Every error found in a configuration, reported together (exit code 2) so a person can fix
/// them all in one pass.
public struct ConfigError: MLCIFailure {
    public let diagnostics: [Diagnostic]
    public var category: ErrorCategory { .usage }

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
