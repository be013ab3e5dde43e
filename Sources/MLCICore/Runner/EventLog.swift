import Foundation

/// `--events FILE`: one JSON object per line (run started, stage started and finished, run
/// finished), written as they happen, for Filebeat or Logstash.
public final class EventLog: RunObserver {
    private let handle: FileHandle
    private let plan: Plan

    public init(path: String, plan: Plan) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw MLCIError.usage("cannot write the events file \(path)")
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
        handle.write(Data(JSONValue.object([("time", .string(Self.timestamp()))] + fields).bytes(pretty: false) + [0x0a]))
    }

    public func runStarted(stages: [String]) {
        write([("event", .string("run_started")), ("base", plan.base.sha.map { .string($0.hex) } ?? .null),
               ("head", plan.head.map { .string($0.hex) } ?? .null), ("stages", .array(stages.map(JSONValue.string)))])
    }

    public func stageStarted(_ stage: String) {
        write([("event", .string("stage_started")), ("stage", .string(stage))])
    }

    public func stageOutput(_ stage: String, _ line: String) {}

    public func stageFinished(_ r: StageResult) {
        var fields: [(String, JSONValue)] = [
            ("event", .string("stage_finished")), ("stage", .string(r.stage)), ("status", .string(r.status.rawValue)),
            ("duration", .double(r.duration)), ("cache_hit", .bool(r.cacheHit)),
            ("key", r.cacheKey.map(JSONValue.string) ?? .null), ("exit_code", r.exitCode.map { .int(Int($0)) } ?? .null),
        ]
        if let note = r.note { fields.append(("note", .string(note))) }
        if let rollback = r.rollback { fields.append(("rollback", .string(rollback.rawValue))) }
        write(fields)
    }

    public func runFinished(_ results: [StageResult], duration: Double) {
        let ran = results.filter { $0.status != .skippedNotAffected }
        write([("event", .string("run_finished")), ("status", .string(ran.allSatisfy { $0.status.isSuccess } ? "passed" : "failed")),
               ("duration", .double(duration))])
        try? handle.close()
    }
}

/// `--metrics-file FILE`: Prometheus text exposition of the run, for node_exporter's textfile
/// collector or a Pushgateway. Written once, atomically, when the run ends.
public enum PrometheusMetrics {
    public static func render(_ results: [StageResult], duration: Double, pipelineOf: [String: String], now: Date = Date()) -> String {
        func labels(_ r: StageResult, _ extra: [(String, String)] = []) -> String {
            let pairs = [("stage", r.stage), ("pipeline", pipelineOf[r.stage] ?? "")] + extra
            return "{" + pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        var out = ""
        out += "# HELP mlci_stage_duration_seconds Wall time of the stage in the last run.\n# TYPE mlci_stage_duration_seconds gauge\n"
        for r in results { out += "mlci_stage_duration_seconds\(labels(r)) \(format(r.duration))\n" }
        out += "# HELP mlci_stage_status 1 for the status the stage ended with in the last run.\n# TYPE mlci_stage_status gauge\n"
        for r in results { out += "mlci_stage_status\(labels(r, [("status", r.status.rawValue)])) 1\n" }
        out += "# HELP mlci_stage_success 1 when the stage passed or was cached, 0 when it failed, timed out or was cancelled.\n# TYPE mlci_stage_success gauge\n"
        for r in results where r.status != .skippedNotAffected { out += "mlci_stage_success\(labels(r)) \(r.status.isSuccess ? 1 : 0)\n" }
        out += "# HELP mlci_stage_cache_hit 1 when the stage was skipped because its inputs were unchanged.\n# TYPE mlci_stage_cache_hit gauge\n"
        for r in results where r.status != .skippedNotAffected { out += "mlci_stage_cache_hit\(labels(r)) \(r.cacheHit ? 1 : 0)\n" }
        out += "# HELP mlci_run_duration_seconds Wall time of the whole run.\n# TYPE mlci_run_duration_seconds gauge\nmlci_run_duration_seconds \(format(duration))\n"
        out += "# HELP mlci_run_stages Stages of the last run by status.\n# TYPE mlci_run_stages gauge\n"
        for status in ["passed", "failed", "cached", "cancelled", "skipped-not-affected", "timed-out"] {
            out += "mlci_run_stages{status=\"\(status)\"} \(results.filter { $0.status.rawValue == status }.count)\n"
        }
        out += "# HELP mlci_run_timestamp_seconds When the run finished (Unix time).\n# TYPE mlci_run_timestamp_seconds gauge\n"
        out += "mlci_run_timestamp_seconds \(format(now.timeIntervalSince1970))\n"
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ d: Double) -> String { String(format: "%.3f", d) }
}
