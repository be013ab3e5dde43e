import Foundation
import MLCITestSupport
import Testing

/// The JSON plan's contract is `schemas/plan.schema.json`. Every golden plan and plans of every
/// shape (a trigger, the working tree, a forced run, an unreadable dvc.yaml, a removed stage)
/// validate against it with check-jsonschema; a plan with a field the schema does not know
/// does not.
@Suite("JSON plan schema")
struct PlanSchemaTests {
    static var schema: String { FixturePaths.packageRoot + "/schemas/plan.schema.json" }

    static func validate(_ files: [String]) throws -> String? {
        try Validators.problems("check-jsonschema", ["--schemafile", schema] + files)
    }

    @Test("every golden plan validates")
    func goldens() throws {
        let fm = FileManager.default
        var files: [String] = []
        for fixture in try fm.contentsOfDirectory(atPath: FixturePaths.fixtures) {
            let dir = FixturePaths.fixtures + "/\(fixture)/expected"
            for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".json") {
                let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
                if text.contains("\"schema\": 1") { files.append(dir + "/" + name) }
            }
        }
        #expect(files.count >= 30, "\(files.count) golden plans")
        #expect(try Self.validate(files) == nil)
    }

    @Test("plans of every shape validate; a plan with an unknown reason does not")
    func shapes() throws {
        let out = try TemporaryDirectory("plan-schema")
        var files: [String] = []
        func save(_ name: String, _ args: [String], in dir: String, environment: [String: String] = [:]) throws {
            let result = try MLCIRunner.run(["plan", "--format", "json"] + args, in: dir, environment: environment)
            #expect(!result.out.isEmpty, "\(name): \(result.err)")
            try result.out.write(toFile: out.file(name + ".json"), atomically: false, encoding: .utf8)
            files.append(out.file(name + ".json"))
        }
        let mlops = try FixtureRepository.build("generate-mlops")
        try save("trigger", [], in: mlops.path, environment: ["GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "schedule"])
        try save("forced", ["--all"], in: mlops.path)
        try "edit\n".write(toFile: mlops.file("src/app.py"), atomically: false, encoding: .utf8)
        try save("worktree", ["--worktree"], in: mlops.path)
        try save("tag", ["--base", "HEAD~1", "--tag", "model@v1"], in: mlops.path)
        let dvc = try FixtureRepository.build("dvc-project")
        try "stages:\n  broken: [unclosed\n".write(toFile: dvc.file("dvc.yaml"), atomically: false, encoding: .utf8)
        try Shell.git(dvc.path, "commit", "-qam", "break dvc.yaml")
        try save("dvc-unreadable", ["--base", "HEAD~1"], in: dvc.path)
        try "version: 1\nstages:\n  lint: {run: 'true'}\n".write(
            toFile: dvc.file("mlci.yml"), atomically: false, encoding: .utf8)
        try Shell.git(dvc.path, "commit", "-qam", "remove stages")
        try save("removed", ["--base", "HEAD~1"], in: dvc.path)
        #expect(try Self.validate(files) == nil)

        // The schema is strict: a reason type it does not know, or a missing field, fails.
        let trigger = try String(contentsOfFile: out.file("trigger.json"), encoding: .utf8)
        #expect(trigger.contains("\"type\": \"trigger\""))
        try trigger.replacingOccurrences(of: "\"type\": \"trigger\"", with: "\"type\": \"bogus\"").write(
            toFile: out.file("bogus.json"), atomically: false, encoding: .utf8)
        #expect(try Self.validate([out.file("bogus.json")]) != nil)
        try trigger.replacingOccurrences(of: "\"removed_stages\"", with: "\"removed\"").write(
            toFile: out.file("renamed.json"), atomically: false, encoding: .utf8)
        #expect(try Self.validate([out.file("renamed.json")]) != nil)
    }
}
