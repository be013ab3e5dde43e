import Foundation
import MLCITestSupport
import Testing

/// `--config-from base` follows the base's mlci.yml; a pull request's own mlci.yml — which it
/// can make as large as it likes — is read only when the local rule needs its default branch,
/// never when the base comes from a flag or the CI's variables.
@Suite("--config-from base does not read the head's mlci.yml")
struct ConfigFromBaseCostTests {
    @Test("a base from --base or the CI skips the head's mlci.yml; the local rule reads it once for default_branch")
    func headConfigReadOnlyForTheLocalRule() throws {
        let repo = try TemporaryDirectory("config-from-base")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try "version: 1\nstages:\n  lint: {run: \"true\", on: [\"*.py\"]}\n".write(
            toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try "a\n".write(toFile: repo.file("a.py"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "base")
        try Shell.git(repo.path, "checkout", "-qb", "pr")
        // The pull request's mlci.yml: 30,000 stages.
        let stages = (0..<30_000).map { "  s\($0): {run: \"true\", on: [\"src/\($0)/*.py\"]}\n" }.joined()
        try ("version: 1\ndefault_branch: main\nstages:\n" + stages).write(
            toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try "b\n".write(toFile: repo.file("a.py"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "pr")
        let trace = ["MLCI_TRACE_PERFORMANCE": "1"]
        let step = "head configuration read for its default branch"

        let flagged = try MLCIRunner.run(
            ["plan", "--config-from", "base", "--base", "main"], in: repo.path, environment: trace)
        #expect(flagged.status == 0 && flagged.out.contains("lint"), "\(flagged.err)")
        #expect(!flagged.err.contains(step), "\(flagged.err)")

        let event = repo.file("event.json")
        try #"{"pull_request": {"base": {"sha": "BASE"}}}"#.replacingOccurrences(
            of: "BASE",
            with: try Shell.git(repo.path, "rev-parse", "main").trimmingCharacters(in: .whitespacesAndNewlines)
        ).write(toFile: event, atomically: false, encoding: .utf8)
        let github = try MLCIRunner.run(
            ["plan", "--config-from", "base"], in: repo.path,
            environment: trace.merging([
                "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event,
                "GITHUB_BASE_REF": "main",
            ]) { $1 })
        #expect(github.status == 0 && github.out.contains("lint"), "\(github.out)\(github.err)")
        #expect(!github.err.contains(step), "\(github.err)")

        let local = try MLCIRunner.run(["plan", "--config-from", "base"], in: repo.path, environment: trace)
        #expect(local.status == 0, "\(local.err)")
        #expect(local.err.components(separatedBy: step).count == 2, "read exactly once: \(local.err)")
    }
}
