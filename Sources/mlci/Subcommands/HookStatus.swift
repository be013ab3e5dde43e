import ArgumentParser
import Foundation
import MLCICore

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
