import Foundation
import MLCITestSupport
import Testing

/// The cache as an attacker sees it: whoever can write it (another job sharing it, a pull
/// request's job, another local user) can forge records and objects. Every proof of concept
/// here once worked: a record restoring a file outside the working tree or into `.git/hooks`,
/// a forged pass of a failing stage, a truncated object restored as it was, and a symbolic link
/// output copying a file from outside the repository into the cache.
@Suite("cache integrity")
struct CacheIntegrityTests {
    typealias Sandbox = RunCommandTests.Sandbox

    static let buildStage = """
        version: 1
        stages:
          build: {run: "rm -rf out && mkdir -p out && echo artefact > out/model.bin && echo x >> SCRATCH/build", outputs: [out]}
        """

    static func cacheDir(_ box: Sandbox) -> String { box.repo.file(".git/mlci/cache") }

    /// The one record of `stage` (not `last.json`).
    static func recordPath(_ box: Sandbox, stage: String) throws -> String {
        let dir = cacheDir(box) + "/stages/" + stage.utf8.map { String(format: "%02x", $0) }.joined()
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasSuffix(".json") && $0 != "last.json"
        }
        try #require(names.count == 1, "\(names)")
        return dir + "/" + names[0]
    }

    static func editRecord(_ path: String, _ edit: (inout [String: Any]) -> Void) throws {
        var record = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        edit(&record)
        try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: path))
    }

    static func setOutputPath(_ path: String, in record: String) throws {
        try editRecord(record) { r in
            var outputs = r["outputs"] as! [[String: Any]]
            outputs[0]["path"] = path
            r["outputs"] = outputs
        }
    }

    @Test("a forged record's output path outside the tree, into .git or outside the stage's outputs is never written")
    func forgedOutputPaths() throws {
        let box = try Sandbox(Self.buildStage)
        #expect(try box.run(["--all"]).status == 0)
        let outside = box.repo.path + "-outside"
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let name = (box.repo.path as NSString).lastPathComponent
        let hostile: [(record: String, lands: String)] = [
            ("../\(name)-outside/pwned.txt", outside + "/pwned.txt"),
            ("out/../../\(name)-outside/pwned.txt", outside + "/pwned.txt"),
            (".git/hooks/post-checkout", box.repo.file(".git/hooks/post-checkout")),
            ("out/../.git/hooks/post-checkout", box.repo.file(".git/hooks/post-checkout")),
            (outside + "/pwned.txt", outside + "/pwned.txt"),
            ("src/app.py", box.repo.file("src/app.py")),
        ]
        for (n, (path, lands)) in hostile.enumerated() {
            try Self.setOutputPath(path, in: try Self.recordPath(box, stage: "build"))
            let before = try? String(contentsOfFile: lands, encoding: .utf8)
            let run = try box.run(["--all"])
            #expect(run.status == 0, "\(run.out)\(run.err)")
            #expect((try? String(contentsOfFile: lands, encoding: .utf8)) == before, "\(path) was written")
            #expect((run.out + run.err).contains("ignoring cache entry"), "\(path): \(run.out)\(run.err)")
            #expect(box.count("build") == n + 2, "\(path): a refused record is a miss, and the stage runs")
        }
        #expect(!FileManager.default.fileExists(atPath: box.repo.file(".git/hooks/post-checkout")))
    }

    @Test("restoring never writes through a symbolic link in the working tree")
    func restoreThroughLink() throws {
        let box = try Sandbox(Self.buildStage)
        #expect(try box.run(["--all"]).status == 0)
        let elsewhere = box.scratch.file("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: box.repo.file("out"))
        try FileManager.default.createSymbolicLink(atPath: box.repo.file("out"), withDestinationPath: elsewhere)
        let run = try box.run(["--all"])
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/model.bin"), "written through the link")
        #expect(box.count("build") == 2, "a record that cannot be restored safely is a miss")
    }

    @Test("a truncated object is a miss with a warning, its record is dropped, and the stage runs")
    func truncatedObject() throws {
        let box = try Sandbox(Self.buildStage)
        #expect(try box.run(["--all"]).status == 0)
        let record = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: try Self.recordPath(box, stage: "build"))))
                as? [String: Any])
        let hash = try #require(((record["outputs"] as? [[String: Any]])?.first?["hash"]) as? String)
        let object = Self.cacheDir(box) + "/objects/" + hash.prefix(2) + "/" + hash.dropFirst(2)
        try Data("arte".utf8).write(to: URL(fileURLWithPath: object))
        try FileManager.default.removeItem(atPath: box.repo.file("out"))
        let run = try box.run(["--all"])
        #expect(run.status == 0)
        #expect((run.out + run.err).contains("does not match its hash"), "\(run.out)\(run.err)")
        #expect(box.count("build") == 2)
        #expect(try String(contentsOfFile: box.repo.file("out/model.bin"), encoding: .utf8) == "artefact\n")
        // The run stored a good record again: the next run is a hit.
        try FileManager.default.removeItem(atPath: box.repo.file("out"))
        #expect(try box.run(["--all"]).status == 0)
        #expect(box.count("build") == 2)
        #expect(try String(contentsOfFile: box.repo.file("out/model.bin"), encoding: .utf8) == "artefact\n")
    }

    @Test("an output that is a symbolic link (or holds one) is refused, and the file it names never enters the cache")
    func symlinkOutputs() throws {
        for command in [
            "mkdir -p out && ln -sf SCRATCH/secret.txt out/link", "ln -sf SCRATCH/secret.txt out",
            "mkdir -p SCRATCH/dir && cp SCRATCH/secret.txt SCRATCH/dir/f && ln -sfn SCRATCH/dir out",
        ] {
            let box = try Sandbox(
                "version: 1\nstages:\n  build: {run: \"\(command)\", outputs: [out]}\n")
            try "TOP-SECRET-CONTENT\n".write(toFile: box.scratch.file("secret.txt"), atomically: false, encoding: .utf8)
            let run = try box.run(["--all"])
            #expect(run.status == 1, "\(command): \(run.out)")
            #expect(run.out.contains("symbolic link"), "\(command): \(run.out)")
            let grep = try Shell.run(["grep", "-r", "TOP-SECRET-CONTENT", Self.cacheDir(box)])
            #expect(grep.status != 0, "\(command): the linked file was copied into the cache")
        }
    }

    @Test(
        "with MLCI_CACHE_SIGNATURE_KEY, an unsigned, foreign-signed or altered record of a failing stage is a miss; a signed one hits; stages never see the key"
    )
    func signedRecords() throws {
        let box = try Sandbox(
            """
            version: 1
            stages:
              gate: {run: "echo key=[$MLCI_CACHE_SIGNATURE_KEY] >> SCRATCH/seen; test -f SCRATCH/ok"}
            """)
        let key = ["MLCI_CACHE_SIGNATURE_KEY": "the-right-key-0123456789"]
        func pass(_ env: [String: String]) throws {
            try "".write(toFile: box.scratch.file("ok"), atomically: false, encoding: .utf8)
            #expect(try box.run(["--all"], env: env).status == 0)
            try FileManager.default.removeItem(atPath: box.scratch.file("ok"))
        }
        // Without a key, a cache trusts whoever writes it: the stage now fails, but the record hits.
        try pass([:])
        #expect(try box.run(["--all"]).status == 0)
        // An unsigned record (as a job without the key writes it) is a miss with a key.
        let unsigned = try box.run(["--all"], env: key)
        #expect(unsigned.status == 1, "\(unsigned.out)")
        #expect((unsigned.out + unsigned.err).contains("not signed"), "\(unsigned.out)\(unsigned.err)")
        // Signed with another key: a miss.
        try pass(["MLCI_CACHE_SIGNATURE_KEY": "a-wrong-key"])
        let foreign = try box.run(["--all"], env: key)
        #expect(foreign.status == 1)
        #expect((foreign.out + foreign.err).contains("not signed with this key"), "\(foreign.out)\(foreign.err)")
        // Signed with the key: a hit.
        try pass(key)
        let signed = try box.run(["--all"], env: key)
        #expect(signed.status == 0 && signed.out.contains("cached"), "\(signed.out)")
        // A signed record altered afterwards: a miss.
        try Self.editRecord(try Self.recordPath(box, stage: "gate")) { $0["log"] = ["forged line"] }
        #expect(try box.run(["--all"], env: key).status == 1)
        let seen = try String(contentsOfFile: box.scratch.file("seen"), encoding: .utf8)
        #expect(!seen.contains("key-") && seen.contains("key=[]"), "\(seen)")
    }

    @Test("without a key, a record whose stage, key or parts were edited is a miss")
    func inconsistentRecords() throws {
        let box = try Sandbox("version: 1\nstages:\n  gate: {run: \"echo x >> SCRATCH/gate; test -f SCRATCH/ok\"}\n")
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            (
                "parts",
                { r in
                    var parts = r["parts"] as! [String: Any]
                    parts["definition"] = "{\"run\":\"true\"}"
                    r["parts"] = parts
                }
            ),
            ("stage", { $0["stage"] = "other" }),
            ("key", { $0["key"] = String(repeating: "0", count: 40) }),
        ]
        for (n, (what, edit)) in edits.enumerated() {
            try "".write(toFile: box.scratch.file("ok"), atomically: false, encoding: .utf8)
            #expect(try box.run(["--all"]).status == 0)
            try FileManager.default.removeItem(atPath: box.scratch.file("ok"))
            try Self.editRecord(try Self.recordPath(box, stage: "gate"), edit)
            let run = try box.run(["--all"])
            #expect(run.status == 1, "edited \(what): \(run.out)")
            #expect(box.count("gate") == 2 * n + 2, "edited \(what): the stage must run")
        }
    }

    @Test("env_inputs values are recorded as keyed hashes, never in plain text, and still change the key")
    func envInputsHashed() throws {
        let box = try Sandbox(
            "version: 1\nstages:\n  fit: {run: \"echo x >> SCRATCH/fit\", env_inputs: [MODEL_VARIANT]}\n")
        #expect(try box.run(["--all"], env: ["MODEL_VARIANT": "plain-variant-4711"]).status == 0)
        let grep = try Shell.run(["grep", "-r", "plain-variant-4711", Self.cacheDir(box)])
        #expect(grep.status == 1, "the value is in the cache: \(grep.out)")
        #expect(try box.run(["--all"], env: ["MODEL_VARIANT": "plain-variant-4711"]).status == 0)
        #expect(box.count("fit") == 1)
        #expect(try box.run(["--all"], env: ["MODEL_VARIANT": "other"]).status == 0)
        #expect(box.count("fit") == 2)
        let explain = try box.run(["--all", "--explain-cache", "fit"], env: ["MODEL_VARIANT": "third"])
        #expect(explain.out.contains("env_inputs MODEL_VARIANT changed (set → set)"), "\(explain.out)")
    }
}
