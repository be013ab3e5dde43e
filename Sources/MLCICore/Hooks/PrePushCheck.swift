import MLCIGit

/// The pre-push check: plans every pushed ref with the same planner CI uses, decides which of
/// the hook's stages must run, and where.
public enum PrePushCheck {
    public struct RefCheck {
        public let range: PushRange
        public let check: HookCheck
    }

    public static func check(
        ranges: [PushRange], hookStages: [String], skip: Set<String>, repo: Repository,
        environment: [String: String], configFile: String?
    ) throws -> [RefCheck] {
        try ranges.map { range in
            var request = PlanRequest(
                head: .commit(range.head.hex),
                base: .resolved(BaseChoice(sha: range.base, source: "pre-push: \(range.how)")),
                configFile: configFile, environment: environment)
            if range.ref.localRef.hasPrefix("refs/tags/") { request.tags = [String(range.ref.localRef.dropFirst(10))] }
            let plan = try Planner.plan(request, in: repo)
            let (toRun, inCI, skipped) = HookCheck.split(plan, hookStages: hookStages, skip: skip)
            let place = try self.place(range.head, toRun: toRun, plan: plan, repo: repo)
            return RefCheck(
                range: range, check: HookCheck(plan: plan, toRun: toRun, inCI: inCI, skipped: skipped, place: place))
        }
    }

    /// In place when the working tree is checked out at the pushed commit and holds no
    /// uncommitted change to a file any of the stages reads; else a scratch worktree.
    static func place(_ head: ObjectID, toRun: [Stage], plan: Plan, repo: Repository) throws -> HookCheck.Place {
        guard !toRun.isEmpty else { return .inPlace(root: repo.workdir ?? "") }
        let scratch = HookCheck.Place.scratch(commit: head, tree: nil, why: "it is not the clean checked-out HEAD")
        guard let workdir = repo.workdir, let current = try? repo.resolveCommit("HEAD"), current == head
        else { return scratch }
        let dirty = try repo.worktreeChanges(from: head)
        return HookCheck.dirtyForStages(dirty, stages: toRun, plan: plan) ? scratch : .inPlace(root: workdir)
    }
}
