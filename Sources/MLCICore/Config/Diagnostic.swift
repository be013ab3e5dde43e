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

    public var description: String { "\(file):\(line):\(column)" }

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

    public var description: String {
        (location.map { "\($0): " } ?? "") + "\(severity.rawValue): \(message)"
    }

    /// The description with its severity label in red (error) or yellow (warning), for a terminal.
    public func rendered(color: Bool) -> String {
        guard color else { return description }
        let label = severity.rawValue + ":"
        let code = severity == .error ? "31" : "33"
        return description.replacingOccurrences(of: " " + label + " ", with: " \u{1B}[\(code)m\(label)\u{1B}[0m ")
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
