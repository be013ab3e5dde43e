import Foundation
import MLCITestSupport
import Testing

/// mlci's DVC decisions against DVC's own, over a history of experiment commits the test builds:
/// code, data and params edits with and without `dvc repro`, hand edits to outputs kept in git
/// (`cache: false`), command edits, added and removed stages. For each pair of commits, DVC is
/// asked in a checkout of the head with the base's `dvc.lock` (`dvc status --json`: the stages
/// `dvc repro` would rerun for their own changes); mlci's answer is the DVC stages its plan marks
/// with a reason of their own (not only "upstream"). Every output is kept in git, so the working
/// tree DVC looks at is exactly the commit mlci reads.
@Suite("DVC decisions equal DVC's own over a history of experiments")
struct DVCHistoryOracleTests {
    static let dvcYAML = """
        stages:
          a:
            cmd: cp src/a.txt m.txt
            deps: [src/a.txt]
            params: [lr]
            outs:
              - m.txt: {cache: false}
          b:
            cmd: cat m.txt m.txt > n.txt
            deps: [m.txt]
            outs:
              - n.txt: {cache: false}
          c:
            cmd: cp src/c.txt o.txt
            deps: [src/c.txt]
            params: [epochs]
            outs:
              - o.txt: {cache: false}

        """

    /// One experiment step: a shell edit, then `dvc repro` or not (a commit whose lock is stale).
    static let steps: [(what: String, script: String)] = [
        ("code dep", "echo \"$N\" >> src/a.txt"),
        ("other dep", "echo \"$N\" >> src/c.txt"),
        ("tracked param lr", "sed -i \"s/^lr: .*/lr: 0.$N/\" params.yaml"),
        ("tracked param epochs", "sed -i \"s/^epochs: .*/epochs: $N/\" params.yaml"),
        ("untracked param", "sed -i \"s/^unused: .*/unused: $N/\" params.yaml"),
        ("hand edit of a's out (cache: false)", "echo \"hand $N\" > m.txt"),
        ("hand edit of b's out", "echo \"hand $N\" > n.txt"),
        ("cmd of c", "sed -i \"s|cmd: cp src/c.txt o.txt.*|cmd: cp src/c.txt o.txt # $N|\" dvc.yaml"),
        ("a file no stage reads", "echo \"$N\" >> NOTES.md"),
        (
            "stage d added or removed",
            "if grep -q '^  d:' dvc.yaml; then sed -i '/^  d:/,$d' dvc.yaml; else printf '  d:\\n    cmd: wc -c src/c.txt > p.txt\\n    deps: [src/c.txt]\\n    outs:\\n      - p.txt: {cache: false}\\n' >> dvc.yaml; fi"
        ),
    ]

    /// The repository: a root with a consistent lock, then `count` steps, each committed.
    static func history(count: Int) throws -> (TemporaryDirectory, [String]) {
        let dvc = try Validators.path("dvc")
        let repo = try TemporaryDirectory("dvc-history")
        let root = """
            set -e
            git init -q -b main
            "$DVC" init -q
            mkdir src
            echo a > src/a.txt; echo c > src/c.txt
            printf 'lr: 0.1\\nepochs: 3\\nunused: 0\\n' > params.yaml
            printf 'version: 1\\nstages:\\n  train: {run: "true", dvc: true}\\n' > mlci.yml
            git add -A; git commit -qm root
            """
        try Shell.ok(["bash", "-c", root], in: repo.path, environment: ["DVC": dvc])
        try Self.dvcYAML.write(toFile: repo.file("dvc.yaml"), atomically: false, encoding: .utf8)
        try Shell.ok(
            ["bash", "-c", "\"$DVC\" repro -q >/dev/null; git add -A; git commit -qm yaml"], in: repo.path,
            environment: ["DVC": dvc])
        var generator = SplitMix64(state: 22)
        for n in stride(from: 1, through: count, by: 1) {
            let step = Self.steps[Int(generator.next() % UInt64(Self.steps.count))]
            let repro = generator.next() % 2 == 0 ? "\"$DVC\" repro -q >/dev/null" : "true"
            try Shell.ok(
                [
                    "bash", "-c",
                    "set -e; \(step.script); \(repro); git add -A; git commit -q --allow-empty -m \"$N: $WHAT\"",
                ],
                in: repo.path, environment: ["DVC": dvc, "N": "\(n)", "WHAT": step.what])
        }
        let shas = try Shell.git(repo.path, "rev-list", "--reverse", "HEAD").split(separator: "\n").map(String.init)
        return (repo, shas)
    }

    /// DVC's answer: the stages `dvc status` reports in a checkout of `head` holding `base`'s lock.
    static func dvcChanged(_ dvc: String, _ repo: String, base: String, head: String) throws -> Set<String> {
        try Shell.git(repo, "checkout", "-q", "--force", head)
        let lock = try Shell.run(["git", "show", "\(base):dvc.lock"], in: repo)
        try Data(lock.stdout).write(to: URL(fileURLWithPath: repo + "/dvc.lock"))
        let status = try Shell.ok([dvc, "status", "--json"], in: repo)
        try Shell.git(repo, "checkout", "-q", "--force", head)
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout)) as? [String: Any] ?? [:]
        return Set(json.keys)
    }

    /// mlci's answer: DVC stages with a reason of their own.
    static func mlciChanged(_ repo: String, base: String, head: String) throws -> Set<String> {
        let plan = try PlanHelpers.plan(["--base", base, "--head", head], in: repo)
        return Set(
            DVCPipelineTests.dvcStages(plan).filter { stage in
                (stage["reasons"] as? [[String: Any]] ?? []).contains { $0["type"] as? String != "upstream" }
            }.compactMap { $0["name"] as? String })
    }

    @Test(
        "every commit pair of 40 experiment steps (each against its parent and three back): mlci names the stages DVC does"
    )
    func everyPair() throws {
        let dvc = try Validators.path("dvc")
        let (repo, shas) = try Self.history(count: 40)
        var compared = 0
        var sawHandEdit = false
        // The comparison is sound from a base whose own lock is up to date: DVC then answers
        // "what does this range change", as mlci does; from a stale base it also reports what was
        // already stale before the range.
        var consistent: [String: Bool] = [:]
        for sha in shas.dropFirst() {
            consistent[sha] = try Self.dvcChanged(dvc, repo.path, base: sha, head: sha).isEmpty
        }
        for i in 2..<shas.count {
            for back in [1, 3] where i - back >= 1 && consistent[shas[i - back]] == true {
                let base = shas[i - back], head = shas[i]
                let theirs = try Self.dvcChanged(dvc, repo.path, base: base, head: head)
                let mine = try Self.mlciChanged(repo.path, base: base, head: head)
                let subject = try Shell.git(repo.path, "log", "-1", "--format=%s", head)
                #expect(mine == theirs, "\(subject) (\(back) back): DVC \(theirs.sorted()), mlci \(mine.sorted())")
                if subject.contains("hand edit of a's out") && theirs.contains("a") { sawHandEdit = true }
                compared += 1
            }
        }
        #expect(compared >= 30, "\(compared) pairs from an up-to-date base")
        // The history holds the case DVC reruns for and a kept-in-git output edit invalidates.
        #expect(sawHandEdit)
    }

    @Test("a dvc.yaml DVC's schema refuses (artifacts written as one object) runs every dvc: stage, at file:line")
    func schemaRefused() throws {
        let dvc = try Validators.path("dvc")
        let (repo, _) = try Self.history(count: 0)
        try (Self.dvcYAML + "artifacts: {labels: [x]}\n").write(
            toFile: repo.file("dvc.yaml"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "commit", "-qam", "artifacts as one object")
        // DVC refuses the file: dvc repro could not run.
        let status = try Shell.run([dvc, "status"], in: repo.path)
        #expect(status.status != 0, "\(status.out)\(status.err)")
        let plan = try MLCIRunner.run(["plan", "--format", "json"], in: repo.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as? [String: Any])
        #expect(PlanHelpers.affected(json).contains("train"), "\(plan.out)\(plan.err)")
        #expect(plan.err.contains("dvc.yaml:"), "\(plan.err)")
        let validate = try MLCIRunner.run(["validate"], in: repo.path)
        #expect(validate.status == 2, "\(validate.out)\(validate.err)")
        #expect(validate.err.contains("dvc.yaml:") && validate.err.contains("artifacts"), "\(validate.err)")
    }
}
