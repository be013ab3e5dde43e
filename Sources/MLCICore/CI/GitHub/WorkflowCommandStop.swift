import Foundation

/// GitHub Actions reads a line of a step's log that starts with `::` (after spaces) as a workflow
/// command (`::error`, `::add-mask`, `::set-output` …), and the legacy form `##[command]` anywhere
/// in a line. mlci's reports show paths, names and values from a pull request, so in GitHub mode
/// its first line stops command processing with a token nobody can guess, and its last line
/// (`::TOKEN::`) resumes it; what comes between is only text.
public struct WorkflowCommandStop: Sendable {
    public let token: String

    public init() {
        var generator = SystemRandomNumberGenerator()
        token = "mlci-" + (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
    }

    /// The line that stops workflow commands: the first thing mlci writes.
    public var start: String { "::stop-commands::\(token)\n" }
    /// The line that resumes them: the last thing mlci writes.
    public var end: String { "::\(token)::\n" }

    /// True in a GitHub Actions step (GitHub sets `GITHUB_ACTIONS=true` in every step, the
    /// generated workflows' included).
    public static func applies(_ environment: [String: String]) -> Bool { environment["GITHUB_ACTIONS"] == "true" }
}
