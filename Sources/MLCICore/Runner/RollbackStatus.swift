import Foundation

/// The outcome of a stage's rollback command, when it has one and the stage failed.
public enum RollbackStatus: String, Sendable {
    case rolledBack = "rolled back"
    case rollbackFailed = "rollback failed"
}
