import Foundation
import MLCITestSupport
import Testing

/// DVC pointers, Git LFS pointers, notebooks and release tags (Fixtures/ml-files).
@Suite("ML file formats")
struct MLFilesTests {
    static let expected: [String: [String]] = [
        "data-hash": ["train"],
        "dvc-metadata": [],
        "numeric-hash-1": ["train"],
        "numeric-hash-2": ["train"],
        "lfs-new": ["deploy"],
        "lfs-rewrite": [],
        "notebook-outputs": [],
        "notebook-source": ["lint"],
        "notebook-junk": ["lint"],
        "lfs-bad": ["deploy"],
    ]

    @Test("each ML change affects exactly the stages it should")
    func affected() throws {
        let repo = try FixtureRepository.build("ml-files")
        for (name, stages) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let plan = try PlanHelpers.plan(["--base", "m-\(name)~1", "--head", "m-\(name)"], in: repo.path)
            #expect(PlanHelpers.affected(plan) == stages, "\(name)")
        }
    }

    static func changes(_ plan: [String: Any]) -> [String: [String: Any]] {
        Dictionary(
            (plan["changes"] as? [[String: Any]] ?? []).map { ($0["path"] as? String ?? "", $0) },
            uniquingKeysWith: { a, _ in a })
    }

    @Test("a .dvc hash change stands for its data path, matched like a real one; hashes stay strings")
    func dvcPointers() throws {
        let repo = try FixtureRepository.build("ml-files")
        let plan = try PlanHelpers.plan(["--base", "m-data-hash~1", "--head", "m-data-hash"], in: repo.path)
        let data = try #require(Self.changes(plan)["data/data.xml"])
        #expect(data["via"] as? String == "data/data.xml.dvc")
        #expect(data["kinds"] as? [String] == ["data"])
        #expect((data["ml"] as? [String: Any])?["new_hash"] as? String == "2222bbbb2222bbbb2222bbbb2222bbbb")
        let numeric = try PlanHelpers.plan(
            ["--base", "m-numeric-hash-2~1", "--head", "m-numeric-hash-2"], in: repo.path)
        let ml = try #require(Self.changes(numeric)["data/data.xml"]?["ml"] as? [String: Any])
        #expect(ml["old_hash"] as? String == "01234" && ml["new_hash"] as? String == "1234")
        let metadata = try PlanHelpers.plan(["--base", "m-dvc-metadata~1", "--head", "m-dvc-metadata"], in: repo.path)
        let pointer = try #require(Self.changes(metadata)["data/data.xml.dvc"])
        #expect(pointer["triggers"] as? Bool == false)
        #expect((pointer["ml"] as? [String: Any])?["type"] as? String == "dvc-metadata")
        #expect(
            metadata["unwatched"] as? [String] == [],
            "a pointer edit that triggers nothing is not reported as unwatched")
        let text = try MLCIRunner.run(
            ["plan", "--base", "m-dvc-metadata~1", "--head", "m-dvc-metadata"], in: repo.path)
        #expect(text.out.contains("pointer edited without changing any outs hash; triggers nothing"))
    }

    @Test(
        "LFS: a new object is reported with both oids and sizes; a rewrite of the same object triggers nothing; a bad oid is a warning"
    )
    func lfs() throws {
        let repo = try FixtureRepository.build("ml-files")
        let plan = try PlanHelpers.plan(["--base", "m-lfs-new~1", "--head", "m-lfs-new"], in: repo.path)
        let ml = try #require(Self.changes(plan)["models/model.onnx"]?["ml"] as? [String: Any])
        #expect(ml["old_oid"] as? String == "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393")
        #expect(ml["new_size"] as? Int == 120 && ml["old_size"] as? Int == 100)
        let rewrite = try PlanHelpers.plan(["--base", "m-lfs-rewrite~1", "--head", "m-lfs-rewrite"], in: repo.path)
        #expect(Self.changes(rewrite)["models/model.onnx"]?["triggers"] as? Bool == false)
        let bad = try MLCIRunner.run(["plan", "--base", "m-lfs-bad~1", "--head", "m-lfs-bad"], in: repo.path)
        #expect(bad.status == 0 && bad.err.contains("bad LFS oid 'NOTHEX'"))
    }

    @Test(
        "notebooks: outputs-only changes are not code changes (unless notebook_outputs: count); junk is a plain change with a warning"
    )
    func notebooks() throws {
        let repo = try FixtureRepository.build("ml-files")
        let outputs = try PlanHelpers.plan(
            ["--base", "m-notebook-outputs~1", "--head", "m-notebook-outputs"], in: repo.path)
        #expect(
            (Self.changes(outputs)["notebooks/explore.ipynb"]?["ml"] as? [String: Any])?["type"] as? String
                == "notebook-outputs")
        let junk = try MLCIRunner.run(
            ["plan", "--base", "m-notebook-junk~1", "--head", "m-notebook-junk"], in: repo.path)
        #expect(junk.status == 0 && junk.err.contains("cannot read the notebook"))
        var config = try String(contentsOfFile: repo.file("mlci.yml"), encoding: .utf8)
        config += "notebook_outputs: count\n"
        try config.write(toFile: repo.file("counting.yml"), atomically: false, encoding: .utf8)
        let counted = try PlanHelpers.plan(
            ["--config", "counting.yml", "--base", "m-notebook-outputs~1", "--head", "m-notebook-outputs"],
            in: repo.path)
        #expect(PlanHelpers.affected(counted) == ["lint"])
    }

    @Test("a release tag at head runs the stages whose tags: patterns match it (--tag, GITHUB_REF, CI_COMMIT_TAG)")
    func tags() throws {
        let repo = try FixtureRepository.build("ml-files")
        let range = ["--base", "HEAD", "--head", "HEAD"]
        #expect(PlanHelpers.affected(try PlanHelpers.plan(range, in: repo.path)) == [])
        let flag = try PlanHelpers.plan(range + ["--tag", "model@v3"], in: repo.path)
        #expect(PlanHelpers.affected(flag) == ["deploy"])
        #expect(PlanHelpers.reasons(flag, "deploy").first?["pattern"] as? String == "model@v*")
        let github = try PlanHelpers.plan(range, in: repo.path, environment: ["GITHUB_REF": "refs/tags/churn#prod#7"])
        #expect(PlanHelpers.reasons(github, "deploy").first?["tag"] as? String == "churn#prod#7")
        let gitlab = try PlanHelpers.plan(range, in: repo.path, environment: ["CI_COMMIT_TAG": "model@v3"])
        #expect(PlanHelpers.affected(gitlab) == ["deploy"])
        let other = try PlanHelpers.plan(range + ["--tag", "v1.0"], in: repo.path)
        #expect(PlanHelpers.affected(other) == [])
    }
}
