import Foundation

/// `--events FILE`: one JSON object per line (run started, stage started and finished, run
/// finished), written as they happen, for Filebeat or Logstash.
public final class EventLog: RunObserver {
    private let handle: FileHandle
    private let plan: Plan

    public init(path: String, plan: Plan) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw RunError.cannotWriteEvents(path: path)
        }
        self.handle = handle
        self.plan = plan
    }

    static func timestamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    private func write(_ fields: [(String, JSONValue)]) {
        handle.write(
            Data(JSONValue.object([("time", .string(Self.timestamp()))] + fields).bytes(pretty: false) + [0x0a]))
    }

    public func runStarted(stages: [String]) {
        write([
            ("event", .string("run_started")), ("base", plan.base.sha.map { .string($0.hex) } ?? .null),
            ("head", plan.head.map { .string($0.hex) } ?? .null), ("stages", .array(stages.map(JSONValue.string))),
        ])
    }

    public func stageStarted(_ stage: String) {
        write([("event", .string("stage_started")), ("stage", .string(stage))])
    }

    public func stageOutput(_ stage: String, _ line: String) {}

    public func stageFinished(_ r: StageResult) {
        var fields: [(String, JSONValue)] = [
            ("event", .string("stage_finished")), ("stage", .string(r.stage)), ("status", .string(r.status.rawValue)),
            ("duration", .double(r.duration)), ("cache_hit", .bool(r.cacheHit)),
            ("key", r.cacheKey.map(JSONValue.string) ?? .null),
            ("exit_code", r.exitCode.map { .int(Int($0)) } ?? .null),
        ]
        if let note = r.note { fields.append(("note", .string(note))) }
        if let rollback = r.rollback { fields.append(("rollback", .string(rollback.rawValue))) }
        write(fields)
    }

    public func runFinished(_ results: [StageResult], duration: Double) {
        let ran = results.filter { !$0.status.isSkipped }
        write([
            ("event", .string("run_finished")),
            ("status", .string(ran.allSatisfy { $0.status.isSuccess } ? "passed" : "failed")),
            ("duration", .double(duration)),
        ])
        try? handle.close()
    }
}
