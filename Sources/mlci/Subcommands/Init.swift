import ArgumentParser
import Foundation
import MLCICore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a commented mlci.yml for this repository, from what it finds in it.",
        discussion: """
            Detects src/ and packages, tests/, pyproject.toml and requirements*.txt, DVC, Kedro, MLflow,
            a Dockerfile and Kubernetes/kustomize/Helm/Argo CD manifests, and prints why.
            Example: mlci init --preset auto
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Option(help: "auto (default), python, dvc, kedro, mlflow, docker or k8s.")
    var preset: String = "auto"

    @Flag(help: "Overwrite an existing mlci.yml.")
    var force = false

    func run() throws {
        guard let chosen = InitWriter.Preset(rawValue: preset) else {
            throw GenerateError(.usage, "unknown preset '\(preset)'; presets: \(InitWriter.Preset.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let repo = try repository.open()
        guard let root = repo.workdir else { throw GenerateError(.usage, "mlci init needs a working tree; this repository is bare") }
        let path = root + MLCIConfig.fileName
        if FileManager.default.fileExists(atPath: path) && !force {
            throw GenerateError(.usage, "\(path) already exists; pass --force to overwrite it")
        }
        let layout = ProjectLayout.detect(root: root)
        let branch = repo.symbolicTarget(of: "refs/remotes/origin/HEAD").map { String($0.split(separator: "/").last ?? "main") }
            ?? repo.symbolicTarget(of: "HEAD").map { String($0.dropFirst("refs/heads/".count)) } ?? "main"
        let text = try InitWriter.render(layout, preset: chosen, defaultBranch: branch)
        _ = try ConfigLoader(rootNames: Set((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])).load(text: text)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        var out = layout.findings.isEmpty ? "mlci: found nothing specific; wrote a generic Python configuration\n" : "mlci: found\n"
        for f in layout.findings { out += "  - \(f.what) (\(f.why))\n" }
        out += "mlci: wrote \(path) (preset \(chosen.rawValue)); check it with: mlci validate\n"
        Output.write(out)
    }
}
