import Foundation

/// The plan for people: a header saying how the base was chosen, then one row per stage with
/// the first reason and a count of the rest.
public enum PlanText {
    public struct Style: Sendable {
        public var color: Bool
        public init(color: Bool) { self.color = color }
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    }

    /// The plan as text. Paths, names and values come from the repository (a pull request), so
    /// each field is escaped (`terminalSafe`, `quotedIfNeeded`) before it is put into a line, and
    /// colour is added after: no field can send a control sequence or start a line of its own.
    public static func render(_ plan: Plan, style: Style) -> String { compose(plan, style: style) }

    /// The stage names as the table shows them.
    private static func shown(_ d: StageDecision) -> String { d.stage.name.quotedIfNeeded }

    private static func compose(_ plan: Plan, style: Style) -> String {
        var out = header(plan)
        let nameWidth = max(5, plan.stages.map { shown($0).count }.max() ?? 0)
        out += "\n" + "STAGE".padding(nameWidth) + "  RUN  REASON\n"
        for d in plan.stages {
            let run = d.affected ? style.paint("yes", "32") : style.paint("no ", "2")
            out += shown(d).padding(nameWidth) + "  " + run + "  " + d.headline.terminalSafe + "\n"
        }
        if let dvc = plan.dvcStages, let count = plan.dvcCount {
            let invalid = dvc.filter { !$0.reasons.isEmpty }
            out +=
                "\nDVC stages: \(count)"
                + (plan.unreadableDVC.isEmpty
                    ? "" : "; unknown: \(plan.unreadableDVC.map(\.description.terminalSafe).joined(separator: ", "))")
                + "\n"
            for s in invalid {
                out +=
                    "  \(s.name.quotedIfNeeded): \(s.reasons.map(\.summary.terminalSafe).joined(separator: "; "))\n"
            }
        }
        if !plan.removedStages.isEmpty { out += "\n" }
        for removed in plan.removedStages {
            out += style.paint(removed.protected ? "error:" : "warning:", removed.protected ? "31" : "33")
            out += " \(removed.summary.terminalSafe)\n"
        }
        let notes = plan.changes.filter { !$0.participates || $0.via != nil }
        if !notes.isEmpty { out += "\n" }
        for c in notes.prefix(10) {
            if let via = c.via {
                let old = c.note?.lookup("old_hash")?.stringValue ?? "(none)",
                    new = c.note?.lookup("new_hash")?.stringValue ?? "(none)"
                out +=
                    "note: \(c.path.quotedIfNeeded) changed through \(via.quotedIfNeeded) "
                    + "(hash \(String(old.prefix(12)).terminalSafe) → \(String(new.prefix(12)).terminalSafe))\n"
            } else if let summary = c.note?.lookup("summary")?.stringValue {
                out += "note: \(c.path.quotedIfNeeded): \(summary.terminalSafe)\n"
            }
        }
        if !plan.unwatched.isEmpty {
            out += "\n"
            let shown = plan.unwatched.prefix(10)
            for path in shown { out += style.paint("warning:", "33") + " no stage watches \(path.quotedIfNeeded)\n" }
            if plan.unwatched.count > shown.count {
                out +=
                    style.paint("warning:", "33")
                    + " ... and \(plan.unwatched.count - shown.count) more unwatched paths\n"
            }
        }
        return out
    }

    static func header(_ plan: Plan) -> String {
        var out = ""
        let base = plan.base.sha.map { String($0.hex.prefix(12)) } ?? "(none)"
        out += "base  \(base)  \(plan.base.source.terminalSafe)\n"
        if let fallback = plan.base.fallback { out += "      fallback: \(fallback.terminalSafe)\n" }
        if let scope = plan.base.scope { out += "      trigger: \(scope.summary.terminalSafe)\n" }
        let head =
            plan.worktree
            ? "working tree" + (plan.head.map { " on \($0.hex.prefix(12))" } ?? "")
            : plan.head.map { String($0.hex.prefix(12)) } ?? "(none)"
        out += "head  \(head)\n"
        // Files as git counts them; data paths that changed through a .dvc pointer or dvc.lock
        // are counted apart (a file may be of several kinds, so kind counts can add up to more).
        var counts: [String: Int] = [:]
        let files = plan.changes.filter { $0.via == nil }
        for c in files { for k in c.kinds { counts[k, default: 0] += 1 } }
        let kinds = plan.config.kinds.compactMap { k in counts[k.name].map { "\(k.name.terminalSafe) \($0)" } }
        out += "changes  \(files.count == 1 ? "1 file" : "\(files.count) files")"
        out += kinds.isEmpty ? "" : " (\(kinds.joined(separator: ", ")))"
        let derived = plan.changes.count - files.count
        if derived > 0 {
            out += ", and \(derived) DVC-tracked path\(derived == 1 ? "" : "s") through pointers or locks"
        }
        return out + "\n"
    }

    /// Every invalidated DVC stage a `dvc:` stage carries, each with DVC's reasons (the dep,
    /// the param with both values, the cmd, the upstream stage).
    private static func dvcDetails(_ plan: Plan, _ stage: Stage, indent: String) -> String {
        guard let link = stage.dvc, let decisions = plan.dvcStages else { return "" }
        var out = ""
        for d in decisions where !d.reasons.isEmpty && StageFootprint.carries(link, d.name) {
            out += "\(indent)DVC stage \(d.name.quotedIfNeeded):\n"
            for r in d.reasons { out += "\(indent)  - \(r.summary.terminalSafe)\n" }
        }
        return out
    }

    /// `--explain STAGE`: every reason, and for `needs` reasons the chain upstream.
    public static func explain(_ plan: Plan, stage name: String) -> String {
        guard let decision = plan.decision(name) else { return "" }
        var out = header(plan) + "\n"
        var seen = Set<String>()
        func walk(_ d: StageDecision, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            guard seen.insert(d.stage.name).inserted else {
                out += "\(indent)\(d.stage.name.quotedIfNeeded): (explained above)\n"
                return
            }
            out += "\(indent)\(d.stage.name.quotedIfNeeded): " + (d.affected ? "runs" : "does not run") + "\n"
            if let held = d.heldBack {
                out += "\(indent)  held back: \(held.terminalSafe); it would run because:\n"
            } else if !d.affected {
                let watched = d.stage.on.map(\.source.terminalSafe).joined(separator: ", ")
                out += "\(indent)  no change matched its on: [\(watched)]"
                if !d.stage.params.isEmpty { out += ", no tracked params changed" }
                if !d.stage.needs.isEmpty {
                    out +=
                        ", and none of its needs (\(d.stage.needs.map(\.quotedIfNeeded).joined(separator: ", "))) runs"
                }
                out += "\n"
            }
            for r in d.reasons {
                out += "\(indent)  - \(r.summary.terminalSafe)\n"
                if case .path(_, let pattern, let kind, _) = r {
                    let matching = plan.changes.filter { c in
                        if let kind { return c.kinds.contains(kind) }
                        return PathPattern(pattern)?.matches(SplitPath(c.change.pathBytes)) ?? false
                    }
                    for c in matching.prefix(20) {
                        out += "\(indent)      \(c.change.status.rawValue) \(c.path.quotedIfNeeded)\n"
                    }
                    if matching.count > 20 { out += "\(indent)      ... \(matching.count - 20) more\n" }
                }
                if case .upstream(let up) = r, let upstream = plan.decision(up) { walk(upstream, depth: depth + 2) }
                if case .dvc = r { out += dvcDetails(plan, d.stage, indent: indent + "    ") }
            }
        }
        walk(decision, depth: 0)
        return out
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
