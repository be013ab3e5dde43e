import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// File operations confined to one directory tree (the working tree), that never follow a
/// symbolic link: what the cache reads as a stage's outputs and writes back on a hit. A cache
/// record comes from whoever can write the cache, and an output from whatever the stage did, so
/// neither a path nor a link may lead outside the tree or into `.git`.
enum ConfinedFiles {
    struct Refused: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The components of a relative path inside the tree; nil (with the reason) for an empty or
    /// absolute path, a `.`/`..`/empty component, a NUL, or a component naming `.git` (in any
    /// case: macOS file systems fold it).
    static func components(_ path: String) -> Result<[String], Refused> {
        if path.isEmpty { return .failure(Refused("an empty path")) }
        if path.hasPrefix("/") { return .failure(Refused("'\(path)' is an absolute path")) }
        if path.utf8.contains(0) { return .failure(Refused("a path holds a NUL byte")) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            if part.isEmpty || part == "." || part == ".." {
                return .failure(Refused("'\(path)' is not a plain path inside the working tree"))
            }
            if part.lowercased() == ".git" { return .failure(Refused("'\(path)' is inside .git")) }
        }
        return .success(parts)
    }

    /// A declared output as components, with `./`, empty components and a trailing slash
    /// dropped (`out/`, `./out` and `out` are the same output).
    static func declared(_ output: String) -> [String] {
        output.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// The regular files of the output `relative` (the file itself, or every file under the
    /// directory), relative to `root`, sorted. A symbolic link anywhere on the way or inside is
    /// refused — following it would copy a file from outside the tree into the cache — and so
    /// is any other kind of file (a FIFO would block the read).
    static func regularFiles(_ relative: [String], in root: String) throws -> [String] {
        var path = root.hasSuffix("/") ? String(root.dropLast()) : root
        let shown = relative.joined(separator: "/")
        for (n, part) in relative.enumerated() {
            path += "/" + part
            var st = stat()
            guard lstat(path, &st) == 0 else {
                throw RunError.outputNotProduced(shown)
            }
            let kind = st.st_mode & S_IFMT
            if kind == S_IFLNK {
                throw RunError.outputThroughLink(shown, isTheLink: n == relative.count - 1)
            }
            if n < relative.count - 1, kind != S_IFDIR {
                throw RunError.outputNotProduced(shown)
            }
        }
        var files: [String] = []
        try collect(path, shown, into: &files)
        return files.sorted()
    }

    private static func collect(_ path: String, _ relative: String, into files: inout [String]) throws {
        var st = stat()
        guard lstat(path, &st) == 0 else { throw RunError.outputUnreadable(relative) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: files.append(relative)
        case S_IFDIR:
            let entries = try FileManager.default.contentsOfDirectory(atPath: path)
            // A nested repository's `.git` is never an output (nothing may be restored into one).
            for entry in entries where entry.lowercased() != ".git" {
                try collect(path + "/" + entry, relative + "/" + entry, into: &files)
            }
        case S_IFLNK:
            throw RunError.outputIsLink(relative)
        default:
            throw RunError.outputNotRegular(relative)
        }
    }

    /// The bytes of a regular file, opened without following a final symbolic link.
    static func readFile(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw Refused("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            throw Refused("\(path) is not a regular file")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Refused("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { return data }
            data.append(contentsOf: buffer[0..<n])
        }
    }

    /// Writes `data` at `relative` under `root`: each directory on the way is opened without
    /// following links (and created when missing), the file is written under a temporary name
    /// and renamed over the target — a symbolic link there is replaced, never written through.
    static func writeFile(_ data: Data, executable: Bool, to relative: [String], in root: String) throws {
        guard let name = relative.last else { throw Refused("an empty path") }
        var dir = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { throw Refused("cannot open \(root): \(String(cString: strerror(errno)))") }
        defer { close(dir) }
        for part in relative.dropLast() {
            if mkdirat(dir, part, 0o777) != 0, errno != EEXIST {
                throw Refused("cannot create \(part): \(String(cString: strerror(errno)))")
            }
            let next = openat(dir, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                throw Refused(
                    "\(relative.joined(separator: "/")) would be written through \(part), which is not a directory "
                        + "(a symbolic link is never followed)")
            }
            close(dir)
            dir = next
        }
        let temp = ".\(name).mlci-\(getpid())-\(UUID().uuidString.prefix(8))"
        let fd = openat(dir, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, executable ? 0o777 : 0o666)
        guard fd >= 0 else { throw Refused("cannot write \(name): \(String(cString: strerror(errno)))") }
        var ok = true
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    ok = false
                    return
                }
                offset += n
            }
        }
        if executable { fchmod(fd, 0o755) }
        close(fd)
        guard ok, renameat(dir, temp, dir, name) == 0 else {
            let reason = String(cString: strerror(errno))
            unlinkat(dir, temp, 0)
            throw Refused("cannot write \(relative.joined(separator: "/")): \(reason)")
        }
    }
}
