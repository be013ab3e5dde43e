import Foundation
import MLCICore
import MLCIGit
import MLCITestSupport
import Testing

/// Errors are values a caller can match on: each area's enum case carries its data, and its
/// category (which the command line maps to the exit code) follows from the case.
@Suite("errors you can match on")
struct TypedErrorTests {
    static func repository() throws -> (TemporaryDirectory, Repository, ObjectID) {
        let dir = try TemporaryDirectory("typed-errors")
        try Shell.git(dir.path, "init", "-q", "-b", "main")
        try dir.write("mlci.yml", "version: 1\nstages:\n  test: {run: \"true\", on: [\"src/**\"]}\n")
        let sha = try dir.commitAll("root")
        return (dir, try Repository(discoveringFrom: dir.path), try #require(ObjectID(hex: sha)))
    }

    static func resolve(_ env: [String: String], in repo: Repository, head: ObjectID) throws -> BaseChoice {
        try BaseResolver(repo: repo, context: CIContext(environment: env), defaultBranch: nil)
            .resolve(explicit: nil, head: head)
    }

    @Test("planning: the request, the base, each platform's own base errors")
    func planning() throws {
        let (dir, repo, head) = try Self.repository()
        defer { withExtendedLifetime(dir) {} }
        #expect(throws: PlanError.configFromValue("sideways")) {
            try Planner.plan(PlanRequest(environment: ["MLCI_CONFIG_FROM": "sideways"]), in: repo)
        }
        #expect(throws: PlanError.allZeros(what: "CI_MERGE_REQUEST_DIFF_BASE_SHA")) {
            try Self.resolve(
                [
                    "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event",
                    "CI_MERGE_REQUEST_DIFF_BASE_SHA": String(repeating: "0", count: 40),
                ], in: repo, head: head)
        }
        #expect(throws: GitLabError.mergeRequestWithoutDiffBase) {
            try Self.resolve(["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event"], in: repo, head: head)
        }
        #expect(throws: GitHubError.eventPathUnset) {
            try Self.resolve(["GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push"], in: repo, head: head)
        }
        #expect(throws: JenkinsError.changeTargetMissing(remote: "origin", target: "main")) {
            try Self.resolve(["JENKINS_URL": "http://ci", "CHANGE_TARGET": "main"], in: repo, head: head)
        }
        #expect(throws: PlanError.notASha(source: "gitlab:push", sha: "xyz")) {
            try Self.resolve(["GITLAB_CI": "true", "CI_COMMIT_BEFORE_SHA": "xyz"], in: repo, head: head)
        }
    }

    @Test("running, hooks and generating: cases with their data")
    func otherAreas() throws {
        #expect(throws: RunError.jobsBelowOne) {
            try RunOptions(jobs: 0, keepGoing: false, timeout: nil, shard: nil, metricsFile: nil, eventsFile: nil)
        }
        #expect(throws: RunError.notADuration("soon")) {
            try RunOptions(jobs: 1, keepGoing: false, timeout: "soon", shard: nil, metricsFile: nil, eventsFile: nil)
        }
        #expect(throws: RunError.shardVariableMissing(set: "MLCI_SHARD")) {
            try CIJob.shard(nil, environment: ["MLCI_SHARD": "1"])
        }
        #expect(throws: HookError.noStages) { try HookInstaller.stageList(",", hook: "pre-push") }
        #expect(
            throws: HookError.unreadablePushInput(problems: [
                "line 1: expected '<local ref> <local oid> <remote ref> <remote oid>', got 'one-field'"
            ])
        ) {
            try PushedRef.parse("one-field\n")
        }
        let (dir, repo, _) = try Self.repository()
        defer { withExtendedLifetime(dir) {} }
        #expect(throws: GenerateError.configExists(path: try #require(repo.workdir) + "mlci.yml")) {
            try InitWriter.write(repo: repo, preset: "auto", force: false)
        }
        #expect(throws: GenerateError.unknownPreset("rust", presets: InitWriter.Preset.allCases.map(\.rawValue))) {
            try InitWriter.write(repo: repo, preset: "rust", force: false)
        }
    }

    @Test("each case's category is the documented one")
    func categories() {
        #expect(PlanError.allZeros(what: "x").category == .unresolvableBase)
        #expect(PlanError.protectedStageRemoved.category == .failure)
        #expect(PlanError.configFromValue("x").category == .usage)
        #expect(GitLabError.mergeRequestWithoutDiffBase.category == .unresolvableBase)
        #expect(JenkinsError.changeTargetMissing(remote: "o", target: "t").category == .unresolvableBase)
        #expect(GitHubError.cannotWriteStepFile(path: "p", variable: "v").category == .failure)
        #expect(RunError.cannotWrite(path: "p", reason: "r").category == .failure)
        #expect(RunError.notAShard("x").category == .usage)
        #expect(HookError.cannotInstall(target: "t", reason: "r", restored: true).category == .failure)
        #expect(HookError.hooksPathOutside(configured: "c", path: "p").category == .usage)
        #expect(GenerateError.notGeneratedByMLCI(paths: ["a"]).category == .failure)
        #expect(GenerateError.noTemplate("x").category == .usage)
    }
}
