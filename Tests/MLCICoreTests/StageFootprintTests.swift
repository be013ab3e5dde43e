import Foundation
import MLCICore
import MLCIGit
import MLCITestSupport
import Testing

/// The stage footprint is the one definition of what a stage is triggered by and reads. These
/// tests hold it to the planner's decisions on every scenario commit, and check its DVC and
/// `inputs:` rules on their own.
@Suite("stage footprint")
struct StageFootprintTests {
    static func isPath(_ reason: Reason) -> Bool {
        if case .path = reason { return true }
        return false
    }

    @Test(
        "the footprint agrees with the planner's decisions on every scenario commit",
        arguments: [("plan-scenarios", "s-"), ("dvc-project", "d-"), ("ml-files", "m-")])
    func agreesWithPlanner(fixture: String, prefix: String) throws {
        let dir = try FixtureRepository.build(fixture)
        let repo = try Repository(discoveringFrom: dir.path)
        let tags = try Shell.git(dir.path, "tag", "-l", prefix + "*").split(separator: "\n").map(String.init)
            .filter { $0 != prefix + "root" }
        #expect(tags.count >= 5)
        var pathDecisions = 0, dvcDecisions = 0
        for tag in tags {
            let plan = try Planner.plan(
                PlanRequest(head: .commit(tag), base: .automatic(explicit: tag + "~1")), in: repo)
            let footprint = plan.footprint
            let rows = footprint.rows(plan.changes.map(\.change.pathBytes))
            let participating = plan.changes.indices.filter { plan.changes[$0].participates }
            let dvcReasons = Dictionary((plan.dvcStages ?? []).map { ($0.name, $0.reasons.map(\.type)) }) { a, _ in a }
            for decision in plan.stages {
                let stage = decision.stage
                // A path reason exactly when the `on:` list selects a changed path.
                let selected = participating.filter { footprint.selects(stage, rows, $0) }
                #expect(decision.reasons.contains(where: Self.isPath) == !selected.isEmpty, "\(tag): \(stage.name)")
                if !selected.isEmpty { pathDecisions += 1 }
                for reason in decision.reasons {
                    switch reason {
                    case .path(let path, _, _, _):
                        #expect(selected.contains { plan.changes[$0].path == path }, "\(tag): \(stage.name): \(path)")
                    case .params(let file, _, _, _):
                        #expect(
                            participating.contains {
                                plan.changes[$0].path == file && footprint.triggers(stage, rows, $0)
                            },
                            "\(tag): \(stage.name): params file \(file) does not trigger it")
                    case .dvc(let name):
                        // A DVC stage invalidated because a dep changed: that change triggers the carrier.
                        let because = dvcReasons.filter { StageFootprint.carries(.stages([name]), $0.key) }.flatMap(
                            \.value)
                        if because.contains("dep") {
                            dvcDecisions += 1
                            #expect(
                                participating.contains { footprint.triggers(stage, rows, $0) },
                                "\(tag): \(stage.name): no changed dep of \(name) triggers it")
                        }
                    default: break
                    }
                }
            }
            // `unwatched` lists exactly the changed paths that trigger no stage (mlci.yml, whose
            // changes are definition changes, and pointers whose data triggers one aside).
            func triggersSome(_ i: Int) -> Bool { plan.stages.contains { footprint.triggers($0.stage, rows, i) } }
            for i in participating {
                let path = plan.changes[i].path
                let watchedPointer = participating.contains { plan.changes[$0].via == path && triggersSome($0) }
                let expectUnwatched = !triggersSome(i) && path != MLCIConfig.fileName && !watchedPointer
                #expect(plan.unwatched.contains(path) == expectUnwatched, "\(tag): \(path)")
            }
        }
        #expect(pathDecisions > 0)
        if fixture == "dvc-project" { #expect(dvcDecisions > 0) }
    }

    static func config(_ yaml: String) throws -> MLCIConfig { try ConfigLoader().load(text: yaml).0 }

    static func paths(
        _ footprint: StageFootprint, _ stage: Stage, _ candidates: [String],
        _ test: (StageFootprint, Stage, StageFootprint.Rows, Int) -> Bool
    ) -> [String] {
        let rows = footprint.rows(candidates.map { Array($0.utf8) })
        return candidates.indices.filter { test(footprint, stage, rows, $0) }.map { candidates[$0] }
    }

    @Test("inputs: are an ordered list (last match wins, ! takes back an earlier input) read on top of on:")
    func inputsList() throws {
        let config = try Self.config(
            """
            version: 1
            kinds: {code: ["src/**"]}
            stages:
              lint: {run: "true", on: [code], inputs: ["conf/**", "!conf/local/**", "conf/local/keep.yml"], params: {params.yaml: [a]}}
            """)
        let stage = try #require(config.stage(named: "lint"))
        let footprint = StageFootprint(config: config, dvcStages: nil)
        let candidates = [
            "src/a.py", "conf/x", "conf/local/secret.yml", "conf/local/keep.yml", "params.yaml", "docs/r.md",
        ]
        #expect(Self.paths(footprint, stage, candidates) { $0.selects($1, $2, $3) } == ["src/a.py"])
        #expect(Self.paths(footprint, stage, candidates) { $0.triggers($1, $2, $3) } == ["src/a.py", "params.yaml"])
        #expect(
            Self.paths(footprint, stage, candidates) { $0.reads($1, $2, $3) }
                == ["src/a.py", "conf/x", "conf/local/keep.yml", "params.yaml"])
    }

    @Test(
        "a dvc: stage is triggered by its DVC stages' dvc.yaml, dvc.lock, deps (files, directories, .dvc pointers) and params, and reads their outs"
    )
    func dvcPaths() throws {
        let config = try Self.config(
            """
            version: 1
            stages:
              everything: {run: "dvc repro", dvc: true}
              training: {run: "dvc repro nested/dvc.yaml:train", dvc: ["nested/dvc.yaml:train"]}
              other: {run: "true", on: ["docs/**"]}
            """)
        let pipeline = """
            stages:
              prepare:
                cmd: python src/prepare.py
                deps: [src/prepare.py, data/raw]
                outs: [data/prepared]
              train:
                foreach: [small, large]
                do:
                  cmd: python src/train.py ${item}
                  deps: [src/train.py, data/prepared]
                  params: [train.lr]
                  outs:
                    - models/${item}.pkl
            """
        var budget = DVCPipelineReader.maxStages
        let dvc = try DVCPipelineReader.stages(file: "nested/dvc.yaml", bytes: Array(pipeline.utf8), budget: &budget) {
            _ in nil
        }
        // DVC's addresses for stages of a nested dvc.yaml.
        #expect(
            dvc.map(\.name) == [
                "nested/dvc.yaml:prepare", "nested/dvc.yaml:train@small", "nested/dvc.yaml:train@large",
            ])
        let footprint = StageFootprint(config: config, dvcStages: dvc)
        let candidates = [
            "nested/dvc.yaml", "nested/dvc.lock", "nested/src/train.py", "nested/src/prepare.py", "nested/data/raw.dvc",
            "nested/data/raw/part-1.csv", "nested/data.dvc", "nested/params.yaml", "nested/models/small.pkl",
            "nested/data/prepared/x.csv", "nested/data/rawer.csv", "src/train.py", "docs/r.md",
        ]
        let training = try #require(config.stage(named: "training"))
        #expect(
            Self.paths(footprint, training, candidates) { $0.triggers($1, $2, $3) } == [
                "nested/dvc.yaml", "nested/dvc.lock", "nested/src/train.py", "nested/data.dvc", "nested/params.yaml",
                "nested/data/prepared/x.csv",
            ])
        #expect(
            Self.paths(footprint, training, candidates) { $0.reads($1, $2, $3) } == [
                "nested/dvc.yaml", "nested/dvc.lock", "nested/src/train.py", "nested/data.dvc", "nested/params.yaml",
                "nested/models/small.pkl", "nested/data/prepared/x.csv",
            ])
        let everything = try #require(config.stage(named: "everything"))
        #expect(
            Self.paths(footprint, everything, candidates) { $0.triggers($1, $2, $3) } == [
                "nested/dvc.yaml", "nested/dvc.lock", "nested/src/train.py", "nested/src/prepare.py",
                "nested/data/raw.dvc",
                "nested/data/raw/part-1.csv", "nested/data.dvc", "nested/params.yaml", "nested/data/prepared/x.csv",
            ])
        let other = try #require(config.stage(named: "other"))
        #expect(Self.paths(footprint, other, candidates) { $0.reads($1, $2, $3) } == ["docs/r.md"])
    }
}
