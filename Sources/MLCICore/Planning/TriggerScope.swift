import Foundation

/// Which pipelines a CI trigger (a schedule, a manual or API run, a dispatch) starts, so a
/// trigger runs exactly those pipelines' stages and never, say, a deployment by accident:
///   1. `MLCI_PIPELINE` — set by each generated GitHub workflow, which GitHub starts only for
///      the schedule or dispatch that workflow declares — names the pipeline;
///   2. else `MLCI_TRIGGER=<name>` (a GitLab pipeline variable, a Jenkins build parameter)
///      starts the pipelines with a `schedule` or `dispatch` whose dispatch name (or, without
///      one, pipeline name) is `<name>`;
///   3. else (a schedule, or a "Run pipeline" click with no variable) the pipelines that
///      declare a `schedule`.
/// The generated GitLab rules and Jenkins conditions start the same pipelines.
public struct TriggerScope: Sendable, Equatable {
    public let pipelines: [String]
    /// Said with the plan's base: which rule chose the pipelines.
    public let rule: String

    public static func resolve(config: MLCIConfig, context: CIContext) -> TriggerScope {
        if let name = context.pipeline {
            // Set by a generated workflow: a name that is no pipeline (a workflow generated from
            // another mlci.yml) runs nothing, and says so, rather than guessing.
            let known = config.pipelines.contains { $0.name == name }
            return TriggerScope(pipelines: known ? [name] : [], rule: "\(StageJobEnvironment.pipeline)=\(name)")
        }
        if let requested = context.trigger {
            let names = config.pipelines.filter { $0.requestName == requested }.map(\.name)
            return TriggerScope(pipelines: names, rule: "\(StageJobEnvironment.trigger)=\(requested)")
        }
        return TriggerScope(
            pipelines: config.pipelines.filter { $0.schedule != nil }.map(\.name),
            rule: "no \(StageJobEnvironment.trigger): pipelines with a schedule")
    }

    static func resolve(config: MLCIConfig, _ request: PlanRequest) -> TriggerScope {
        resolve(config: config, context: request.ci)
    }

    /// The stages the trigger runs.
    public func stages(in config: MLCIConfig) -> Set<String> {
        Set(config.pipelines.filter { pipelines.contains($0.name) }.flatMap(\.stages))
    }

    /// `starts ct (MLCI_TRIGGER=retrain)`, or why nothing starts.
    public var summary: String {
        pipelines.isEmpty
            ? "starts no pipeline (\(rule)); set \(StageJobEnvironment.trigger) to a pipeline's dispatch name"
            : "starts \(pipelines.joined(separator: ", ")) (\(rule))"
    }
}

extension Pipeline {
    /// The name a run is requested with (`MLCI_TRIGGER`, GitHub's dispatch type): the
    /// `dispatch` name, else the pipeline's own name for a scheduled pipeline; nil for
    /// pipelines that only run on pushes and merge requests.
    public var requestName: String? {
        schedule != nil || dispatch != nil ? (dispatch ?? name) : nil
    }
}
