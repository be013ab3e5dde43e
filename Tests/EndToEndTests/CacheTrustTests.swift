import Foundation
import MLCITestSupport
import Testing

/// Attacks on what a run trusts around the cache and the lists it hands stages: records a
/// commit carries in a cache directory inside the checkout (GitLab keeps it there), the
/// signature key read from mlci's process by a stage, a cache directory others can write
/// with links planted in it, and a changed path that would become an option.
@Suite("cache trust and stage inputs")
struct CacheTrustTests {
    typealias Sandbox = RunCommandTests.Sandbox

    @Test("a cache record committed into an in-tree cache directory is never a hit: the failing stage runs")
    func committedRecordIsRefused() throws {
        // The stage passes only while SCRATCH/pass exists: a fake tool the author had locally.
        let box = try Sandbox(
            """
            version: 1
            stages:
              test: {run: "test -f SCRATCH/pass", on: ["src/**"]}
            """)
        let cache = box.repo.file(".mlci-cache")
        let env = ["MLCI_CACHE_DIR": cache]
        FileManager.default.createFile(atPath: box.scratch.file("pass"), contents: Data())
        #expect(try box.run(["--all"], env: env).status == 0)
        // The merge request commits the record, then the real check fails.
        try Shell.git(box.repo.path, "add", "-f", ".mlci-cache")
        try Shell.git(box.repo.path, "commit", "-qm", "plant a passing record")
        try FileManager.default.removeItem(atPath: box.scratch.file("pass"))
        let result = try box.run(["--all"], env: env)
        #expect(result.status == 1, "the stage ran and failed: \(result.out)\(result.err)")
        #expect(!(result.out + result.err).contains("cached"), "\(result.out)")
        #expect(result.err.contains("which the commit planned tracks"), "\(result.err)")
        // With the record out of git the cache is used again.
        try Shell.git(box.repo.path, "rm", "-rq", "--cached", ".mlci-cache")
        try Shell.git(box.repo.path, "commit", "-qm", "untrack")
        FileManager.default.createFile(atPath: box.scratch.file("pass"), contents: Data())
        let clean = try box.run(["--all"], env: env)
        #expect(clean.status == 0 && !clean.err.contains("which the commit planned tracks"), "\(clean.err)")
    }

    @Test("a stage cannot read the signature key from mlci's /proc/<pid>/environ")
    func signatureKeyNotInParentEnviron() throws {
        // The stage walks up its ancestors and copies the environment block of each mlci.
        let box = try Sandbox(
            """
            version: 1
            stages:
              build:
                on: ["src/**"]
                outputs: [out]
                run: |
                  mkdir -p out && echo built > out/x
                  p=$$; n=0
                  while [ "$p" -gt 1 ]; do
                    if [ "$(cat /proc/$p/comm)" = mlci ]; then tr '\\0' '\\n' < /proc/$p/environ > SCRATCH/environ-$n; n=$((n+1)); fi
                    p=$(awk '{print $4}' /proc/$p/stat)
                  done
                  env > SCRATCH/own-env
            """)
        let key = "sekret-signing-key-\(UUID().uuidString)"
        let result = try box.run(["--all"], env: ["MLCI_CACHE_SIGNATURE_KEY": key])
        #expect(result.status == 0, "\(result.err)")
        let environ = try String(contentsOfFile: box.scratch.file("environ-0"), encoding: .utf8)
        #expect(environ.contains("MLCI_CACHE_SIGNATURE_KEY="), "the variable is still named in the block")
        #expect(!environ.contains(key), "the stage read the key from mlci's environment block")
        #expect(!(try String(contentsOfFile: box.scratch.file("own-env"), encoding: .utf8)).contains(key))
        // mlci itself still had the key: the record it wrote is signed, and verifies.
        let record = try CacheIntegrityTests.recordPath(box, stage: "build")
        #expect(try String(contentsOfFile: record, encoding: .utf8).contains("hmac-sha256:"))
        let again = try box.run(["--all"], env: ["MLCI_CACHE_SIGNATURE_KEY": key])
        #expect(again.out.contains("cached"), "\(again.out)\(again.err)")
    }

    @Test("a cache directory others can write is reported, and links planted in it are never followed")
    func hostileCacheRoot() throws {
        let box = try Sandbox(CacheIntegrityTests.buildStage)
        let cache = box.scratch.file("shared-cache")
        let outside = try TemporaryDirectory("cache-link-target")
        try FileManager.default.createDirectory(atPath: cache + "/stages", withIntermediateDirectories: true)
        chmod(cache, 0o777)
        // Another user planted a lock link and a link in place of the stage's record directory.
        try FileManager.default.createSymbolicLink(
            atPath: cache + "/lock", withDestinationPath: outside.file("lock-victim"))
        let stageDir = "build".utf8.map { String(format: "%02x", $0) }.joined()
        try FileManager.default.createSymbolicLink(
            atPath: cache + "/stages/" + stageDir, withDestinationPath: outside.path)
        let result = try box.run(["--all"], env: ["MLCI_CACHE_DIR": cache])
        #expect(result.err.contains("is writable by every user"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: outside.file("lock-victim")), "the lock link was followed")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "a record went through the link")
        // Without the lock link, the planted record directory is still never written through.
        try FileManager.default.removeItem(atPath: cache + "/lock")
        _ = try box.run(["--all"], env: ["MLCI_CACHE_DIR": cache])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "a record went through the link")
    }

    @Test("MLCI_STAGE_FILES0 hands each path, one looking like an option or holding a newline, as one argument")
    func nulSeparatedStageFiles() throws {
        let box = try Sandbox(
            """
            version: 1
            stages:
              lint:
                on: ["src/**"]
                run: |
                  xargs -0 -r sh -c 'printf "[%s]\\n" "$@"' sh < "$MLCI_STAGE_FILES0" > SCRATCH/args
            """)
        let base = try Shell.git(box.repo.path, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        for name in ["src/x.py --exit-zero", "src/new\nline.py"] {
            try "x\n".write(toFile: box.repo.file(name), atomically: false, encoding: .utf8)
        }
        try Shell.git(box.repo.path, "add", "-A")
        try Shell.git(box.repo.path, "commit", "-qm", "hostile names")
        let result = try box.run(["--base", base])
        #expect(result.status == 0, "\(result.err)")
        let args = try String(contentsOfFile: box.scratch.file("args"), encoding: .utf8)
        #expect(args == "[src/new\nline.py]\n[src/x.py --exit-zero]\n", "\(args.debugDescription)")
    }
}
