import Foundation
import MLCITestSupport
import Testing

/// `mlci run` with real processes: parallelism, timeouts, signals, failure modes, the cache,
/// metrics and events. No wall-clock thresholds: concurrency is proven by stages that wait for
/// each other, and kills by checking that process ids are gone.
@Suite("mlci run")
struct RunCommandTests {
    /// A repository with a few files and a config kept outside it (read with --config).
    final class Sandbox {
        let repo: TemporaryDirectory
        let scratch: TemporaryDirectory
        var config: String { scratch.file("mlci.yml") }

        init(_ yaml: String) throws {
            repo = try TemporaryDirectory("run-repo")
            scratch = try TemporaryDirectory("run-scratch")
            try Shell.git(repo.path, "init", "-q", "-b", "main")
            for (path, text) in [
                ("src/app.py", "print(1)\n"), ("src/util.py", "X = 1\n"), ("data/a.csv", "a\n"),
                ("docs/readme.md", "r\n"),
            ] {
                try FileManager.default.createDirectory(
                    atPath: repo.file((path as NSString).deletingLastPathComponent), withIntermediateDirectories: true)
                try text.write(toFile: repo.file(path), atomically: false, encoding: .utf8)
            }
            try Shell.git(repo.path, "add", "-A")
            try Shell.git(repo.path, "commit", "-qm", "root")
            try setConfig(yaml)
        }

        func setConfig(_ yaml: String) throws {
            try yaml.replacingOccurrences(of: "SCRATCH", with: scratch.path).write(
                toFile: config, atomically: false, encoding: .utf8)
        }

        @discardableResult
        func run(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult {
            try MLCIRunner.run(
                ["run", "--config", config] + args, in: repo.path, environment: ["CI": "true"].merging(env) { $1 })
        }

        func count(_ name: String) -> Int {
            ((try? String(contentsOfFile: scratch.file(name), encoding: .utf8)) ?? "").split(separator: "\n").count
        }
    }

    /// True while the process exists and is not a zombie (an exited process whose new parent
    /// has not reaped it yet is gone for our purposes). Polls briefly: a TERM takes effect
    /// asynchronously.
    static func processAlive(_ pid: Int32) -> Bool {
        for _ in 0..<100 {
            guard kill(pid, 0) == 0 else { return false }
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { return false }
            usleep(20_000)
        }
        return true
    }

    @Test("independent stages run at the same time with --jobs 2 (each waits to see the other start)")
    func parallel() throws {
        let wait =
            "touch SCRATCH/%s.started; i=0; while [ ! -e SCRATCH/%o.started ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i+1)); done; test -e SCRATCH/%o.started"
        let yaml = """
            version: 1
            stages:
              a: {run: "\(wait.replacingOccurrences(of: "%s", with: "a").replacingOccurrences(of: "%o", with: "b"))", cache: false}
              b: {run: "\(wait.replacingOccurrences(of: "%s", with: "b").replacingOccurrences(of: "%o", with: "a"))", cache: false}
            """
        let box = try Sandbox(yaml)
        let result = try box.run(["--all", "--jobs", "2"])
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(result.out.contains("a      passed") && result.out.contains("b      passed"))
    }

    @Test("with --jobs 1 the same stages cannot overlap, and the waiting stage fails: the check is real")
    func serialCounterCheck() throws {
        let yaml = """
            version: 1
            stages:
              a: {run: "touch SCRATCH/a.started; i=0; while [ ! -e SCRATCH/b.started ] && [ $i -lt 10 ]; do sleep 0.05; i=$((i+1)); done; test -e SCRATCH/b.started", cache: false}
              b: {run: "touch SCRATCH/b.started", cache: false, after: [a]}
            """
        let box = try Sandbox(yaml)
        #expect(try box.run(["--all", "--jobs", "2"]).status == 1)
    }

    @Test("a stage over its timeout is killed together with its children")
    func timeout() throws {
        let yaml = """
            version: 1
            stages:
              slow: {run: "sleep 300 & echo $! > SCRATCH/child.pid; sleep 300", timeout: 1s, cache: false}
            """
        let box = try Sandbox(yaml)
        let result = try box.run(["--all"])
        #expect(result.status == 1)
        #expect(result.out.contains("timed-out"))
        let pid = Int32(
            try String(contentsOfFile: box.scratch.file("child.pid"), encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines))!
        #expect(!Self.processAlive(pid), "the stage's background child must be gone")
    }

    @Test("SIGINT stops every stage's process group, prints the summary and exits 130")
    func interrupt() throws {
        let yaml = """
            version: 1
            stages:
              one: {run: "sleep 300 & echo $! > SCRATCH/one.pid; sleep 300", cache: false}
              two: {run: "sleep 300 & echo $! > SCRATCH/two.pid; sleep 300", cache: false}
            """
        let box = try Sandbox(yaml)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FixturePaths.mlciBinary)
        process.arguments = ["run", "--config", box.config, "--all", "--jobs", "2"]
        process.currentDirectoryURL = URL(fileURLWithPath: box.repo.path)
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<400
        where
            !(FileManager.default.fileExists(atPath: box.scratch.file("one.pid"))
            && FileManager.default.fileExists(atPath: box.scratch.file("two.pid")))
        {
            usleep(25_000)
        }
        kill(process.processIdentifier, SIGINT)
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(text.contains("cancelled"))
        for name in ["one.pid", "two.pid"] {
            let pid = Int32(
                try String(contentsOfFile: box.scratch.file(name), encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines))!
            #expect(!Self.processAlive(pid), "\(name): no process may survive Ctrl-C")
        }
    }

    @Test("fail-fast cancels what has not started; --keep-going runs all that does not need the failure")
    func failureModes() throws {
        let yaml = """
            version: 1
            stages:
              bad: {run: "exit 3", cache: false}
              other: {run: "echo ran >> SCRATCH/other", cache: false, after: [bad]}
              downstream: {run: "echo ran >> SCRATCH/downstream", cache: false, needs: [bad]}
            """
        let box = try Sandbox(yaml)
        let fast = try box.run(["--all", "--jobs", "1"])
        #expect(fast.status == 1)
        #expect(box.count("other") == 0 && box.count("downstream") == 0)
        #expect(fast.out.contains("other       cancelled"))
        let going = try box.run(["--all", "--jobs", "1", "--keep-going"])
        #expect(going.status == 1)
        #expect(box.count("other") == 1, "after: orders only, so other still runs")
        #expect(box.count("downstream") == 0, "downstream needs the failed stage")
        #expect(going.out.contains("needs bad, which did not pass"))
    }

    @Test("fail fast lets a stage already running finish, and starts nothing new")
    func failFastLetsRunningFinish() throws {
        let yaml = """
            version: 1
            stages:
              slow: {run: "while [ ! -e SCRATCH/bad-done ]; do sleep 0.05; done; sleep 0.3; echo finished >> SCRATCH/slow", cache: false}
              bad: {run: "touch SCRATCH/bad-done; exit 3", cache: false}
              later: {run: "echo ran >> SCRATCH/later", cache: false, after: [bad, slow]}
            """
        let box = try Sandbox(yaml)
        let run = try box.run(["--all", "--jobs", "2"])
        #expect(run.status == 1)
        #expect(box.count("slow") == 1, "the independent stage that was running finished: \(run.out)")
        #expect(run.out.contains("slow   passed") || run.out.contains("slow   passed "), "\(run.out)")
        #expect(box.count("later") == 0 && run.out.contains("later  cancelled"), "\(run.out)")
        #expect(run.out.contains("2 stages run, 1 not started in"), "\(run.out)")
    }

    @Test("a second run with nothing changed runs no command and replays the log")
    func cacheReplay() throws {
        let yaml = """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              lint: {run: "echo linted >> SCRATCH/lint; echo hello from lint", on: [code]}
            """
        let box = try Sandbox(yaml)
        let first = try box.run(["--all"])
        #expect(first.status == 0 && box.count("lint") == 1)
        let second = try box.run(["--all"])
        #expect(second.status == 0)
        #expect(box.count("lint") == 1, "the command must not run again")
        #expect(second.out.contains("[lint] hello from lint"))
        #expect(second.out.contains("lint   cached"))
        // A replay says so, and is not counted as a run of the command.
        #expect(second.out.contains("[lint] cached: its inputs are unchanged since it passed"), "\(second.out)")
        #expect(!second.out.contains("[lint] started"))
        #expect(second.out.contains("1 stage run (1 replayed from the cache) in"), "\(second.out)")
        #expect(try box.run(["--all", "--no-cache"]).status == 0)
        #expect(box.count("lint") == 2)
    }

    @Test(
        "a dvc: true stage's cache key holds its DVC stages' files: a changed DVC dep is a miss, an unrelated change still a hit"
    )
    func dvcCacheKey() throws {
        let box = try Sandbox(
            """
            version: 1
            stages:
              training: {run: "echo trained >> SCRATCH/training", dvc: true}
            """)
        func commit(_ files: [(String, String)], _ message: String) throws {
            for (path, text) in files { try box.repo.write(path, text) }
            try box.repo.commitAll(message)
        }
        try commit(
            [
                (".dvc/config", ""), ("src/train.py", "EPOCHS = 1\n"),
                (
                    "dvc.yaml",
                    "stages:\n  train:\n    cmd: python src/train.py\n    deps: [src/train.py, data/a.csv]\n    outs: [models/model.pkl]\n"
                ),
            ],
            "a DVC project")
        #expect(try box.run(["--all"]).status == 0)
        #expect(try box.run(["--all"]).status == 0)
        #expect(box.count("training") == 1, "nothing changed: a cache hit")

        try commit([("src/train.py", "EPOCHS = 2\n")], "a DVC dep changes")
        let plan = try MLCIRunner.run(
            ["plan", "--config", box.config, "--base", "HEAD~1", "--format", "json"], in: box.repo.path)
        #expect(plan.out.contains("\"type\": \"dvc\""), "the plan says training must run: \(plan.out)")
        let changed = try box.run(["--base", "HEAD~1"])
        #expect(changed.status == 0, "\(changed.err)")
        #expect(box.count("training") == 2, "a changed DVC dep must be a cache miss, never a replay")

        try commit([("docs/readme.md", "unrelated\n")], "unrelated")
        #expect(try box.run(["--all"]).status == 0)
        #expect(box.count("training") == 2, "an unrelated change leaves the key alone: still a hit")
        let explained = try box.run(["--explain-cache", "training", "--all"])
        #expect(explained.out.contains("it would be a cache hit"), "\(explained.out)")
    }

    @Test(
        "mlci job runs one stage as mlci run would (dir, env, masked secrets, stage and shard files, timeout then rollback) and never decides again"
    )
    func ciJob() throws {
        let box = try Sandbox(
            """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              test:
                run: "pwd > SCRATCH/pwd; echo \\"$GREETING $API_TOKEN\\"; cp \\"$MLCI_STAGE_FILES\\" SCRATCH/stage-files; cp \\"$MLCI_SHARD_FILES\\" SCRATCH/shard-files"
                on: [code]
                dir: src
                env: {GREETING: hello}
                secrets: [API_TOKEN]
              slow: {run: "sleep 30", timeout: 1s, rollback: "echo rolled > SCRATCH/rolled", on: ["docs/**"]}
            """)
        for file in ["src/app.py", "src/util.py"] {
            try "changed\n".write(toFile: box.repo.file(file), atomically: false, encoding: .utf8)
        }
        try Shell.git(box.repo.path, "commit", "-qam", "code")
        let base = try Shell.git(box.repo.path, "rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines)
        let head = try Shell.git(box.repo.path, "rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let env = [
            "CI": "true", "MLCI_BASE_SHA": base, "MLCI_HEAD_SHA": head, "API_TOKEN": "s3cr3t-value",
            "MLCI_SHARD": "2", "MLCI_SHARDS": "2",
        ]
        let test = try MLCIRunner.run(["job", "test", "--config", box.config], in: box.repo.path, environment: env)
        #expect(test.status == 0, "\(test.err)")
        #expect(test.out.contains("[test] hello ***") && !test.out.contains("s3cr3t-value"), "\(test.out)")
        #expect(try String(contentsOfFile: box.scratch.file("pwd"), encoding: .utf8) == box.repo.file("src") + "\n")
        #expect(
            try String(contentsOfFile: box.scratch.file("stage-files"), encoding: .utf8) == "src/app.py\nsrc/util.py\n")
        #expect(try String(contentsOfFile: box.scratch.file("shard-files"), encoding: .utf8) == "src/util.py\n")

        // slow is not affected by this range, but the plan job decided it runs: the job runs it.
        let slow = try MLCIRunner.run(["job", "slow", "--config", box.config], in: box.repo.path, environment: env)
        #expect(slow.status == 1, "a timed-out stage fails the job")
        #expect(slow.out.contains("timed-out") && slow.out.contains("rolled back"), "\(slow.out)")
        #expect(try String(contentsOfFile: box.scratch.file("rolled"), encoding: .utf8) == "rolled\n")

        let unknown = try MLCIRunner.run(["job", "tset", "--config", box.config], in: box.repo.path, environment: env)
        #expect(unknown.status == 2 && unknown.err.contains("did you mean 'test'"), "\(unknown.err)")
        let badShard = try MLCIRunner.run(
            ["job", "test", "--config", box.config], in: box.repo.path,
            environment: env.merging(["MLCI_SHARD": "3"]) { $1 })
        #expect(badShard.status == 2 && badShard.err.contains("MLCI_SHARD=3"), "\(badShard.err)")
        // One of the pair alone is a mistake, not "no sharding".
        var alone = env
        alone["MLCI_SHARDS"] = nil
        alone["MLCI_SHARD"] = "1"
        let half = try MLCIRunner.run(["job", "test", "--config", box.config], in: box.repo.path, environment: alone)
        #expect(half.status == 2 && half.err.contains("MLCI_SHARD and MLCI_SHARDS go together"), "\(half.err)")
    }

    @Test("mlci job --cache-key names the record the job writes; a second job replays it; shards never share a key")
    func ciJobCache() throws {
        let box = try Sandbox(
            """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              test: {run: "echo ran >> SCRATCH/test", on: [code]}
            """)
        let cacheDir = box.scratch.file("ci-cache")
        let env = ["CI": "true", "MLCI_BASE_SHA": "", "MLCI_CACHE_DIR": cacheDir]
        func job(_ extra: [String: String] = [:], _ args: [String] = []) throws -> ProcessResult {
            try MLCIRunner.run(
                ["job", "test", "--config", box.config] + args, in: box.repo.path,
                environment: env.merging(extra) { $1 })
        }
        let key = try job([:], ["--cache-key"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.count == 40, "\(key)")
        #expect(try job().status == 0 && box.count("test") == 1)
        let records = try FileManager.default.subpathsOfDirectory(atPath: cacheDir).filter {
            $0.hasSuffix("/\(key).json")
        }
        #expect(records.count == 1, "the record is stored under the key the pipeline keys its cache with")
        let again = try job()
        #expect(again.status == 0 && box.count("test") == 1 && again.out.contains("cached"), "\(again.out)")

        let shard1 = try job(["MLCI_SHARD": "1", "MLCI_SHARDS": "2"], ["--cache-key"]).out
        let shard2 = try job(["MLCI_SHARD": "2", "MLCI_SHARDS": "2"], ["--cache-key"]).out
        #expect(shard1 != shard2 && shard1 != key + "\n")
        #expect(try job(["MLCI_SHARD": "1", "MLCI_SHARDS": "2"]).status == 0 && box.count("test") == 2)
        #expect(try job(["MLCI_SHARD": "2", "MLCI_SHARDS": "2"]).status == 0)
        #expect(box.count("test") == 3, "shard 2 runs its own files: never a replay of shard 1")
    }

    @Test("MLCI_DVC_STAGES names the invalidated DVC stages a dvc: stage carries, as targets dvc repro accepts")
    func dvcStagesVariable() throws {
        let box = try Sandbox(
            """
            version: 1
            stages:
              training: {run: "echo \\"$MLCI_DVC_STAGES\\" >> SCRATCH/targets", dvc: true, cache: false}
            """)
        let files = [
            ("src/prepare.py", "P = 1\n"), ("src/train.py", "T = 1\n"), ("nested/eval.py", "E = 1\n"),
            (
                "dvc.yaml",
                "stages:\n  prepare:\n    cmd: python src/prepare.py\n    deps: [src/prepare.py]\n"
                    + "  train:\n    cmd: python src/train.py\n    deps: [src/train.py]\n"
            ),
            ("nested/dvc.yaml", "stages:\n  evaluate:\n    cmd: python eval.py\n    deps: [eval.py]\n"),
        ]
        for (path, text) in files {
            try FileManager.default.createDirectory(
                atPath: box.repo.file((path as NSString).deletingLastPathComponent), withIntermediateDirectories: true)
            try text.write(toFile: box.repo.file(path), atomically: false, encoding: .utf8)
        }
        let dvc = try Validators.path("dvc")
        try Shell.ok([dvc, "init", "-q"], in: box.repo.path)
        try Shell.git(box.repo.path, "add", "-A")
        try Shell.git(box.repo.path, "commit", "-qm", "a DVC project")
        for path in ["src/train.py", "nested/eval.py"] {
            try "changed\n".write(toFile: box.repo.file(path), atomically: false, encoding: .utf8)
        }
        try Shell.git(box.repo.path, "commit", "-qam", "train and evaluate deps change")
        #expect(try box.run(["--base", "HEAD~1"]).status == 0)
        let targets = try #require(
            (try? String(contentsOfFile: box.scratch.file("targets"), encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(targets == "train nested/dvc.yaml:evaluate", "\(targets)")
        // DVC itself accepts each target (a dry run plans the stage without running it).
        for target in targets.split(separator: " ") {
            let dry = try Shell.run([dvc, "repro", "--dry", "--single-item", String(target)], in: box.repo.path)
            #expect(dry.status == 0, "dvc repro \(target): \(dry.out)\(dry.err)")
        }
    }

    @Test("a run on a working tree that is not the planned commit neither reads nor writes the cache")
    func dirtyTreeNeverPoisonsTheCache() throws {
        let box = try Sandbox(
            """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              lint: {run: "echo ran >> SCRATCH/lint; ! grep -q BROKEN src/app.py", on: [code]}
            """)
        try "BROKEN\n".write(toFile: box.repo.file("src/app.py"), atomically: false, encoding: .utf8)
        try Shell.git(box.repo.path, "commit", "-qam", "broken")
        // An uncommitted fix: the stage passes on it, but that pass is not HEAD's.
        try "fixed\n".write(toFile: box.repo.file("src/app.py"), atomically: false, encoding: .utf8)
        let dirty = try box.run(["--base", "HEAD~1"], env: ["CI": ""])
        #expect(dirty.status == 0)
        #expect(
            dirty.err.contains("lint did not use the cache: files it reads have uncommitted changes"), "\(dirty.err)")
        try Shell.git(box.repo.path, "checkout", "-q", "--", "src/app.py")
        let clean = try box.run(["--base", "HEAD~1"])
        #expect(clean.status == 1, "HEAD is broken: never a replay of the dirty pass\n\(clean.out)")
        #expect(box.count("lint") == 2)
        // --head another commit than the checkout: the working tree is not what was keyed.
        let other = try box.run(["--all", "--head", "HEAD~1"])
        #expect(other.err.contains("the working tree is not"), "\(other.err)")
    }

    @Test("a cache directory inside the working tree (as on GitLab) does not count as an uncommitted change")
    func cacheInsideTheTree() throws {
        let box = try Sandbox(
            """
            version: 1
            stages:
              all: {run: "echo ran >> SCRATCH/all", on: ["**"]}
            """)
        let env = ["MLCI_CACHE_DIR": box.repo.file(".mlci-cache")]
        #expect(try box.run(["--all"], env: env).status == 0)
        let second = try box.run(["--all"], env: env)
        #expect(
            second.status == 0 && box.count("all") == 1 && !second.err.contains("did not use the cache"),
            "\(second.err)")
    }

    @Test(
        "a stage whose command reads its changed-file list is keyed by that list: a narrow range never replays for a wider one"
    )
    func fileListsInTheKey() throws {
        let box = try Sandbox(
            """
            version: 1
            stages:
              lint:
                run: 'for f in $(cat "$MLCI_STAGE_FILES"); do echo "checking $f"; if grep -q BROKEN "$f"; then exit 1; fi; done'
                on: ["src/**"]
            """)
        try "BROKEN\n".write(toFile: box.repo.file("src/c.py"), atomically: false, encoding: .utf8)
        try Shell.git(box.repo.path, "add", "-A")
        try Shell.git(box.repo.path, "commit", "-qm", "broken c.py")
        try "ok2\n".write(toFile: box.repo.file("src/app.py"), atomically: false, encoding: .utf8)
        try Shell.git(box.repo.path, "commit", "-qam", "app.py")
        #expect(try box.run(["--base", "HEAD~1"]).status == 0, "only app.py is checked")
        let wide = try box.run(["--base", "HEAD~2"])
        #expect(wide.status == 1 && !wide.out.contains("cached"), "\(wide.out)")
    }

    @Test(
        "the run's file lists are removed when it ends, a closed output pipe stops nothing half-way, and a path with a newline is one quoted entry"
    )
    func runFilesAndPipes() throws {
        let tmp = try TemporaryDirectory("run-tmp")
        let box = try Sandbox(
            """
            version: 1
            stages:
              list: {run: 'cp "$MLCI_STAGE_FILES" SCRATCH/list', on: ["src/**"], cache: false}
              chatty: {run: 'for i in 1 2 3 4 5 6; do echo "line $i"; done; echo $$ > SCRATCH/chatty.pid; sleep 1; echo done >> SCRATCH/chatty', cache: false}
            """)
        try "x\n".write(toFile: box.repo.file("src/y\nz.py"), atomically: false, encoding: .utf8)
        try Shell.git(box.repo.path, "add", "-A")
        try Shell.git(box.repo.path, "commit", "-qm", "a hostile name")
        for _ in 0..<3 {
            #expect(
                try box.run(["--base", "HEAD~1", "--stage", "list", "--only"], env: ["TMPDIR": tmp.path]).status == 0)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty, "no run-files directory is left")
        #expect((try? String(contentsOfFile: box.scratch.file("list"), encoding: .utf8)) == "\"src/y\\nz.py\"\n")

        let piped = try Shell.run(
            [
                "sh", "-c", "\"$0\" run --config \"$1\" --all --stage chatty --only | head -n 2",
                FixturePaths.mlciBinary, box.config,
            ],
            in: box.repo.path, environment: ["CI": "true", "TMPDIR": tmp.path])
        #expect(piped.out.split(separator: "\n").count == 2)
        for _ in 0..<100 where box.count("chatty") == 0 { usleep(50_000) }
        #expect(box.count("chatty") == 1, "the stage ran to its end although the reader went away")
        let pid =
            Int32(
                (try? String(contentsOfFile: box.scratch.file("chatty.pid"), encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(pid > 0 && !Self.processAlive(pid))
        for _ in 0..<100 where !((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).isEmpty {
            usleep(50_000)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).isEmpty)
    }

    @Test("an input file, an env_inputs value or the command each invalidate exactly the stages they feed")
    func invalidation() throws {
        let yaml = """
            version: 1
            kinds: {code: ["src/**"], data: ["data/**"]}
            stages:
              lint: {run: "echo x >> SCRATCH/lint", on: [code]}
              train: {run: "echo x >> SCRATCH/train", on: [data], env_inputs: [SEED]}
              report: {run: "echo x >> SCRATCH/report", needs: [train]}
            """
        let box = try Sandbox(yaml)
        func counts() -> [Int] { [box.count("lint"), box.count("train"), box.count("report")] }
        try box.run(["--all"], env: ["SEED": "1"])
        #expect(counts() == [1, 1, 1])
        try box.run(["--all"], env: ["SEED": "1"])
        #expect(counts() == [1, 1, 1])
        try "b\n".write(toFile: box.repo.file("data/a.csv"), atomically: false, encoding: .utf8)
        try Shell.git(box.repo.path, "commit", "-qam", "data")
        try box.run(["--all"], env: ["SEED": "1"])
        #expect(counts() == [1, 2, 2], "a data file feeds train, and report through needs")
        try box.run(["--all"], env: ["SEED": "2"])
        #expect(counts() == [1, 3, 3])
        try box.run(["--all"])
        #expect(counts() == [1, 4, 4], "unset differs from set")
        try box.run(["--all"], env: ["SEED": ""])
        #expect(counts() == [1, 5, 5], "empty differs from unset")
        try box.setConfig(yaml.replacingOccurrences(of: "echo x >> SCRATCH/lint", with: "echo y >> SCRATCH/lint"))
        try box.run(["--all"], env: ["SEED": ""])
        #expect(counts() == [2, 5, 5])
        let explain = try box.run(["--all", "--explain-cache", "train"], env: ["SEED": "7"])
        #expect(explain.out.contains("env_inputs SEED changed (empty → set)"))
    }

    @Test("--worktree sees dirty files: they change the plan and the cache key")
    func worktree() throws {
        let yaml = """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              lint: {run: "echo x >> SCRATCH/lint", on: [code]}
            """
        let box = try Sandbox(yaml)
        let clean = try box.run(["--worktree", "--base", "HEAD"])
        #expect(clean.status == 0 && box.count("lint") == 0, "nothing dirty: nothing to run")
        try "print(2)\n".write(toFile: box.repo.file("src/app.py"), atomically: false, encoding: .utf8)
        try box.run(["--worktree", "--base", "HEAD"])
        #expect(box.count("lint") == 1)
        try box.run(["--worktree", "--base", "HEAD"])
        #expect(box.count("lint") == 1, "same dirty content: cache hit")
        try "print(3)\n".write(toFile: box.repo.file("src/app.py"), atomically: false, encoding: .utf8)
        try box.run(["--worktree", "--base", "HEAD"])
        #expect(box.count("lint") == 2)
    }

    @Test("the run executes exactly the stages mlci plan reports for the same range")
    func sameAsPlan() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        for tag in ["s-code-only", "s-data-only", "s-model", "s-unwatched"] {
            let plan = try PlanHelpers.plan(["--base", tag + "~1", "--head", tag], in: repo.path)
            let run = try MLCIRunner.run(["run", "--dry-run", "--base", tag + "~1", "--head", tag], in: repo.path)
            let planned = PlanHelpers.affected(plan)
            let listed = run.out.split(separator: "\n").compactMap { line -> String? in
                guard let dot = line.firstIndex(of: "."), Int(line[..<dot]) != nil else { return nil }
                return String(line[line.index(dot, offsetBy: 2)...].split(separator: " ")[0])
            }
            #expect(listed == planned, "\(tag)")
        }
    }

    @Test("metrics parse as Prometheus exposition; events are JSON lines")
    func metricsAndEvents() throws {
        let yaml = """
            version: 1
            pipelines: {ci: {stages: [ok, bad]}}
            stages:
              ok: {run: "echo fine"}
              bad: {run: "exit 4", after: [ok]}
            """
        let box = try Sandbox(yaml)
        let result = try box.run([
            "--all", "--metrics-file", box.scratch.file("m.prom"), "--events", box.scratch.file("e.jsonl"),
        ])
        #expect(result.status == 1)
        let check = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            families = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
            status = {s.labels["stage"]: s.labels["status"] for s in families["mlci_stage_status"].samples}
            assert status == {"ok": "passed", "bad": "failed"}, status
            assert all(s.labels["pipeline"] == "ci" for s in families["mlci_stage_duration_seconds"].samples)
            assert {s.labels["stage"]: s.value for s in families["mlci_stage_success"].samples} == {"ok": 1, "bad": 0}
            events = [json.loads(line) for line in open(sys.argv[2])]
            kinds = [e["event"] for e in events]
            assert kinds[0] == "run_started" and kinds[-1] == "run_finished", kinds
            done = {e["stage"]: e for e in events if e["event"] == "stage_finished"}
            assert done["bad"]["exit_code"] == 4 and done["bad"]["status"] == "failed", done
            assert events[-1]["status"] == "failed"
            print("ok")
            """
        try check.write(toFile: box.scratch.file("check.py"), atomically: false, encoding: .utf8)
        let python = try Validators.path("python")
        let verdict = try Shell.run([
            python, box.scratch.file("check.py"), box.scratch.file("m.prom"), box.scratch.file("e.jsonl"),
        ])
        #expect(verdict.status == 0 && verdict.out == "ok\n", "\(verdict.err)")
    }

    @Test("secrets are masked everywhere and never cached; a rollback runs when its stage fails")
    func secretsAndRollback() throws {
        let yaml = """
            version: 1
            stages:
              push: {run: "echo token=$TOKEN; echo x >> SCRATCH/push", secrets: [TOKEN]}
              release: {run: "exit 1", rollback: "echo rolled >> SCRATCH/rollback", cache: false}
            """
        let box = try Sandbox(yaml)
        let result = try box.run(
            ["--all", "--keep-going", "--events", box.scratch.file("e.jsonl")], env: ["TOKEN": "s3cr3t-value"])
        #expect(result.out.contains("[push] token=***"))
        #expect(!result.out.contains("s3cr3t-value") && !result.err.contains("s3cr3t-value"))
        #expect(!(try String(contentsOfFile: box.scratch.file("e.jsonl"), encoding: .utf8)).contains("s3cr3t-value"))
        #expect(box.count("rollback") == 1)
        #expect(result.out.contains("failed, rolled back"))
        try box.run(["--all", "--keep-going"], env: ["TOKEN": "s3cr3t-value"])
        #expect(box.count("push") == 2, "a stage with secrets is never cached")
        let cacheDir = box.repo.file(".git/mlci/cache")
        if FileManager.default.fileExists(atPath: cacheDir) {
            let grep = try Shell.run(["grep", "-r", "s3cr3t-value", cacheDir])
            #expect(grep.status == 1, "no secret in the cache")
        }
    }

    @Test("declared outputs are stored and restored on a cache hit")
    func outputs() throws {
        let yaml = """
            version: 1
            stages:
              build: {run: "mkdir -p out && echo artefact > out/model.bin && echo x >> SCRATCH/build", outputs: [out]}
            """
        let box = try Sandbox(yaml)
        try box.run(["--all"])
        try FileManager.default.removeItem(atPath: box.repo.file("out"))
        try box.run(["--all"])
        #expect(box.count("build") == 1)
        #expect(try String(contentsOfFile: box.repo.file("out/model.bin"), encoding: .utf8) == "artefact\n")
    }

    @Test(
        "bad input: unknown stage, --jobs 0, a bad duration, a missing command, binary and huge output, a corrupt cache entry"
    )
    func badInput() throws {
        let yaml = """
            version: 1
            stages:
              missing: {run: "no-such-command-anywhere", cache: false}
              noisy: {run: "head -c 3000000 /dev/urandom; echo; seq 1 200000 | tail -n 1", cache: false}
              cached: {run: "echo x >> SCRATCH/cached"}
            """
        let box = try Sandbox(yaml)
        let unknown = try box.run(["--stage", "tset"])
        #expect(unknown.status == 2 && unknown.err.contains("no stage named 'tset'"))
        #expect(try box.run(["--jobs", "0"]).status == 2)
        let duration = try box.run(["--timeout", "10 minutes"])
        #expect(duration.status == 2 && duration.err.contains("90s, 30m, 2h"))
        let missing = try box.run(["--stage", "missing", "--only"])
        #expect(missing.status == 1 && missing.out.contains("command not found (exit 127)"))
        let noisy = try box.run(["--stage", "noisy", "--only"])
        #expect(noisy.status == 0 && noisy.out.contains("[noisy] 200000"))
        try box.run(["--stage", "cached", "--only"])
        let records = try Shell.ok(["find", box.repo.file(".git/mlci/cache/stages"), "-name", "[0-9a-f]*.json"]).out
            .split(separator: "\n")
        #expect(records.count == 1)
        try "{not json".write(toFile: String(records[0]), atomically: false, encoding: .utf8)
        let corrupt = try box.run(["--stage", "cached", "--only"])
        #expect(corrupt.status == 0 && box.count("cached") == 2, "a corrupt entry is a miss, never a hit")
        #expect(corrupt.err.contains("ignoring a corrupt or foreign cache entry"))
    }

    @Test("--stage runs the named stage and the affected stages it needs; --only just the named one")
    func stageSelection() throws {
        let yaml = """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              build: {run: "echo x >> SCRATCH/build", on: [code], cache: false}
              test: {run: "echo x >> SCRATCH/test", needs: [build], cache: false}
              docs: {run: "echo x >> SCRATCH/docs", cache: false}
            """
        let box = try Sandbox(yaml)
        try "print(9)\n".write(toFile: box.repo.file("src/app.py"), atomically: false, encoding: .utf8)
        try Shell.git(box.repo.path, "commit", "-qam", "code")
        try box.run(["--base", "HEAD~1", "--stage", "test"])
        #expect([box.count("build"), box.count("test"), box.count("docs")] as [Int] == [1, 1, 0])
        let only = try box.run(["--base", "HEAD~1", "--stage", "test", "--only"])
        #expect([box.count("build"), box.count("test"), box.count("docs")] as [Int] == [1, 2, 0])
        // build is affected but left out by --only; docs is not affected: the summary tells them apart.
        #expect(only.out.contains("skipped-not-selected") && only.out.contains("skipped-not-affected"), "\(only.out)")
    }

    @Test("--shard K/N hands each shard a deterministic share of the stage's changed files")
    func shards() throws {
        let yaml = """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              test: {run: "cp \\"$MLCI_SHARD_FILES\\" SCRATCH/shard-$MLCI_SHARD-of-$MLCI_SHARDS", on: [code], cache: false}
            """
        let box = try Sandbox(yaml)
        for i in 0..<5 { try "x\n".write(toFile: box.repo.file("src/m\(i).py"), atomically: false, encoding: .utf8) }
        try Shell.git(box.repo.path, "add", "-A")
        try Shell.git(box.repo.path, "commit", "-qm", "five files")
        try box.run(["--base", "HEAD~1", "--shard", "1/2"])
        try box.run(["--base", "HEAD~1", "--shard", "2/2"])
        let one = try String(contentsOfFile: box.scratch.file("shard-1-of-2"), encoding: .utf8)
        let two = try String(contentsOfFile: box.scratch.file("shard-2-of-2"), encoding: .utf8)
        #expect(one == "src/m0.py\nsrc/m2.py\nsrc/m4.py\n")
        #expect(two == "src/m1.py\nsrc/m3.py\n")
        #expect(try box.run(["--shard", "3/2"]).status == 2)
    }
}
