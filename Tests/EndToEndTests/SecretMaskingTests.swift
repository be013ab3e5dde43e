import Foundation
import MLCITestSupport
import Testing

/// Declared secrets as a stage that does not declare them sees them: it inherits the variable
/// and prints it. Every declared secret of the config is masked in every stage's output, log,
/// cache record and events, whole and line by line, even across the pieces of a long line.
@Suite("secret masking")
struct SecretMaskingTests {
    static let pem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj
        MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu
        -----END PRIVATE KEY-----

        """

    @Test("a secret declared by one stage is masked in another's output, cache record and events")
    func everyDeclaredSecretEverywhere() throws {
        let box = try RunCommandTests.Sandbox(
            """
            version: 1
            stages:
              deploy: {run: "true", secrets: [TOKEN, PEM, NEWLINE_TOKEN], cache: false}
              report: {run: "echo token=$TOKEN; printf '%s' \\"$PEM\\"; echo; echo \\"$PEM\\" | sed -n 2p; echo nl=$(printf %s \\"$NEWLINE_TOKEN\\")."}
            """)
        let env = ["TOKEN": "tok-4711-abc", "PEM": Self.pem, "NEWLINE_TOKEN": "nl-secret-0815\n"]
        let run = try box.run(["--all", "--events", box.scratch.file("events.jsonl")], env: env)
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.contains("[report] token=***"), "\(run.out)")
        #expect(run.out.contains("[report] nl=***."), "\(run.out)")
        let leaks = [
            "tok-4711-abc", "nl-secret-0815", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "MzEfYyjiWA4R4", "BEGIN PRIVATE",
        ]
        let cache = box.repo.file(".git/mlci/cache")
        for leak in leaks {
            #expect(!run.out.contains(leak) && !run.err.contains(leak), "\(leak) in the output")
            let grep = try Shell.run(["grep", "-r", leak, cache, box.scratch.file("events.jsonl")])
            #expect(grep.status == 1, "\(leak) in the cache or events: \(grep.out)")
        }
        // The replayed log is masked too.
        let replay = try box.run(["--all"], env: env)
        #expect(replay.out.contains("[report] cached"), "\(replay.out)")
        for leak in leaks { #expect(!replay.out.contains(leak)) }
    }

    @Test("a secret is masked whole where a long line is cut into pieces")
    func longLines() throws {
        // 40,000 copies of "<secret>-" (18 bytes, which no power of two divides) on one line:
        // 720 KB in 4 KiB writes, cut into pieces wherever the reads end, so cuts fall inside
        // copies.
        let box = try RunCommandTests.Sandbox(
            """
            version: 1
            stages:
              noisy: {run: "yes \\"$TOKEN\\" | head -n 40000 | tr '\\\\n' -; echo", secrets: [TOKEN]}
            """)
        let run = try box.run(["--all"], env: ["TOKEN": "SECRET-VALUE-1789"])
        #expect(run.status == 0)
        let lines = run.out.split(separator: "\n").filter {
            $0.hasPrefix("[noisy] ") && $0 != "[noisy] started" && !$0.contains(" passed in ")
        }
        #expect(lines.count > 1, "the line was not cut into pieces")
        let rest = lines.map { $0.dropFirst("[noisy] ".count) }.joined().replacingOccurrences(of: "***-", with: "")
        #expect(rest.isEmpty, "unmasked remains: \(rest.prefix(200))")
        #expect(lines.map { $0.count - "[noisy] ".count }.reduce(0, +) == 40000 * 4)
    }
}
