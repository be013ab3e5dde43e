import Foundation
import MLCICore
import MLCIGit
import MLCITestSupport
import Testing

/// A CI platform is one unit: the fake fourth platform beside this file plans, validates its
/// settings and generates its file through the same entry points as the built-in ones, with no
/// change anywhere in Sources (the last test checks that nothing there knows it).
@Suite("a fourth CI platform is one folder")
struct FakeCIPlatformTests {
    static let platforms: [any CIPlatform] = CIPlatforms.builtIn + [FakeCIPlatform()]

    static let config = """
        version: 1
        kinds:
          code: ["src/**"]
          data: ["data/**"]
        ci:
          fakeci: {runner: cpu}
        stages:
          test: {run: "true", on: [code]}
          train: {run: "true", on: [data], ci: {fakeci: {runner: gpu}}}
          deploy: {run: "true", on: ["deploy/**"], tags: ["model@v*"]}
        pipelines:
          ci: {stages: [test, deploy]}
          ct: {stages: [train], schedule: "0 3 * * *"}

        """

    /// A repository with three commits: the config, a code change, a data change.
    static func repository() throws -> (TemporaryDirectory, [String]) {
        let dir = try TemporaryDirectory("fakeci")
        try Shell.git(dir.path, "init", "-q", "-b", "main")
        try dir.write("mlci.yml", config)
        try dir.write("src/a.py", "1\n")
        try dir.write("data/d.csv", "1\n")
        let first = try dir.commitAll("config")
        try dir.write("src/a.py", "2\n")
        let second = try dir.commitAll("code")
        try dir.write("data/d.csv", "2\n")
        let third = try dir.commitAll("data")
        return (dir, [first, second, third])
    }

    static func plan(_ dir: TemporaryDirectory, _ env: [String: String]) throws -> Plan {
        try Planner.plan(
            PlanRequest(ci: CIContext(environment: env, platforms: platforms)),
            in: try Repository(discoveringFrom: dir.path))
    }

    @Test("its variables choose the base: a push from its previous commit, a pull request from the merge-base")
    func base() throws {
        let (dir, shas) = try Self.repository()
        let push = try Self.plan(dir, ["FAKECI": "true", "FAKECI_EVENT": "push", "FAKECI_PREVIOUS": shas[0]])
        #expect(push.base.source == "fakeci:push" && push.base.sha?.hex == shas[0])
        #expect(push.affected.map(\.stage.name) == ["test", "train"])
        let pull = try Self.plan(dir, ["FAKECI": "true", "FAKECI_EVENT": "pull", "FAKECI_TARGET": shas[1]])
        #expect(pull.base.source == "fakeci:pull" && pull.base.sha?.hex == shas[1])
        #expect(pull.affected.map(\.stage.name) == ["train"])
        // The built-in list does not know it: there the same variables are no CI at all.
        let builtIn = CIContext(environment: ["FAKECI": "true", "FAKECI_PREVIOUS": shas[0]])
        #expect(builtIn.platform == nil && builtIn.build == nil)
        #expect(CIContext(environment: ["FAKECI": "true"], platforms: Self.platforms).platform?.id == "fakeci")
    }

    @Test("its cron event compares nothing and starts the scheduled pipeline; its tag runs the tag's stage")
    func triggerAndTag() throws {
        let (dir, _) = try Self.repository()
        let cron = try Self.plan(dir, ["FAKECI": "true", "FAKECI_EVENT": "cron"])
        #expect(cron.base.source == "fakeci:cron" && cron.base.trigger == "cron" && cron.base.sha == nil)
        #expect(cron.affected.map(\.stage.name) == ["train"])
        let tagged = try Self.plan(dir, ["FAKECI": "true", "FAKECI_EVENT": "push", "FAKECI_TAG": "model@v2"])
        #expect(tagged.decision("deploy")?.affected == true)
    }

    @Test("ci.fakeci is decoded by the platform, merged per stage, and its mistakes are reported at file:line:column")
    func settings() throws {
        let (config, _) = try ConfigLoader(platforms: Self.platforms).load(text: Self.config)
        #expect(config.ci.platform(FakeCISettings.self)?.runner == "cpu")
        let train = try #require(config.stage(named: "train"))
        #expect(config.ci.overridden(by: train.ci).platform(FakeCISettings.self)?.runner == "gpu")

        let typo = Self.config.replacingOccurrences(of: "fakeci: {runner: cpu}", with: "fakeci: {runnr: cpu}")
        #expect(throws: ConfigError.self) { try ConfigLoader(platforms: Self.platforms).load(text: typo) }
        do {
            _ = try ConfigLoader(platforms: Self.platforms).load(text: typo)
        } catch {
            #expect(
                error.description
                    == "mlci.yml:6:12: error: ci.fakeci: unknown key 'runnr' (did you mean 'runner'?)")
        }
        // Without the platform, its key is unknown to ci: like any other misspelling.
        do {
            _ = try ConfigLoader().load(text: Self.config)
            Issue.record("ci.fakeci loaded without the platform")
        } catch {
            #expect(error.description.contains("mlci.yml:6:3: error: ci: unknown key 'fakeci'"))
        }
        // Its job-id rule reports at the stage.
        let clash = Self.config.replacingOccurrences(of: "  test: {", with: "  plan: {").replacingOccurrences(
            of: "[test, deploy]", with: "[plan, deploy]")
        do {
            _ = try ConfigLoader(platforms: Self.platforms).load(text: clash)
            Issue.record("a stage taking the fake platform's own job id loaded")
        } catch {
            #expect(error.description.contains("mlci.yml:8:3: error: stage 'plan' becomes job id 'job-plan'"))
        }
    }

    @Test("mlci generate's entry point writes its file, equal to the golden one")
    func generate() throws {
        let (dir, _) = try Self.repository()
        let input = try GeneratorInput(
            repo: try Repository(discoveringFrom: dir.path), configFile: nil, platforms: Self.platforms)
        let output = try FakeCIPlatform().generate(input, out: nil)
        #expect(output.files.map(\.path) == [input.root + ".fakeci.yml"])
        let mismatch = try Golden.mismatch(
            output.files[0].content, golden: FixturePaths.fixtures + "/fake-ci/expected/fakeci.yml")
        #expect(mismatch == nil, "\(mismatch ?? "")")
        #expect(try GeneratedFiles(check: false).emit(output.files) { _ in })
        #expect(FileManager.default.fileExists(atPath: dir.file(".fakeci.yml")))
    }

    @Test("nothing in Sources names the fake platform: adding it touched only this folder")
    func touchesNothingElse() throws {
        let sources = FixturePaths.packageRoot + "/Sources"
        let files = (FileManager.default.enumerator(atPath: sources)?.allObjects as? [String] ?? []).filter {
            $0.hasSuffix(".swift")
        }
        #expect(files.count > 100)
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            #expect(!text.lowercased().contains("fakeci"), "\(file)")
        }
    }
}
