/// `pipelines.<name>.kubeflow`: the pipeline's stages run as one Kubeflow Pipelines run.
public struct KubeflowPipelineSettings: CIPlatformSettings, Equatable {
    /// The image of every task that sets none of its own (`ci.kubeflow.image`).
    public var image: String?
    /// The Kubeflow experiment runs are filed under (default: `mlci-<pipeline>`).
    public var experiment: String?

    static let keys = ["image", "experiment"]

    public func overridden(by override: KubeflowPipelineSettings) -> KubeflowPipelineSettings {
        KubeflowPipelineSettings(image: override.image ?? image, experiment: override.experiment ?? experiment)
    }

    init(image: String? = nil, experiment: String? = nil) {
        self.image = image
        self.experiment = experiment
    }

    init(_ mapping: ConfigMapping) {
        for entry in mapping.entries {
            switch entry.key {
            case "image": image = entry.string(else: "\(entry.what).image must be an image name")
            case "experiment": experiment = entry.string(else: "\(entry.what).experiment must be an experiment name")
            default: entry.unknownKey(among: Self.keys, in: mapping.what)
            }
        }
    }
}

extension Pipeline {
    /// The pipeline's Kubeflow settings; nil when its stages do not run on Kubeflow.
    public var kubeflow: KubeflowPipelineSettings? { platforms.platform(KubeflowPipelineSettings.self) }
}
