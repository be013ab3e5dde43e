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
        let mismatch = try Golden.mismatch(written, golden: golden)
        #expect(mismatch == nil, "\(preset): \(mismatch ?? "")")
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

    @Test("a tests/ directory without test files writes no test stage (pytest would exit 5)")
    func noTestsNoTestStage() throws {
        let dir = try Self.layout("python")
        let root = dir.file("churn")
        try FileManager.default.removeItem(atPath: root + "/tests/test_core.py")
        try "".write(toFile: root + "/tests/__init__.py", atomically: false, encoding: .utf8)
        #expect(try MLCIRunner.run(["init"], in: root).status == 0)
        let config = try String(contentsOfFile: root + "/mlci.yml", encoding: .utf8)
        #expect(!config.contains("pytest") && config.contains("lint:"), "\(config)")
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

    // MARK: - The sample ML repositories: the config init writes validates, its first run passes

    /// The environment a CI runner of these projects has: the project's tools on PATH (the test
    /// virtualenv holds ruff, pytest, dvc, kedro and MLflow), and no telemetry.
    static var toolEnvironment: [String: String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return [
            "PATH": FixturePaths.packageRoot + "/.venv/bin:" + path, "DVC_NO_ANALYTICS": "1",
            "KEDRO_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "1",
        ]
    }

    /// Builds a sample repository, runs `mlci init`, commits mlci.yml, and checks that it
    /// validates and that `mlci run --all` passes with the tools installed.
    static func initialized(_ scenario: String) throws -> (TemporaryDirectory, root: String, config: String) {
        for tool in ["ruff", "pytest", "dvc", "kedro", "mlflow"] { _ = try Validators.path(tool) }
        let dir = try FixtureRepository.build(scenario)
        let root = dir.path
        let result = try MLCIRunner.run(["init"], in: root)
        #expect(result.status == 0, "\(result.err)")
        let config = try String(contentsOfFile: root + "/mlci.yml", encoding: .utf8)
        try Shell.git(root, "add", "mlci.yml")
        try Shell.git(root, "commit", "-qm", "mlci init")
        let validate = try MLCIRunner.run(["validate"], in: root)
        #expect(validate.status == 0, "\(scenario): \(validate.err)")
        let run = try MLCIRunner.run(["run", "--all", "--jobs", "1"], in: root, environment: toolEnvironment)
        #expect(run.status == 0, "\(scenario): first run failed:\n\(run.out)\n\(run.err)\n\(config)")
        return (dir, root, config)
    }

    /// Commits `change` and returns whether the plan of that commit runs `stage`.
    static func runs(_ stage: String, after change: () throws -> Void, in root: String) throws -> Bool {
        try change()
        try Shell.git(root, "commit", "-qm", "change")
        let plan = try MLCIRunner.run(["plan", "--base", "HEAD~1", "--format", "json"], in: root)
        let json = try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as? [String: Any]
        let stages = json?["stages"] as? [[String: Any]] ?? []
        let found = try #require(stages.first { $0["name"] as? String == stage }, "\(plan.out)\(plan.err)")
        return found["affected"] as? Bool ?? false
    }

    static func edit(_ root: String, _ path: String, _ transform: (String) -> String) throws {
        let file = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let old = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        try transform(old).write(toFile: file, atomically: false, encoding: .utf8)
        try Shell.git(root, "add", "-f", path)
    }

    @Test("example-get-started: pointers not .dvc/, no .gitignore data, no test stage, params by key, model artifact")
    func exampleGetStarted() throws {
        let (dir, root, config) = try Self.initialized("example-get-started")
        _ = dir
        #expect(config.contains(#"data: ["data/**", "**/*.dvc", "!/.dvc/", "!.gitignore""#), "\(config)")
        #expect(config.contains(#""/model.pkl""#), "the model artifact of dvc.yaml: \(config)")
        #expect(!config.contains("test:"), "no tests, no test stage: \(config)")
        #expect(!config.contains("params: [\"params.yaml\"]"), "params.yaml is tracked by key: \(config)")
        #expect(
            config.contains(
                "params.yaml: [featurize.max_features, featurize.ngrams, prepare.seed, prepare.split, train.min_split,"
                    + " train.n_est, train.seed]"), "\(config)")
        // DVC itself tracks exactly these keys.
        let dvcParams = try Shell.run(
            [try Validators.path("dvc"), "params", "diff", "--all", "--md"], in: root,
            environment: Self.toolEnvironment)
        for key in ["featurize.max_features", "prepare.split", "train.n_est", "train.seed"] {
            #expect(dvcParams.out.contains(key), "\(dvcParams.out)")
        }
        let runs = { (change: () throws -> Void) in try Self.runs("train", after: change, in: root) }
        #expect(try !runs { try Self.edit(root, ".dvc/config", { $0 + "[core]\n    autostage = true\n" }) })
        #expect(try !runs { try Self.edit(root, "data/.gitignore", { $0 + "/scratch\n" }) })
        #expect(try !runs { try Self.edit(root, "params.yaml", { "# tuned by hand\n" + $0 }) })
        #expect(
            try runs {
                try Self.edit(root, "params.yaml", { $0.replacingOccurrences(of: "n_est: 50", with: "n_est: 6") })
            })
        #expect(
            try runs {
                try Self.edit(root, "data/data.xml.dvc", { $0.replacingOccurrences(of: "- md5: ", with: "- md5: 0") })
            })
    }

    @Test("Kedro spaceflights: pipeline code retrains, raw data is data, .gitkeep is nothing, 06_models is the model")
    func kedroSpaceflights() throws {
        let (dir, root, config) = try Self.initialized("spaceflights")
        _ = dir
        #expect(config.contains(#"on: [data, params, "conf/base/catalog.yml", "src/spaceflights/pipelines/**"]"#))
        #expect(config.contains(#"data: ["data/01_raw/**", "!.gitignore", "!.gitkeep"]"#), "\(config)")
        #expect(config.contains(#"model: ["data/06_models/**""#), "\(config)")
        #expect(config.contains("the pipelines' code (src/spaceflights/pipelines)"), "the comment says what on: does")
        #expect(config.contains("run: python -m pytest -q"), "\(config)")
        let runs = { (change: () throws -> Void) in try Self.runs("train", after: change, in: root) }
        #expect(
            try runs {
                try Self.edit(
                    root, "src/spaceflights/pipelines/data_science/nodes.py", { $0 + "\n\nDEFAULT_STATE = 3\n" })
            })
        #expect(try !runs { try Self.edit(root, "data/04_feature/engines/.gitkeep", { $0 }) })
        #expect(try runs { try Self.edit(root, "data/01_raw/companies.csv", { $0 + "9999,50%,Niue,2.0,t\n" }) })
        #expect(try runs { try Self.edit(root, "conf/base/parameters_data_science.yml", { $0 + "  max_depth: 4\n" }) })
    }

    @Test("an MLflow project: its entry point's script retrains, no test stage without tests")
    func mlflowProject() throws {
        let (dir, root, config) = try Self.initialized("mlflow-project")
        _ = dir
        #expect(config.contains("run: mlflow run . --env-manager local"), "\(config)")
        #expect(config.contains(#"on: [data, "MLproject", "train.py"]"#), "\(config)")
        #expect(!config.contains("test:"), "\(config)")
        let runs = { (change: () throws -> Void) in try Self.runs("train", after: change, in: root) }
        #expect(try runs { try Self.edit(root, "train.py", { $0 + "\n" + "print('done')\n" }) })
        #expect(try !runs { try Self.edit(root, "README.md", { $0 + "\nMore.\n" }) })
    }
}
