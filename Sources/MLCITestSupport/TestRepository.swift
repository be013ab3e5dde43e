import Foundation

/// The few things a test does to the git repository it built in a temporary directory: write
/// a file (making its directories), commit everything, ask git for a commit's sha.
extension TemporaryDirectory {
    /// Writes `text` to `relative`, creating the directories above it.
    public func write(_ relative: String, _ text: String) throws {
        let full = file(relative)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    /// `git add -A` and a commit with `message`; returns the new commit's sha.
    @discardableResult
    public func commitAll(_ message: String) throws -> String {
        try Shell.git(path, "add", "-A")
        try Shell.git(path, "commit", "-qm", message)
        return try sha("HEAD")
    }

    /// The commit `rev` names, as git resolves it.
    public func sha(_ rev: String) throws -> String {
        try Shell.git(path, "rev-parse", "--verify", "\(rev)^{commit}").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
