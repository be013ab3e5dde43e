import ArgumentParser
import Foundation
import MLCICore
import MLCIGit

struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install, remove, inspect and run mlci's git pre-push hook.",
        subcommands: [HookInstall.self, HookUninstall.self, HookStatus.self, HookRun.self]
    )
}

struct HookLocationOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("The hook: pre-push.", valueName: "name"))
    var hook = "pre-push"

    @Option(help: ArgumentHelp("Install into this directory (needed when core.hooksPath points outside the repository).", valueName: "dir"))
    var hooksPath: String?

    func validate() throws {
        guard hook == "pre-push" else { throw MLCIError.usage("mlci installs a pre-push hook; '\(hook)' is not supported") }
    }
}

struct HookInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the pre-push hook (an existing hook is kept and runs first).",
        discussion: "Example: mlci hook install --stages lint,test"
    )

    @OptionGroup var location: HookLocationOptions

    @Option(help: ArgumentHelp("Stages the hook runs when affected (comma-separated).", valueName: "list"))
    var stages = "lint,test"

    @Flag(help: "Let pushes through when the mlci binary is missing (default: block them).")
    var failOpen = false

    func run() throws {
        let list = stages.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw MLCIError.usage("--stages needs at least one stage") }
        let repo = try location.repository.open()
        let message = try HookInstaller(repo: repo).install(hook: location.hook, stages: list, failOpen: failOpen,
                                                            binary: Self.currentBinary(), hooksPath: location.hooksPath)
        Output.write("mlci: \(message)\n")
    }

    /// This mlci's absolute path, recorded in the hook.
    static func currentBinary() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        let arg = CommandLine.arguments[0]
        return arg.hasPrefix("/") ? arg : FileManager.default.currentDirectoryPath + "/" + arg
    }
}

struct HookUninstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove mlci's hook and restore the previous one, if any.",
        discussion: "Example: mlci hook uninstall"
    )

    @OptionGroup var location: HookLocationOptions

    func run() throws {
        let repo = try location.repository.open()
        Output.write("mlci: " + (try HookInstaller(repo: repo).uninstall(hook: location.hook, hooksPath: location.hooksPath)) + "\n")
    }
}

struct HookStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say where the hook is, whether it is mlci's, which stages it runs and whether its mlci still exists.",
        discussion: "Example: mlci hook status"
    )

    @OptionGroup var location: HookLocationOptions

    func run() throws {
        let repo = try location.repository.open()
        let s = try HookInstaller(repo: repo).status(hook: location.hook, hooksPath: location.hooksPath)
        var out = "hook:      \(s.path)\n"
        if !s.exists {
            out += "installed: no\n"
        } else if !s.isMLCI {
            out += "installed: a hook that is not mlci's\n"
        } else {
            out += "installed: yes, mlci's\n"
            out += "stages:    \(s.stages.joined(separator: ", "))\n"
            out += "binary:    \(s.binary ?? "?") (\(s.binaryExists ? "exists" : "MISSING: pushes are \(s.failOpen ? "let through" : "blocked"); reinstall with mlci hook install"))\n"
            out += "previous:  \(s.previousKept ? "kept as \(location.hook).mlci-prev, runs first" : "none")\n"
        }
        Output.write(out)
    }
}

struct HookRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a hook as git does (called by the installed hook script).",
        discussion: "Reads git's pre-push input on standard input. MLCI=0 skips the check, MLCI_SKIP=test,lint skips stages."
    )

    @Argument(help: "The hook: pre-push.")
    var hook: String

    @Argument(help: "The remote's name (or URL when pushing to a URL).")
    var remote: String

    @Argument(help: "The remote's URL.")
    var url: String?

    @Option(help: ArgumentHelp("Stages the hook runs when affected.", valueName: "list"))
    var stages = "lint,test"

    @Option(help: ArgumentHelp("Read this config file instead of mlci.yml in the pushed commits.", valueName: "file"))
    var config: String?

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        guard hook == "pre-push" else { throw MLCIError.usage("unknown hook '\(hook)'") }
        let env = ProcessInfo.processInfo.environment
        if let ci = env["CI"], !ci.isEmpty, ci != "false", ci != "0" {
            Output.errorRaw("mlci: CI is set, so the pre-push hook does nothing\n")
            return
        }
        if env["MLCI"] == "0" {
            Output.errorRaw("mlci: MLCI=0, skipping the pre-push check\n")
            return
        }
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let refs = try PushedRef.parse(input)
        guard !refs.isEmpty else {
            Output.errorRaw("mlci: nothing is being pushed\n")
            return
        }
        let repo = try repository.open()
        let (ranges, skipped) = try PushRanges.compute(refs, remote: remote, in: repo)
        guard !ranges.isEmpty else {
            Output.errorRaw("mlci: nothing new to check (\(skipped.joined(separator: "; ")))\n")
            return
        }
        let hookStages = stages.split(separator: ",").map(String.init)
        let skip = Set((env["MLCI_SKIP"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if !skip.isEmpty { Output.errorRaw("mlci: MLCI_SKIP skips \(skip.sorted().joined(separator: ", "))\n") }
        let plans = try PrePushCheck.plan(ranges: ranges, hookStages: hookStages, skip: skip, repo: repo,
                                          environment: env, configFile: config)
        var failed = false
        var checked = Set<ObjectID>()
        for refPlan in plans {
            let name = "\(remote) \(refPlan.range.ref.remoteRef.replacingOccurrences(of: "refs/heads/", with: ""))"
            var line = "mlci: \(name): \(refPlan.range.how): "
            line += refPlan.toRun.isEmpty ? "no hook stage affected" : "runs \(refPlan.toRun.map(\.name).joined(separator: ", "))"
            if !refPlan.inCI.isEmpty { line += "; will run in CI: \(refPlan.inCI.joined(separator: ", "))" }
            Output.errorRaw(line + "\n")
            guard !refPlan.toRun.isEmpty, checked.insert(refPlan.range.head).inserted else { continue }
            if try !runStages(refPlan, repo: repo, env: env) { failed = true }
        }
        if failed {
            Output.errorRaw("mlci: push blocked: fix the failing stage, or skip with MLCI_SKIP=<stage> / git push --no-verify\n")
            throw ExitCode(ExitStatus.failed)
        }
    }

    /// Runs the ref's hook stages through the same runner as `mlci run`, in the current working
    /// tree when it is exactly the pushed commit, else in a temporary detached worktree.
    private func runStages(_ refPlan: PrePushCheck.RefPlan, repo: Repository, env: [String: String]) throws -> Bool {
        var workdir = repo.workdir ?? ""
        var temporary: String?
        if try !PrePushCheck.canRunInPlace(refPlan, repo: repo) {
            let dir = NSTemporaryDirectory() + "mlci-push-\(refPlan.range.head.hex.prefix(12))-\(getpid())"
            let add = try Git.run(["worktree", "add", "--detach", "--quiet", dir, refPlan.range.head.hex], in: repo)
            guard add.status == 0 else { throw MLCIError.failed("cannot check out the pushed commit in \(dir): \(add.output)") }
            temporary = dir
            workdir = dir + "/"
            Output.errorRaw("mlci: checking \(refPlan.range.head.hex.prefix(12)) in a temporary worktree (it is not the clean checked-out HEAD)\n")
        }
        defer {
            if let temporary { _ = try? Git.run(["worktree", "remove", "--force", temporary], in: repo) }
        }
        let cache = CacheStore(root: CacheStore.location(commonDir: repo.commonDir, environment: env))
        let tracked = try repo.changes(fromTree: nil, toTree: try repo.commit(refPlan.range.head).tree)
        let keys = CacheKeys(config: refPlan.plan.config, trackedFiles: tracked, environment: env).parts()
        let work = refPlan.toRun.map { Runner.StageWork(stage: $0, parts: keys[$0.name], cacheable: Run.cacheable($0)) }
        let files = try TemporaryFiles()
        let changed = try files.write("changed-files", refPlan.plan.changes.map(\.path))
        var options = RunOptions(jobs: ProcessInfo.processInfo.activeProcessorCount)
        options.useCache = true
        let runner = Runner(plan: refPlan.plan, work: work, options: options, cache: cache, workdir: workdir,
                            environment: env, changedFilesPath: changed)
        runner.add(RunConsole(live: false, color: Output.stderrIsColorTerminal, toStderr: true))
        let signals = SignalForwarding { runner.interrupt() }
        let started = Date()
        let results = runner.run()
        signals.stop()
        Output.errorRaw(RunSummary.table(results.filter { $0.status != .skippedNotAffected }, total: Date().timeIntervalSince(started)))
        return results.filter { $0.status != .skippedNotAffected }.allSatisfy { $0.status.isSuccess }
    }
}

/// git commands the hook needs that libgit2 does not offer (worktrees), run through the one
/// process-spawning path.
enum Git {
    static func run(_ arguments: [String], in repo: Repository) throws -> (status: Int32, output: String) {
        let quoted = (["git"] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let process = try ChildProcess(command: quoted, directory: repo.workdir ?? repo.gitDir,
                                       environment: ProcessInfo.processInfo.environment)
        let output = LinesBox()
        let ending = process.wait { output.append($0) }
        if case .exited(let code) = ending { return (code, output.text) }
        return (1, output.text)
    }
}

final class LinesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
}
