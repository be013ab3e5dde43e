import Foundation
import MLCICore
import MLCITestSupport
import Testing

@Suite("path patterns")
struct PathPatternTests {
    static let patterns = [
        "src/**", "*.py", "data/", "data", "/data", "models/**/*.onnx", "**/test_*.py", "docs/*.md", "a?c",
        "[abc]*.txt", "[!a]*.txt", "[a-c]x", "k8s/*/deploy.yaml", "**/notebooks/**", "foo/**/bar", "*.dvc",
        "Dockerfile", "/Dockerfile", "src/*/", "requirements*.txt", "\\*literal", "data/**/", "**",
        "a/**/b/**/c.txt", "*", "src/*.py", "/src", "*/x", "**/Dockerfile", "a/b/", "x*y*z",
    ]
    static let paths = [
        "src/app.py", "src/a/b.py", "src/deep/er/x.py", "src", "foo.py", "tests/test_a.py", "tests/unit/test_b.py",
        "data/raw.csv", "data/sub/x.csv", "data", "x/data/y.csv", "x/data", "data.csv", "mydata/z", "models/m.onnx",
        "models/a/b/m.onnx", "models/m.onnx.dvc", "docs/readme.md", "docs/sub/readme.md", "abc", "a/c", "abbc",
        "a.txt", "b.txt", "bx", "dx", "k8s/prod/deploy.yaml", "k8s/deploy.yaml", "notebooks/e.ipynb",
        "x/notebooks/y/z.ipynb", "foo/bar", "foo/a/b/bar", "foo/bar/baz", "raw.csv.dvc", "data/raw.csv.dvc",
        "Dockerfile", "svc/Dockerfile", "requirements.txt", "requirements-dev.txt", "*literal", "xliteral",
        "a/b/c.txt", "a/x/b/y/c.txt", "a/b", "x", "q/x", "xyz", "xaybzc", "src/x.py/y",
    ]

    @Test("each pattern matches the same paths git's own matcher does (git check-ignore)")
    func matchesGitCheckIgnore() throws {
        let dir = try TemporaryDirectory("patterns")
        try Shell.git(dir.path, "init", "-q")
        var compared = 0
        for source in Self.patterns {
            try (source + "\n").write(toFile: dir.path + "/.gitignore", atomically: false, encoding: .utf8)
            let result = try Shell.run(
                ["git", "-C", dir.path, "check-ignore", "--no-index", "-v", "-n", "--stdin"],
                stdin: Array(Self.paths.joined(separator: "\n").utf8) + [10])
            let gitMatched = Set(
                result.out.split(separator: "\n").compactMap { line -> String? in
                    let parts = line.split(separator: "\t", maxSplits: 1)
                    return parts.count == 2 && parts[0] != "::" ? String(parts[1]) : nil
                })
            let pattern = try #require(PathPattern(source))
            for path in Self.paths {
                #expect(pattern.matches(SplitPath(path)) == gitMatched.contains(path), "pattern \(source) on \(path)")
                compared += 1
            }
            #expect(!gitMatched.isEmpty, "\(source) should match something in the corpus")
        }
        #expect(compared == Self.patterns.count * Self.paths.count)
    }

    @Test("the last matching pattern decides, and ! takes a path back")
    func lastMatchWins() throws {
        let list = PatternList(
            ["src/**", "*.py", "!notebooks/**", "!src/legacy/**", "src/legacy/keep.py"].compactMap(PathPattern.init))
        #expect(list.decidingPattern(SplitPath("src/a.py"))?.source == "*.py")
        #expect(list.decidingPattern(SplitPath("src/a.txt"))?.source == "src/**")
        #expect(list.decidingPattern(SplitPath("notebooks/x.py")) == nil)
        #expect(list.decidingPattern(SplitPath("src/legacy/old.py")) == nil)
        #expect(list.decidingPattern(SplitPath("src/legacy/keep.py"))?.source == "src/legacy/keep.py")
        #expect(list.decidingPattern(SplitPath("README.md")) == nil)
    }

    @Test("patterns that can match nothing are rejected")
    func invalid() {
        #expect(PathPattern("") == nil)
        #expect(PathPattern("!") == nil)
        #expect(PathPattern("/") == nil)
        #expect(PathPattern("!data/")?.negated == true)
    }
}
