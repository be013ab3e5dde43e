import Foundation
import MLCIGit

/// Writes a commented starting `mlci.yml` for a repository, from the fragments in
/// `templates/init/` and what `ProjectLayout` found.
public enum InitWriter {
    /// `mlci init`: detects the project, writes mlci.yml at the root (never over an existing one
    /// without `force`), and returns what to tell the person.
    public static func write(repo: Repository, preset name: String, force: Bool) throws -> String {
        guard let preset = Preset(rawValue: name) else {
            throw GenerateError.unknownPreset(name, presets: Preset.allCases.map(\.rawValue))
        }
        guard let root = repo.workdir else {
            throw GenerateError.needsWorkingTree(what: "mlci init")
        }
        let path = root + MLCIConfig.fileName
        if FileManager.default.fileExists(atPath: path) && !force {
            throw GenerateError.configExists(path: path)
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
            throw GenerateError.cannotWrite(path: path, reason: error.localizedDescription)
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
        // Only patterns for what is there: `mlci validate` warns about a pattern matching no file.
        let code = (l.codeDirs + (l.testDir.map { [$0] } ?? [])).map { $0 + "/**" } + ["*.py", "!notebooks/**"]
        out += "  code: \(list(code))\n"
        out += "  deps: \(list(l.depsFiles.isEmpty ? ["requirements*.txt", "pyproject.toml"] : l.depsFiles))\n"
        let ml = l.dvc || l.kedro || l.mlflow
        var train: (command: String, on: [String], comment: String)?
        var trainParams: [(file: String, keys: [String])] = []
        if ml {
            // DVC pointers are `*.dvc` files at any depth, never the `.dvc/` directory; a
            // `.gitignore` or `.gitkeep` is no data; what a DVC stage writes is a result, not input.
            let pointers = l.dvc ? ["**/*.dvc", "!/.dvc/"] : []
            let raw = l.kedro ? ["data/01_raw/**"] : ["data/**"]
            let results = l.dvcOuts.filter { $0.hasPrefix("data/") }.map { "!/" + $0 }
            out += "  data: \(list(raw + pointers + ["!.gitignore", "!.gitkeep"] + results))\n"
            // Params: key by key where dvc.yaml lists keys (as the stage's `params:`), whole files
            // otherwise.
            let wholeFiles: [String]
            if l.kedro {
                wholeFiles = l.kedroParams.isEmpty ? ["conf/base/parameters*.yml"] : l.kedroParams
            } else if l.dvc && !l.dvcParams.isEmpty {
                trainParams = l.dvcParams.compactMap { p in p.keys.map { (p.file, $0) } }
                wholeFiles = l.dvcParams.filter { $0.keys == nil }.map(\.file)
            } else {
                wholeFiles = l.paramsFiles
            }
            if !wholeFiles.isEmpty { out += "  params: \(list(wholeFiles))\n" }
            // Models: the directory of common layouts, Kedro's model layer, dvc.yaml's model
            // artifacts and outs that are model files, and common model file types.
            var models = l.kedro ? ["data/06_models/**"] : ["models/**"]
            let modelOuts = l.dvcOuts.filter { out in
                Self.modelExtensions.contains { out.hasSuffix($0) } && !out.hasPrefix("models/")
            }
            for path in l.dvcModels + modelOuts where !models.contains("/" + path) { models.append("/" + path) }
            models += l.modelFileTypes.map { "*" + $0 } + ["!.gitkeep"]
            out += "  model: \(list(models))\n"
            let params = wholeFiles.isEmpty ? [] : ["params"]
            if l.kedro {
                let package = l.kedroPackage.map { "src/\($0)" } ?? "src/*"
                train = (
                    "kedro run", ["data", "params", "conf/base/catalog.yml", "\(package)/pipelines/**"],
                    "raw data (data/01_raw), parameters, the catalog or the pipelines' code (\(package)/pipelines) change"
                )
            } else if l.mlflow {
                let code = ["MLproject"] + (l.mlflowScripts.isEmpty ? ["code"] : l.mlflowScripts)
                train = (
                    "mlflow run . --env-manager local", ["data"] + params + code,
                    "data, \(params.isEmpty ? "" : "params files, ")the MLproject or the code its entry points run"
                        + " (\(code.dropFirst().joined(separator: ", "))) change; --env-manager local uses the"
                        + " environment CI installed"
                )
            } else {
                train = (
                    "dvc repro", ["data"] + params,
                    "data changes (a .dvc pointer's hash or a file under data/)\(params.isEmpty ? "" : " or a params file")"
                        + ", or DVC invalidates a pipeline stage (dvc: true — its deps, dvc.yaml, or a tracked params"
                        + " key\(trainParams.isEmpty ? "" : " below") changed value)"
                )
            }
        } else if l.k8sDir != nil {
            out += "  model: [\"models/**\"]\n"
        }
        out += "\nstages:\n"
        out += try fill("stage-lint", ["lint": quoteIfNeeded(l.linter)])
        // A test stage only over tests that exist: pytest exits 5 when it collects none.
        if l.hasTests { out += try fill("stage-test", ["test": "python -m pytest -q"]) }
        if l.docker {
            out += try fill("stage-package", ["image": l.name, "package_needs": l.hasTests ? "test" : "lint"])
        }
        if let train {
            let stage = try fill(
                "stage-train",
                [
                    "train": train.command, "train_on": train.on.map(onEntry).joined(separator: ", "),
                    "train_comment": train.comment,
                ])
            out += stage.split(separator: "\n", omittingEmptySubsequences: false).map { Self.wrapComment(String($0)) }
                .joined(separator: "\n")
            if !trainParams.isEmpty {
                out += "    params:\n"
                for p in trainParams { out += "      \(p.file): [\(p.keys.joined(separator: ", "))]\n" }
            }
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

    /// File suffixes of common model formats; `.pkl` only when dvc.yaml says the file is a model.
    static let modelExtensions = [".onnx", ".safetensors", ".pt", ".pth", ".joblib", ".pkl"]

    /// A kind name bare, a path pattern quoted.
    static func onEntry(_ s: String) -> String {
        ["code", "deps", "data", "params", "model"].contains(s) ? s : "\"\(s)\""
    }

    /// A `  # …` comment line longer than 100 columns, broken at spaces into several.
    static func wrapComment(_ line: String, width: Int = 100) -> String {
        guard line.count > width, line.hasPrefix("  # ") else { return line }
        var lines: [String] = [], current = "  #"
        for word in line.dropFirst(4).split(separator: " ") {
            if current.count + 1 + word.count > width && current != "  #" {
                lines.append(current)
                current = "  #"
            }
            current += " " + word
        }
        return (lines + [current]).joined(separator: "\n")
    }

    static func quoteIfNeeded(_ s: String) -> String {
        s.contains("&") || s.contains(":") || s.contains("#") ? "\"\(s)\"" : s
    }
}
