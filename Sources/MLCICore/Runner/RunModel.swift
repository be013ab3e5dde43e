import Foundation

/// How a stage ended in a run.
public enum StageStatus: String, Sendable {
    case passed, failed, cached, cancelled
    case skippedNotAffected = "skipped-not-affected"
    case timedOut = "timed-out"

    /// Passed, or passed before with the same inputs.
    public var isSuccess: Bool { self == .passed || self == .cached }
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
}

/// Receives what happens during a run. Calls are serialized by the runner.
public protocol RunObserver: AnyObject {
    func runStarted(stages: [String])
    func stageStarted(_ stage: String)
    func stageOutput(_ stage: String, _ line: String)
    func stageFinished(_ result: StageResult)
    func runFinished(_ results: [StageResult], duration: Double)
}
