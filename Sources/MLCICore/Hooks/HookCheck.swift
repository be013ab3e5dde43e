import MLCIGit

/// What a hook decided for one thing it checks (a pushed ref, or the staged content): the
/// plan, the hook stages to run, the affected stages it leaves to CI, and where to run them.
public struct HookCheck {
    /// Where the stages run.
    public enum Place: Sendable {
        /// The working tree is exactly the content to check.
        case inPlace(root: String)
        /// A scratch worktree of `commit`, with its files set to `tree` when given (HEAD plus
        /// the staged changes); `why` is said to the person.
        case scratch(commit: ObjectID, tree: String?, why: String)
    }

    public let plan: Plan
    /// Hook stages affected here, after MLCI_SKIP, in plan order.
    public let toRun: [Stage]
    /// Affected stages the hook leaves to CI.
    public let inCI: [String]
    /// Affected hook stages the person skipped with MLCI_SKIP.
    public var skipped: [String] = []
    public let place: Place

    /// The stages that are the hook's, affected, and not skipped.
    static func split(_ plan: Plan, hookStages: [String], skip: Set<String>) -> (
        toRun: [Stage], inCI: [String], skipped: [String]
    ) {
        let affected = plan.affected.map(\.stage)
        return (
            affected.filter { hookStages.contains($0.name) && !skip.contains($0.name) },
            affected.map(\.name).filter { !hookStages.contains($0) },
            affected.map(\.name).filter { hookStages.contains($0) && skip.contains($0) }
        )
    }

    /// True when an uncommitted change (`dirty`, compared with the content to check) touches
    /// a file one of `stages` reads: the stages must then run elsewhere, or an uncommitted fix
    /// would make a broken push or commit pass (and an unstaged break block a good one).
    static func dirtyForStages(_ dirty: [ChangedFile], stages: [Stage], plan: Plan) -> Bool {
        !plan.footprint.stagesReading(dirty, among: stages).isEmpty
    }

    /// Makes the workspace: the working tree, or a fresh scratch worktree (stale ones that
    /// killed hooks left behind are pruned first).
    public func makeWorkspace(repo: Repository, environment: [String: String]) throws -> Workspace {
        switch place {
        case .inPlace(let root): return .inPlace(root: root)
        case .scratch(let commit, let tree, _):
            ScratchWorktree.pruneStale(repo: repo, environment: environment)
            return .scratch(try ScratchWorktree(repo: repo, commit: commit, tree: tree, environment: environment))
        }
    }
}
