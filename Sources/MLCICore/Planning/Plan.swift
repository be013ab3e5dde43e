import MLCIGit

/// The result of planning: which stages run between base and head, and why.
public struct Plan: Sendable {
    public let base: BaseChoice
    /// The base as a side to read files from (empty when there is no base commit).
    public let baseSide: PlanSide
    /// The head: a commit, the working tree or the index, with its tree.
    public let headSide: PlanSide
    public let changes: [PlannedChange]
    /// In a topological order of needs + after.
    public let stages: [StageDecision]
    /// Changed paths that no stage watches.
    public let unwatched: [String]
    public let warnings: [Diagnostic]
    public let config: MLCIConfig
    /// What each stage is triggered by and reads, at head.
    public let footprint: StageFootprint
    /// The DVC stages of a DVC project, with why each is invalidated (empty: up to date).
    public var dvcStages: [DVCStageDecision]? = nil
    /// `dvc.yaml` files at head that cannot be read (their stages are unknown).
    public var unreadableDVC: [DVCFileError] = []
    /// Whose mlci.yml the plan followed (`--config-from`).
    public var configSource: ConfigSource = .head
    /// Stages the base's mlci.yml has and the head's does not.
    public var removedStages: [RemovedStage] = []
    /// `all 11 up to date` or `4 of 11 invalidated` (only the readable ones when a `dvc.yaml`
    /// cannot be read); nil outside a DVC project.
    public var dvcCount: String? {
        guard let dvc = dvcStages else { return nil }
        let invalid = dvc.filter { !$0.reasons.isEmpty }.count
        return invalid == 0
            ? "all \(dvc.count)\(unreadableDVC.isEmpty ? "" : " readable") up to date"
            : "\(invalid) of \(dvc.count) invalidated"
    }

    /// A removed stage was protected (`protected_stages` at the base): the plan fails.
    public var removesProtectedStage: Bool { removedStages.contains(where: \.protected) }

    /// The invalidated DVC stages a `dvc:` stage carries, as `dvc repro` targets (DVC's own
    /// addresses: `name`, or `dir/dvc.yaml:name` for a nested pipeline), in the DVC
    /// pipeline's order: `MLCI_DVC_STAGES`. Empty for a stage without `dvc:`, and when nothing is
    /// known to be invalidated (a forced run): `dvc repro` with no target then checks them all.
    public func invalidatedDVCTargets(for stage: Stage) -> [String] {
        guard let link = stage.dvc, let decisions = dvcStages else { return [] }
        return decisions.filter { !$0.reasons.isEmpty && StageFootprint.carries(link, $0.name) }
            .map(\.name)
    }

    /// The head commit (for the working tree and the index: the commit HEAD points at).
    public var head: ObjectID? { headSide.commit }
    /// True when the head is the working tree.
    public var worktree: Bool { headSide.isWorktree }

    public var affected: [StageDecision] { stages.filter(\.affected) }

    public func decision(_ name: String) -> StageDecision? { stages.first { $0.stage.name == name } }
}
