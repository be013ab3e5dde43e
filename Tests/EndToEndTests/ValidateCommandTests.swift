import Foundation
import MLCITestSupport
import Testing

@Suite("mlci validate and configuration errors, end to end")
struct ValidateCommandTests {
    @Test("a missing --config file says why; flag errors start 'mlci: error:' like every other error, exit 2")
    func plainErrors() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        let missing = try MLCIRunner.run(["plan", "--config", "/nonexistent/mlci.yml"], in: repo.path)
        #expect(missing.status == 2)
        #expect(
            missing.err.contains("cannot read the config file /nonexistent/mlci.yml: no such file"), "\(missing.err)")
        let flag = try MLCIRunner.run(["plan", "--no-such-flag"], in: repo.path)
        #expect(flag.status == 2 && flag.err.hasPrefix("mlci: error: "), "\(flag.err)")
        let help = try MLCIRunner.run(["--help"], in: repo.path)
        #expect(help.out.contains("130 interrupted"), "\(help.out)")
    }

    @Test("a valid config passes; patterns that match no tracked file are warnings, not failures")
    func validWithWarnings() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        let ok = try MLCIRunner.run(["validate"], in: repo.path)
        #expect(ok.status == 0)
        #expect(ok.out == "mlci.yml is valid: 6 stages, 3 kinds\n")
        var text = try String(contentsOfFile: repo.file("mlci.yml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "on: [model, \"k8s/**\"]", with: "on: [model, \"helm/**\"]")
        try text.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        let warned = try MLCIRunner.run(["validate"], in: repo.path)
        #expect(warned.status == 0)
        #expect(
            warned.err.contains(
                "mlci.yml:32:17: warning: stage 'deploy' watches 'helm/**', which matches no tracked file"))
    }

    @Test("errors exit 2, all listed with file:line:column, and mlci plan refuses the same config")
    func errors() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        let bad =
            "version: 1\nkinds: {code: [\"src/**\"]}\nstages:\n  lint: {run: ruff, on: [cod]}\n  test: {run: pytest, neds: [lint]}\n"
        try bad.write(toFile: repo.file("bad.yml"), atomically: false, encoding: .utf8)
        let result = try MLCIRunner.run(["validate", "--config", "bad.yml"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.err.contains("bad.yml:4:26: error: stage 'lint' watches 'cod'"))
        #expect(result.err.contains("bad.yml:5:23: error: stage 'test': unknown key 'neds' (did you mean 'needs'?)"))
        let plan = try MLCIRunner.run(["plan", "--config", "bad.yml"], in: repo.path)
        #expect(plan.status == 2)
        #expect(plan.err == result.err)
    }

    @Test("no mlci.yml at head exits 2 and says how to get one")
    func missing() throws {
        let repo = try FixtureRepository.build("core-paths")
        let result = try MLCIRunner.run(["plan"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.err.contains("no mlci.yml in head") && result.err.contains("--config"))
    }

    @Test("a params file that cannot be parsed names the file, line and commit, exit 2")
    func brokenParams() throws {
        let repo = try FixtureRepository.build("plan-scenarios")
        try "train:\n  lr: [0.3\n".write(toFile: repo.file("params.yaml"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "broken params")
        let head = try Shell.git(repo.path, "rev-parse", "HEAD").prefix(8)
        let result = try MLCIRunner.run(["plan", "--base", "HEAD~1"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.err.contains("params.yaml:3 at head \(head)"), "\(result.err)")
    }
}
