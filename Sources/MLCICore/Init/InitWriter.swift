import Foundation
import MLCIGit

/// Writes a commented starting `mlci.yml` for a repository, from the fragments in
/// `templates/init/` and what `ProjectLayout` found.
public enum InitWriter {
    /// `mlci init`: detects the project, writes mlci.yml at the root (never over an existing one
    /// without `force`), and returns what to tell the person.
    public static func write(repo: Repository, preset name: String, force: Bool) throws -> String {
        guard let preset = Preset(rawValue: name) else {
            let names = Preset.allCases.map(\.rawValue).joined(separator: ", ")
            throw GenerateError(.usage, "unknown preset '\(name)'; presets: \(names)")
        }
        guard let root = repo.workdir else {
            throw GenerateError(.usage, "mlci init needs a working tree; this repository is bare")
        }
        let path = root + MLCIConfig.fileName
        if FileManager.default.fileExists(atPath: path) && !force {
            throw GenerateError(.usage, "\(path) already exists; pass --force to overwrite it")
        }
        let layout = ProjectLayout.detect(root: root)
        let branch =
            repo.symbolicTarget(of: "refs/remotes/origin/HEAD").map { String($0.split(separator: "/").last ?? "main") }
            ?? repo.symbolicTarget(of: "HEAD").map { String($0.dropFirst("refs/heads/".count)) } ?? "main"
        let text = try render(layout, preset: preset, defaultBranch: branch)
        // What init writes must load: a broken starter config is mlci's bug, not the person's.
        _ = try ConfigLoader(rootNames: Set((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []))
            .load(text: text)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw GenerateError(.failure, "cannot write \(path): \(error.localizedDescription)")
        }
        var out =
            layout.findings.isEmpty
            ? "mlci: found nothing specific; wrote a generic Python configuration\n" : "mlci: found\n"
        for f in layout.findings { out += "  - \(f.what) (\(f.why))\n" }
        return out + "mlci: wrote \(path) (preset \(preset.rawValue)); check it with: mlci validate\n"
    }

    public enum Preset: String, CaseIterable, Sendable {
        case auto, python, dvc, kedro, mlflow, docker, k8s
    }

    public static func render(_ layout: ProjectLayout, preset: Preset, defaultBranch: String) throws -> String {
        var l = layout
        switch preset {
        case .auto, .python: break
        case .dvc: l.dvc = true
        case .kedro: l.kedro = true
        case .mlflow: l.mlflow = true
        case .docker: l.docker = true
        case .k8s: if l.k8sDir == nil { l.k8sDir = "k8s" }
        }
        if preset == .python { l.dvc = false; l.kedro = false; l.mlflow = false; l.docker = false; l.k8sDir = nil }
        let templates = Templates(overrideDirectory: nil)
        func fill(_ name: String, _ values: [String: String]) throws -> String {
            var text = try templates.text("init/\(name).yml")
            for (k, v) in values { text = text.replacingOccurrences(of: "{{\(k)}}", with: v) }
            return text
        }
        func list(_ items: [String]) -> String { "[" + items.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }

        let detected =
            l.findings.isEmpty
            ? "nothing specific detected" : "detected " + l.findings.map(\.what).joined(separator: ", ")
        var out = try fill("header", ["detected": detected, "branch": defaultBranch])
        let code =
            (l.codeDirs.isEmpty ? ["src"] : l.codeDirs).map { $0 + "/**" } + ["tests/**", "*.py", "!notebooks/**"]
        out += "  code: \(list(code))\n"
        out += "  deps: \(list(l.depsFiles.isEmpty ? ["requirements*.txt", "pyproject.toml"] : l.depsFiles))\n"
        let ml = l.dvc || l.kedro || l.mlflow
        var params: [String] = []
        if ml {
            out += "  data: \(list(["data/**", "*.dvc"] + (l.kedro ? ["conf/base/catalog.yml"] : [])))\n"
            params =
                l.kedro
                ? (l.kedroParams.isEmpty ? ["conf/base/parameters*.yml"] : l.kedroParams)
                : (l.paramsFiles.isEmpty ? ["params.yaml"] : l.paramsFiles)
            out += "  params: \(list(params))\n"
            out += "  model: [\"models/**\"]\n"
        } else if l.k8sDir != nil {
            out += "  model: [\"models/**\"]\n"
        }
        out += "\nstages:\n"
        out += try fill("stage-lint", ["lint": quoteIfNeeded(l.linter)])
        out += try fill("stage-test", ["test": "pytest -q"])
        if l.docker { out += try fill("stage-package", ["image": l.name]) }
        if ml {
            let command = l.kedro ? "kedro run" : l.mlflow ? "mlflow run ." : "dvc repro"
            out += try fill("stage-train", ["train": command, "train_on": "data, params"])
            if l.dvc && !l.kedro && !l.mlflow { out += "    dvc: true\n" }
        }
        if let dir = l.k8sDir {
            let deploy: String
            if let app = l.argoApp {
                deploy = "argocd app sync \(app)"
            } else if let chart = l.helmChart {
                deploy = "helm upgrade --install \(l.name) \(chart)"
            } else if l.kustomize {
                deploy = "kubectl apply -k \(dir)"
            } else {
                deploy = "kubectl apply -f \(dir)/"
            }
            let needs = (l.docker ? ["package"] : []) + (ml ? ["train"] : [])
            var stage = try fill(
                "stage-deploy",
                ["deploy": deploy, "deploy_on": "model, \"\(dir)/**\"", "deploy_needs": needs.joined(separator: ", ")])
            if needs.isEmpty {
                stage = stage.split(separator: "\n", omittingEmptySubsequences: false).filter {
                    !$0.contains("needs: []")
                }.joined(separator: "\n")
            }
            out += stage
        }
        return out
    }

    static func quoteIfNeeded(_ s: String) -> String {
        s.contains("&") || s.contains(":") || s.contains("#") ? "\"\(s)\"" : s
    }
}
