import Foundation
import MLCIGit

/// A temporary detached worktree holding exactly the content a hook must check (a pushed
/// commit, or HEAD plus the staged changes), for when the working tree is not that content.
///
/// It lives in a fresh private directory (`mkdtemp`, mode 0700) that no other user can
/// pre-create or enter: `$TMPDIR/mlci-XXXXXX/worktree`, beside an `owner` file naming the
/// process. Every git command gets an argument array. The worktree is removed by `remove()`,
/// and a later hook prunes mlci worktrees whose owner process is gone (killed with SIGKILL).
public final class ScratchWorktree: @unchecked Sendable {
    /// The private directory, and the worktree inside it (ending in "/").
    public let directory: String
    public let root: String
    private let repoDir: String
    private let environment: [String: String]
    private let lock = NSLock()
    private var removed = false

    static let ownerFile = "owner"
    static let worktreeName = "worktree"

    /// A detached worktree of `commit`; with `tree`, its files and index are then set to that
    /// tree (HEAD plus the staged changes, for the pre-commit hook).
    public init(repo: Repository, commit: ObjectID, tree: String? = nil, environment: [String: String]) throws {
        guard let workdir = repo.workdir else {
            throw RunError.needsWorkingTree(what: "a scratch worktree")
        }
        repoDir = workdir
        self.environment = environment
        directory = try Self.makePrivateDirectory(environment: environment)
        root = directory + "/" + Self.worktreeName + "/"
        // From here on the directory exists: whatever fails, it is removed.
        do {
            try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: directory + "/" + Self.ownerFile))
            let path = directory + "/" + Self.worktreeName
            if let tree {
                try GitCommand.run(
                    ["worktree", "add", "--detach", "--no-checkout", "--quiet", path, commit.hex],
                    in: workdir, environment: environment)
                try GitCommand.run(["read-tree", "--reset", "-u", tree], in: path, environment: environment)
            } else {
                try GitCommand.run(
                    ["worktree", "add", "--detach", "--quiet", path, commit.hex], in: workdir,
                    environment: environment)
            }
        } catch {
            remove()
            throw error
        }
    }

    /// Removes the worktree and its directory; safe to call more than once.
    public func remove() {
        lock.lock()
        let first = !removed
        removed = true
        lock.unlock()
        guard first else { return }
        let path = directory + "/" + Self.worktreeName
        if FileManager.default.fileExists(atPath: path) {
            _ = try? GitCommand.run(
                ["worktree", "remove", "--force", "--force", path], in: repoDir, environment: environment)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { remove() }

    /// `$TMPDIR/mlci-XXXXXX`, created by `mkdtemp` with mode 0700: a name nobody can predict or
    /// pre-create.
    static func makePrivateDirectory(environment: [String: String]) throws -> String {
        var base = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/mlci-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw RunError.cannotCreatePrivateDirectory(base: base, reason: String(cString: strerror(errno)))
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Removes mlci scratch worktrees of this repository whose owner process no longer exists
    /// (left by a hook killed with SIGKILL or a machine that lost power). Returns their paths.
    @discardableResult
    public static func pruneStale(repo: Repository, environment: [String: String]) -> [String] {
        guard let workdir = repo.workdir,
            let listing = try? GitCommand.run(
                ["worktree", "list", "--porcelain", "-z"], in: workdir, environment: environment)
        else { return [] }
        var pruned: [String] = []
        // -z: records end with NUL, so a path holding a newline ($TMPDIR included) stays whole.
        for line in listing.split(separator: "\0") where line.hasPrefix("worktree ") {
            let path = String(line.dropFirst("worktree ".count))
            let parent = (path as NSString).deletingLastPathComponent
            guard (path as NSString).lastPathComponent == worktreeName,
                (parent as NSString).lastPathComponent.hasPrefix("mlci-"),
                let owner = try? String(contentsOfFile: parent + "/" + ownerFile, encoding: .utf8),
                let pid = pid_t(owner.trimmingCharacters(in: .whitespacesAndNewlines)),
                pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            // Only a directory that is ours (owned by this user, private) is removed.
            var info = stat()
            guard lstat(parent, &info) == 0, info.st_uid == getuid(), info.st_mode & 0o077 == 0 else { continue }
            _ = try? GitCommand.run(
                ["worktree", "remove", "--force", "--force", path], in: workdir, environment: environment)
            try? FileManager.default.removeItem(atPath: parent)
            pruned.append(path)
        }
        return pruned
    }
}
