import Foundation

/// How a stage ended in a run.
public enum StageStatus: String, Sendable {
    case passed, failed, cached, cancelled
    case skippedNotAffected = "skipped-not-affected"
    /// Affected, but left out of this run (`--stage … --only`, a CI job for another stage).
    case skippedNotSelected = "skipped-not-selected"
    case timedOut = "timed-out"

    /// Passed, or passed before with the same inputs.
    public var isSuccess: Bool { self == .passed || self == .cached }

    /// The stage was not meant to run this time (not affected, or not selected).
    public var isSkipped: Bool { self == .skippedNotAffected || self == .skippedNotSelected }
}

/// The outcome of a stage's rollback command, when it has one and the stage failed.
public enum RollbackStatus: String, Sendable {
    case rolledBack = "rolled back"
    case rollbackFailed = "rollback failed"
}

public struct StageResult: Sendable {
    public let stage: String
    public var status: StageStatus
    public var duration: Double
    public var exitCode: Int32?
    public var cacheKey: String?
    public var cacheHit: Bool
    /// Why it was cancelled or failed, in words.
    public var note: String?
    public var rollback: RollbackStatus?

    public init(
        stage: String, status: StageStatus, duration: Double, exitCode: Int32?, cacheKey: String?,
        cacheHit: Bool, note: String?, rollback: RollbackStatus?
    ) {
        self.stage = stage
        self.status = status
        self.duration = duration
        self.exitCode = exitCode
        self.cacheKey = cacheKey
        self.cacheHit = cacheHit
        self.note = note
        self.rollback = rollback
    }

    /// A stage that ran no command: cancelled, or not affected.
    static func notRun(_ stage: String, _ status: StageStatus, note: String? = nil) -> StageResult {
        StageResult(
            stage: stage, status: status, duration: 0, exitCode: nil, cacheKey: nil, cacheHit: false, note: note,
            rollback: nil)
    }
}

/// How a run goes: the flags of `mlci run`, and what the hooks choose.
public struct RunOptions: Sendable {
    public var jobs: Int
    public var keepGoing = false
    /// Seconds; applies to every stage, in addition to each stage's own `timeout:`.
    public var timeout: Int?
    /// Grace period between TERM and KILL.
    public var killGrace: Double = 2.0
    /// `--shard K/N`.
    public var shard: (index: Int, count: Int)?
    /// Write Prometheus metrics of the run here.
    public var metricsFile: String?
    /// Write JSON-lines events of the run here.
    public var eventsFile: String?

    public init(jobs: Int) { self.jobs = jobs }

    /// The flags of `mlci run` checked and turned into options (exit 2 on a bad value).
    public init(
        jobs: Int?, keepGoing: Bool, timeout: String?, shard: String?, metricsFile: String?, eventsFile: String?
    ) throws {
        if let jobs, jobs < 1 { throw RunError(.usage, "--jobs must be at least 1") }
        self.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        self.keepGoing = keepGoing
        if let timeout {
            guard let seconds = TimeSpan.seconds(timeout) else {
                throw RunError(
                    .usage, "--timeout '\(timeout)' is not a duration; write it with a unit: 90s, 30m, 2h, 1h30m")
            }
            self.timeout = seconds
        }
        if let shard {
            guard let parsed = Self.parseShard(shard) else {
                throw RunError(.usage, "--shard '\(shard)' must be K/N with 1 ≤ K ≤ N, such as 2/4")
            }
            self.shard = parsed
        }
        self.metricsFile = metricsFile
        self.eventsFile = eventsFile
    }

    /// `K/N` with 1 ≤ K ≤ N, or nil.
    public static func parseShard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        return (k, n)
    }
}

/// Receives what happens during a run. Calls are serialized by the runner.
public protocol RunObserver: AnyObject {
    func runStarted(stages: [String])
    func stageStarted(_ stage: String)
    /// The stage's key matched a passing run: its log is replayed instead of running it.
    func stageReplayed(_ stage: String, key: String)
    func stageOutput(_ stage: String, _ line: String)
    func stageFinished(_ result: StageResult)
    func runFinished(_ results: [StageResult], duration: Double)
}

extension RunObserver {
    /// Observers that do not tell replays apart see a start.
    public func stageReplayed(_ stage: String, key: String) { stageStarted(stage) }
}
