import MLCIGit

/// `mlci validate`: the configuration read as `mlci plan` reads it, plus what only a look at
/// the repository shows (patterns that match no tracked file, stale or unreadable DVC files).
public struct ConfigValidation {
    public let config: MLCIConfig
    /// Warnings and errors, in the order found.
    public let diagnostics: [Diagnostic]
    /// The file validated, as the person named it.
    public let file: String

    public var failed: Bool { diagnostics.contains { $0.severity == .error } }

    /// `head`: a revision whose committed mlci.yml to read; nil reads the working tree (a bare
    /// repository: HEAD). `configFile`: `--config FILE`.
    public init(repo: Repository, head: String?, configFile: String?) throws {
        let headID = try? repo.resolveCommit(head ?? "HEAD")
        let side: Snapshot
        if head == nil, let workdir = repo.workdir {
            side = .worktree(root: workdir)
        } else {
            side = headID.map(Snapshot.commit) ?? .empty
        }
        let (config, warnings) = try MLCIConfig.read(file: configFile, side: side, repo: repo)
        var all = warnings
        file = configFile ?? MLCIConfig.fileName
        if let headID {
            all += ConfigChecks.trackedFileWarnings(config, paths: try repo.trackedPaths(in: headID), file: file)
            all += try Planner.dvcDiagnostics(repo: repo, at: headID, config: config)
        }
        self.config = config
        diagnostics = all
    }

    /// The line printed when nothing is an error.
    public var summary: String {
        "\(file) is valid: \(config.stages.count) stages, \(config.kinds.count) kinds"
            + (diagnostics.isEmpty ? "" : ", \(diagnostics.count) warning\(diagnostics.count == 1 ? "" : "s")") + "\n"
    }
}
