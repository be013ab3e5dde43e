import Foundation

/// The stage graph as Mermaid (rendered by GitHub and GitLab in Markdown) and Graphviz dot,
/// with affected stages highlighted. Solid edges are `needs`, dotted ones `after`.
public enum PlanGraph {
    public static func mermaid(_ plan: Plan) -> String {
        var out = "flowchart LR\n"
        for (i, d) in plan.stages.enumerated() {
            out += "  s\(i)[\"\(d.stage.name.replacingQuotes)\"]\n"
        }
        let index = Dictionary(uniqueKeysWithValues: plan.stages.enumerated().map { ($1.stage.name, $0) })
        for (i, d) in plan.stages.enumerated() {
            for n in d.stage.needs { if let j = index[n] { out += "  s\(j) --> s\(i)\n" } }
            for a in d.stage.after { if let j = index[a] { out += "  s\(j) -.-> s\(i)\n" } }
        }
        out += "  classDef affected fill:#dafbe1,stroke:#1a7f37,color:#1a7f37\n"
        out += "  classDef skipped fill:#f6f8fa,stroke:#8c959f,color:#57606a\n"
        let affected = plan.stages.indices.filter { plan.stages[$0].affected }.map { "s\($0)" }
        let skipped = plan.stages.indices.filter { !plan.stages[$0].affected }.map { "s\($0)" }
        if !affected.isEmpty { out += "  class \(affected.joined(separator: ",")) affected\n" }
        if !skipped.isEmpty { out += "  class \(skipped.joined(separator: ",")) skipped\n" }
        return out
    }

    public static func dot(_ plan: Plan) -> String {
        var out = "digraph mlci {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\"];\n"
        for d in plan.stages {
            let color =
                d.affected ? "fillcolor=\"#dafbe1\", color=\"#1a7f37\"" : "fillcolor=\"#f6f8fa\", color=\"#8c959f\""
            out += "  \"\(d.stage.name.replacingQuotes)\" [\(color)];\n"
        }
        for d in plan.stages {
            for n in d.stage.needs { out += "  \"\(n.replacingQuotes)\" -> \"\(d.stage.name.replacingQuotes)\";\n" }
            for a in d.stage.after {
                out += "  \"\(a.replacingQuotes)\" -> \"\(d.stage.name.replacingQuotes)\" [style=dashed];\n"
            }
        }
        return out + "}\n"
    }

    /// The summary for a pull request comment or a CI step summary: the graph, then a table.
    public static func markdown(_ plan: Plan) -> String {
        var out = "### mlci plan\n\n"
        out +=
            "Base `\(plan.base.sha.map { String($0.hex.prefix(12)) } ?? "none")` (\(plan.base.source.escapedForTable))"
        if let fallback = plan.base.fallback { out += ", fallback: \(fallback.escapedForTable)" }
        out +=
            " → head `\(plan.head.map { String($0.hex.prefix(12)) } ?? "working tree")`, \(plan.changes.count) changed files.\n\n"
        out += "```mermaid\n" + mermaid(plan) + "```\n\n"
        out += "| stage | runs | reason |\n| --- | --- | --- |\n"
        for d in plan.stages {
            let reason = d.headline
            out +=
                "| \(d.stage.name.escapedForTable) | \(d.affected ? "✅ yes" : "— no") | \(reason.escapedForTable) |\n"
        }
        if let dvc = plan.dvcStages, let count = plan.dvcCount {
            let invalid = dvc.filter { !$0.reasons.isEmpty }
            out += "\n**DVC stages:** \(count)"
            for problem in plan.unreadableDVC { out += "; \(problem.description.escapedForTable) (unknown)" }
            out += "\n"
            if !invalid.isEmpty {
                out += "\n| DVC stage | why |\n| --- | --- |\n"
                for s in invalid {
                    out +=
                        "| \(s.name.escapedForTable) | \(s.reasons.map(\.summary).joined(separator: "; ").escapedForTable) |\n"
                }
            }
        }
        let notes = plan.changes.filter { !$0.participates || $0.via != nil }
        if !notes.isEmpty { out += "\n" }
        for c in notes.prefix(10) {
            if let via = c.via {
                out += "- <code>\(c.path.escapedForTable)</code> changed through <code>\(via.escapedForTable)</code>\n"
            } else if let summary = c.note?.lookup("summary")?.stringValue {
                out += "- <code>\(c.path.escapedForTable)</code>: \(summary.escapedForTable)\n"
            }
        }
        if notes.count > 10 { out += "- and \(notes.count - 10) more notes\n" }
        for removed in plan.removedStages {
            out += "\n\(removed.protected ? "❌" : "⚠️") \(removed.summary.escapedForTable)\n"
        }
        if !plan.unwatched.isEmpty {
            out +=
                "\n\(plan.unwatched.count) changed path(s) watched by no stage, e.g. "
                + "<code>\(plan.unwatched[0].escapedForTable)</code>.\n"
        }
        return out
    }
}
