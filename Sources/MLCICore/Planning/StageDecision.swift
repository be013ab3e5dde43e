import MLCIGit

/// The decision for one stage.
public struct StageDecision: Sendable {
    public let stage: Stage
    public let reasons: [Reason]
    /// Set when the stage had reasons to run but may not: a tag build of a commit that is not
    /// on the default branch, for a stage with `tag_commits: default-branch`. Says why.
    public let heldBack: String?
    public var affected: Bool { !reasons.isEmpty && heldBack == nil }

    public init(stage: Stage, reasons: [Reason], heldBack: String? = nil) {
        self.stage = stage
        self.reasons = reasons
        self.heldBack = reasons.isEmpty ? nil : heldBack
    }

    /// The table's reason column: the first reason and how many more.
    public var headline: String {
        if let heldBack { return "held back: \(heldBack)" }
        guard let first = reasons.first else { return "not affected" }
        let more = reasons.count - 1
        return first.summary + (more > 0 ? " (+\(more) more reason\(more > 1 ? "s" : ""))" : "")
    }
}
