/// What goes wrong writing a Kubeflow pipeline.
public enum KubeflowError: MLCIFailure, Equatable {
    case notOnKubeflow(String, kubeflowPipelines: [String])
    case rangeWithoutPipeline

    public var category: ErrorCategory { .usage }

    public var description: String {
        switch self {
        case .notOnKubeflow(let name, let pipelines):
            "no pipeline named '\(name)' runs on Kubeflow"
                + (pipelines.isEmpty
                    ? "; add kubeflow: {image: …} to a pipeline in mlci.yml"
                    : "; Kubeflow pipelines: \(pipelines.joined(separator: ", "))")
        case .rangeWithoutPipeline: "--base and --head write one pipeline's run: name it with --pipeline"
        }
    }
}
