import Foundation

/// Runs the built `mlci` binary the way a user does, for end-to-end tests.
public enum MLCIRunner {
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: String,
        environment: [String: String] = [:], stdin: [UInt8]? = nil
    ) throws -> ProcessResult {
        // CI variables of the machine running the tests must not steer mlci's base resolution.
        var env = environment
        for key in ["GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "MLCI_BASE", "MLCI_ALL"] where env[key] == nil {
            env[key] = ""
        }
        return try Shell.run([FixturePaths.mlciBinary] + arguments, in: directory, environment: env, stdin: stdin)
    }
}
