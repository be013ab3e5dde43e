import ArgumentParser
import MLCICore
import MLCIGit

struct Changes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the paths that differ between two commits, exactly as git lists them.",
        discussion: """
            Text output is byte-identical to `git diff --name-status --no-renames BASE HEAD`.
            Example: mlci changes --base origin/main --merge-base --format json
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(
        help: .init(
            "The older side (default: the first parent of head; HEAD with --worktree).", valueName: "rev"))
    var base: String?

    @Option(help: .init("The newer side (default: HEAD).", valueName: "rev"))
    var head: String?

    @Flag(help: "Compare from merge-base(base, head), the three-dot meaning used for pull requests.")
    var mergeBase = false

    @Flag(help: "Compare base with the working tree: staged, unstaged and untracked files.")
    var worktree = false

    @Option(help: "Output format: text or json.")
    var format: ChangesFormat = .text

    func run() throws {
        let repo = try repository.open()
        let range = try ChangeRange.resolve(in: repo, base: base, head: head, mergeBase: mergeBase, worktree: worktree)
        let changes = try range.changes(in: repo)
        Output.keepUntilExit(changes)
        switch format {
        case .text:
            let quoting = PathQuoting(quoteHighBytes: (try? repo.configBool("core.quotepath")) ?? true)
            Output.write(ChangeListing.nameStatus(changes, quoting: quoting))
        case .json:
            let json = ChangeListing.json(changes)
            Output.keepUntilExit(json)
            Output.write(json.bytes())
        }
    }
}
