import Foundation
import MLCITestSupport
import Testing

/// `validate` and `generate` say when a pull request's own code would run with a stage's
/// secrets or with write permissions, and stay quiet when that pipeline skips pull requests.
@Suite("secrets and write permissions in pull-request pipelines")
struct PullRequestExposureTests {
    static func repo(pullRequests: String) throws -> TemporaryDirectory {
        let repo = try TemporaryDirectory("pr-exposure")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try """
        version: 1
        ci:
          setup: ["mlci --version"]
        pipelines:
          ci: {stages: [test]}
          cd: {stages: [deploy]\(pullRequests)}
        stages:
          test: {run: "true", on: ["*.py"]}
          deploy:
            run: "true"
            on: ["*.py"]
            secrets: [DEPLOY_TOKEN]
            ci: {github: {permissions: {contents: write, id-token: write}}}
        """.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try repo.write("a.py", "a\n")
        try repo.commitAll("root")
        return repo
    }

    @Test("a deploy stage with secrets and write scopes in a pipeline that runs on pull requests is named at its line")
    func warned() throws {
        let repo = try Self.repo(pullRequests: "")
        for command in [["validate"], ["generate", "github"]] {
            let result = try MLCIRunner.run(command, in: repo.path)
            #expect(result.status == 0, "\(result.err)")
            let text = result.out + result.err
            #expect(
                text.contains(
                    "mlci.yml:9:3: warning: stage 'deploy' gets secrets (DEPLOY_TOKEN) and pipeline 'cd' runs on pull requests"
                ),
                "\(command): \(text)")
            #expect(text.contains("GitHub write permissions (contents, id-token)"), "\(command): \(text)")
            #expect(!text.contains("stage 'test' gets"), "\(command): \(text)")
        }
    }

    @Test("with pull_requests: false nothing is said")
    func quiet() throws {
        let repo = try Self.repo(pullRequests: ", pull_requests: false")
        let result = try MLCIRunner.run(["validate"], in: repo.path)
        #expect(result.status == 0 && !(result.out + result.err).contains("runs on pull requests"), "\(result.err)")
    }
}
