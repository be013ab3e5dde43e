/// The renderings of `mlci plan --format`.
public enum PlanFormat: String, CaseIterable, Sendable {
    case text, json, github, dotenv, markdown, mermaid, dot

    /// Writes `plan` in this format; `github` prints the text table (its caller appends the
    /// step files, `GitHubStepFiles`, and stops workflow commands around everything it writes:
    /// `WorkflowCommandStop`).
    public func write(_ plan: Plan, color: Bool, to emit: ([UInt8]) -> Void) {
        func text(_ s: String) { emit(Array(s.utf8)) }
        switch self {
        case .text: text(PlanText.render(plan, style: .init(color: color)))
        case .json: PlanJSON.write(plan, to: emit)
        case .dotenv: text(PlanVariables.dotenv(plan))
        case .markdown: text(PlanGraph.markdown(plan))
        case .mermaid: text(PlanGraph.mermaid(plan))
        case .dot: text(PlanGraph.dot(plan))
        case .github:
            text(PlanText.render(plan, style: PlanText.Style(color: false)))
        }
    }
}
