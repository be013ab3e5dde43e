import ArgumentParser
import Foundation
import MLCICore

/// `mlci generate github|gitlab|gitlab-child|jenkins`: CI pipelines that run only the
/// affected stages, generated from mlci.yml.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write GitHub Actions, GitLab CI, Jenkins or Kubeflow pipelines that run only the affected stages.",
        subcommands: [
            GenerateGitHub.self, GenerateGitLab.self, GenerateGitLabChild.self, GenerateJenkins.self,
            GenerateKubeflow.self,
        ]
    )
}
