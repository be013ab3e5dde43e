import ArgumentParser
import Foundation
import MLCICore

struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install, remove, inspect and run mlci's git pre-push hook.",
        subcommands: [HookInstall.self, HookUninstall.self, HookStatus.self, HookRun.self]
    )
}
