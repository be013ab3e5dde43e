import Foundation
import MLCITestSupport
import Testing

/// The jobs of a generated GitLab child pipeline, run on this host by gitlabci-local (`gcil -H`)
/// as a runner would run their scripts: each runs its stage through `mlci job`, so the stage's
/// `dir`, declared secrets (masked), changed-file list and rollback behave as in `mlci run`.
/// (gcil ignores rules, needs and triggers; the child holds only the jobs the plan chose.)
@Suite("generated GitLab jobs run their stages through mlci")
struct GitLabJobTests {
    @Test("a child pipeline's jobs: dir, masked secret, stage files; a failing deploy rolls back in its own job")
    func childJobs() throws {
        let repo = try TemporaryDirectory("gitlab-jobs")
        let marks = try TemporaryDirectory("gitlab-marks")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try FileManager.default.createDirectory(atPath: repo.file("src"), withIntermediateDirectories: true)
        try """
        version: 1
        kinds: {code: ["src/**"]}
        ci:
          setup: ['export PATH="$MLCI_TEST_BIN_DIR:$PATH"']
        stages:
          lint:
            run: 'pwd > "$MARKS/lint"; cp "$MLCI_STAGE_FILES" "$MARKS/lint-files"; echo "token $API_TOKEN"'
            on: [code]
            dir: src
            secrets: [API_TOKEN]
          deploy: {run: 'exit 1', on: [code], rollback: 'echo rolled > "$MARKS/rollback"'}
        """.write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try "a\n".write(toFile: repo.file("src/a.py"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        try "b\n".write(toFile: repo.file("src/a.py"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "code")
        try MLCIRunner.run(
            ["generate", "gitlab-child", "--pipeline", "mlci", "--base", "HEAD~1", "--out", "child.yml"], in: repo.path
        ).requireSuccess()

        func job(_ name: String) throws -> ProcessResult {
            try Shell.run(
                [
                    try Validators.path("gcil"), "-H", "-c", "child.yml", "--no-color",
                    "-e", "MLCI_TEST_BIN_DIR=" + (FixturePaths.mlciBinary as NSString).deletingLastPathComponent,
                    "-e", "MARKS=" + marks.path, "-e", "API_TOKEN=gitlab-secret-value", name,
                ], in: repo.path, environment: ["CI": "", "GITLAB_CI": ""])
        }
        let lint = try job("lint")
        let output = lint.out + lint.err
        #expect(lint.status == 0, "\(output)")
        #expect(output.contains("[lint] token ***") && !output.contains("gitlab-secret-value"), "\(output)")
        #expect((try? String(contentsOfFile: marks.file("lint"), encoding: .utf8)) == repo.file("src") + "\n")
        #expect((try? String(contentsOfFile: marks.file("lint-files"), encoding: .utf8)) == "src/a.py\n")

        let deploy = try job("deploy")
        #expect(deploy.status != 0, "a failing stage fails its job")
        #expect((try? String(contentsOfFile: marks.file("rollback"), encoding: .utf8)) == "rolled\n")
    }
}
