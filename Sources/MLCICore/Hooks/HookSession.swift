import Foundation
import MLCIGit

/// Runs a git hook as git calls it: decides whether to check at all (`CI`, `MLCI=0`), plans
/// what is being pushed or committed, and runs the affected hook stages through the executor
/// in the right workspace. What it says goes to `say` (one line each, for stderr); stage
/// output goes to the observers `console` makes.
public struct HookSession {
    public let repo: Repository
    /// The hook's environment as git gave it.
    public let environment: [String: String]
    public let hookStages: [String]
    public let configFile: String?
    public let say: (String) -> Void
    public let console: () -> [RunObserver]

    public init(
        repo: Repository, environment: [String: String], hookStages: [String], configFile: String?,
        say: @escaping (String) -> Void, console: @escaping () -> [RunObserver]
    ) {
        self.repo = repo
        self.environment = environment
        self.hookStages = hookStages
        self.configFile = configFile
        self.say = say
        self.console = console
    }

    /// Why the hook does nothing in this environment, or nil when it checks.
    public static func skipReason(hook: String, environment: [String: String]) -> String? {
        if EnvFlag.isOn(environment["CI"]) {
            return "CI is set, so the \(hook) hook does nothing"
        }
        if EnvFlag.isOff(environment["MLCI"]) {
            return "MLCI=\(environment["MLCI"] ?? ""), skipping the \(hook) check"
        }
        return nil
    }

    /// Runs `hook` as git calls it (`input`: git's standard input, read only for pre-push).
    /// Returns true when the push or commit may go on.
    public func run(hook: String, remote: String?, input: () -> String) throws -> Bool {
        switch hook {
        case "pre-commit": return try preCommit()
        case "pre-push":
            guard let remote else { throw HookError.noRemoteName }
            return try prePush(remote: remote, input: input())
        default: throw HookError.unknownHook(hook)
        }
    }

    /// `MLCI_SKIP=test,lint`: stages the person chose to skip this time.
    var skip: Set<String> {
        Set(
            (environment[StageJobEnvironment.skip] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            .filter { !$0.isEmpty })
    }

    /// The pre-push hook: `input` is what git writes on standard input. Returns true when the
    /// push may go on.
    public func prePush(remote: String, input: String) throws -> Bool {
        let refs = try PushedRef.parse(input)
        guard !refs.isEmpty else { say("mlci: nothing is being pushed"); return true }
        let (ranges, skipped) = try PushRanges.compute(refs, remote: remote, in: repo)
        guard !ranges.isEmpty else {
            say("mlci: nothing new to check (\(skipped.joined(separator: "; ")))")
            return true
        }
        announceSkip()
        try requireCommittedConfig(ranges.map(\.head))
        let env = GitCommand.cleanEnvironment(environment)
        let checks = try PrePushCheck.check(
            ranges: ranges, hookStages: hookStages, skip: skip, repo: repo,
            environment: env, configFile: configFile)
        if let config = checks.first?.check.plan.config {
            let missing = HookInstaller.missingStages(hookStages, in: config)
            if !missing.isEmpty { say("mlci: warning: " + HookInstaller.missingStagesMessage(missing, config: config)) }
        }
        let interruption = Interruption()
        defer { interruption.stop() }
        var passed = true
        var checked = Set<ObjectID>()
        for ref in checks {
            let name = "\(remote) \(ref.range.ref.remoteRef.replacingOccurrences(of: "refs/heads/", with: ""))"
            var line = "mlci: \(name): \(ref.range.how): "
            line += Self.summary(ref.check)
            if !ref.check.inCI.isEmpty { line += "; will run in CI: \(ref.check.inCI.joined(separator: ", "))" }
            say(line)
            guard !ref.check.toRun.isEmpty, checked.insert(ref.range.head).inserted else { continue }
            if case .scratch(let commit, _, let why) = ref.check.place {
                say("mlci: checking \(commit.hex.prefix(12)) in a temporary worktree (\(why))")
            }
            if try !run(ref.check, environment: env, interruption: interruption) { passed = false }
            if interruption.received != nil { break }
        }
        if !passed {
            say(
                "mlci: push blocked: fix the failing stage, or skip with \(StageJobEnvironment.skip)=<stage> / git push --no-verify"
            )
        }
        return passed
    }

    /// The pre-commit hook. Returns true when the commit may go on.
    public func preCommit() throws -> Bool {
        // git gives hooks GIT_INDEX_FILE (relative to the top of the worktree) and GIT_DIR; the
        // index is read from there, and nothing mlci starts inherits them.
        let top = repo.workdir ?? ""
        let indexFile = environment["GIT_INDEX_FILE"].map { $0.hasPrefix("/") ? $0 : top + $0 }
        let env = GitCommand.cleanEnvironment(environment)
        announceSkip()
        let check = try PreCommitCheck.check(
            indexFile: indexFile, hookStages: hookStages, skip: skip, repo: repo,
            environment: env, configFile: configFile)
        say("mlci: pre-commit: " + Self.summary(check))
        guard !check.toRun.isEmpty else { return true }
        if case .scratch(_, _, let why) = check.place {
            say("mlci: checking the staged content in a temporary worktree (\(why))")
        }
        let interruption = Interruption()
        defer { interruption.stop() }
        guard try run(check, environment: env, interruption: interruption) else {
            say(
                "mlci: commit blocked: fix the failing stage, or skip with \(StageJobEnvironment.skip)=<stage> / git commit --no-verify"
            )
            return false
        }
        return true
    }

    /// A pushed commit without mlci.yml, while the working tree has one: the usual first-day
    /// mistake (`mlci init` and `mlci hook install`, then a push before committing the config).
    private func requireCommittedConfig(_ heads: [ObjectID]) throws {
        guard configFile == nil, let workdir = repo.workdir,
            FileManager.default.fileExists(atPath: workdir + MLCIConfig.fileName)
        else { return }
        for head in heads where try repo.blob(atPath: MLCIConfig.fileName, inCommit: head) == nil {
            throw HookError.configNotCommitted(head: head.hex)
        }
    }

    /// "runs lint, test", "no hook stage affected", "skips test (MLCI_SKIP)".
    static func summary(_ check: HookCheck) -> String {
        var parts: [String] = []
        if !check.toRun.isEmpty { parts.append("runs \(check.toRun.map(\.name).joined(separator: ", "))") }
        if !check.skipped.isEmpty {
            parts.append("skips \(check.skipped.joined(separator: ", ")) (\(StageJobEnvironment.skip))")
        }
        return parts.isEmpty ? "no hook stage affected" : parts.joined(separator: "; ")
    }

    private func announceSkip() {
        if !skip.isEmpty { say("mlci: \(StageJobEnvironment.skip) skips \(skip.sorted().joined(separator: ", "))") }
    }

    /// The check's stages through the executor, in its workspace, which is removed afterwards
    /// whatever happens (a signal included).
    private func run(_ check: HookCheck, environment env: [String: String], interruption: Interruption) throws -> Bool {
        guard interruption.received == nil else { return false }
        let workspace = try check.makeWorkspace(repo: repo, environment: env)
        defer { workspace.release() }
        let executor = Executor(plan: check.plan, repo: repo, environment: env)
        let report = try executor.run(
            check.toRun, in: workspace, options: RunOptions(jobs: ProcessInfo.processInfo.activeProcessorCount),
            observers: console(), interruption: interruption)
        for warning in report.warnings { say("mlci: warning: \(warning)") }
        say(String(report.table(onlyRan: true).dropLast()))
        return report.passed && report.interruptedBy == nil
    }
}
