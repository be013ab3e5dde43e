import Foundation

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
