import MLCIGit

/// Kubeflow Pipelines: where a pipeline with `pipelines.<name>.kubeflow` trains. It is a
/// platform mlci hands stages to, never one it plans under — a CI job decides what runs and
/// submits the run — so it reads no environment and has no base rule of its own; it owns
/// `ci.kubeflow`, `pipelines.<name>.kubeflow`, their checks, and the pipeline files.
public struct KubeflowPlatform: CIPlatform {
    public init() {}

    public let id = "kubeflow"

    public var triggerEvents: [String] { [] }

    public func read(_ environment: [String: String]) -> CIContext.Build? { nil }

    public func tag(_ environment: [String: String], detected: Bool) -> String? { nil }

    public func base(for build: CIContext.Build, head: ObjectID, rules: BaseResolver) throws -> BaseChoice {
        try rules.local(head: head, fallback: nil)
    }

    public var settingsKeys: [String] { KubeflowSettings.keys }

    public func settings(_ mapping: ConfigMapping) -> any CIPlatformSettings { KubeflowSettings(mapping) }

    public var pipelineSettingsKeys: [String] { KubeflowPipelineSettings.keys }

    public func pipelineSettings(_ mapping: ConfigMapping) -> any CIPlatformSettings {
        KubeflowPipelineSettings(mapping)
    }

    /// A Kubeflow run holds one pipeline's stages: each needs an image, may order itself only
    /// after stages of the same pipeline, and needs a task name of its own.
    public func problems(stages: [Stage], pipelines: [Pipeline], ci: CISettings) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let onKubeflow = pipelines.filter { $0.kubeflow != nil }
        for pipeline in onKubeflow {
            let members = Set(pipeline.stages)
            var tasks: [String: String] = [:]
            for stage in stages where members.contains(stage.name) {
                let settings = ci.overridden(by: stage.ci).kubeflow
                if settings.image == nil && pipeline.kubeflow?.image == nil {
                    problems.append(
                        Diagnostic(
                            .error,
                            "stage '\(stage.name)' runs on Kubeflow (pipeline '\(pipeline.name)') and has no image: "
                                + "set pipelines.\(pipeline.name).kubeflow.image or ci.kubeflow.image",
                            at: stage.location))
                }
                for up in stage.after where !members.contains(up) {
                    problems.append(
                        Diagnostic(
                            .error,
                            "stage '\(stage.name)' runs on Kubeflow (pipeline '\(pipeline.name)') after '\(up)', which "
                                + "is not in that pipeline; a Kubeflow run holds only its pipeline's stages",
                            at: stage.location))
                }
                let task = KubeflowEmitter.taskName(stage.name)
                if task.isEmpty {
                    problems.append(
                        Diagnostic(
                            .error, "stage '\(stage.name)' has no letter or digit to name its Kubeflow task; rename it",
                            at: stage.location))
                } else if let other = tasks[task] {
                    problems.append(
                        Diagnostic(
                            .error,
                            "stages '\(other)' and '\(stage.name)' both become Kubeflow task '\(task)'; rename one",
                            at: stage.location))
                }
                tasks[task] = stage.name
            }
        }
        let kubeflowStages = Set(onKubeflow.flatMap(\.stages))
        for stage in stages
        where stage.ci?.platform(KubeflowSettings.self) != nil && !kubeflowStages.contains(stage.name) {
            problems.append(
                Diagnostic(
                    .warning,
                    "stage '\(stage.name)' sets ci.kubeflow but is in no pipeline with kubeflow:, so it has no effect",
                    at: stage.location))
        }
        return problems
    }

    /// The Kubeflow pipeline named `name`.
    public static func pipeline(_ name: String, in config: MLCIConfig) throws -> Pipeline {
        guard let pipeline = config.pipelines.first(where: { $0.name == name && $0.kubeflow != nil }) else {
            throw KubeflowError.notOnKubeflow(
                name, kubeflowPipelines: config.pipelines.filter { $0.kubeflow != nil }.map(\.name))
        }
        return pipeline
    }

    /// The run CI submits for a plan: the pipeline holding exactly its affected stages; nil
    /// when none is affected (nothing to run).
    public static func run(_ name: String, plan: Plan) throws -> String? {
        let pipeline = try Self.pipeline(name, in: plan.config)
        let affected = plan.affected.map(\.stage).filter { pipeline.stages.contains($0.name) }
        guard !affected.isEmpty else { return nil }
        let ordered = StageGraph.order(affected)
        return try KubeflowEmitter(config: plan.config).document(
            pipeline, stages: ordered, command: "mlci generate kubeflow --pipeline \(name) --base BASE --head HEAD")
    }

    /// `mlci generate kubeflow --pipeline NAME --base … --head …`: plans the range as every CI
    /// job does and returns the plan (for its warnings) and the run file, nil when nothing of
    /// the pipeline is affected.
    public static func run(
        _ name: String, base: String?, head: String?, configFile: String?, environment: [String: String],
        in repo: Repository
    ) throws -> (plan: Plan, file: String?) {
        let request = PlanRequest(
            head: .commit(head), base: .automatic(explicit: base), configFile: configFile, environment: environment)
        let plan = try Planner.plan(request, in: repo)
        return (plan, try run(name, plan: plan))
    }

    /// Every Kubeflow pipeline, each with all its stages, at `kubeflow/<pipeline>.yaml` (or in
    /// the directory `out`).
    public func generate(_ input: GeneratorInput, out: String?) throws -> GeneratorInput.Output {
        let dir = out ?? input.root + "kubeflow"
        let emitter = KubeflowEmitter(config: input.config)
        let files = try input.config.pipelines.filter { $0.kubeflow != nil }.map { pipeline in
            let stages = StageGraph.order(input.config.stages).filter { pipeline.stages.contains($0.name) }
            return (
                dir + "/\(pipeline.name).yaml",
                try emitter.document(pipeline, stages: stages, command: "mlci generate kubeflow")
            )
        }
        return GeneratorInput.Output(files: files, staleCandidates: GeneratedFiles.generated(in: dir, suffix: ".yaml"))
    }
}
