import ArgumentParser
import Foundation
import MLCIGit

/// Flags shared by every command that reads a repository.
struct RepositoryOptions: ParsableArguments {
    @Option(
        name: .long,
        help: .init(
            "The repository to read (default: the one containing the current directory).", valueName: "dir"))
    var repo: String?

    func open() throws -> Repository {
        try Repository(discoveringFrom: repo ?? FileManager.default.currentDirectoryPath)
    }
}
