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

    @Option(help: ArgumentHelp("The hook: pre-push, or pre-commit (lint on staged changes).", valueName: "name"))
    var hook = "pre-push"

    @Option(help: ArgumentHelp("Install into this directory (needed when core.hooksPath points outside the repository).", valueName: "dir"))
    var hooksPath: String?

    func validate() throws {
        guard HookInstaller.supported.contains(hook) else {
            throw MLCIError.usage("mlci installs pre-push and pre-commit hooks; '\(hook)' is not supported")
        }
    }
}

struct HookInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the pre-push hook (an existing hook is kept and runs first).",
        discussion: "Example: mlci hook install --stages lint,test"
    )

    @OptionGroup var location: HookLocationOptions

    @Option(help: ArgumentHelp("Stages the hook runs when affected, comma-separated (default: lint,test for pre-push, lint for pre-commit).", valueName: "list"))
    var stages: String?

    @Flag(help: "Let pushes through when the mlci binary is missing (default: block them).")
    var failOpen = false

    func run() throws {
        let list = (stages ?? (location.hook == "pre-commit" ? "lint" : "lint,test")).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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

    @Argument(help: "The hook: pre-push or pre-commit.")
    var hook: String

    @Argument(help: "pre-push: the remote's name (or URL when pushing to a URL).")
    var remote: String?

    @Argument(help: "The remote's URL.")
    var url: String?

    @Option(help: ArgumentHelp("Stages the hook runs when affected.", valueName: "list"))
    var stages = "lint,test"

    @Option(help: ArgumentHelp("Read this config file instead of mlci.yml in the pushed commits.", valueName: "file"))
    var config: String?

    @OptionGroup var repository: RepositoryOptions

    func run() throws {
        guard HookInstaller.supported.contains(hook) else { throw MLCIError.usage("unknown hook '\(hook)'") }
        let env = ProcessInfo.processInfo.environment
        if let ci = env["CI"], !ci.isEmpty, ci != "false", ci != "0" {
            Output.errorRaw("mlci: CI is set, so the pre-push hook does nothing\n")
            return
        }
        if env["MLCI"] == "0" {
            Output.errorRaw("mlci: MLCI=0, skipping the \(hook) check\n")
            return
        }
        if hook == "pre-commit" { return try preCommit(env) }
        guard let remote else { throw MLCIError.usage("the pre-push hook needs the remote's name") }
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

    /// pre-commit: plans the index (what the commit will record) against HEAD and runs the
    /// affected hook stages on exactly that content — in place when no unstaged change touches
    /// a watched file, else in a temporary worktree holding HEAD plus the staged changes.
    private func preCommit(_ hookEnv: [String: String]) throws {
        let repo = try repository.open()
        // git gives hooks GIT_INDEX_FILE (relative to the top of the worktree) and GIT_DIR;
        // the index is read from there, and nothing mlci starts inherits them.
        let top = repo.workdir ?? ""
        let indexFile = hookEnv["GIT_INDEX_FILE"].map { $0.hasPrefix("/") ? $0 : top + $0 }
        let env = Git.cleanEnvironment(hookEnv)
        let hookStages = stages.split(separator: ",").map(String.init)
        let skip = Set((env["MLCI_SKIP"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        if !skip.isEmpty { Output.errorRaw("mlci: MLCI_SKIP skips \(skip.sorted().joined(separator: ", "))\n") }
        var request = PlanRequest(configFile: config, environment: env)
        request.indexHead = true
        request.indexFile = indexFile
        let head = try? repo.resolveCommit("HEAD")
        request.baseChoice = BaseChoice(sha: head, source: "pre-commit: staged changes against HEAD")
        let plan = try Planner.plan(request, in: repo)
        let toRun = plan.affected.map(\.stage).filter { hookStages.contains($0.name) && !skip.contains($0.name) }
        guard !toRun.isEmpty else {
            Output.errorRaw("mlci: pre-commit: no hook stage affected by the staged changes\n")
            return
        }
        Output.errorRaw("mlci: pre-commit: runs \(toRun.map(\.name).joined(separator: ", "))\n")
        let index = try repo.indexTree(indexFile: indexFile)
        let unstaged = try repo.changes(fromTree: index, toTree: try repo.worktreeTree())
        let classifier = ChangeClassifier(config: plan.config)
        let dirty = unstaged.map(classifier.classify).contains { item in toRun.contains { classifier.watches($0, item) } }
        var workdir = repo.workdir ?? ""
        var temporary: String?
        if dirty, let head {
            let dir = NSTemporaryDirectory() + "mlci-commit-\(getpid())"
            let add = try Git.run(["worktree", "add", "--detach", "--quiet", dir, head.hex], in: repo)
            guard add.status == 0 else { throw MLCIError.failed("cannot create a temporary worktree: \(add.output)") }
            temporary = dir
            let indexVar = indexFile.map { "GIT_INDEX_FILE='\($0)' " } ?? ""
            let apply = try Git.shell("\(indexVar)git diff --cached --binary | git -C '\(dir)' apply --index", in: repo)
            guard apply.status == 0 else { throw MLCIError.failed("cannot apply the staged changes in \(dir): \(apply.output)") }
            workdir = dir + "/"
            Output.errorRaw("mlci: checking the staged content in a temporary worktree (unstaged changes touch watched files)\n")
        }
        defer { if let temporary { _ = try? Git.run(["worktree", "remove", "--force", temporary], in: repo) } }
        let tracked = try repo.changes(fromTree: nil, toTree: index)
        if try !runThroughRunner(plan: plan, stages: toRun, tracked: tracked, workdir: workdir, repo: repo, env: env) {
            Output.errorRaw("mlci: commit blocked: fix the failing stage, or skip with MLCI_SKIP=<stage> / git commit --no-verify\n")
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
        let tracked = try repo.changes(fromTree: nil, toTree: try repo.commit(refPlan.range.head).tree)
        return try runThroughRunner(plan: refPlan.plan, stages: refPlan.toRun, tracked: tracked, workdir: workdir, repo: repo,
                                    env: Git.cleanEnvironment(env))
    }

    /// The hook's stages through the same runner, cache and output as `mlci run`.
    private func runThroughRunner(plan: MLCICore.Plan, stages: [Stage], tracked: [ChangedFile], workdir: String,
                                  repo: Repository, env: [String: String]) throws -> Bool {
        let cache = CacheStore(root: CacheStore.location(commonDir: repo.commonDir, environment: env))
        let keys = CacheKeys(config: plan.config, trackedFiles: tracked, environment: env).parts()
        let work = stages.map { Runner.StageWork(stage: $0, parts: keys[$0.name], cacheable: Run.cacheable($0)) }
        let files = try TemporaryFiles()
        let changed = try files.write("changed-files", plan.changes.map(\.path))
        let options = RunOptions(jobs: ProcessInfo.processInfo.activeProcessorCount)
        let runner = Runner(plan: plan, work: work, options: options, cache: cache, workdir: workdir,
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
        try shell((["git"] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " "), in: repo)
    }

    /// The environment without the variables git sets for a hook about *this* repository's
    /// index and directories, which would send git commands in other worktrees astray.
    static func cleanEnvironment(_ env: [String: String]) -> [String: String] {
        env.filter { !["GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE", "GIT_PREFIX", "GIT_COMMON_DIR"].contains($0.key) }
    }

    /// A shell command line (a pipe of git commands) in the repository.
    static func shell(_ command: String, in repo: Repository) throws -> (status: Int32, output: String) {
        let process = try ChildProcess(command: command, directory: repo.workdir ?? repo.gitDir,
                                       environment: cleanEnvironment(ProcessInfo.processInfo.environment))
        let output = LineLog()
        let ending = process.wait { output.append($0) }
        let text = output.lines.joined(separator: "\n")
        if case .exited(let code) = ending { return (code, text) }
        return (1, text)
    }
}
