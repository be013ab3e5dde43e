import Foundation
import MLCITestSupport
import Testing

/// `.github/workflows/release.yml`, mlci's own release workflow: actionlint-clean, and its x86-64
/// build job run in act (jobs as host processes) on a clone of this checkout for a pushed tag, up
/// to the artifact upload (a stand-in that keeps the files). The wheel is the one scripts/test
/// built just before the Swift tests (dist/), passed as MLCI_RELEASE_PREBUILT_WHEEL instead of a
/// second release build; everything after it (packaging/test-wheel, the binary's tarball,
/// SHA256SUMS, the tag check) runs for real.
@Suite("release workflow")
struct ReleaseWorkflowTests {
    static let workflow = FixturePaths.packageRoot + "/.github/workflows/release.yml"
    static let uploadAction = "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02"

    @Test("release.yml passes actionlint (with shellcheck) and pins every action by commit")
    func lint() throws {
        let problems = try Validators.problems(
            "actionlint",
            [
                "-config-file", Validators.configDirectory + "/actionlint.yaml", "-shellcheck", "shellcheck",
                Self.workflow,
            ])
        #expect(problems == nil, "\(problems ?? "")")
        let text = try String(contentsOfFile: Self.workflow, encoding: .utf8)
        let uses = text.split(separator: "\n").filter { $0.contains("uses:") }
        #expect(!uses.isEmpty)
        for line in uses {
            #expect(
                line.range(of: #"uses: [\w./-]+@[0-9a-f]{40}(\s|$)"#, options: .regularExpression) != nil, "\(line)")
        }
        #expect(text.contains("pypa/gh-action-pypi-publish@") && text.contains("attestations: true"))
        // id-token: write only in the publishing job.
        #expect(text.components(separatedBy: "id-token: write").count == 2)
    }

    /// The newest wheel in dist/ for x86-64 (scripts/test builds it before the Swift tests).
    static func builtWheel(version: String) throws -> String {
        let dist = FixturePaths.packageRoot + "/dist"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dist)) ?? []).filter {
            $0.hasPrefix("mlci-\(version)-") && $0.hasSuffix("_x86_64.whl")
        }
        let newest = names.max { a, b in
            let date = { (n: String) in
                (try? FileManager.default.attributesOfItem(atPath: dist + "/" + n)[.modificationDate] as? Date)
                    ?? .distantPast
            }
            return date(a) < date(b)
        }
        return try #require(
            newest.map { dist + "/" + $0 }, "no dist/mlci-\(version)-*_x86_64.whl: run ./scripts/build-wheel first")
    }

    /// Runs release.yml's build job for x86-64 in act for a push of `tag`.
    static func act(tag: String, wheel: String, artifacts: String, in repo: String) throws -> ProcessResult {
        let dir = try TemporaryDirectory("release-act")
        let event = dir.file("event.json")
        try JSONSerialization.data(withJSONObject: ["ref": "refs/tags/" + tag, "ref_name": tag]).write(
            to: URL(fileURLWithPath: event))
        return try Shell.run(
            [
                try Validators.path("act"), "push", "-e", event, "-W", ".github/workflows/release.yml", "-j", "build",
                "--matrix", "arch:x86_64", "-P", "ubuntu-latest=-self-hosted", "--local-repository",
                Self.uploadAction + "=" + FixturePaths.packageRoot + "/Tests/WorkflowEngine/upload-artifact",
                "--env", "MLCI_RELEASE_PREBUILT_WHEEL=" + wheel, "--env", "MLCI_TEST_ARTIFACTS=" + artifacts,
            ], in: repo, environment: ["GITHUB_ACTIONS": "", "GITHUB_EVENT_PATH": ""])
    }

    @Test(
        "act runs the x86-64 build entry for tag v<MLCIVersion.current>: the wheel passes test-wheel, SHA256SUMS checks, the tarball's mlci runs; another tag fails"
    )
    func buildJobInAct() throws {
        let version = try MLCIRunner.run(["--version"], in: FixturePaths.packageRoot).out.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let wheel = try Self.builtWheel(version: version)
        let work = try TemporaryDirectory("release-workflow")
        let repo = work.file("checkout")
        try Shell.ok(["git", "clone", "-q", FixturePaths.packageRoot, repo])
        try Shell.git(repo, "tag", "v" + version)

        let artifacts = work.file("artifacts")
        let run = try Self.act(tag: "v" + version, wheel: wheel, artifacts: artifacts, in: repo)
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.contains("wheel: 0 failed"), "packaging/test-wheel ran and passed: \(run.out)")
        let uploaded = artifacts + "/release-x86_64"
        let wheelName = (wheel as NSString).lastPathComponent
        let tarball = "mlci-\(version)-linux-x86_64.tar.gz"
        let sums = try String(contentsOfFile: uploaded + "/SHA256SUMS-x86_64", encoding: .utf8)
        #expect(sums.contains("  " + wheelName + "\n") && sums.contains("  " + tarball + "\n"), "\(sums)")
        try Shell.ok(["sha256sum", "-c", "SHA256SUMS-x86_64"], in: uploaded)
        let wheelSum = try Shell.ok(["sha256sum", wheel]).out.split(separator: " ").first.map(String.init)
        #expect(sums.contains(try #require(wheelSum) + "  " + wheelName), "the uploaded wheel is the built one")
        try Shell.ok(["tar", "-xzf", uploaded + "/" + tarball, "-C", work.path])
        let bare = try Shell.run([work.file("mlci/bin/mlci"), "--version"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(bare.status == 0 && bare.out == version + "\n", "\(bare.out)\(bare.err)")

        // A tag that is not v<MLCIVersion.current> builds nothing.
        try Shell.git(repo, "tag", "v9.9.9")
        let wrong = try Self.act(tag: "v9.9.9", wheel: wheel, artifacts: work.file("wrong"), in: repo)
        #expect(wrong.status != 0)
        #expect(wrong.out.contains("does not match MLCIVersion.current '\(version)'"), "\(wrong.out)")
        #expect(!FileManager.default.fileExists(atPath: work.file("wrong")), "nothing was uploaded")
    }
}
