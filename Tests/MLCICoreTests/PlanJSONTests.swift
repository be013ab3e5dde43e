import MLCIGit
import Testing

@testable import MLCICore

@Suite("plan JSON writer")
struct PlanJSONTests {
    @Test("the streamed writer of plain changes writes exactly what the value serializer writes")
    func plainChanges() {
        let cases: [(String, [String])] = [
            ("src/a.py", []), ("src/b.py", ["code"]), ("data/\"q\"\t.csv", ["data", "code", "model"]),
        ]
        for (path, kinds) in cases {
            let file = ChangedFile(
                status: .modified, pathBytes: Array(path.utf8), oldMode: .blob, newMode: .blob, oldID: nil, newID: nil)
            let change = PlannedChange(change: file, kinds: kinds)
            var streamed: [UInt8] = []
            PlanJSON.writePlainChange(change, to: &streamed)
            var value: [UInt8] = []
            PlanJSON.change(change).write(to: &value, indent: 2)
            #expect(String(decoding: streamed, as: UTF8.self) == String(decoding: value, as: UTF8.self), "\(path)")
        }
    }
}

@Suite("plan JSON of a wide change")
struct WidePlanJSONTests {
    @Test("the pieces written on several threads join into exactly the serialized value")
    func parallelPiecesJoinExactly() throws {
        let config = try ConfigLoader().load(
            text: "version: 1\nkinds: {code: [\"*.py\"]}\nstages: {lint: {run: \"true\", on: [code]}}\n"
        ).0
        var changes: [PlannedChange] = []
        for i in 0..<9_000 {
            let file = ChangedFile(
                status: i % 7 == 0 ? .added : .modified, pathBytes: Array("src/m\(i)/\"f\"\(i).py".utf8),
                oldMode: .blob, newMode: .blob, oldID: nil, newID: nil)
            switch i % 500 {
            case 1: changes.append(PlannedChange(change: file, via: "data.dvc"))
            case 2:
                changes.append(
                    PlannedChange(
                        change: file, participates: false, note: .object([("type", .string("notebook-outputs"))])))
            default: changes.append(PlannedChange(change: file, kinds: i % 2 == 0 ? ["code"] : []))
            }
        }
        #expect(changes.count > ParallelChunks.minimumItems)
        let plan = Plan(
            base: BaseChoice(sha: nil, source: "flag"), baseSide: .empty, headSide: .empty, changes: changes,
            stages: config.stages.map { StageDecision(stage: $0, reasons: []) },
            unwatched: ["x"], warnings: [], config: config,
            footprint: StageFootprint(config: config, dvcStages: nil))
        var pieces = 0
        PlanJSON.write(plan) { _ in pieces += 1 }
        #expect(pieces > 3, "the changes should come in more than one piece")
        let streamed = PlanJSON.bytes(plan)
        let value = PlanJSON.render(plan).bytes()
        #expect(streamed.count == value.count)
        #expect(streamed == value)
    }
}
