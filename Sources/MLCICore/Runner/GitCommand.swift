import Foundation
import MLCIGit

/// git commands mlci needs that libgit2 1.5 does not offer in full (worktrees, checking out a
/// tree), run with argument arrays through the one process-spawning type: no shell ever sees
/// a path or a revision.
public enum GitCommand {
    /// A git command that did not succeed: its arguments, exit status and output.
    public struct Failure: MLCIFailure {
        public let arguments: [String]
        public let status: Int32?
        public let output: String
        public var category: ErrorCategory { .failure }
        public var description: String {
            let how = status.map { "exited \($0)" } ?? "was killed"
            return "git \(arguments.joined(separator: " ")) \(how)" + (output.isEmpty ? "" : ": \(output)")
        }
    }

    /// Runs `git ARGUMENTS` in `directory` and returns its output (stdout and stderr, in
    /// order), throwing `Failure` unless it exits 0.
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: String, environment: [String: String],
        extra: [String: String] = [:]
    ) throws -> String {
        var env = cleanEnvironment(environment)
        for (k, v) in extra { env[k] = v }
        let process = try ChildProcess(program: "git", arguments: arguments, directory: directory, environment: env)
        let output = Locked([String]())
        let ending = process.wait { line in output.withLock { $0.append(line) } }
        let text = output.value.joined(separator: "\n")
        guard case .exited(0) = ending else {
            if case .exited(let code) = ending { throw Failure(arguments: arguments, status: code, output: text) }
            throw Failure(arguments: arguments, status: nil, output: text)
        }
        return text
    }

    /// The environment without the variables git sets for a hook about *this* repository's
    /// index and directories, which would send git commands in other worktrees astray.
    public static func cleanEnvironment(_ env: [String: String]) -> [String: String] {
        env.filter { !["GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE", "GIT_PREFIX", "GIT_COMMON_DIR"].contains($0.key) }
    }
}
