import Foundation

/// The validators of generated CI files, installed into `.venv` by `scripts/test`.
public enum Validators {
    public struct Missing: Error, CustomStringConvertible {
        public let tool: String
        public var description: String {
            "\(tool) is not installed in .venv; run ./scripts/test, which creates it from Tests/Validators/requirements.txt"
        }
    }

    public static func path(_ tool: String) throws -> String {
        let path = FixturePaths.packageRoot + "/.venv/bin/" + tool
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(tool: tool) }
        return path
    }

    public static var configDirectory: String { FixturePaths.packageRoot + "/Tests/Validators" }

    /// Runs a validator over files; returns its combined output when it fails, nil when clean.
    public static func problems(_ tool: String, _ arguments: [String]) throws -> String? {
        let result = try Shell.run([try path(tool)] + arguments)
        return result.status == 0 ? nil : "\(tool) \(arguments.joined(separator: " ")):\n\(result.out)\(result.err)"
    }
}
