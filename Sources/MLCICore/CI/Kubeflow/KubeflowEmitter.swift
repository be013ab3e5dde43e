import Yams

/// A Kubeflow Pipelines pipeline (KFP v2 `PipelineSpec`, schema 2.1.0) for one mlci pipeline:
/// one component and one executor per stage (`comp-<task>`, `exec-<task>`) whose container
/// runs `mlci job <stage>` with the plan's base and head from the pipeline parameters
/// `base_sha`/`head_sha`, ordered by `needs`/`after`, resources from `ci.kubeflow`, and KFP's
/// caching off (mlci's cache decides what is replayed). Keys are written sorted, in the shape
/// kfp's own compiler writes, so loading the file with kfp and compiling it again gives the
/// same document.
public struct KubeflowEmitter {
    let config: MLCIConfig

    public init(config: MLCIConfig) { self.config = config }

    /// The pipeline parameters every task receives.
    static let parameters = ["base_sha", "head_sha"]

    /// The kfp release whose compiler output the files match (`sdkVersion`).
    static let sdkVersion = "kfp-2.17.3"

    /// Where `mlci generate kubeflow` writes a pipeline's file, relative to the repository root.
    public static func fileName(_ pipeline: String) -> String { "kubeflow/\(pipeline).yaml" }

    /// The task (and component, executor) name of a stage: kfp's own sanitising of a name —
    /// lower case, runs of anything but letters and digits become one `-`.
    public static func taskName(_ stage: String) -> String {
        var out = ""
        for c in stage.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) {
                out.append(c)
            } else if !out.hasSuffix("-") {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        while out.hasPrefix("-") { out.removeFirst() }
        return out
    }

    /// The pipeline's document holding `stages` (every stage of the pipeline, or the affected
    /// ones), in dependency order; `command` names what regenerates it.
    public func document(_ pipeline: Pipeline, stages: [Stage], command: String) throws -> String {
        let present = Set(stages.map(\.name))
        var components: [(String, Node)] = []
        var executors: [(String, Node)] = []
        var tasks: [(String, Node)] = []
        for stage in stages {
            let task = Self.taskName(stage.name)
            components.append(
                (
                    "comp-\(task)",
                    Y.map([
                        ("executorLabel", Y.str("exec-\(task)")),
                        (
                            "inputDefinitions",
                            Y.map([
                                (
                                    "parameters",
                                    Y.map(Self.parameters.map { ($0, Y.map([("parameterType", Y.str("STRING"))])) })
                                )
                            ])
                        ),
                    ])
                ))
            executors.append(("exec-\(task)", Y.map([("container", container(stage, pipeline: pipeline))])))
            var body: [(String, Node)] = [
                ("cachingOptions", Y.map([])),
                ("componentRef", Y.map([("name", Y.str("comp-\(task)"))])),
            ]
            let upstream = Set((stage.needs + stage.after).filter(present.contains).map(Self.taskName)).sorted()
            if !upstream.isEmpty { body.append(("dependentTasks", Y.strs(upstream))) }
            body.append(
                (
                    "inputs",
                    Y.map([
                        (
                            "parameters",
                            Y.map(Self.parameters.map { ($0, Y.map([("componentInputParameter", Y.str($0))])) })
                        )
                    ])
                ))
            body.append(("taskInfo", Y.map([("name", Y.str(task))])))
            tasks.append((task, Y.map(body)))
        }
        let sorted = { (pairs: [(String, Node)]) in pairs.sorted { $0.0 < $1.0 } }
        let document = Y.map([
            ("components", Y.map(sorted(components))),
            ("deploymentSpec", Y.map([("executors", Y.map(sorted(executors)))])),
            ("pipelineInfo", Y.map([("name", Y.str("mlci-\(pipeline.name)"))])),
            (
                "root",
                Y.map([
                    ("dag", Y.map([("tasks", Y.map(sorted(tasks)))])),
                    (
                        "inputDefinitions",
                        Y.map([
                            (
                                "parameters",
                                Y.map(
                                    Self.parameters.map {
                                        (
                                            $0,
                                            Y.map([
                                                ("defaultValue", Y.str("")), ("isOptional", Y.bool(true)),
                                                ("parameterType", Y.str("STRING")),
                                            ])
                                        )
                                    })
                            )
                        ])
                    ),
                ])
            ),
            ("schemaVersion", Y.str("2.1.0")),
            ("sdkVersion", Y.str(Self.sdkVersion)),
        ])
        return try Y.document(document, header: GeneratedHeader.yaml(command))
    }

    /// The executor's container: `mlci job STAGE --base … --head …` in the stage's image.
    func container(_ stage: Stage, pipeline: Pipeline) -> Node {
        let settings = config.ci.overridden(by: stage.ci).kubeflow
        let placeholder = { (name: String) in "{{$.inputs.parameters['\(name)']}}" }
        var pairs: [(String, Node)] = [
            ("args", Y.strs(["--base", placeholder("base_sha"), "--head", placeholder("head_sha")])),
            ("command", Y.strs(["mlci", "job", stage.name])),
        ]
        if let env = settings.env, !env.isEmpty {
            pairs.append(("env", Y.seq(env.map { Y.map([("name", Y.str($0.name)), ("value", Y.str($0.value))]) })))
        }
        pairs.append(("image", Y.str(settings.image ?? pipeline.kubeflow?.image ?? "")))
        var resources: [(String, Node)] = []
        if let accelerator = settings.accelerator {
            let count = String(accelerator.count)
            resources.append(
                (
                    "accelerator",
                    Y.map([
                        ("count", Y.str(count)), ("resourceCount", Y.str(count)),
                        ("resourceType", Y.str(accelerator.type)), ("type", Y.str(accelerator.type)),
                    ])
                ))
        }
        if let cpu = settings.cpu, let value = KubernetesQuantity.cpuValue(cpu) {
            resources.append(("cpuLimit", Self.float(value)))
        }
        if let memory = settings.memory, let value = KubernetesQuantity.memoryGB(memory) {
            resources.append(("memoryLimit", Self.float(value)))
        }
        if let cpu = settings.cpu { resources.append(("resourceCpuLimit", Y.str(cpu))) }
        if let memory = settings.memory { resources.append(("resourceMemoryLimit", Y.str(memory))) }
        if !resources.isEmpty { pairs.append(("resources", Y.map(resources))) }
        return Y.map(pairs)
    }

    /// A float as Python writes it (`2.0`, `0.5`, `4.294967296`).
    static func float(_ value: Double) -> Node {
        let text = value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : "\(value)"
        return Node(text, Tag(.float))
    }
}
