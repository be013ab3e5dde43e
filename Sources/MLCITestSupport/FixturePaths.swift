import Foundation

/// Where the package's fixtures and built products are, for tests.
public enum FixturePaths {
    /// The package root, found from this source file's location.
    public static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    public static var fixtures: String { packageRoot + "/Fixtures" }

    /// The directory with the built `mlci` binary: the test bundle sits beside it.
    /// `MLCI_BIN` overrides, to test an installed binary.
    public static var mlciBinary: String {
        if let bin = ProcessInfo.processInfo.environment["MLCI_BIN"] { return bin }
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("mlci").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// Debian's libgit2-fixtures: libgit2's own test repositories.
    public static let libgit2Fixtures = "/usr/share/doc/libgit2-fixtures/examples"
}

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
