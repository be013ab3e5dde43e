import ArgumentParser
import Foundation
import MLCICore
import MLCIGit

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check mlci.yml and report every problem at once, with file:line:column.",
        discussion: """
            Reads mlci.yml from the working tree (a bare repository: from HEAD), or --config FILE.
            Exits 2 on errors; warnings (a pattern that matches no tracked file) do not fail.
            Example: mlci validate
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(help: ArgumentHelp("Validate this file instead of mlci.yml.", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Validate mlci.yml as committed in this revision.", valueName: "rev"))
    var head: String?

    func run() throws {
        let repo = try repository.open()
        let headID = try? repo.resolveCommit(head ?? "HEAD")
        let side: Snapshot
        if head == nil, let workdir = repo.workdir { side = .worktree(root: workdir) } else {
            side = headID.map(Snapshot.commit) ?? .empty
        }
        let request = PlanRequest(head: .commit(head), configFile: config)
        let (loaded, warnings) = try Planner.loadConfig(request, side: side, repo: repo)
        var all = warnings
        if let headID {
            all += ConfigChecks.trackedFileWarnings(loaded, paths: try repo.trackedPaths(in: headID),
                                                      file: config ?? MLCIConfig.fileName)
        }
        if let headID { all += try Planner.dvcDiagnostics(repo: repo, at: headID) }
        for warning in all { Output.diagnostic(warning) }
        if all.contains(where: { $0.severity == .error }) { throw ExitCode(ExitStatus.usage) }
        let file = config ?? MLCIConfig.fileName
        Output.write("\(file) is valid: \(loaded.stages.count) stages, \(loaded.kinds.count) kinds"
                     + (all.isEmpty ? "" : ", \(all.count) warning\(all.count == 1 ? "" : "s")") + "\n")
    }
}
