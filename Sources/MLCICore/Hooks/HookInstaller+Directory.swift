import Foundation
import MLCIGit

/// Where hooks live, as git resolves it, and what is at a hook's path before mlci touches it.
extension HookInstaller {
    /// What is at a hook's path.
    enum Existing {
        case absent
        case text(String)
        case symlink(String)
        case unreadable(String)
    }

    /// Reads the hook at `path` without following a link or blocking on a FIFO.
    static func existing(_ path: String) -> Existing {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            return errno == ENOENT ? .absent : .unreadable(String(cString: strerror(errno)))
        }
        if st.st_mode & S_IFMT == S_IFLNK {
            return .symlink((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
        }
        guard st.st_mode & S_IFMT == S_IFREG else { return .unreadable("it is not a regular file") }
        guard let data = try? ConfinedFiles.readFile(path) else {
            return .unreadable("it cannot be read (mode \(String(st.st_mode & 0o7777, radix: 8)))")
        }
        return .text(String(decoding: data, as: UTF8.self))
    }

    /// The hooks directory as git resolves it: `core.hooksPath` (relative to the top of the
    /// working tree), else the hooks directory of the common git dir, shared by linked
    /// worktrees. A configured path outside the repository is refused unless `override` names
    /// the directory to use.
    public func hooksDirectory(override: String?) throws -> String {
        if let override { return Self.absolute(override, relativeTo: FileManager.default.currentDirectoryPath) }
        let top = repo.workdir ?? repo.gitDir
        if let configured = try repo.configString("core.hooksPath"), !configured.isEmpty {
            let expanded = configured.hasPrefix("~/") ? NSHomeDirectory() + configured.dropFirst(1) : configured
            let path = Self.absolute(expanded, relativeTo: top)
            let inside = [top, repo.commonDir].contains { Self.isInside(path, $0) }
            guard inside else {
                throw HookError.hooksPathOutside(configured: configured, path: path)
            }
            return path
        }
        return Self.absolute("hooks", relativeTo: repo.commonDir)
    }

    static func absolute(_ path: String, relativeTo base: String) -> String {
        let full = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
        return URL(fileURLWithPath: full).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func isInside(_ path: String, _ dir: String) -> Bool {
        let d = URL(fileURLWithPath: dir).standardizedFileURL.resolvingSymlinksInPath().path
        return path == d || path.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }

    static func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }
}
