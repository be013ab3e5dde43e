import Foundation
import MLCIGit

/// The pre-push check: plans every pushed ref with the same planner CI uses and decides which
/// of the hook's stages must run, and where.
public struct PrePushCheck {
    public struct RefPlan {
        public let range: PushRange
        public let plan: Plan
        /// Hook stages affected by this ref, after MLCI_SKIP.
        public let toRun: [Stage]
        /// Affected stages the hook leaves to CI.
        public let inCI: [String]
    }

    public static func plan(ranges: [PushRange], hookStages: [String], skip: Set<String>, repo: Repository,
                            environment: [String: String], configFile: String?) throws -> [RefPlan] {
        try ranges.map { range in
            var request = PlanRequest(head: range.head.hex, configFile: configFile, environment: environment)
            request.baseChoice = BaseChoice(sha: range.base, source: "pre-push: \(range.how)")
            if range.ref.localRef.hasPrefix("refs/tags/") { request.tags = [String(range.ref.localRef.dropFirst(10))] }
            let plan = try Planner.plan(request, in: repo)
            let affected = plan.affected.map(\.stage)
            let toRun = affected.filter { hookStages.contains($0.name) && !skip.contains($0.name) }
            let inCI = affected.map(\.name).filter { !hookStages.contains($0) }
            return RefPlan(range: range, plan: plan, toRun: toRun, inCI: inCI)
        }
    }

    /// True when the stages can run in the current working tree: it is checked out at the
    /// pushed commit and holds no uncommitted change to a file any of the stages watches (an
    /// uncommitted fix must not make a broken push pass).
    public static func canRunInPlace(_ refPlan: RefPlan, repo: Repository) throws -> Bool {
        guard repo.workdir != nil, let head = try? repo.resolveCommit("HEAD"), head == refPlan.range.head else { return false }
        let dirty = try repo.worktreeChanges(from: head)
        guard !dirty.isEmpty else { return true }
        let classifier = ChangeClassifier(config: refPlan.plan.config)
        let items = dirty.map(classifier.classify)
        return !refPlan.toRun.contains { stage in
            items.contains { item in classifier.watches(stage, item) || stage.local.inputs.contains { $0.matches(item.split) } }
        }
    }
}
