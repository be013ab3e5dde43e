import ArgumentParser
import Foundation
import MLCICore

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
            throw HookError.unsupportedHook(hook)
        }
    }
}
