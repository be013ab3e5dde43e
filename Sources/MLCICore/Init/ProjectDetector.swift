import Foundation
import Yams

/// What `mlci init` finds in a repository, each finding with the file that shows it.
public struct ProjectLayout: Sendable {
    public var findings: [(what: String, why: String)] = []
    public var codeDirs: [String] = []
    public var hasTests = false
    /// `tests` or `test`, when the directory exists (with or without test files in it).
    public var testDir: String?
    /// Suffixes of common model formats (`.onnx`, `.pt`, …) of files in the working tree.
    public var modelFileTypes: [String] = []
    public var depsFiles: [String] = []
    public var dvc = false
    public var kedro = false
    public var kedroParams: [String] = []
    /// The Kedro package (`[tool.kedro] package_name`, else the one package under `src/`).
    public var kedroPackage: String?
    /// What the root `dvc.yaml` declares: tracked params keys per file (nil: the whole file),
    /// the outs of its stages, and the paths of its `artifacts` of `type: model`.
    public var dvcParams: [(file: String, keys: [String]?)] = []
    public var dvcOuts: [String] = []
    public var dvcModels: [String] = []
    /// Scripts the MLproject's entry points run (`python train.py …` → `train.py`).
    public var mlflowScripts: [String] = []
    /// Top-level params files in any format DVC reads (`params.yaml`, `params.py`, …).
    public var paramsFiles: [String] = []
    public var mlflow = false
    public var docker = false
    public var k8sDir: String?
    public var kustomize = false
    public var helmChart: String?
    public var argoApp: String?
    public var linter = "ruff check ."
    public var name = "app"

    /// Looks at the files of `root` (a working tree).
    public static func detect(root: String) -> ProjectLayout {
        let fm = FileManager.default
        func exists(_ p: String) -> Bool { fm.fileExists(atPath: (root as NSString).appendingPathComponent(p)) }
        func text(_ p: String) -> String {
            (try? String(contentsOfFile: (root as NSString).appendingPathComponent(p), encoding: .utf8)) ?? ""
        }
        let top = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
        var l = ProjectLayout()
        l.name = URL(fileURLWithPath: root).lastPathComponent.lowercased().filter {
            $0.isLetter || $0.isNumber || $0 == "-"
        }
        if l.name.isEmpty { l.name = "app" }

        if exists("src") { l.codeDirs.append("src"); l.findings.append(("code in src/", "src/ exists")) }
        for dir in top
        where !dir.hasPrefix(".") && !["src", "tests", "test"].contains(dir) && exists(dir + "/__init__.py") {
            l.codeDirs.append(dir); l.findings.append(("Python package \(dir)/", "\(dir)/__init__.py"))
        }
        // Tests are test files pytest would collect, not an empty tests/ directory: a test stage
        // over none fails (pytest exits 5 when it collects nothing).
        l.testDir = ["tests", "test"].first(where: exists)
        for dir in ["tests", "test"] where exists(dir) {
            let files = (fm.enumerator(atPath: root + "/" + dir)?.allObjects as? [String] ?? []).sorted()
            if let first = files.first(where: Self.isTestFile) {
                l.hasTests = true
                l.findings.append(("tests", dir + "/" + first))
                break
            }
        }
        for file in top
        where file == "pyproject.toml" || file == "setup.py" || file == "setup.cfg"
            || (file.hasPrefix("requirements") && file.hasSuffix(".txt"))
        {
            l.depsFiles.append(file)
        }
        // A requirements file one level down (example-get-started's src/requirements.txt).
        if l.depsFiles.isEmpty {
            for dir in top where !dir.hasPrefix(".") {
                for file in ((try? fm.contentsOfDirectory(atPath: root + "/" + dir)) ?? []).sorted()
                where file.hasPrefix("requirements") && file.hasSuffix(".txt") {
                    l.depsFiles.append(dir + "/" + file)
                }
            }
        }
        if !l.depsFiles.isEmpty { l.findings.append(("Python dependencies", l.depsFiles.joined(separator: ", "))) }
        let pyproject = text("pyproject.toml")
        if exists(".pylintrc") || pyproject.contains("[tool.pylint") {
            l.linter = "pylint \(l.codeDirs.first ?? ".") && black --check ."
            l.findings.append(("pylint + black", exists(".pylintrc") ? ".pylintrc" : "[tool.pylint] in pyproject.toml"))
        } else if pyproject.contains("[tool.ruff") || exists("ruff.toml") {
            l.findings.append(("ruff", exists("ruff.toml") ? "ruff.toml" : "[tool.ruff] in pyproject.toml"))
        }
        if exists("dvc.yaml") || exists(".dvc") {
            l.dvc = true
            l.findings.append(("a DVC project", exists("dvc.yaml") ? "dvc.yaml" : ".dvc/"))
            l.readDVCPipeline(root: root)
        }
        l.paramsFiles = top.filter {
            ["params.yaml", "params.yml", "params.json", "params.toml", "params.py"].contains($0)
        }
        if exists("conf/base") && (exists("conf/base/catalog.yml") || top.contains("conf")) {
            l.kedro = true
            let params = ((try? fm.contentsOfDirectory(atPath: root + "/conf/base")) ?? []).filter {
                $0.hasPrefix("parameters") && $0.hasSuffix(".yml")
            }.sorted()
            l.kedroParams = params.map { "conf/base/" + $0 }
            let declared = pyproject.split(separator: "\n").first {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix("package_name")
            }.flatMap { $0.split(separator: "\"").dropFirst().first.map(String.init) }
            let packages = ((try? fm.contentsOfDirectory(atPath: root + "/src")) ?? []).filter {
                exists("src/\($0)/__init__.py")
            }.sorted()
            l.kedroPackage = declared ?? (packages.count == 1 ? packages[0] : nil)
            l.findings.append(
                ("a Kedro project", "conf/base/" + (exists("conf/base/catalog.yml") ? "catalog.yml" : "")))
        }
        if exists("MLproject") {
            l.mlflow = true
            l.findings.append(("an MLflow project", "MLproject"))
            // `command: "python train.py {alpha}"`: the scripts an entry point runs are training code.
            for line in text("MLproject").split(separator: "\n")
            where line.trimmingCharacters(in: .whitespaces).hasPrefix("command:") {
                for word in line.split(whereSeparator: { " \"'".contains($0) }) where word.hasSuffix(".py") {
                    let script = String(word)
                    if !script.hasPrefix("/") && !script.contains("..") && !l.mlflowScripts.contains(script) {
                        l.mlflowScripts.append(script)
                    }
                }
            }
        }
        l.modelFileTypes = Self.modelFileTypes(root: root)
        if exists("Dockerfile") { l.docker = true; l.findings.append(("a container image", "Dockerfile")) }
        for dir in ["k8s", "kubernetes", "deploy", "manifests", "charts", "helm"] where exists(dir) {
            l.k8sDir = dir
            let files = (fm.enumerator(atPath: root + "/" + dir)?.allObjects as? [String] ?? []).sorted()
            if let chart = files.first(where: { $0.hasSuffix("Chart.yaml") }) {
                l.helmChart = dir + "/" + (chart as NSString).deletingLastPathComponent
            }
            if files.contains(where: { $0.hasSuffix("kustomization.yaml") || $0.hasSuffix("kustomization.yml") }) {
                l.kustomize = true
            }
            for f in files where f.hasSuffix(".yaml") || f.hasSuffix(".yml") {
                let body = text(dir + "/" + f)
                if body.contains("kind: Application") && body.contains("argoproj.io") {
                    l.argoApp = body.split(separator: "\n").first {
                        $0.trimmingCharacters(in: .whitespaces).hasPrefix("name:")
                    }
                    .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
                    break
                }
            }
            l.findings.append(
                (
                    "deployment manifests",
                    dir + "/"
                        + (l.argoApp != nil
                            ? " (Argo CD Application)"
                            : l.helmChart != nil ? " (Helm chart)" : l.kustomize ? " (kustomize)" : "")
                ))
            break
        }
        return l
    }

    /// `test_*.py` or `*_test.py`, as pytest collects by default.
    static func isTestFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".py") && (name.hasPrefix("test_") || name.hasSuffix("_test.py"))
    }

    /// Reads the root `dvc.yaml` with mlci's DVC reader: tracked params, outs, model artifacts.
    /// An unreadable file leaves them empty (`mlci validate` reports it).
    mutating func readDVCPipeline(root: String) {
        func read(_ p: String) -> [UInt8]? {
            FileManager.default.contents(atPath: (root as NSString).appendingPathComponent(p)).map { [UInt8]($0) }
        }
        guard let bytes = read("dvc.yaml") else { return }
        var budget = DVCPipelineReader.maxStages
        let stages = (try? DVCPipelineReader.stages(file: "dvc.yaml", bytes: bytes, budget: &budget, read: read)) ?? []
        var params: [(file: String, keys: [String]?)] = []
        for stage in stages {
            for (file, keys) in stage.params {
                if let i = params.firstIndex(where: { $0.file == file }) {
                    params[i].keys = params[i].keys.flatMap { old in keys.map { Array(Set(old + $0)).sorted() } }
                } else {
                    params.append((file, keys.map { Array(Set($0)).sorted() }))
                }
            }
            for out in stage.outs where !dvcOuts.contains(out) { dvcOuts.append(out) }
        }
        dvcParams = params.sorted { $0.file < $1.file }
        if let doc = try? Node.composedWithMerges(bytes) {
            for (_, artifact) in doc["artifacts"]?.pairs ?? [] where artifact["type"]?.string == "model" {
                if let path = artifact["path"]?.string, !dvcModels.contains(path) {
                    dvcModels.append(DVCPipelineReader.normalize(path))
                }
            }
        }
        if !dvcParams.isEmpty {
            let files = dvcParams.map { $0.keys == nil ? $0.file + " (whole)" : $0.file }
            findings.append(("params tracked by key", "dvc.yaml: " + files.joined(separator: ", ")))
        }
        if !dvcModels.isEmpty {
            findings.append(("models", "dvc.yaml artifacts of type model: " + dvcModels.joined(separator: ", ")))
        }
    }

    /// Suffixes of model files in the working tree, outside hidden directories and virtualenvs.
    static func modelFileTypes(root: String) -> [String] {
        let suffixes = [".onnx", ".safetensors", ".pt", ".pth", ".joblib", ".h5", ".keras"]
        var found: Set<String> = []
        guard let walk = FileManager.default.enumerator(atPath: root) else { return [] }
        while let path = walk.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name.hasPrefix(".") || name == "node_modules" || name == "venv" || name == "site-packages" {
                walk.skipDescendants()
                continue
            }
            if let suffix = suffixes.first(where: { name.hasSuffix($0) }) { found.insert(suffix) }
        }
        return suffixes.filter(found.contains)
    }
}
