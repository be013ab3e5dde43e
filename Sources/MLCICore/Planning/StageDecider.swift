import MLCIGit

/// The per-stage decision loop of the planner: for each stage, in dependency order, every
/// reason it must run — forced, a CI trigger, its definition changed, paths its `on:` list
/// selects, DVC stages it carries, a release tag, params keys, an upstream stage it needs.
struct StageDecider {
    /// The base configuration's stages, to see which definitions changed.
    enum BaseStages {
        /// Not compared (`--all`, a trigger).
        case notCompared
        /// Read from the base (empty: the base has no mlci.yml, so every stage is new), with the
        /// base's `protected_stages` and the stages its pull-request pipelines run.
        case stages([String: Stage], protected: [String], onPullRequests: [String: Set<String>])
        /// The base's mlci.yml could not be read: every stage counts as changed, with this note.
        case unreadable(String)
    }

    let config: MLCIConfig
    let footprint: StageFootprint
    let base: BaseChoice
    let forced: Bool
    let baseStages: BaseStages
    let entries: [PlannedChange]
    let rows: StageFootprint.Rows
    /// Rows that take part in decisions (not metadata-only pointer edits, outputs-only notebooks).
    let participating: [Int]
    let invalidatedDVC: [String]
    /// `dvc.yaml` files at head that cannot be read.
    let unreadableDVC: [DVCFileError]
    let headTags: [String]
    /// Why this tag build may not run stages that demand a default-branch commit (nil: it may).
    let tagCommitProblem: String?
    let params: ParamsComparison

    /// Reasons per stage, in dependency order, and which rows some `on:` list selected.
    func decide() throws -> (decisions: [StageDecision], selected: [Bool]) {
        let triggered = base.scope?.stages(in: config)
        var reasonsOf: [String: [Reason]] = [:]
        var selected = [Bool](repeating: false, count: entries.count)
        var decisions: [StageDecision] = []
        for stage in StageGraph.order(config.stages) {
            var reasons: [Reason] = []
            if forced { reasons.append(.forced) }
            if let trigger = base.trigger, triggered?.contains(stage.name) ?? true { reasons.append(.trigger(trigger)) }
            if !forced && base.trigger == nil {
                reasons += definitionReasons(stage)
                reasons += footprint.classifier.pathReasons(
                    stage, rows.classification, included: participating,
                    path: { entries[$0].path }, matched: &selected)
                if let reason = dvcReason(stage) { reasons.append(reason) }
                if let reason = tagReason(stage) { reasons.append(reason) }
                reasons += try params.reasons(stage)
            }
            for upstream in stage.needs where !(reasonsOf[upstream] ?? []).isEmpty {
                reasons.append(.upstream(stage: upstream))
            }
            let held = TagCommitCheck.applies(to: stage) ? tagCommitProblem : nil
            let decision = StageDecision(stage: stage, reasons: reasons, heldBack: held)
            // A held stage does not run, so the stages that need it have nothing new to consume.
            reasonsOf[stage.name] = decision.affected ? reasons : []
            decisions.append(decision)
        }
        return (decisions, selected)
    }

    private func definitionReasons(_ stage: Stage) -> [Reason] {
        switch baseStages {
        case .notCompared: return []
        case .unreadable(let note): return [.definition(fields: [note])]
        case .stages(let old, _, _):
            guard let old = old[stage.name] else { return [.definition(fields: ["new stage"])] }
            let fields = Set(old.definition.keys).union(stage.definition.keys)
                .filter { old.definition[$0] != stage.definition[$0] }
                .map { $0.hasPrefix("kind:") ? "kind \($0.dropFirst(5)) patterns" : $0 }
                .sorted()
            return fields.isEmpty ? [] : [.definition(fields: fields)]
        }
    }

    /// The first invalidated DVC stage the stage carries (in the DVC pipeline's order for
    /// `dvc: true`, in the listed order for `dvc: [names]`).
    private func dvcReason(_ stage: Stage) -> Reason? {
        if stage.dvc != nil, let problem = unreadableDVC.first {
            return .dvcUnreadable(file: problem.file, line: problem.line, error: problem.message)
        }
        switch stage.dvc {
        case .all?: return invalidatedDVC.first.map { .dvc(stage: $0) }
        case .stages(let names)?:
            let name = names.first { name in invalidatedDVC.contains { StageFootprint.carries(.stages([name]), $0) } }
            return name.map { .dvc(stage: $0) }
        case nil: return nil
        }
    }

    private func tagReason(_ stage: Stage) -> Reason? {
        for tag in headTags {
            if let pattern = stage.tags.first(where: { RefPattern.matches($0, tag) }) {
                return .tag(tag: tag, pattern: pattern)
            }
        }
        return nil
    }
}
