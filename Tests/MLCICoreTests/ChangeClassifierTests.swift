import MLCIGit
import Testing

@testable import MLCICore

/// The classifier matches every path against one merged table of bits, on several threads;
/// these tests hold it to the plain definition: each kind's pattern list decided on its own
/// (last match wins), each stage's `on` list read from the end.
@Suite("change classification")
struct ChangeClassifierTests {
    /// Kinds and stages that reuse patterns across lists, negate, and use every pattern shape;
    /// `extra` adds distinct patterns so a row spans several 64-bit words.
    static func config(extra: Int) throws -> MLCIConfig {
        let generated = (0..<extra).map { "\"gen\($0)/**\"" }.joined(separator: ", ")
        let text = """
            version: 1
            kinds:
              code: ["src/**", "tests/**", "*.py", "!notebooks/**", "!src/**/fixtures/**"]
              data: ["data/", "*.dvc", "!data/**/README.md", "**/raw/**"]
              model: ["models/**/*.onnx", "*.pt", "[abc]*.txt"]
              docs: ["docs/*.md", "*.md", "!CHANGELOG.md", "a?c"]
              deploy: ["k8s/*/deploy.yaml", "Dockerfile", "/helm/", "src/*/"]
              generated: [\(extra == 0 ? "\"gen/**\"" : generated)]
            stages:
              lint: {run: "true", on: [code, "*.cfg", "!src/vendor/**"]}
              test: {run: "true", on: ["tests/**", code, "!*.md"]}
              train: {run: "true", on: [data, "src/train/**", "!data/tmp/**", data]}
              docs: {run: "true", on: ["!docs/**", docs]}
              deploy: {run: "true", on: [model, deploy, "gen3/**", "!gen3/skip/**"]}
              none: {run: "true"}
            """
        return try ConfigLoader(rootNames: ["Dockerfile"]).load(text: text).0
    }

    static let paths: [String] =
        PathPatternTests.paths + [
            "src/a/fixtures/x.py", "src/vendor/lib.py", "notebooks/n.py", "data/README.md", "data/x/README.md",
            "x/raw/y.csv", "data/tmp/t.csv", "CHANGELOG.md", "README.md", "docs/CHANGELOG.md", "helm/values.yaml",
            "sub/helm/x", "src/train/t.py", "src/api/handler.go", "setup.cfg", "gen3/a", "gen3/skip/b", "gen/x",
            "models/x.pt", "btest.txt", "tests/test_docs.md", "", "a//b.py",
        ]

    /// The kinds of a path by the plain definition: each kind's list, last match wins.
    static func referenceKinds(_ config: MLCIConfig, _ path: String) -> [String] {
        config.kinds.filter { $0.patterns.decidingPattern(SplitPath(path)) != nil }.map(\.name)
    }

    /// The `on` entry (its index) that selects the path, and the pattern it matched through,
    /// by reading the list from its end.
    static func referenceEntry(_ config: MLCIConfig, _ stage: Stage, _ path: String) -> (Int, String)? {
        for (index, entry) in stage.on.enumerated().reversed() {
            switch entry.target {
            case .kind(let name):
                if let p = config.kinds.first(where: { $0.name == name })?.patterns.decidingPattern(SplitPath(path)) {
                    return (index, p.source)
                }
            case .pattern(let p):
                if p.matches(SplitPath(path)) { return p.negated ? nil : (index, p.source) }
            }
        }
        return nil
    }

    func check(extra: Int, paths: [String]) throws {
        let config = try Self.config(extra: extra)
        let classifier = ChangeClassifier(config: config)
        let changes = paths.map {
            ChangedFile(
                status: .modified, pathBytes: Array($0.utf8), oldMode: .blob, newMode: .blob, oldID: nil, newID: nil)
        }
        let rows = classifier.classify(paths: changes.map(\.pathBytes))
        #expect(rows.count == paths.count)
        let included = Array(paths.indices)
        let names = classifier.kindNames(rows, included: included)
        var expectedKindful = 0
        for (i, path) in paths.enumerated() {
            let kinds = Self.referenceKinds(config, path)
            if !kinds.isEmpty { expectedKindful += 1 }
            #expect(names[i] == kinds, "kinds of \(path)")
        }
        #expect(expectedKindful > paths.count / 4, "the corpus should exercise the kinds")

        for stage in config.stages {
            var matched = [Bool](repeating: false, count: paths.count)
            let reasons = classifier.pathReasons(
                stage, rows, included: included, path: { paths[$0] }, matched: &matched)
            // The reference: per entry, the first path it selects, through which pattern, and how many.
            var first: [Int: (String, String)] = [:], counts: [Int: Int] = [:]
            for (i, path) in paths.enumerated() {
                let entry = Self.referenceEntry(config, stage, path)
                #expect(matched[i] == (entry != nil), "\(stage.name) watches \(path)")
                #expect(classifier.watches(stage, rows, i) == (entry != nil), "\(stage.name) watches \(path) (row)")
                #expect(
                    classifier.watches(stage, classifier.classify(changes[i])) == (entry != nil),
                    "\(stage.name) watches \(path) (alone)")
                guard let (index, pattern) = entry else { continue }
                if first[index] == nil { first[index] = (path, pattern) }
                counts[index, default: 0] += 1
            }
            let expected: [Reason] = first.keys.sorted().map { index in
                let kind: String? = if case .kind(let name) = stage.on[index].target { name } else { nil }
                return .path(path: first[index]!.0, pattern: first[index]!.1, kind: kind, matches: counts[index]!)
            }
            #expect(reasons == expected, "reasons of \(stage.name)")
        }
    }

    @Test("kinds, watched paths and reasons agree with the plain definition")
    func agreesWithDefinition() throws {
        try check(extra: 0, paths: Self.paths)
    }

    @Test("rows over several words and lists split between threads agree too")
    func manyPatternsManyPaths() throws {
        // 150 generated patterns: rows of 3+ words. 6,000 paths: over the threshold for threads.
        var paths: [String] = []
        for i in 0..<6000 {
            let base = Self.paths[i % Self.paths.count]
            paths.append(i % 3 == 0 ? "gen\(i % 160)/\(base)" : base)
        }
        #expect(paths.count > ParallelChunks.minimumItems)
        try check(extra: 150, paths: paths)
    }
}
