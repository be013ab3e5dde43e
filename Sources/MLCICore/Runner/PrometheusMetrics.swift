import Foundation

/// `--metrics-file FILE`: Prometheus text exposition of the run, for node_exporter's textfile
/// collector or a Pushgateway. Written once, atomically, when the run ends.
public enum PrometheusMetrics {
    public static func render(
        _ results: [StageResult], duration: Double, pipelineOf: [String: String], now: Date = Date()
    ) -> String {
        func labels(_ r: StageResult, _ extra: [(String, String)] = []) -> String {
            let pairs = [("stage", r.stage), ("pipeline", pipelineOf[r.stage] ?? "")] + extra
            return "{" + pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
        }
        var out = ""
        out +=
            "# HELP mlci_stage_duration_seconds Wall time of the stage in the last run.\n# TYPE mlci_stage_duration_seconds gauge\n"
        for r in results { out += "mlci_stage_duration_seconds\(labels(r)) \(format(r.duration))\n" }
        out +=
            "# HELP mlci_stage_status 1 for the status the stage ended with in the last run.\n# TYPE mlci_stage_status gauge\n"
        for r in results { out += "mlci_stage_status\(labels(r, [("status", r.status.rawValue)])) 1\n" }
        out +=
            "# HELP mlci_stage_success 1 when the stage passed or was cached, 0 when it failed, timed out or was cancelled.\n# TYPE mlci_stage_success gauge\n"
        for r in results where !r.status.isSkipped {
            out += "mlci_stage_success\(labels(r)) \(r.status.isSuccess ? 1 : 0)\n"
        }
        out +=
            "# HELP mlci_stage_cache_hit 1 when the stage was skipped because its inputs were unchanged.\n# TYPE mlci_stage_cache_hit gauge\n"
        for r in results where !r.status.isSkipped {
            out += "mlci_stage_cache_hit\(labels(r)) \(r.cacheHit ? 1 : 0)\n"
        }
        out +=
            "# HELP mlci_run_duration_seconds Wall time of the whole run.\n# TYPE mlci_run_duration_seconds gauge\nmlci_run_duration_seconds \(format(duration))\n"
        out += "# HELP mlci_run_stages Stages of the last run by status.\n# TYPE mlci_run_stages gauge\n"
        for status in ["passed", "failed", "cached", "cancelled", "skipped-not-affected", "timed-out"] {
            out += "mlci_run_stages{status=\"\(status)\"} \(results.filter { $0.status.rawValue == status }.count)\n"
        }
        out +=
            "# HELP mlci_run_timestamp_seconds When the run finished (Unix time).\n# TYPE mlci_run_timestamp_seconds gauge\n"
        out += "mlci_run_timestamp_seconds \(format(now.timeIntervalSince1970))\n"
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ d: Double) -> String { String(format: "%.3f", d) }
}
