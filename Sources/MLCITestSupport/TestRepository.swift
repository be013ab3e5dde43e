import Foundation

/// The few things a test does to a git repository it built: write a file (making its
/// directories), commit everything, ask git for a commit's sha. One implementation, for a
/// repository at any path (`TestRepository.write(path, …)`) or in a `TemporaryDirectory`.
public enum TestRepository {
    /// Writes `text` to `relative` under `root`, creating the directories above it.
    public static func write(_ root: String, _ relative: String, _ text: String) throws {
        let full = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    /// `git add -A` and a commit with `message`; returns the new commit's sha.
    @discardableResult
    public static func commitAll(_ root: String, _ message: String) throws -> String {
        try Shell.git(root, "add", "-A")
        try Shell.git(root, "commit", "-qm", message)
        return try sha(root, "HEAD")
    }

    /// The commit `rev` names, as git resolves it.
    public static func sha(_ root: String, _ rev: String) throws -> String {
        try Shell.git(root, "rev-parse", "--verify", "\(rev)^{commit}").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension TemporaryDirectory {
    /// Writes `text` to `relative`, creating the directories above it.
    public func write(_ relative: String, _ text: String) throws { try TestRepository.write(path, relative, text) }

    /// `git add -A` and a commit with `message`; returns the new commit's sha.
    @discardableResult
    public func commitAll(_ message: String) throws -> String { try TestRepository.commitAll(path, message) }

    /// The commit `rev` names, as git resolves it.
    public func sha(_ rev: String) throws -> String { try TestRepository.sha(path, rev) }
}
