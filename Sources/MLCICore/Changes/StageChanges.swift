import MLCIGit

/// `mlci changes --stage NAME`: the changes one stage reads — the same paths its command gets in
/// `MLCI_STAGE_FILES` (its `on:` and `inputs:`, its params files, the DVC files, deps and outs
/// of the DVC stages it carries) — judged by the head side's mlci.yml.
public enum StageChanges {
    public static func filter(
        _ changes: [ChangedFile], stage name: String, range: ChangeRange, in repo: Repository
    ) throws -> [ChangedFile] {
        let head: Snapshot
        let tree: () throws -> ObjectID
        switch range.head {
        case .commit(let id):
            head = .commit(id)
            tree = { try repo.commit(id).tree }
        case .worktree:
            head = .worktree(root: repo.workdir ?? "")
            tree = { try repo.worktreeTree() }
        case .tree(let id, _):
            head = .tree(id)
            tree = { id }
        }
        let (config, _) = try MLCIConfig.read(side: head, repo: repo)
        guard let stage = config.stage(named: name) else {
            let names = config.stages.map(\.name)
            throw PlanError.unknownStage(name: name, stages: names)
        }
        var dvcStages: [DVCStage]? = nil
        if stage.dvc != nil {
            let analysis = DVCAnalysis(repo: repo, base: head, head: head)
            dvcStages = try analysis.headStages { try repo.files(named: "dvc.yaml", inTree: try tree()) }
        }
        let footprint = StageFootprint(config: config, dvcStages: dvcStages)
        let rows = footprint.rows(changes.map(\.pathBytes))
        return changes.indices.filter { footprint.reads(stage, rows, $0) }.map { changes[$0] }
    }
}
