import ArgumentParser
import Foundation
import MLCICore
import MLCIGit

/// The tool's exit codes, documented in docs/commands/README.md: 0 ok, 1 a run or check failed,
/// 2 usage or configuration error, 3 the base revision cannot be resolved.
enum ExitStatus {
    static let ok: Int32 = 0
    static let failed: Int32 = 1
    static let usage: Int32 = 2
    static let unresolvableBase: Int32 = 3

    /// The one mapping from an error's category to the exit code.
    static func code(_ category: ErrorCategory) -> Int32 {
        switch category {
        case .usage: return usage
        case .failure: return failed
        case .unresolvableBase: return unresolvableBase
        }
    }

    /// Prints `error` for a person (no stack trace) and returns the exit code it maps to.
    static func report(_ error: Error) -> Int32 {
        switch error {
        case let error as GitError:
            Output.error(error.description)
            return error.isUnresolvableRevision ? unresolvableBase : usage
        case let error as ConfigError:
            for diagnostic in error.diagnostics { Output.diagnostic(diagnostic) }
            return code(error.category)
        case let error as MLCIFailure:
            Output.error(error.description)
            return code(error.category)
        case let code as ExitCode:
            return code.rawValue
        default:
            // Help and --version come through here as "errors" with exit code 0.
            let parserCode = MLCI.exitCode(for: error)
            let message = MLCI.fullMessage(for: error)
            if parserCode == .success {
                if !message.isEmpty { Output.write(message + "\n") }
                return ok
            }
            // ArgumentParser says "Error: …"; every mlci error starts "mlci: error:".
            let text = message.hasPrefix("Error: ") ? "mlci: error: " + message.dropFirst(7) : Substring(message)
            Output.errorRaw(text + "\n")
            return usage
        }
    }
}
