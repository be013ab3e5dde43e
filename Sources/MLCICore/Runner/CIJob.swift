import Foundation
import MLCIGit

/// One stage executed as a CI job (`mlci job STAGE`). The pipeline's plan job decided that the
/// stage runs; the job receives the plan's base and head and executes exactly that stage with
/// the semantics of `mlci run` — `dir`, `env`, masked `secrets`, `timeout` (a timed-out stage
/// fails and its rollback runs), `outputs`, the cache, `MLCI_STAGE_FILES` and shard lists —
/// without deciding again whether it is affected, and without its upstream stages (their own
/// jobs ran them).
public enum CIJob {
    /// What the job plans: head `MLCI_HEAD_SHA` (else HEAD), base `MLCI_BASE_SHA`; an empty base
    /// means the plan compared nothing (a schedule, a manual run, `--all`), and so does the job.
    public static func request(
        base: String?, head: String?, configFile: String?,
        environment: [String: String]
    ) -> PlanRequest {
        let base = (base ?? environment[StageJobEnvironment.baseSHA]).flatMap { $0.isEmpty ? nil : $0 }
        let head = (head ?? environment[StageJobEnvironment.headSHA]).flatMap { $0.isEmpty ? nil : $0 }
        return PlanRequest(
            head: .commit(head), base: base.map { .automatic(explicit: $0) } ?? .everything, configFile: configFile,
            environment: environment)
    }

    /// The shard from `--shard K/N`, else from `MLCI_SHARD` and `MLCI_SHARDS` (a matrix job).
    public static func shard(_ text: String?, environment: [String: String]) throws -> (index: Int, count: Int)? {
        if let text {
            guard let shard = RunOptions.parseShard(text) else {
                throw RunError.notAShard(text)
            }
            return shard
        }
        let k = environment[StageJobEnvironment.shard] ?? "", n = environment[StageJobEnvironment.shards] ?? ""
        if k.isEmpty && n.isEmpty { return nil }
        // One without the other would silently run every file in every shard.
        guard !k.isEmpty, !n.isEmpty else {
            throw RunError.shardVariableMissing(set: k.isEmpty ? StageJobEnvironment.shards : StageJobEnvironment.shard)
        }
        guard let shard = RunOptions.parseShard("\(k)/\(n)") else {
            throw RunError.shardVariablesInvalid(shard: k, shards: n)
        }
        return shard
    }

    /// Plans, then runs the one stage in the working tree.
    public static func run(
        stage name: String, repo: Repository, request: PlanRequest, environment: [String: String],
        shard: (index: Int, count: Int)?, observers: [RunObserver]
    ) throws -> (Plan, RunReport) {
        guard let workdir = repo.workdir else {
            throw RunError.needsWorkingTree(what: "mlci job")
        }
        let plan = try Planner.plan(request, in: repo)
        let stages = try StageSelection.select(plan, names: [name], only: true)
        var options = RunOptions(jobs: 1)
        options.shard = shard
        let executor = Executor(plan: plan, repo: repo, environment: environment)
        return (plan, try executor.run(stages, in: .inPlace(root: workdir), options: options, observers: observers))
    }

    /// The stage's cache key for this job (its shard included), or nil when the stage is never
    /// cached: what the pipeline keys the CI's own cache with before running the stage.
    public static func cacheKey(
        stage name: String, repo: Repository, request: PlanRequest, environment: [String: String],
        shard: (index: Int, count: Int)?
    ) throws -> String? {
        let plan = try Planner.plan(request, in: repo)
        guard let stage = try StageSelection.select(plan, names: [name], only: true).first, stage.isCacheable else {
            return nil
        }
        let executor = Executor(plan: plan, repo: repo, environment: environment)
        return try executor.cacheKeys(shard: shard)[name]?.key
    }
}
