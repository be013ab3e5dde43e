import ArgumentParser
import Foundation
import MLCICore

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
            throw HookError.fromPreCommitMisused
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
