@testable import MLCICore
import MLCIGit
import Testing

@Suite("plan JSON writer")
struct PlanJSONTests {
    @Test("the streamed writer of plain changes writes exactly what the value serializer writes")
    func plainChanges() {
        let cases: [(String, [String])] = [("src/a.py", []), ("src/b.py", ["code"]), ("data/\"q\"\t.csv", ["data", "code", "model"])]
        for (path, kinds) in cases {
            let file = ChangedFile(status: .modified, pathBytes: Array(path.utf8), oldMode: .blob, newMode: .blob, oldID: nil, newID: nil)
            let change = PlannedChange(change: file, path: path, kinds: kinds)
            var streamed: [UInt8] = []
            PlanJSON.writePlainChange(change, to: &streamed)
            var value: [UInt8] = []
            PlanJSON.change(change).write(to: &value, indent: 2)
            #expect(String(decoding: streamed, as: UTF8.self) == String(decoding: value, as: UTF8.self), "\(path)")
        }
    }
}
