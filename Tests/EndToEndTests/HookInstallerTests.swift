import Foundation
import MLCITestSupport
import Testing

/// `mlci hook install` and `uninstall` against hooks that are not mlci's: each refusal exits
/// non-zero and changes nothing, and a user's hook is never replaced or deleted — not even one
/// that contains mlci's marker line, which once made it count as mlci's own.
@Suite("hook installer refusals")
struct HookInstallerTests {
    typealias Clone = HookTests.Clone

    /// Every file in the hooks directory with its bytes (and a link's destination).
    static func snapshot(_ c: Clone) throws -> [String: String] {
        let dir = c.path + "/.git/hooks"
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            let path = dir + "/" + name
            if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                out[name] = "link → " + link
            } else {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                let mode = (attributes[.posixPermissions] as? Int).map { String($0, radix: 8) } ?? "?"
                out[name] = mode + " " + ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>")
            }
        }
        return out
    }

    @Test("a user's hook containing mlci's marker line is kept on install and never removed by uninstall")
    func markerInUserHook() throws {
        let c = try Clone(install: false)
        let hookPath = c.path + "/.git/hooks/pre-push"
        let mine = "#!/bin/sh\n# mlci-hook: pre-push\n# (copied from mlci's hook, then changed)\necho mine\n"
        try mine.write(toFile: hookPath, atomically: false, encoding: .utf8)
        chmod(hookPath, 0o755)
        let uninstall = try c.mlci(["hook", "uninstall"])
        #expect(uninstall.status != 0 && uninstall.err.contains("not mlci's"), "\(uninstall.err)")
        #expect(try String(contentsOfFile: hookPath, encoding: .utf8) == mine)
        #expect(try c.mlci(["hook", "status"]).out.contains("not mlci's"))

        let install = try c.mlci(["hook", "install"])
        #expect(install.status == 0 && install.out.contains("kept as"), "\(install.out)\(install.err)")
        #expect(try String(contentsOfFile: hookPath + ".mlci-prev", encoding: .utf8) == mine)
        #expect(try c.mlci(["hook", "uninstall"]).status == 0)
        #expect(try String(contentsOfFile: hookPath, encoding: .utf8) == mine)

        // mlci's own hook, edited by hand, is the user's now.
        try c.mlci(["hook", "install"]).requireSuccess()
        let prevKept = try String(contentsOfFile: hookPath + ".mlci-prev", encoding: .utf8)
        #expect(prevKept == mine)
        let edited = try String(contentsOfFile: hookPath, encoding: .utf8) + "echo my addition\n"
        try edited.write(toFile: hookPath, atomically: false, encoding: .utf8)
        let refused = try c.mlci(["hook", "uninstall"])
        #expect(refused.status != 0 && refused.err.contains("not mlci's"))
        #expect(try String(contentsOfFile: hookPath, encoding: .utf8) == edited)
    }

    @Test("a hook that is a symbolic link mlci did not create is refused, and nothing changes")
    func symlinkHook() throws {
        let c = try Clone(install: false)
        try c.write("scripts/pre-push", "#!/bin/sh\necho team hook\n")
        try FileManager.default.createSymbolicLink(
            atPath: c.path + "/.git/hooks/pre-push", withDestinationPath: "../../scripts/pre-push")
        let before = try Self.snapshot(c)
        let install = try c.mlci(["hook", "install"])
        #expect(install.status != 0, "\(install.out)")
        #expect(install.err.contains("symbolic link") && install.err.contains("Nothing was changed"), "\(install.err)")
        #expect(try Self.snapshot(c) == before)
        let uninstall = try c.mlci(["hook", "uninstall"])
        #expect(uninstall.status != 0)
        #expect(try Self.snapshot(c) == before)
        #expect(
            try String(contentsOfFile: c.path + "/scripts/pre-push", encoding: .utf8) == "#!/bin/sh\necho team hook\n")
    }

    @Test(
        "a hook mlci cannot read (a directory; mode 0111 for a user who is not its reader) is refused, nothing changes")
    func unreadableHook() throws {
        let dirHook = try Clone(install: false)
        try FileManager.default.createDirectory(
            atPath: dirHook.path + "/.git/hooks/pre-push", withIntermediateDirectories: true)
        let before = try Self.snapshot(dirHook)
        let refused = try dirHook.mlci(["hook", "install"])
        #expect(refused.status != 0 && refused.err.contains("Nothing was changed"), "\(refused.err)")
        #expect(try Self.snapshot(dirHook) == before)

        // Mode 0111: root reads anything, so as root the install runs as an unprivileged user.
        let c = try Clone(install: false)
        let hookPath = c.path + "/.git/hooks/pre-push"
        try "#!/bin/sh\necho secret team hook\n".write(toFile: hookPath, atomically: false, encoding: .utf8)
        var command = [FixturePaths.mlciBinary, "hook", "install"]
        if getuid() == 0 {
            try Shell.ok(["chown", "-R", "65534:65534", c.dir.path, c.scratch.path])
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + command
        }
        chmod(hookPath, 0o111)
        let snapshot = try Self.snapshot(c)
        let install = try Shell.run(
            command, in: c.path,
            environment: ["HOME": c.scratch.path, "GITHUB_ACTIONS": "", "GITLAB_CI": "", "JENKINS_URL": ""])
        #expect(install.status != 0, "\(install.out)")
        #expect(install.err.contains("cannot be read") && install.err.contains("Nothing was changed"), "\(install.err)")
        #expect(try Self.snapshot(c) == snapshot)
    }
}
