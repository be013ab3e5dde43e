import Foundation

/// Builds the scenario repositories under `Fixtures/<name>/build.sh` in fresh temp dirs.
public enum FixtureRepository {
    /// Runs `Fixtures/<scenario>/build.sh DIR` and returns the temp dir holding the repo.
    public static func build(_ scenario: String) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(scenario)
        try Shell.ok(["bash", FixturePaths.fixtures + "/\(scenario)/build.sh", dir.path])
        return dir
    }

    /// Every scenario that has a build script.
    public static var scenarios: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: FixturePaths.fixtures)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: FixturePaths.fixtures + "/\($0)/build.sh")
        }.sorted()
    }

    /// Copies every repository in libgit2's fixture corpus into `into`, renaming `.gitted` to
    /// `.git` as libgit2's own test suite does, and returns (name, git dir) pairs. Throws when
    /// the corpus is not installed: the test command installs it, and silently testing less
    /// would hide that.
    public static func libgit2Corpus(into dir: TemporaryDirectory) throws -> [(name: String, gitDir: String)] {
        let fm = FileManager.default
        let root = FixturePaths.libgit2Fixtures
        guard fm.fileExists(atPath: root) else {
            throw CorpusMissing(path: root)
        }
        var repos: [(String, String)] = []
        for name in try fm.contentsOfDirectory(atPath: root).sorted() {
            let src = root + "/" + name
            if fm.fileExists(atPath: src + "/.gitted/HEAD") {
                let dst = dir.path + "/" + name
                try fm.createDirectory(atPath: dst, withIntermediateDirectories: true)
                try fm.copyItem(atPath: src + "/.gitted", toPath: dst + "/.git")
                repos.append((name, dst + "/.git"))
            } else if name.hasSuffix(".git"), fm.fileExists(atPath: src + "/HEAD") {
                let dst = dir.path + "/" + name
                try fm.copyItem(atPath: src, toPath: dst)
                repos.append((name, dst))
            }
        }
        return repos
    }

    public struct CorpusMissing: Error, CustomStringConvertible {
        public let path: String
        public var description: String {
            "libgit2's fixture corpus is not at \(path); install Debian's libgit2-fixtures package (the README's test command does)"
        }
    }
}
