import Foundation

/// Golden files: expected output kept in the repository. A test compares what it produced with
/// the file; with `MLCI_RECORD=1` it writes the file instead, and the diff is reviewed in git.
public enum Golden {
    /// True when the run records goldens instead of comparing them.
    public static var recording: Bool { ProcessInfo.processInfo.environment["MLCI_RECORD"] == "1" }

    /// Compares `actual` with the golden file at `path` (or records it): nil when they match,
    /// else a message saying which file differs and how to re-record it.
    public static func mismatch(_ actual: String, golden path: String) throws -> String? {
        if recording {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "no golden file \(path); record it with MLCI_RECORD=1"
        }
        return actual == expected ? nil : "output differs from \(path); if intended, re-record with MLCI_RECORD=1"
    }
}
