import ArgumentParser
import Foundation
import MLCICore

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
