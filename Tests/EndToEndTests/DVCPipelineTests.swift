import Foundation
import MLCITestSupport
import Testing

/// DVC pipelines from git alone (Fixtures/dvc-project): expanded stage names, DVC's
/// invalidation rules, propagation, stale-lock checks and mlci stages carrying DVC stages.
@Suite("DVC pipelines")
struct DVCPipelineTests {
    static let all = [
        "prepare", "featurize", "train@small", "train@large", "evaluate",
        "sweep@0.1-3", "sweep@0.1-5", "sweep@0.01-3", "sweep@0.01-5", "report", "check",
    ]

    static let expected: [String: [String]] = [
        "data-hash": [
            "prepare", "featurize", "train@small", "train@large", "evaluate", "sweep@0.1-3", "sweep@0.1-5",
            "sweep@0.01-3", "sweep@0.01-5", "check",
        ],
        "pointer-meta": ["check"],
        "tracked-param": ["train@small", "train@large", "evaluate", "check"],
        "untracked-param": ["check"],
        "removed-param": [
            "featurize", "train@small", "train@large", "evaluate", "sweep@0.1-3", "sweep@0.1-5", "sweep@0.01-3",
            "sweep@0.01-5", "check",
        ],
        "cmd-vars": [
            "prepare", "featurize", "train@small", "train@large", "evaluate", "sweep@0.1-3", "sweep@0.1-5",
            "sweep@0.01-3", "sweep@0.01-5", "check",
        ],
        "code-dep": ["evaluate", "check"],
        "new-stage": ["check", "export"],
    ]

    static func dvcStages(_ plan: [String: Any]) -> [[String: Any]] { plan["dvc_stages"] as? [[String: Any]] ?? [] }

    @Test(
        "a stage whose own deps, outs or tracked params change is invalidated, as dvc repro reruns it; so is one unfrozen"
    )
    func definitionLists() throws {
        let repo = try FixtureRepository.build("dvc-project")
        let original = try String(contentsOfFile: repo.file("dvc.yaml"), encoding: .utf8)
        let edits: [(String, String, String, String)] = [
            // (what, replace, with, the reason expected on the edited stage)
            (
                "a dep added", "deps: [data/data.xml, src/prepare.py]",
                "deps: [data/data.xml, src/prepare.py, src/utils.py]",
                "prepare: deps changed: +src/utils.py"
            ),
            (
                "an out renamed", "outs: [data/features]", "outs: [data/features-v2]",
                "featurize: outs changed: +data/features-v2 -data/features"
            ),
            (
                "a param key tracked", "params: [prepare.seed, prepare.split]",
                "params: [prepare.seed, prepare.split, prepare.extra]",
                "prepare: tracked params changed: +params.yaml:prepare.extra"
            ),
            ("unfrozen", "    frozen: true\n", "", "report: no longer frozen"),
        ]
        for (what, from, to, expected) in edits {
            try Shell.git(repo.path, "checkout", "-q", "-f", "main")
            try Shell.git(repo.path, "checkout", "-q", "-B", "edit")
            #expect(original.contains(from), "the fixture must hold \(from.debugDescription)")
            try original.replacingOccurrences(of: from, with: to).write(
                toFile: repo.file("dvc.yaml"), atomically: false, encoding: .utf8)
            try Shell.git(repo.path, "commit", "-q", "-am", what)
            let plan = try PlanHelpers.plan(["--base", "main", "--head", "edit"], in: repo.path)
            let details = Self.dvcStages(plan).flatMap { stage in
                (stage["reasons"] as? [[String: Any]] ?? []).map {
                    "\(stage["name"] as? String ?? ""): \($0["summary"] as? String ?? "")"
                }
            }
            #expect(details.contains(expected), "\(what): \(details)")
        }
    }

    @Test("a dvc.lock whose outs hashes change stands for those outs: a retrained model is a changed model path")
    func lockOuts() throws {
        let repo = try FixtureRepository.build("dvc-project")
        let lock = try String(contentsOfFile: repo.file("dvc.lock"), encoding: .utf8)
        func entry(model: String, dep: String) -> String {
            "  train@large:\n    cmd: python3 src/train.py large\n    deps:\n    - path: src/train.py\n      hash: md5\n      md5: \(dep)\n"
                + "    outs:\n    - path: model-large.pkl\n      hash: md5\n      md5: \(model)\n      size: 10\n"
                // DVC writes a stage's paths relative to its wdir.
                + "  publish:\n    cmd: python3 pack.py\n    outs:\n    - path: bundle.tar\n      hash: md5\n      md5: \(model)\n"
        }
        let pipeline = try String(contentsOfFile: repo.file("dvc.yaml"), encoding: .utf8)
        try (pipeline + "  publish:\n    wdir: release\n    cmd: python3 pack.py\n    outs: [bundle.tar]\n")
            .write(toFile: repo.file("dvc.yaml"), atomically: false, encoding: .utf8)
        func commit(_ text: String, _ message: String) throws {
            try text.write(toFile: repo.file("dvc.lock"), atomically: false, encoding: .utf8)
            try Shell.git(repo.path, "commit", "-q", "-am", message)
        }
        let a = String(repeating: "a", count: 32), b = String(repeating: "b", count: 32),
            c = String(repeating: "c", count: 32)
        try commit(lock + entry(model: a, dep: c), "train@large locked")
        try commit(lock + entry(model: b, dep: c), "train@large retrained")
        try commit(lock + entry(model: b, dep: a), "only a dep hash relocked")
        let config = repo.file("deliver.yml")
        try "version: 1\nstages:\n  deliver: {run: \"true\", on: [\"*.pkl\"]}\n".write(
            toFile: config, atomically: false, encoding: .utf8)

        let retrained = try PlanHelpers.plan(
            ["--base", "HEAD~2", "--head", "HEAD~1", "--config", config], in: repo.path)
        let changes = retrained["changes"] as? [[String: Any]] ?? []
        let model = try #require(changes.first { $0["path"] as? String == "model-large.pkl" }, "\(changes)")
        #expect(model["status"] as? String == "M" && model["via"] as? String == "dvc.lock")
        let note = model["ml"] as? [String: Any] ?? [:]
        #expect(note["type"] as? String == "dvc-lock-out" && note["stage"] as? String == "train@large")
        #expect(note["old_hash"] as? String == a && note["new_hash"] as? String == b)
        #expect(PlanHelpers.affected(retrained) == ["deliver"])
        #expect(
            changes.contains { $0["path"] as? String == "release/bundle.tar" && $0["via"] as? String == "dvc.lock" },
            "\(changes)")
        let export = Self.dvcStages(retrained).first { $0["name"] as? String == "export" }
        #expect(
            (export?["reasons"] as? [[String: Any]] ?? []).contains { $0["type"] as? String == "dep" },
            "export reads the model"
        )

        let relocked = try PlanHelpers.plan(["--base", "HEAD~1", "--head", "HEAD", "--config", config], in: repo.path)
        #expect((relocked["changes"] as? [[String: Any]] ?? []).map { $0["path"] as? String } == ["dvc.lock"])
        #expect(PlanHelpers.affected(relocked).isEmpty)
    }

    @Test("expanded stage names follow DVC: name@item, name@key, name@a-b")
    func names() throws {
        let repo = try FixtureRepository.build("dvc-project")
        let plan = try PlanHelpers.plan(["--base", "d-data-hash~1", "--head", "d-data-hash"], in: repo.path)
        #expect(Self.dvcStages(plan).compactMap { $0["name"] as? String } == Self.all)
    }

    @Test("each commit invalidates exactly the DVC stages DVC's rules say; frozen stages cut propagation")
    func invalidation() throws {
        let repo = try FixtureRepository.build("dvc-project")
        for (name, stages) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let plan = try PlanHelpers.plan(["--base", "d-\(name)~1", "--head", "d-\(name)"], in: repo.path)
            let invalid = Self.dvcStages(plan).filter { $0["affected"] as? Bool == true }.compactMap {
                $0["name"] as? String
            }
            #expect(invalid == stages, "\(name)")
            #expect(!invalid.contains("report"), "report is frozen")
        }
    }

    @Test("reasons name the dep, the param with both values, the cmd and the upstream stage")
    func reasons() throws {
        let repo = try FixtureRepository.build("dvc-project")
        func reasons(_ tag: String, _ stage: String) throws -> [String] {
            let plan = try PlanHelpers.plan(["--base", "d-\(tag)~1", "--head", "d-\(tag)"], in: repo.path)
            let s = Self.dvcStages(plan).first { $0["name"] as? String == stage }
            return (s?["reasons"] as? [[String: Any]] ?? []).map {
                "\($0["type"] as? String ?? ""): \($0["summary"] as? String ?? "")"
            }
        }
        #expect(try reasons("data-hash", "prepare") == ["dep: dep data/data.xml changed (data/data.xml)"])
        #expect(try reasons("data-hash", "featurize") == ["upstream: upstream prepare changed"])
        #expect(try reasons("tracked-param", "train@large") == ["params: params.yaml: train.lr 0.1 → 0.05"])
        #expect(try reasons("removed-param", "featurize") == ["params: params.yaml: featurize.ngrams 1 → (absent)"])
        // The same fields as stage reasons.
        let plan = try PlanHelpers.plan(["--base", "d-tracked-param~1", "--head", "d-tracked-param"], in: repo.path)
        let large = Self.dvcStages(plan).first { $0["name"] as? String == "train@large" }
        let params = try #require((large?["reasons"] as? [[String: Any]])?.first)
        #expect(params["file"] as? String == "params.yaml" && params["key"] as? String == "train.lr")
        #expect(params["old"] as? Double == 0.1 && params["new"] as? Double == 0.05)
        #expect(
            try reasons("cmd-vars", "prepare") == [
                "cmd: cmd changed: python3 src/prepare.py data/data.xml → python3.12 src/prepare.py data/data.xml"
            ])
        #expect(try reasons("new-stage", "export") == ["new: new stage"])
    }

    @Test("dvc: naming no DVC stage is a warning in a plan and an error under validate, with the closest name")
    func unknownDVCName() throws {
        let repo = try FixtureRepository.build("dvc-project")
        try "version: 1\nstages:\n  training: {run: \"dvc repro\", dvc: [trian, evaluate]}\n".write(
            toFile: repo.file("typo.yml"), atomically: false, encoding: .utf8)
        let plan = try MLCIRunner.run(["plan", "--config", "typo.yml", "--base", "HEAD~1"], in: repo.path)
        #expect(plan.status == 0)
        #expect(
            plan.err.contains(
                "typo.yml:3:3: warning: stage 'training': dvc names 'trian', which is no DVC stage (did you mean 'train'?)"
            ),
            "\(plan.err)")
        let validate = try MLCIRunner.run(["validate", "--config", "typo.yml"], in: repo.path)
        #expect(
            validate.status == 2 && validate.err.contains("error: stage 'training': dvc names 'trian'"),
            "\(validate.err)")
        #expect(!validate.err.contains("'evaluate'"), "a real DVC stage is not reported")
    }

    @Test("mlci stages carrying DVC stages (dvc: true, dvc: [names]) follow them")
    func carriers() throws {
        let repo = try FixtureRepository.build("dvc-project")
        let params = try PlanHelpers.plan(["--base", "d-tracked-param~1", "--head", "d-tracked-param"], in: repo.path)
        #expect(PlanHelpers.affected(params) == ["pipeline", "training"])
        #expect(PlanHelpers.reasons(params, "training").first?["type"] as? String == "dvc")
        let code = try PlanHelpers.plan(["--base", "d-code-dep~1", "--head", "d-code-dep"], in: repo.path)
        #expect(PlanHelpers.affected(code) == ["lint", "pipeline", "training"])
        #expect(code["unwatched"] as? [String] == [])
    }

    @Test("--explain follows a dvc: stage to every invalidated DVC stage and its reasons; Markdown lists DVC stages")
    func explainAndMarkdown() throws {
        let repo = try FixtureRepository.build("dvc-project")
        let range = ["--base", "d-tracked-param~1", "--head", "d-tracked-param"]
        let explain = try MLCIRunner.run(["plan"] + range + ["--explain", "training"], in: repo.path)
        #expect(explain.status == 0)
        for line in [
            "DVC stage train@small:", "DVC stage train@large:", "DVC stage evaluate:",
            "- params.yaml: train.lr 0.1 → 0.05", "- upstream train@small changed",
        ] {
            #expect(explain.out.contains(line), "\(line)\n\(explain.out)")
        }
        let markdown = try MLCIRunner.run(["plan"] + range + ["--format", "markdown"], in: repo.path)
        #expect(markdown.out.contains("**DVC stages:** 4 of 11 invalidated"), "\(markdown.out)")
        #expect(markdown.out.contains("| train@large | params.yaml: train.lr 0.1 → 0.05 |"), "\(markdown.out)")
    }

    @Test("stale dvc.lock warnings come with plans only when a stage carries DVC stages; validate always reports them")
    func staleLockOnlyWhenCarried() throws {
        let repo = try FixtureRepository.build("dvc-project")
        try Shell.git(repo.path, "checkout", "-q", "d-stale-lock")
        try "version: 1\nstages:\n  lint: {run: 'true', on: [\"src/**\"]}\n".write(
            toFile: repo.file("plain.yml"), atomically: false, encoding: .utf8)
        let plain = try MLCIRunner.run(["plan", "--base", "HEAD~1", "--config", "plain.yml"], in: repo.path)
        #expect(plain.status == 0 && !plain.err.contains("stale"), "\(plain.err)")
        let carried = try MLCIRunner.run(["plan", "--base", "HEAD~1"], in: repo.path)
        let lines = carried.err.split(separator: "\n").filter { $0.contains("stale") }
        #expect(lines.count == Set(lines).count && !lines.isEmpty, "each warning once: \(carried.err)")
        let validate = try MLCIRunner.run(["validate", "--config", "plain.yml", "--head", "HEAD"], in: repo.path)
        #expect(validate.err.contains("dvc.lock is stale"), "\(validate.err)")
    }

    @Test("a stale dvc.lock is reported by plan and validate; a malformed dvc.yaml fails validate")
    func staleLock() throws {
        let repo = try FixtureRepository.build("dvc-project")
        let plan = try MLCIRunner.run(["plan", "--base", "d-stale-lock~1", "--head", "d-stale-lock"], in: repo.path)
        #expect(plan.err.contains("dvc.lock is stale: stage prepare: dep src/prepare.py changed since it was locked"))
        let validate = try MLCIRunner.run(["validate", "--head", "d-stale-lock"], in: repo.path)
        #expect(validate.status == 0 && validate.err.contains("dvc.lock is stale"))
        let fresh = try MLCIRunner.run(["validate", "--head", "d-data-hash"], in: repo.path)
        #expect(!fresh.err.contains("stale"), "the lock matches at the start")
        try "stages:\n  broken: [unclosed\n".write(toFile: repo.file("dvc.yaml"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "break dvc.yaml")
        let broken = try MLCIRunner.run(["validate"], in: repo.path)
        #expect(
            broken.status == 2 && broken.err.contains("dvc.yaml:3:1: error: cannot be read at head"), "\(broken.err)")
        let planBroken = try MLCIRunner.run(["plan", "--base", "HEAD~1"], in: repo.path)
        #expect(planBroken.status == 0 && planBroken.err.contains("cannot be read"), "plan continues with a warning")
        // Never "all up to date": every stage carrying DVC stages runs, saying which file and line.
        let brokenPlan = try PlanHelpers.plan(["--base", "HEAD~1"], in: repo.path)
        #expect(
            PlanHelpers.affected(brokenPlan).contains("training")
                && PlanHelpers.affected(brokenPlan).contains("pipeline"))
        let reason = try #require(PlanHelpers.reasons(brokenPlan, "training").first)
        #expect(reason["type"] as? String == "dvc" && reason["stage"] is NSNull)
        #expect(reason["file"] as? String == "dvc.yaml" && reason["line"] as? Int == 3, "\(reason)")
    }
}

/// mlci's reading of DVC pipelines against DVC itself, installed into the test virtualenv.
@Suite("DVC conformance")
struct DVCConformanceTests {
    /// `foreach` and `matrix` over `${…}` from params.yaml and `vars` (nested keys, lists of
    /// dicts, dict values in a matrix, inline vars), and a nested dvc.yaml with a stage of the
    /// same name as one at the root.
    static let interpolated = """
        vars:
          - vars.yaml
          - local: {x: 1, y: [p, q]}
        stages:
          train:
            foreach: ${models}
            do:
              cmd: echo ${item}
              deps: [src/train.py]
          nestedkeys:
            foreach: ${cfg.sizes}
            do:
              cmd: echo ${item}
          dicts:
            foreach: ${cfg.opts}
            do:
              cmd: echo ${item.name} ${item.lr}
          region:
            foreach: ${regions}
            do:
              cmd: echo ${key} ${item.zone}
          mat:
            matrix:
              model: ${models}
              opt: ${cfg.opts}
              k: [1, 2]
            cmd: echo ${item.model} ${item.opt.name} ${item.k}
          mat2:
            matrix:
              y: ${local.y}
              z: [u]
            cmd: echo ${item.y}
          floats:
            foreach: ${fl}
            do:
              cmd: echo ${item}
          flags:
            foreach: ${yesno}
            do:
              cmd: echo ${item}
          scalars:
            matrix:
              v: [true, 1.0, null]
            cmd: echo ${item.v}
          sub:
            cmd: echo root
            deps: [src/root.txt]
        """

    @Test(
        "interpolated foreach and matrix, and nested dvc.yaml files, give the stage names `dvc stage list --all` gives")
    func interpolatedNames() throws {
        let dvc = try Validators.path("dvc")
        let repo = try TemporaryDirectory("dvc-interpolated")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        try Shell.ok([dvc, "init", "-q"], in: repo.path)
        let files = [
            "params.yaml":
                "models: [small, large]\ncfg:\n  sizes: [1, 2]\n  opts:\n    - {name: a, lr: 0.1}\n    - {name: b, lr: 0.2}\n"
                + "fl: [1.0, 2e3, -0.0, .inf, 1.5e16]\nyesno: [true, false]\n",
            "vars.yaml": "regions:\n  eu: {zone: west}\n  us: {zone: east}\n",
            "dvc.yaml": Self.interpolated,
            "nested/dvc.yaml": "stages:\n  sub:\n    cmd: echo nested\n    deps: [helper.txt]\n",
            "nested/helper.txt": "h\n", "src/train.py": "t\n", "src/root.txt": "r\n",
            "mlci.yml":
                "version: 1\nstages:\n  pipeline: {run: 'true', dvc: true}\n  nested: {run: 'true', dvc: [nested/dvc.yaml:sub]}\n",
        ]
        for (path, text) in files {
            try FileManager.default.createDirectory(
                atPath: (repo.file(path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: repo.file(path), atomically: false, encoding: .utf8)
        }
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "root")
        let theirs = try Shell.ok([dvc, "stage", "list", "--all", "--name-only"], in: repo.path).out
            .split(separator: "\n").map(String.init)
        try "h2\n".write(toFile: repo.file("nested/helper.txt"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "nested helper")
        let plan = try PlanHelpers.plan(["--base", "HEAD~1"], in: repo.path)
        let stages = DVCPipelineTests.dvcStages(plan)
        #expect(stages.compactMap { $0["name"] as? String } == theirs)
        #expect(theirs.contains("nested/dvc.yaml:sub") && theirs.contains("mat@large-opt1-2"), "\(theirs)")
        // Scalars as DVC names them: str() in foreach, its interpolation form in a matrix.
        for name in ["floats@2000.0", "floats@inf", "flags@True", "scalars@true", "scalars@None"] {
            #expect(theirs.contains(name), "\(name): \(theirs)")
        }
        // Only the nested stage's dep changed: the root stage of the same name is up to date.
        let invalidated = stages.filter { ($0["reasons"] as? [Any])?.isEmpty == false }.compactMap {
            $0["name"] as? String
        }
        #expect(invalidated == ["nested/dvc.yaml:sub"])
        #expect(Set(PlanHelpers.affected(plan)) == ["pipeline", "nested"])
        let dep = try #require((stages.last?["reasons"] as? [[String: Any]])?.first)
        #expect(dep["type"] as? String == "dep" && dep["path"] as? String == "nested/helper.txt", "\(dep)")
    }

    /// `file: key` for each param that changed between two commits: as `dvc params diff` lists
    /// them, and as mlci's plan gives them in its DVC stages' params reasons.
    static func paramsChanges(_ dvc: String, _ repo: String, base: String, head: String) throws -> (
        theirs: Set<String>, mine: Set<String>
    ) {
        let diff = try Shell.ok([dvc, "params", "diff", base, head, "--json"], in: repo)
        let json = try JSONSerialization.jsonObject(with: Data(diff.stdout)) as? [String: [String: Any]] ?? [:]
        let theirs = Set(json.flatMap { file, keys in keys.keys.map { "\(file): \($0)" } })
        let plan = try PlanHelpers.plan(["--base", base, "--head", head], in: repo)
        var mine = Set<String>()
        for stage in DVCPipelineTests.dvcStages(plan) {
            for reason in stage["reasons"] as? [[String: Any]] ?? [] where reason["type"] as? String == "params" {
                if let file = reason["file"] as? String, let key = reason["key"] as? String {
                    mine.insert("\(file): \(key)")
                }
            }
        }
        return (theirs, mine)
    }

    @Test("expanded stage names equal `dvc stage list` at every commit")
    func stageNames() throws {
        let dvc = try Validators.path("dvc")
        let repo = try FixtureRepository.build("dvc-project")
        for tag in try Shell.git(repo.path, "tag", "-l", "d-*").split(separator: "\n").map(String.init) {
            try Shell.git(repo.path, "checkout", "-q", tag)
            let theirs = try Shell.ok([dvc, "stage", "list", "--name-only"], in: repo.path).out.split(separator: "\n")
                .map(String.init)
            let plan = try PlanHelpers.plan(["--base", tag + "~1", "--head", tag], in: repo.path)
            let mine = DVCPipelineTests.dvcStages(plan).compactMap { $0["name"] as? String }
            #expect(mine == theirs, "\(tag)")
        }
    }

    @Test("params.py: the keys mlci reports changed equal `dvc params diff`, edit after edit")
    func pythonParamsDiff() throws {
        let dvc = try Validators.path("dvc")
        let repo = try FixtureRepository.build("dvc-project")
        // A stage tracks two keys of a Python params file: a module constant and a class attribute.
        var pipeline = try String(contentsOfFile: repo.file("dvc.yaml"), encoding: .utf8)
        pipeline = pipeline.replacingOccurrences(
            of: "          - evaluate.threshold\n",
            with: "          - evaluate.threshold\n      - params.py:\n          - LR\n          - Train.batch\n")
        try pipeline.write(toFile: repo.file("dvc.yaml"), atomically: false, encoding: .utf8)
        let edits: [(String, String)] = [
            ("tracked constant", "LR = 0.1\nEPOCHS = 3\n\nclass Train:\n    batch = 32\n"),
            ("first value", "LR = 0.2\nEPOCHS = 3\n\nclass Train:\n    batch = 32\n"),
            ("untracked constant", "LR = 0.2\nEPOCHS = 4\n\nclass Train:\n    batch = 32\n"),
            (
                "comments and layout only",
                "# learning rate\nLR = 0.20  # tuned\nEPOCHS = 4\n\n\nclass Train:\n    \"\"\"Training.\"\"\"\n    batch = 32\n"
            ),
            ("class attribute", "LR = 0.2\nEPOCHS = 4\n\nclass Train:\n    batch = 64\n"),
            ("both, annotated", "LR: float = 0.3\nEPOCHS = 4\n\nclass Train:\n    batch: int = 16\n"),
            (
                "a non-literal line added",
                "import os\nLR: float = 0.3\nEPOCHS = int(os.environ.get('E', 4))\n\nclass Train:\n    batch: int = 16\n"
            ),
            ("key removed", "EPOCHS = 4\n\nclass Train:\n    batch: int = 16\n"),
        ]
        var compared = 0
        var changedSomewhere = false
        for (n, (what, text)) in edits.enumerated() {
            try text.write(toFile: repo.file("params.py"), atomically: false, encoding: .utf8)
            try Shell.git(repo.path, "add", "-A")
            try Shell.git(repo.path, "commit", "-q", "-m", "params.py: \(what)")
            guard n > 0 else { continue }  // the first commit also changes dvc.yaml
            let (theirs, mine) = try Self.paramsChanges(dvc, repo.path, base: "HEAD~1", head: "HEAD")
            #expect(mine == theirs, "\(what)")
            changedSomewhere = changedSomewhere || !theirs.isEmpty
            compared += 1
        }
        #expect(compared == edits.count - 1)
        #expect(changedSomewhere, "the edits must change tracked keys somewhere")
    }

    @Test("the params changes mlci reports equal `dvc params diff`")
    func paramsDiff() throws {
        let dvc = try Validators.path("dvc")
        let repo = try FixtureRepository.build("dvc-project")
        for tag in ["d-tracked-param", "d-untracked-param", "d-removed-param", "d-data-hash"] {
            let (theirs, mine) = try Self.paramsChanges(dvc, repo.path, base: tag + "~1", head: tag)
            #expect(mine == theirs, "\(tag)")
        }
    }
}
