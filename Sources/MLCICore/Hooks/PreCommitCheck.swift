import MLCIGit

/// The pre-commit check: plans the index (what the commit will record) against HEAD and
/// decides which of the hook's stages must run on exactly that content, and where: in place
/// when no unstaged change touches a file the stages read, else in a scratch worktree holding
/// HEAD plus the staged changes.
public enum PreCommitCheck {
    /// `indexFile`: the index git handed the hook (`GIT_INDEX_FILE`, absolute), if any.
    public static func check(
        indexFile: String?, hookStages: [String], skip: Set<String>, repo: Repository,
        environment: [String: String], configFile: String?
    ) throws -> HookCheck {
        let head = try? repo.resolveCommit("HEAD")
        let request = PlanRequest(
            head: .index(file: indexFile),
            base: .resolved(BaseChoice(sha: head, source: "pre-commit: staged changes against HEAD")),
            configFile: configFile, environment: environment)
        let plan = try Planner.plan(request, in: repo)
        let (toRun, inCI, skipped) = HookCheck.split(plan, hookStages: hookStages, skip: skip)
        guard let workdir = repo.workdir, let indexTree = plan.headSide.tree, !toRun.isEmpty else {
            return HookCheck(
                plan: plan, toRun: toRun, inCI: inCI, skipped: skipped, place: .inPlace(root: repo.workdir ?? ""))
        }
        let unstaged = try repo.changes(fromTree: indexTree, toTree: try repo.worktreeTree())
        // A first commit has no HEAD to check out: its stages run in the working tree.
        guard let head, HookCheck.dirtyForStages(unstaged, stages: toRun, plan: plan) else {
            return HookCheck(plan: plan, toRun: toRun, inCI: inCI, skipped: skipped, place: .inPlace(root: workdir))
        }
        // The index's tree, written to the object database by git so a worktree can check it out.
        var extra: [String: String] = [:]
        if let indexFile { extra["GIT_INDEX_FILE"] = indexFile }
        let tree =
            try GitCommand.run(["write-tree"], in: workdir, environment: environment, extra: extra)
            .split(separator: "\n").last.map(String.init) ?? ""
        guard tree.count >= 40, tree.allSatisfy(\.isHexDigit) else {
            throw HookError.writeTreeFailed(output: tree)
        }
        return HookCheck(
            plan: plan, toRun: toRun, inCI: inCI,
            place: .scratch(commit: head, tree: tree, why: "unstaged changes touch files the stages read"))
    }
}
