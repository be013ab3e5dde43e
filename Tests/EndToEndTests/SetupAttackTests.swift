import Foundation
import MLCITestSupport
import Testing
import Yams

/// The set-up lines every generated job runs first, attacked as a pull request would: the
/// checkout holds Python packages named like what the set-up runs (`venv`, `pip`,
/// `ensurepip`, `sitecustomize`), the job's environment points pip at another index, and an
/// earlier job on the same self-hosted runner replaced the installed binary. The lines are
/// taken from the generated GitHub workflow, GitLab pipeline and Jenkinsfile and run with bash
/// in the checkout, installing the wheel built from this tree (`dist/`) from a local index.
@Suite("generated set-up lines under attack")
struct SetupAttackTests {
    /// The wheel `scripts/build-wheel` made, in a PEP 503 index of its own, with its SHA-256.
    struct Index {
        let url: String
        let sha256: String
        let dir: TemporaryDirectory

        init() throws {
            let dist = FixturePaths.packageRoot + "/dist"
            let wheels = ((try? FileManager.default.contentsOfDirectory(atPath: dist)) ?? []).filter {
                $0.hasPrefix("mlci-") && $0.hasSuffix(".whl")
            }
            let wheel = try #require(
                wheels.sorted().last, "no wheel in dist/; run ./scripts/build-wheel (./scripts/test does)")
            dir = try TemporaryDirectory("mlci-index")
            let project = dir.file("simple/mlci")
            try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: dist + "/" + wheel, toPath: project + "/" + wheel)
            sha256 = String(try Shell.ok(["sha256sum", project + "/" + wheel]).out.prefix(64))
            try "<a href=\"\(wheel)#sha256=\(sha256)\">\(wheel)</a>\n".write(
                toFile: project + "/index.html", atomically: true, encoding: .utf8)
            url = "file://" + dir.file("simple")
        }
    }

    /// A checkout whose pull request planted code where `python3 -m …` would look first; each
    /// piece writes a marker when it runs.
    struct HostileCheckout {
        let box: TemporaryDirectory
        var repo: String { box.file("repo") }
        var marker: String { box.file("pwned") }

        init(config: String) throws {
            box = try TemporaryDirectory("mlci-setup-attack")
            let plant = "import pathlib; pathlib.Path(\(Self.pythonString(box.file("pwned")))).write_text(__name__)\n"
            let files: [String: String] = [
                "mlci.yml": config,
                "src/app.py": "print('app')\n",
                "venv/__init__.py": plant, "venv/__main__.py": plant,
                "pip/__init__.py": plant, "pip/__main__.py": plant,
                "ensurepip/__init__.py": plant, "ensurepip/__main__.py": plant,
                "sitecustomize.py": plant, "usercustomize.py": plant,
            ]
            for (path, text) in files {
                let full = box.file("repo/" + path)
                try FileManager.default.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            }
            try Shell.git(repo, "init", "-q", "-b", "main")
            try Shell.git(repo, "add", "-A")
            try Shell.git(repo, "commit", "-q", "-m", "a pull request that plants packages")
        }

        static func pythonString(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "\\'") + "'" }
    }

    static func config(install: String) -> String {
        """
        version: 1
        ci:
          install: \(install)
        stages:
          lint: {run: "true", on: ["*.py"]}
        """
    }

    /// What a runner gives every job, plus variables that would redirect a plain `pip install`.
    static func jobEnvironment(_ box: TemporaryDirectory, evilIndex: String) throws -> [String: String] {
        for dir in ["runner-temp", "tmp", "home"] {
            try FileManager.default.createDirectory(atPath: box.file(dir), withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: box.file("github-path"), contents: Data())
        return [
            "RUNNER_TEMP": box.file("runner-temp"), "GITHUB_PATH": box.file("github-path"),
            "CI_JOB_ID": "4242", "TMPDIR": box.file("tmp"), "WORKSPACE": box.file("repo"),
            "HOME": box.file("home"),
            "PIP_INDEX_URL": evilIndex, "PIP_EXTRA_INDEX_URL": evilIndex, "PIP_FIND_LINKS": evilIndex,
            "PIP_NO_INDEX": "", "PIP_REQUIRE_HASHES": "0", "PYTHONPATH": box.file("repo"),
        ]
    }

    /// The set-up lines of each platform, as the generated files hold them.
    static func setupLines(_ repo: String) throws -> [(platform: String, lines: [String], bin: String)] {
        let tree = repo + "/"
        try MLCIRunner.run(["generate", "github"], in: repo)
        try MLCIRunner.run(["generate", "gitlab"], in: repo)
        try MLCIRunner.run(["generate", "jenkins"], in: repo)
        let workflow = try String(contentsOfFile: tree + ".github/workflows/mlci-mlci.yml", encoding: .utf8)
        let doc = try #require(try Yams.load(yaml: workflow) as? [String: Any])
        let plan = try #require(
            ((doc["jobs"] as? [String: Any])?["plan"] as? [String: Any])?["steps"] as? [[String: Any]])
        let github = try #require(plan.first { $0["name"] as? String == "Set up mlci" }?["run"] as? String)
        let gitlabDoc = try #require(
            try Yams.load(yaml: String(contentsOfFile: tree + ".gitlab-ci.yml", encoding: .utf8)) as? [String: Any])
        let planJob = try #require(
            gitlabDoc.values.compactMap { $0 as? [String: Any] }.first {
                ($0["script"] as? [String])?.contains { $0.contains("mlci plan") } == true
            })
        let gitlab = (planJob["script"] as? [String] ?? []).prefix { !$0.hasPrefix("mlci ") }
        let jenkinsfile = try String(contentsOfFile: tree + "Jenkinsfile", encoding: .utf8)
        let planStage = jenkinsfile.components(separatedBy: "stage('Plan')")[1].components(separatedBy: "withEnv")[0]
        let jenkins = planStage.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("sh '"), t.hasSuffix("'") else { return nil }
            return String(t.dropFirst(4).dropLast()).replacingOccurrences(of: "\\'", with: "'")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        return [
            ("github", [github, "cat \"$GITHUB_PATH\""], "$RUNNER_TEMP/mlci/bin"),
            ("gitlab", Array(gitlab), "$TMPDIR/mlci-job-$CI_JOB_ID/bin"),
            ("jenkins", jenkins, "$WORKSPACE@tmp/mlci/bin"),
        ]
    }

    static func runLines(_ lines: [String], then: String, in dir: String, env: [String: String]) throws
        -> ProcessResult
    {
        try Shell.run(["bash", "-e", "-c", (lines + [then]).joined(separator: "\n")], in: dir, environment: env)
    }

    @Test("the set-up of every platform installs the pinned wheel and runs nothing the checkout planted")
    func plantedPackagesDoNotRun() throws {
        let index = try Index()
        let checkout = try HostileCheckout(
            config: Self.config(install: "{sha256: [\(index.sha256)], index_url: '\(index.url)'}"))
        let evil = try TemporaryDirectory("mlci-evil-index")
        let env = try Self.jobEnvironment(checkout.box, evilIndex: "file://" + evil.path)
        for (platform, lines, bin) in try Self.setupLines(checkout.repo) {
            #expect(lines.contains { $0.contains("--require-hashes") }, "\(platform): \(lines)")
            let result = try Self.runLines(
                lines, then: "PATH=\"\(bin):$PATH\"; command -v mlci; mlci --version", in: checkout.repo, env: env)
            #expect(result.status == 0, "\(platform): \(result.out)\(result.err)")
            #expect(result.out.contains("0.1.0") || result.out.contains("mlci"), "\(platform): \(result.out)")
            #expect(
                !FileManager.default.fileExists(atPath: checkout.marker),
                "\(platform): the set-up ran the checkout's code: \((try? String(contentsOfFile: checkout.marker, encoding: .utf8)) ?? "")"
            )
            #expect(
                !result.out.contains(checkout.repo + "/"),
                "\(platform): mlci must not come from the checkout: \(result.out)")
        }
        let githubPath = try String(contentsOfFile: checkout.box.file("github-path"), encoding: .utf8)
        #expect(githubPath == checkout.box.file("runner-temp") + "/mlci/bin\n")
    }

    @Test("a wheel whose SHA-256 is not the pinned one is refused, and nothing is put on PATH")
    func wrongHashIsRefused() throws {
        let index = try Index()
        let other = String(repeating: "ab", count: 32)
        let checkout = try HostileCheckout(
            config: Self.config(install: "{sha256: [\(other)], index_url: '\(index.url)'}"))
        let env = try Self.jobEnvironment(checkout.box, evilIndex: index.url)
        for (platform, lines, bin) in try Self.setupLines(checkout.repo) {
            let result = try Self.runLines(lines, then: "test -x \"\(bin)/mlci\"", in: checkout.repo, env: env)
            #expect(result.status != 0, "\(platform): a wheel with another hash was installed")
            #expect(result.err.contains("hash") || result.err.contains("HASH"), "\(platform): \(result.err)")
        }
    }

    @Test("a binary replaced by an earlier job on a self-hosted runner is not used by the next job")
    func tamperedInstallIsReplaced() throws {
        let index = try Index()
        let checkout = try HostileCheckout(
            config: Self.config(install: "{sha256: [\(index.sha256)], index_url: '\(index.url)'}"))
        let env = try Self.jobEnvironment(checkout.box, evilIndex: index.url)
        for (platform, lines, bin) in try Self.setupLines(checkout.repo) {
            // The first job installs mlci; a stage of it replaces the binary on PATH.
            let tamper =
                "printf '#!/bin/sh\\necho FAKE-MLCI\\n' > \"\(bin)/mlci\"; chmod +x \"\(bin)/mlci\"; \"\(bin)/mlci\""
            let first = try Self.runLines(lines, then: tamper, in: checkout.repo, env: env)
            #expect(first.out.contains("FAKE-MLCI"), "\(platform): \(first.err)")
            let next = try Self.runLines(lines, then: "\"\(bin)/mlci\" --version", in: checkout.repo, env: env)
            #expect(next.status == 0 && !next.out.contains("FAKE-MLCI"), "\(platform): \(next.out)\(next.err)")
        }
    }

    @Test("without hashes to pin, generate warns and every job's set-up stops with the reason")
    func unpinnedFailsClosed() throws {
        let checkout = try HostileCheckout(config: "version: 1\nstages:\n  lint: {run: \"true\", on: [\"*.py\"]}\n")
        let generate = try MLCIRunner.run(["generate", "github"], in: checkout.repo)
        #expect(generate.status == 0)
        #expect(
            generate.err.contains("will stop at set-up") && generate.err.contains("ci.install.sha256"),
            "\(generate.err)")
        let env = try Self.jobEnvironment(checkout.box, evilIndex: "https://127.0.0.1:9/simple")
        for (platform, lines, _) in try Self.setupLines(checkout.repo) {
            #expect(!lines.joined().contains("pip install"), "\(platform): \(lines)")
            let result = try Self.runLines(lines, then: "echo CONTINUED", in: checkout.repo, env: env)
            #expect(result.status == 1 && !result.out.contains("CONTINUED"), "\(platform)")
            #expect(result.err.contains("ci.install.sha256"), "\(platform): \(result.err)")
        }
    }

    @Test("ci.install is checked: version, hashes and index URL")
    func installSettingsAreValidated() throws {
        let checkout = try HostileCheckout(
            config: Self.config(install: "{version: 9.9.9, sha256: [abc], index_url: \"http://mirror/simple'$(id)\"}"))
        let result = try MLCIRunner.run(["validate"], in: checkout.repo)
        #expect(result.status == 2)
        #expect(
            result.err.contains("mlci.yml:3:") && result.err.contains("ci.install.version is 9.9.9"), "\(result.err)")
        #expect(result.err.contains("'abc' is not a SHA-256"), "\(result.err)")
        #expect(result.err.contains("index_url must start with https://"), "\(result.err)")
    }
}
