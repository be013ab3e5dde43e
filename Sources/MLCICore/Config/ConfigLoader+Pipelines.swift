import Foundation
import Yams

/// Decoding `pipelines:`.
extension ConfigLoader {
    /// Pipelines, each stage in at most one; without `pipelines:`, one pipeline `mlci`.
    func loadPipelines(
        _ nodes: [(String, Node, Node)], stageNames: [String], stageLocations: [String: SourceLocation?],
        _ doc: YAMLDocument,
        _ out: Collector
    ) -> [Pipeline] {
        guard !nodes.isEmpty else {
            return [
                Pipeline(
                    name: "mlci", stages: stageNames, branches: nil, schedule: nil, dispatch: nil, pullRequests: nil,
                    location: nil)
            ]
        }
        var owner: [String: String] = [:]
        var pipelines: [Pipeline] = []
        for (name, nameNode, body) in nodes {
            let at = doc.location(nameNode)
            if !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
                || name.isEmpty
            {
                out.error(
                    "pipeline name '\(name)' may hold only letters, digits, '-' and '_' (it names files and jobs)", at)
            }
            guard case .mapping(let map) = body else {
                out.error(
                    "pipeline '\(name)' must be a mapping with 'stages'; found \(body.shapeName)",
                    doc.location(body) ?? at)
                continue
            }
            var stages: [String] = [], branches: [String]?, schedule: String?, dispatch: String?
            var pullRequests: Bool?
            var platformSettings = CISettings()
            var sawStages = false
            for (keyNode, value) in map {
                let key = keyNode.string ?? ""
                switch key {
                case "stages":
                    sawStages = true
                    for (stage, loc) in strings(value, what: "pipeline '\(name)' stages", doc, out) {
                        if !stageNames.contains(stage) {
                            out.error(
                                "pipeline '\(name)' names unknown stage '\(stage)'\(DidYouMean.hint(for: stage, among: stageNames))",
                                loc)
                        } else if let other = owner[stage] {
                            out.error(
                                "stage '\(stage)' is in pipeline '\(other)' and in pipeline '\(name)'; a stage belongs to one pipeline",
                                loc)
                        } else {
                            owner[stage] = name
                            stages.append(stage)
                        }
                    }
                case "branches":
                    branches = refPatterns(value, owner: "pipeline '\(name)'", kind: "branch", doc, out)
                case "schedule":
                    schedule = scalar(
                        value, doc, out,
                        else: "pipeline '\(name)': invalid cron '\(value.string ?? "")': "
                            + (Cron.problem(value.string ?? "") ?? "expected a string")
                    ) { Cron.problem($0) == nil ? $0 : nil }
                case "dispatch":
                    dispatch = scalar(
                        value, doc, out,
                        else: "pipeline '\(name)': dispatch must be a name of letters, digits, '-' and '_'"
                    ) { d in
                        !d.isEmpty
                            && d.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
                            ? d : nil
                    }
                case "pull_requests":
                    if let flag = value.scalar.flatMap({ Bool($0.string) }) {
                        pullRequests = flag
                    } else {
                        out.error("pipeline '\(name)': pull_requests must be true or false", doc.location(value))
                    }
                default:
                    if let platform = platforms.first(where: { $0.id == key && !$0.pipelineSettingsKeys.isEmpty }) {
                        guard case .mapping(let settings) = value else {
                            out.error(
                                "pipeline '\(name)': \(key) must be a mapping; found \(value.shapeName)",
                                doc.location(value))
                            continue
                        }
                        let mapping = ConfigMapping(
                            what: "pipeline '\(name)' \(key)", loader: self, map: settings, doc, out)
                        platformSettings.setPlatform(platform.pipelineSettings(mapping))
                        continue
                    }
                    out.error(
                        "pipeline '\(name)': unknown key '\(key)'\(DidYouMean.hint(for: key, among: pipelineKeys))",
                        doc.location(keyNode))
                }
            }
            if !sawStages { out.error("pipeline '\(name)' has no 'stages'", at) }
            var pipeline = Pipeline(
                name: name, stages: stages, branches: branches, schedule: schedule, dispatch: dispatch,
                pullRequests: pullRequests, location: at)
            pipeline.platforms = platformSettings
            pipelines.append(pipeline)
        }
        for stage in stageNames where owner[stage] == nil {
            out.warning(
                "stage '\(stage)' is in no pipeline, so generated CI never runs it", stageLocations[stage] ?? nil)
        }
        return pipelines
    }
}
