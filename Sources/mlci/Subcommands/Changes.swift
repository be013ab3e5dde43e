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

    @Option(
        help: .init(
            "Only the changes this stage reads (the paths of its \(StageJobEnvironment.stageFiles)).", valueName: "name"
        ))
    var stage: String?

    func run() throws {
        let repo = try repository.open()
        let range = try ChangeRange.resolve(in: repo, base: base, head: head, mergeBase: mergeBase, worktree: worktree)
        var changes = try range.changes(in: repo)
        if let stage { changes = try StageChanges.filter(changes, stage: stage, range: range, in: repo) }
        Output.keepUntilExit(changes)
        let quotePath = (try? repo.configBool("core.quotepath")) ?? true
        Output.write(
            ChangeListing.render(changes, json: format == .json, quotePath: quotePath, park: Output.keepUntilExit))
    }
}
