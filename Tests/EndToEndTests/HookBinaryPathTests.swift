import Foundation
import MLCITestSupport
import Testing

/// The installed hook records the path of the mlci that installed it. That path is data: an
/// mlci run from a directory whose name is shell syntax must not make the next `git push` run it.
@Suite("hook binary path")
struct HookBinaryPathTests {
    /// Directory names holding shell syntax; each would create the file it names when
    /// expanded, so the files' absence shows nothing ran.
    static let hostileNames = [
        "$(touch pwned-dollar)", "`touch pwned-backquote`", "x\"$(touch pwned-dquote)\"y",
        "it's'$(touch pwned-squote)'",
        "$HOME", "nl\n$(touch pwned-newline)",
    ]
    static let plantedFiles = ["pwned-dollar", "pwned-backquote", "pwned-dquote", "pwned-squote", "pwned-newline"]

    /// Every planted file found anywhere under `dirs`.
    static func planted(in dirs: [String]) -> [String] {
        dirs.flatMap { dir in
            (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).filter {
                plantedFiles.contains(($0 as NSString).lastPathComponent)
            }.map { dir + "/" + $0 }
        }
    }

    @Test(
        "mlci installed from a directory named $(touch x), `x`, with quotes, $HOME or a newline: real pushes run nothing of it, the hook works, its message prints the path as it is"
    )
    func hostileDirectoryNames() throws {
        let c = try HookTests.Clone(install: false)
        for (n, name) in Self.hostileNames.enumerated() {
            let dir = c.dir.file(name)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let copy = dir + "/mlci"
            try FileManager.default.copyItem(atPath: FixturePaths.mlciBinary, toPath: copy)
            try Shell.ok([copy, "hook", "install"], in: c.path, environment: ["CI": ""])
            let status = try c.mlci(["hook", "status"])
            #expect(status.out.contains("installed: yes, mlci's"), "\(name): \(status.out)")

            // The hook runs the copy: a code change runs lint, and the push goes through.
            try c.write("src/app.py", "print(\(n))\n")
            try c.commit("code \(n)")
            let lintRuns = c.ran("lint").count
            let env = ["PATH": "/usr/bin:/bin"]  // no other mlci to fall back on
            let push = try c.push("origin", "main", env: env)
            #expect(push.status == 0, "\(name): \(push.err)")
            #expect(c.ran("lint").count == lintRuns + 1, "\(name): the hook ran lint through the copy: \(push.err)")

            // The copy is gone: the hook's message names the recorded path, which must stay text.
            try FileManager.default.removeItem(atPath: copy)
            try c.write("src/app.py", "print('gone \(n)')\n")
            try c.commit("code, mlci gone \(n)")
            let blocked = try c.push("origin", "main", env: env)
            #expect(blocked.status != 0, "\(name): a missing mlci blocks the push")
            #expect(blocked.err.contains("cannot find mlci (installed from \(copy))"), "\(name): \(blocked.err)")
            #expect(!blocked.err.contains("syntax error"), "\(name): \(blocked.err)")
            #expect(Self.planted(in: [c.dir.path, c.scratch.path]).isEmpty, "\(name) ran as shell")
            #expect(
                !Self.plantedFiles.contains { FileManager.default.fileExists(atPath: NSHomeDirectory() + "/" + $0) })
            try Shell.git(c.path, "reset", "-q", "--hard", "HEAD~1")
            try FileManager.default.removeItem(atPath: dir)
        }
    }
}
