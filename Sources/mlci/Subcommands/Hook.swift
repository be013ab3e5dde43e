import ArgumentParser
import Foundation
import MLCICore

struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install, remove, inspect and run mlci's git pre-push hook.",
        subcommands: [HookInstall.self, HookUninstall.self, HookStatus.self, HookRun.self]
    )
}

struct HookLocationOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions

    @Option(help: .init("The hook: pre-push, or pre-commit (lint on staged changes).", valueName: "name"))
    var hook = "pre-push"

    @Option(
        help: .init(
            "Install into this directory (needed when core.hooksPath points outside the repository).", valueName: "dir")
    )
    var hooksPath: String?

    func validate() throws {
        guard HookInstaller.supported.contains(hook) else {
            throw HookError(.usage, "mlci installs pre-push and pre-commit hooks; '\(hook)' is not supported")
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

    @Option(
        help: .init(
            "Stages the hook runs when affected, comma-separated (default: lint,test for pre-push, lint for pre-commit).",
            valueName: "list"))
    var stages: String?

    @Flag(help: "Let pushes through when the mlci binary is missing (default: block them).")
    var failOpen = false

    func run() throws {
        let message = try HookInstaller(repo: try location.repository.open()).install(
            hook: location.hook, stages: try HookInstaller.stageList(stages, hook: location.hook), failOpen: failOpen,
            binary: HookInstaller.runningBinary(), hooksPath: location.hooksPath)
        Output.write("mlci: \(message)\n")
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
        let installer = HookInstaller(repo: try location.repository.open())
        Output.write("mlci: \(try installer.uninstall(hook: location.hook, hooksPath: location.hooksPath))\n")
    }
}

struct HookStatus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Say where the hook is, whether it is mlci's, which stages it runs and whether its mlci still exists.",
        discussion: "Example: mlci hook status"
    )

    @OptionGroup var location: HookLocationOptions

    func run() throws {
        let repo = try location.repository.open()
        Output.write(try HookInstaller(repo: repo).status(hook: location.hook, hooksPath: location.hooksPath).text)
    }
}

struct HookRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a hook as git does (called by the installed hook script).",
        discussion:
            "Reads git's pre-push input on standard input (with --from-pre-commit: the range the pre-commit framework "
            + "passes in PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF). MLCI=0 skips the check, \(StageJobEnvironment.skip)=test,lint skips stages."
    )

    @Argument(help: "The hook: pre-push or pre-commit.")
    var hook: String

    @Argument(help: "pre-push: the remote's name (or URL when pushing to a URL).")
    var remote: String?

    @Argument(help: "The remote's URL.")
    var url: String?

    @Option(help: .init("Stages the hook runs when affected.", valueName: "list"))
    var stages = "lint,test"

    @Option(help: .init("Read this config file instead of mlci.yml in the pushed commits.", valueName: "file"))
    var config: String?

    @Flag(
        help: .init(
            "pre-push as a hook of the pre-commit framework (.pre-commit-hooks.yaml): read the pushed range and the remote "
                + "from PRE_COMMIT_FROM_REF, PRE_COMMIT_TO_REF, PRE_COMMIT_LOCAL_BRANCH, PRE_COMMIT_REMOTE_BRANCH and "
                + "PRE_COMMIT_REMOTE_NAME instead of git's standard input."))
    var fromPreCommit = false

    @OptionGroup var repository: RepositoryOptions

    func validate() throws {
        if fromPreCommit && (hook != "pre-push" || remote != nil) {
            throw HookError(.usage, "--from-pre-commit goes with 'hook run pre-push' and no remote argument")
        }
    }

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        if let reason = HookSession.skipReason(hook: hook, environment: env) {
            return Output.errorRaw("mlci: \(reason)\n")
        }
        let session = HookSession(
            repo: try repository.open(), environment: env, hookStages: stages.split(separator: ",").map(String.init),
            configFile: config, say: { Output.errorRaw($0 + "\n") },
            console: { [RunConsole(live: false, color: Output.stderrIsColorTerminal, write: Output.errorRaw)] })
        let passed: Bool
        if fromPreCommit {
            let (remote, input) = try PreCommitFrameworkRange.input(environment: env, in: session.repo)
            passed = try session.prePush(remote: remote, input: input)
        } else {
            passed = try session.run(hook: hook, remote: remote) {
                String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            }
        }
        if !passed { throw ExitCode(ExitStatus.failed) }
    }
}
