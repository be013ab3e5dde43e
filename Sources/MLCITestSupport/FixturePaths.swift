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
