import MLCIGit

public struct DVCStageDecision: Sendable {
    public let name: String
    public let reasons: [DVCReason]
}
