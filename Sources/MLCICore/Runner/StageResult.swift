import Foundation

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
