import Foundation
import MLCICore
import Testing

@Suite("Grafana dashboard")
struct DashboardTests {
    @Test("the dashboard is valid JSON and queries only metrics that mlci run writes")
    func metricsExist() throws {
        let text = try #require(Templates.builtIn("grafana/mlci-dashboard.json"))
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let panels = try #require(json?["panels"] as? [[String: Any]])
        let result = StageResult(
            stage: "lint", status: .passed, duration: 1, exitCode: 0, cacheKey: nil, cacheHit: false, note: nil,
            rollback: nil)
        let exposition = PrometheusMetrics.render([result], duration: 1, pipelineOf: ["lint": "ci"])
        var names: Set<String> = []
        for panel in panels {
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                let expr = target["expr"] as? String ?? ""
                let regex = try NSRegularExpression(pattern: "mlci_[a-z_]+")
                for m in regex.matches(in: expr, range: NSRange(expr.startIndex..., in: expr)) {
                    names.insert(String(expr[Range(m.range, in: expr)!]))
                }
            }
        }
        #expect(names.count >= 4)
        for name in names { #expect(exposition.contains("\n\(name){") || exposition.contains("\n\(name) "), "\(name)") }
    }
}
