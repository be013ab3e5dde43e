import Foundation

/// What a run did: one result per stage of the plan (in plan order), how long it took, and
/// whether a signal stopped it.
public struct RunReport: Sendable {
    public let results: [StageResult]
    public let duration: Double
    /// The signal that stopped the run (SIGINT, SIGTERM, SIGHUP), if one did.
    public let interruptedBy: Int32?
    /// Problems that did not fail the run (an unreadable cache record, a metrics file that
    /// could not be written).
    public let warnings: [String]

    /// The stages that were meant to run (not the unaffected ones).
    public var ran: [StageResult] { results.filter { !$0.status.isSkipped } }

    /// Every stage meant to run passed or was replayed from the cache.
    public var passed: Bool { ran.allSatisfy(\.status.isSuccess) }

    /// The report `mlci run --format json` prints.
    public var json: JSONValue {
        .object([
            ("schema", .int(1)),
            ("duration", .double(duration)),
            (
                "stages",
                .array(
                    results.map { r in
                        var fields: [(String, JSONValue)] = [
                            ("name", .string(r.stage)), ("status", .string(r.status.rawValue)),
                            ("duration", .double(r.duration)),
                            ("cache_hit", .bool(r.cacheHit)), ("key", r.cacheKey.map(JSONValue.string) ?? .null),
                            ("exit_code", r.exitCode.map { .int(Int($0)) } ?? .null),
                        ]
                        if let note = r.note { fields.append(("note", .string(note))) }
                        if let rollback = r.rollback { fields.append(("rollback", .string(rollback.rawValue))) }
                        return .object(fields)
                    })
            ),
        ])
    }

    /// The table printed at the end of a run (`onlyRan`: leave out stages not affected, as the
    /// hooks do).
    public func table(onlyRan: Bool = false) -> String {
        let rows = onlyRan ? ran : results
        let width = max(5, rows.map(\.stage.count).max() ?? 0)
        var out = "\n" + "STAGE".padded(width) + "  " + "STATUS".padded(20) + "  " + "DURATION".padded(9) + "  CACHE\n"
        for r in rows {
            var status = r.status.rawValue
            if let rollback = r.rollback { status += ", " + rollback.rawValue }
            let ran = !r.status.isSkipped && !(r.status == .cancelled && r.duration == 0)
            let cache = r.cacheHit ? "hit \(r.cacheKey?.prefix(12) ?? "")" : (r.cacheKey != nil && ran ? "miss" : "-")
            out +=
                r.stage.padded(width) + "  " + status.padded(20) + "  "
                + (ran ? Self.duration(r.duration) : "-").padded(9)
                + "  " + cache + "\n"
        }
        let failed = ran.filter { !$0.status.isSuccess }
        // Stages cancelled before they started did not run; replays are counted apart.
        let started = ran.filter { !($0.status == .cancelled && $0.duration == 0) }
        let replayed = started.filter { $0.status == .cached }.count
        out += "\n\(started.count) stage\(started.count == 1 ? "" : "s") run"
        if replayed > 0 { out += " (\(replayed) replayed from the cache)" }
        if started.count < ran.count { out += ", \(ran.count - started.count) not started" }
        out += " in \(Self.duration(duration))"
        out +=
            failed.isEmpty
            ? ", all passed\n" : ", \(failed.count) did not pass: \(failed.map(\.stage).joined(separator: ", "))\n"
        return out
    }

    /// `12.3s`, or `4m05s` from a minute on.
    public static func duration(_ seconds: Double) -> String {
        seconds < 60
            ? String(format: "%.1fs", seconds) : String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }
}

extension String {
    func padded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
