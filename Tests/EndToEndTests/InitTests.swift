import Foundation
import MLCITestSupport
import Testing

/// `mlci init` on a fixture layout per preset: golden output (re-record with MLCI_RECORD=1),
/// and every written file passes `mlci validate`.
@Suite("mlci init")
struct InitTests {
    /// preset → the files of a repository that preset is for.
    static let layouts: [String: [String: String]] = [
        "python": [
            "mypkg/__init__.py": "", "mypkg/core.py": "X = 1\n", "tests/test_core.py": "def test(): pass\n",
            "pyproject.toml": "[project]\nname = \"mypkg\"\n[tool.ruff]\nline-length = 100\n",
        ],
        "dvc": [
            "src/train.py": "pass\n", "tests/test_train.py": "pass\n", "requirements.txt": "dvc\n",
            "dvc.yaml": "stages: {}\n",
            "params.yaml": "train: {lr: 0.1}\n", "data/raw.csv.dvc": "outs:\n- md5: 1\n  path: raw.csv\n",
        ],
        "kedro": [
            "src/pipelines/__init__.py": "", "conf/base/catalog.yml": "raw: {type: pandas.CSVDataset}\n",
            "conf/base/parameters.yml": "model: {alpha: 1}\n", "conf/base/parameters_train.yml": "train: {epochs: 2}\n",
            "pyproject.toml": "[tool.kedro]\npackage_name = \"pipelines\"\n", "tests/test_x.py": "pass\n",
            "data/01_raw/x.csv": "a\n",
        ],
        "mlflow": [
            "MLproject": "name: churn\n", "src/train.py": "pass\n", "requirements.txt": "mlflow\n", "data/x.csv": "a\n",
            "params.yaml": "lr: 0.1\n", "models/m.pkl": "m\n",
        ],
        "docker": [
            "src/app.py": "pass\n", "Dockerfile": "FROM python:3.11\n", "requirements.txt": "flask\n",
            ".pylintrc": "[MASTER]\n",
        ],
        "k8s": [
            "src/app.py": "pass\n",
            "deploy/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: churn-api\n",
            "Dockerfile": "FROM python:3.11\n", "models/m.onnx": "m\n",
        ],
        "auto": [
            "src/app.py": "pass\n", "tests/test_app.py": "pass\n", "requirements.txt": "x\n", "Dockerfile": "FROM x\n",
            "charts/api/Chart.yaml": "name: api\n", "charts/api/values.yaml": "replicas: 1\n",
            "dvc.yaml": "stages: {}\n",
            "data/a.csv.dvc": "outs:\n- md5: 1\n  path: a.csv\n", "params.yaml": "a: 1\n", "models/m.onnx": "m\n",
        ],
    ]

    static func layout(_ preset: String) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory("init-\(preset)")
        // A fixed directory name, so the image name in the output is stable.
        let root = dir.file("churn")
        try Shell.ok(["git", "init", "-q", "-b", "main", root])
        for (path, text) in layouts[preset]! {
            try FileManager.default.createDirectory(
                atPath: ((root + "/" + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: root + "/" + path, atomically: false, encoding: .utf8)
        }
        return dir
    }

    @Test(
        "each preset on its layout writes the golden configuration, which validates",
        arguments: Array(layouts.keys).sorted())
    func presets(_ preset: String) throws {
        let dir = try Self.layout(preset)
        let root = dir.file("churn")
        let result = try MLCIRunner.run(["init", "--preset", preset], in: root)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("mlci: wrote"))
        let written = try String(contentsOfFile: root + "/mlci.yml", encoding: .utf8)
        let golden = FixturePaths.fixtures + "/init/expected/\(preset).yml"
        if ProcessInfo.processInfo.environment["MLCI_RECORD"] == "1" {
            try written.write(toFile: golden, atomically: true, encoding: .utf8)
        } else {
            #expect(
                written == (try? String(contentsOfFile: golden, encoding: .utf8)),
                "\(preset) differs from \(golden); re-record with MLCI_RECORD=1")
        }
        try Shell.git(root, "add", "-A")
        try Shell.git(root, "commit", "-qm", "layout")
        let validate = try MLCIRunner.run(["validate"], in: root)
        #expect(validate.status == 0, "\(validate.err)")
        let plan = try MLCIRunner.run(["plan", "--all"], in: root)
        #expect(plan.status == 0, "\(plan.err)")
    }

    @Test("detection is explained, and kedro, mlflow, helm and Argo CD change the commands")
    func detection() throws {
        for (preset, expected) in [
            ("kedro", "kedro run"), ("mlflow", "mlflow run ."), ("k8s", "argocd app sync churn-api"),
            ("auto", "helm upgrade --install churn charts/api"), ("docker", "pylint"),
        ] {
            let dir = try Self.layout(preset)
            let result = try MLCIRunner.run(["init"], in: dir.file("churn"))
            #expect(result.status == 0)
            #expect(
                try String(contentsOfFile: dir.file("churn/mlci.yml"), encoding: .utf8).contains(expected), "\(preset)")
        }
        let kedro = try Self.layout("kedro")
        let found = try MLCIRunner.run(["init"], in: kedro.file("churn"))
        #expect(found.out.contains("a Kedro project (conf/base/catalog.yml)"))
        #expect(
            try String(contentsOfFile: kedro.file("churn/mlci.yml"), encoding: .utf8)
                .contains("params: [\"conf/base/parameters.yml\", \"conf/base/parameters_train.yml\"]"))
        // Every top-level params file DVC can read becomes a params pattern.
        let dvc = try Self.layout("dvc")
        try "LR = 0.1\n".write(toFile: dvc.file("churn/params.py"), atomically: false, encoding: .utf8)
        #expect(try MLCIRunner.run(["init"], in: dvc.file("churn")).status == 0)
        #expect(
            try String(contentsOfFile: dvc.file("churn/mlci.yml"), encoding: .utf8).contains(
                "params: [\"params.py\", \"params.yaml\"]"))
    }

    @Test("an existing mlci.yml is never overwritten without --force; an unknown preset is a usage error")
    func noOverwrite() throws {
        let dir = try Self.layout("python")
        let root = dir.file("churn")
        try "# mine\n".write(toFile: root + "/mlci.yml", atomically: false, encoding: .utf8)
        let refused = try MLCIRunner.run(["init"], in: root)
        #expect(refused.status == 2 && refused.err.contains("--force"))
        #expect(try String(contentsOfFile: root + "/mlci.yml", encoding: .utf8) == "# mine\n")
        #expect(try MLCIRunner.run(["init", "--force"], in: root).status == 0)
        #expect(try MLCIRunner.run(["init", "--force", "--preset", "spark"], in: root).status == 2)
    }
}
