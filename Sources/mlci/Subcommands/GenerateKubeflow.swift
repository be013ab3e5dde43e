import ArgumentParser
import Foundation
import MLCICore

struct GenerateKubeflow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubeflow",
        abstract: "Write Kubeflow Pipelines files for the pipelines with kubeflow: (one task per stage).",
        discussion: """
            Without a range: kubeflow/<pipeline>.yaml for every such pipeline, every stage (commit them;
            --check finds drift). With --base and --head: the run CI submits for that range, holding only
            the affected stages of --pipeline (default output: standard output; nothing when none is affected).
            Examples:
              mlci generate kubeflow && git add kubeflow
              mlci generate kubeflow --pipeline ct --base origin/main --head HEAD --out run.yaml
            """
    )

    @OptionGroup var options: GeneratorOptions

    @Option(help: .init("Only this pipeline.", valueName: "name"))
    var pipeline: String?

    @Option(help: .init("Plan from this commit: the file holds the affected stages only.", valueName: "rev"))
    var base: String?

    @Option(help: .init("Plan to this commit (default: HEAD; with --base).", valueName: "rev"))
    var head: String?

    @Option(
        help: .init(
            "The file to write (with --pipeline) or the directory (default: kubeflow in the repository).",
            valueName: "path"))
    var out: String?

    func validate() throws {
        if (base != nil || head != nil) && pipeline == nil { throw KubeflowError.rangeWithoutPipeline }
    }

    func run() throws {
        if base != nil || head != nil {
            try writeRun()
            return
        }
        try options.generate(runsSetup: false) { input in
            let all = try KubeflowPlatform().generate(input, out: pipeline == nil ? out : nil)
            guard let pipeline else { return all }
            let file = try KubeflowPlatform.pipeline(pipeline, in: input.config).name + ".yaml"
            let chosen = all.files.filter { $0.path.hasSuffix("/" + file) }
            return GeneratorInput.Output(
                files: chosen.map { (out ?? $0.path, $0.content) }, staleCandidates: [])
        }
    }

    /// The run for a range: planned like every CI job, written to `--out` or standard output.
    private func writeRun() throws {
        let name = pipeline ?? ""
        let (plan, file) = try KubeflowPlatform.run(
            name, base: base, head: head, configFile: options.config,
            environment: ProcessInfo.processInfo.environment, in: try options.repository.open())
        for warning in plan.warnings { Output.diagnostic(warning) }
        guard let content = file else {
            Output.errorRaw("mlci: no stage of pipeline \(pipeline ?? "") is affected; nothing written\n")
            return
        }
        if let out {
            _ = try GeneratedFiles(check: false, force: options.force).emit([(out, content)]) { _ in }
        } else {
            Output.write(content)
        }
    }
}
