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
        Output.write(try InitWriter.write(repo: try repository.open(), preset: preset, force: force))
    }
}
