import Foundation
import MLCITestSupport
import Testing

/// `mlci generate kubeflow` writes what Kubeflow Pipelines' own SDK reads and runs: every file is
/// parsed strictly by kfp, compiled again by kfp to the same document, and executed by kfp's
/// local engine with the real `mlci` on PATH in a fixture repository.
@Suite("Kubeflow pipelines run in kfp's own engine")
struct KubeflowPipelineTests {
    static let config = """
        version: 1
        kinds:
          code: ["src/**"]
          data: ["data/**"]
        stages:
          lint: {run: "true", on: [code]}
          prepare: {run: 'echo "prepare $MLCI_BASE_SHA $MLCI_HEAD_SHA" >> "$MARKS"', on: [data]}
          train:
            run: 'echo "train $DEVICE" >> "$MARKS"; test ! -e fail-train'
            on: [data, "src/train/**"]
            needs: [prepare]
            ci: {kubeflow: {cpu: "2", memory: 8Gi, accelerator: {type: nvidia.com/gpu, count: 1}, env: {DEVICE: cuda}}}
          evaluate: {run: 'echo evaluate >> "$MARKS"', on: ["eval/**"], needs: [train]}
          report: {run: 'echo report >> "$MARKS"', on: ["reports/**"], after: [evaluate]}
        pipelines:
          ci: {stages: [lint]}
          ct:
            stages: [prepare, train, evaluate, report]
            schedule: "0 3 * * *"
            kubeflow: {image: "python:3.11", experiment: churn}

        """

    /// A repository with the config and a data change on top of it.
    static func repository() throws -> (TemporaryDirectory, base: String, head: String) {
        let dir = try TemporaryDirectory("kubeflow")
        try Shell.git(dir.path, "init", "-q", "-b", "main")
        try dir.write("mlci.yml", config)
        try dir.write("src/a.py", "1\n")
        try dir.write("data/d.csv", "1\n")
        try dir.write("reports/r.md", "1\n")
        try dir.write("eval/e.py", "1\n")
        let base = try dir.commitAll("root")
        try dir.write("data/d.csv", "2\n")
        return (dir, base, try dir.commitAll("new data"))
    }

    static func kfp(_ arguments: [String], in directory: String, marks: String? = nil) throws -> ProcessResult {
        var env = ["PATH": (FixturePaths.mlciBinary as NSString).deletingLastPathComponent + ":/usr/bin:/bin"]
        if let marks { env["MARKS"] = marks }
        // Each run with a cache of its own: a stage that passed in an earlier run is not replayed.
        env["MLCI_CACHE_DIR"] = directory + "/.cache-\(UUID().uuidString)"
        for key in ["GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL"] { env[key] = "" }
        return try Shell.run(
            [try Validators.path("python"), FixturePaths.packageRoot + "/Tests/Kubeflow/kfp_check.py"] + arguments,
            in: directory, environment: env)
    }

    static func marks(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test("the committed file: golden, strictly parsed, compiled again by kfp to the same document, --check clean")
    func committedFile() throws {
        let (dir, _, _) = try Self.repository()
        let generated = try MLCIRunner.run(["generate", "kubeflow"], in: dir.path)
        #expect(generated.status == 0, "\(generated.err)")
        let text = try String(contentsOfFile: dir.file("kubeflow/ct.yaml"), encoding: .utf8)
        let mismatch = try Golden.mismatch(text, golden: FixturePaths.fixtures + "/kubeflow/expected/ct.yaml")
        #expect(mismatch == nil, "\(mismatch ?? "")")
        #expect(!FileManager.default.fileExists(atPath: dir.file("kubeflow/ci.yaml")), "ci is not on Kubeflow")
        for check in ["parse", "roundtrip"] {
            let result = try Self.kfp([check, "kubeflow/ct.yaml"], in: dir.path)
            #expect(result.status == 0, "\(check): \(result.out)\(result.err)")
        }
        #expect(try MLCIRunner.run(["generate", "kubeflow", "--check"], in: dir.path).status == 0)
        try dir.write("kubeflow/ct.yaml", text.replacingOccurrences(of: "python:3.11", with: "python:3.12"))
        let drift = try MLCIRunner.run(["generate", "kubeflow", "--check"], in: dir.path)
        #expect(drift.status == 1 && drift.out.contains("-        image: python:3.12"), "\(drift.out)")
    }

    @Test("the checks can fail: a misspelt field, a dangling reference and a cycle are each reported")
    func checksCanFail() throws {
        let (dir, _, _) = try Self.repository()
        try MLCIRunner.run(["generate", "kubeflow"], in: dir.path).requireSuccess()
        let text = try String(contentsOfFile: dir.file("kubeflow/ct.yaml"), encoding: .utf8)
        let broken = [
            ("executorLabel: exec-train", "executorLabl: exec-train", "strict parse"),
            ("name: comp-evaluate\n", "name: comp-evaluat\n", "componentRef 'comp-evaluat' names no component"),
            (
                "        taskInfo:\n          name: prepare",
                "        dependentTasks:\n        - evaluate\n        taskInfo:\n          name: prepare",
                "dependentTasks form a cycle"
            ),
        ]
        for (from, to, expected) in broken {
            #expect(text.contains(from), "\(from)")
            try dir.write("broken.yaml", text.replacingOccurrences(of: from, with: to))
            let result = try Self.kfp(["parse", "broken.yaml"], in: dir.path)
            #expect(result.status == 1 && result.out.contains(expected), "\(expected): \(result.out)\(result.err)")
        }
    }

    @Test("kfp's local engine runs every stage in dependency order with the base, head and env it is given")
    func runsEveryStage() throws {
        let (dir, base, head) = try Self.repository()
        try MLCIRunner.run(["generate", "kubeflow"], in: dir.path).requireSuccess()
        let marks = dir.file("marks")
        let result = try Self.kfp(["run", "kubeflow/ct.yaml", base, head], in: dir.path, marks: marks)
        #expect(result.status == 0, "\(result.out)\(result.err)")
        #expect(Self.marks(marks) == ["prepare \(base) \(head)", "train cuda", "evaluate", "report"])
    }

    @Test("for a range the run holds exactly the affected stages; a failing stage fails the run and stops what follows")
    func runsTheAffectedStages() throws {
        let (dir, base, head) = try Self.repository()
        let written = try MLCIRunner.run(
            ["generate", "kubeflow", "--pipeline", "ct", "--base", base, "--head", head, "--out", "run.yaml"],
            in: dir.path)
        #expect(written.status == 0, "\(written.err)")
        let text = try String(contentsOfFile: dir.file("run.yaml"), encoding: .utf8)
        #expect(text.contains("exec-train:") && text.contains("exec-evaluate:") && !text.contains("exec-report:"))
        for check in ["parse", "roundtrip"] {
            let result = try Self.kfp([check, "run.yaml"], in: dir.path)
            #expect(result.status == 0, "\(check): \(result.out)\(result.err)")
        }
        let marks = dir.file("marks")
        let run = try Self.kfp(["run", "run.yaml", base, head], in: dir.path, marks: marks)
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(Self.marks(marks) == ["prepare \(base) \(head)", "train cuda", "evaluate"])

        try dir.write("fail-train", "")
        try FileManager.default.removeItem(atPath: marks)
        let failed = try Self.kfp(["run", "run.yaml", base, head], in: dir.path, marks: marks)
        #expect(
            failed.status == 1 && failed.out.contains("the run failed"), "\(failed.status) \(failed.out)\(failed.err)")
        #expect(Self.marks(marks) == ["prepare \(base) \(head)", "train cuda"], "evaluate never starts")

        let nothing = try MLCIRunner.run(
            ["generate", "kubeflow", "--pipeline", "ct", "--base", head, "--head", head], in: dir.path)
        #expect(nothing.status == 0 && nothing.out.isEmpty && nothing.err.contains("nothing written"), "\(nothing.err)")
        let notKubeflow = try MLCIRunner.run(
            ["generate", "kubeflow", "--pipeline", "ci", "--base", base, "--head", head], in: dir.path)
        #expect(notKubeflow.status == 2 && notKubeflow.err.contains("Kubeflow pipelines: ct"), "\(notKubeflow.err)")
    }

    @Test("validate reports at file:line a missing image, an after leaving the pipeline and refused resources")
    func validation() throws {
        let dir = try TemporaryDirectory("kubeflow-invalid")
        try Shell.git(dir.path, "init", "-q", "-b", "main")
        try dir.write(
            "mlci.yml",
            """
            version: 1
            stages:
              lint: {run: "true", on: ["src/**"]}
              train: {run: "true", on: ["data/**"], after: [lint], ci: {kubeflow: {cpu: 2 cores, memory: 8GB}}}
              gpu: {run: "true", on: ["data/**"], ci: {kubeflow: {accelerator: {type: nvidia.com/gpu, count: 0}}}}
              local: {run: "true", on: ["x/**"], ci: {kubeflow: {image: "python:3.11"}}}
            pipelines:
              ci: {stages: [lint, local]}
              ct: {stages: [train, gpu], kubeflow: {experiment: churn, imag: x}}

            """)
        let result = try MLCIRunner.run(["validate"], in: dir.path)
        #expect(result.status == 2)
        for expected in [
            "mlci.yml:4:77: error: stage 'train' ci.kubeflow.cpu: '2 cores' is not a CPU limit Kubernetes accepts",
            "mlci.yml:4:94: error: stage 'train' ci.kubeflow.memory: '8GB' is not a memory limit Kubernetes accepts",
            "mlci.yml:5:98: error: stage 'gpu' ci.kubeflow.accelerator.count must be a whole number of at least 1",
            "mlci.yml:9:60: error: pipeline 'ct' kubeflow: unknown key 'imag' (did you mean 'image'?)",
            "mlci.yml:4:3: error: stage 'train' runs on Kubeflow (pipeline 'ct') and has no image",
            "mlci.yml:4:3: error: stage 'train' runs on Kubeflow (pipeline 'ct') after 'lint', which is not in that pipeline",
            "mlci.yml:6:3: warning: stage 'local' sets ci.kubeflow but is in no pipeline with kubeflow:",
        ] {
            #expect(result.err.contains(expected), "\(expected)\n--- got:\n\(result.err)")
        }
    }
}
