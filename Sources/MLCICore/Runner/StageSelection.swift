/// Which stages a run executes, in plan (dependency) order.
public enum StageSelection {
    /// Without names, every affected stage. With names (`--stage`), those stages and, unless
    /// `only`, every affected stage they need, transitively: what `mlci run --stage test` and a
    /// CI job for one stage run.
    public static func select(_ plan: Plan, names: [String], only: Bool) throws -> [Stage] {
        guard !names.isEmpty else { return plan.affected.map(\.stage) }
        for name in names where plan.decision(name) == nil { throw unknownStage(name, in: plan) }
        var chosen = Set(names)
        if !only {
            var queue = names
            while let name = queue.popLast() {
                for up in plan.decision(name)?.stage.needs ?? []
                where plan.decision(up)?.affected == true && !chosen.contains(up) {
                    chosen.insert(up)
                    queue.append(up)
                }
            }
        }
        return plan.stages.map(\.stage).filter { chosen.contains($0.name) }
    }

    /// Exit 2, with the closest stage name and the list of stages.
    public static func unknownStage(_ name: String, in plan: Plan) -> RunError {
        let names = plan.stages.map(\.stage.name)
        return RunError.unknownStage(name: name, stages: names)
    }
}
