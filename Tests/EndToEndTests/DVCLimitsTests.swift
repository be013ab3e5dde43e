import Foundation
import MLCITestSupport
import Testing

/// A dvc.yaml is read on every plan, from the pull request's head: a few hundred bytes must not
/// be able to ask for millions of stages.
@Suite("DVC files cannot exhaust the plan")
struct DVCLimitsTests {
    @Test("a 7-axis matrix (10 million stages) stops at the cap with file:line; plan runs every dvc: stage")
    func matrixBomb() throws {
        let repo = try TemporaryDirectory("dvc-matrix-bomb")
        try Shell.git(repo.path, "init", "-q", "-b", "main")
        let axes = (1...7).map { "        a\($0): [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]" }.joined(separator: "\n")
        let bomb = "stages:\n  s:\n    matrix:\n\(axes)\n    cmd: echo\n"
        #expect(bomb.utf8.count < 400)
        try bomb.write(toFile: repo.file("dvc.yaml"), atomically: false, encoding: .utf8)
        try "version: 1\nstages:\n  train: {run: 'true', dvc: true}\n"
            .write(toFile: repo.file("mlci.yml"), atomically: false, encoding: .utf8)
        try Shell.git(repo.path, "add", "-A")
        try Shell.git(repo.path, "commit", "-qm", "bomb")
        let validate = try MLCIRunner.run(["validate"], in: repo.path)
        #expect(validate.status == 2, "\(validate.err)")
        #expect(
            validate.err.contains("dvc.yaml:4:") && validate.err.contains("past 20000"), "\(validate.err)")
        let plan = try MLCIRunner.run(["plan", "--format", "json"], in: repo.path)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.out.utf8)) as? [String: Any])
        #expect(PlanHelpers.affected(json) == ["train"], "\(plan.err)")
    }
}
