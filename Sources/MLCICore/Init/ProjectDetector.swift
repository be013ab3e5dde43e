import Foundation

/// What `mlci init` finds in a repository, each finding with the file that shows it.
public struct ProjectLayout: Sendable {
    public var findings: [(what: String, why: String)] = []
    public var codeDirs: [String] = []
    public var hasTests = false
    public var depsFiles: [String] = []
    public var dvc = false
    public var kedro = false
    public var kedroParams: [String] = []
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
        if exists("tests") || exists("test") {
            l.hasTests = true; l.findings.append(("tests", exists("tests") ? "tests/" : "test/"))
        }
        for file in top
        where file == "pyproject.toml" || file == "setup.py" || file == "setup.cfg"
            || (file.hasPrefix("requirements") && file.hasSuffix(".txt"))
        {
            l.depsFiles.append(file)
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
            l.findings.append(
                ("a Kedro project", "conf/base/" + (exists("conf/base/catalog.yml") ? "catalog.yml" : "")))
        }
        if exists("MLproject") { l.mlflow = true; l.findings.append(("an MLflow project", "MLproject")) }
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
}
