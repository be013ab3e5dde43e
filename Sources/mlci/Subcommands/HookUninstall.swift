import ArgumentParser
import Foundation
import MLCICore

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
