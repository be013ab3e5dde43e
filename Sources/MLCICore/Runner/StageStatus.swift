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
