import Foundation

/// Writes generated CI files, or with `check` compares them with what is on disk, and deals
/// with files mlci generated earlier for pipelines that no longer exist. A file that does not
/// carry mlci's generated header (a hand-written `.gitlab-ci.yml` or `Jenkinsfile`) is never
/// replaced without `force` and never removed.
public struct GeneratedFiles {
    /// What happened, for the console: diffs and staleness in check mode go to stdout (they are
    /// the command's answer), notes of files written or removed to stderr.
    public enum Line: Equatable {
        case report(String)
        case note(String)
    }

    public let check: Bool
    /// Replace files mlci did not generate.
    public let force: Bool

    public init(check: Bool, force: Bool = false) {
        self.check = check
        self.force = force
    }

    /// Writes (or checks) `files`; `staleCandidates` are earlier generated files that may
    /// belong to pipelines now gone. Returns false when `check` found a difference.
    public func emit(
        _ files: [(path: String, content: String)], staleCandidates: [String] = [],
        say: (Line) -> Void
    ) throws -> Bool {
        var clean = true
        let contents = files.map { Self.regularFileText($0.path) }
        // Refuse before writing anything, so a refusal leaves every file as it was.
        if !check && !force {
            let foreign = files.indices.filter { contents[$0].map { !GeneratedHeader.isGenerated($0) } ?? false }
            if !foreign.isEmpty {
                throw GenerateError.notGeneratedByMLCI(paths: foreign.map { files[$0].path })
            }
        }
        for ((path, content), current) in zip(files, contents) {
            guard current != content else { continue }
            if check {
                clean = false
                say(
                    .report(
                        UnifiedDiff.diff(
                            old: current ?? "", new: content, oldName: current == nil ? "/dev/null" : path,
                            newName: path)))
                continue
            }
            do { try Self.write(content, to: path) } catch {
                throw GenerateError.cannotWrite(path: path, reason: error.localizedDescription)
            }
            say(.note("wrote \(path)"))
        }
        for path in staleCandidates where !files.contains(where: { $0.path == path }) {
            guard let data = FileManager.default.contents(atPath: path),
                GeneratedHeader.isGenerated(String(decoding: data, as: UTF8.self))
            else { continue }
            if check {
                clean = false
                say(.report("\(path): generated for a pipeline that no longer exists; regenerate to remove it\n"))
            } else {
                do { try FileManager.default.removeItem(atPath: path) } catch {
                    throw GenerateError.cannotRemove(path: path, reason: error.localizedDescription)
                }
                say(.note("removed \(path) (its pipeline is gone)"))
            }
        }
        if check && !clean {
            say(.note("mlci: generated files are out of date; run the command without --check to update them"))
        }
        return clean
    }

    /// The text of the regular file at `path` (through symlinks), or nil: a device such as
    /// `/dev/stdout` or a pipe is only ever written, never read back for comparison.
    static func regularFileText(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Writes `content` at `path` (relative to the current directory when not absolute). A
    /// symlink is written through, never replaced by a regular file; a path that is not a
    /// regular file (`/dev/stdout`, a pipe) is written as it is; a regular file is replaced
    /// atomically, so a reader never sees half a pipeline.
    static func write(_ content: String, to path: String) throws {
        let fm = FileManager.default
        let absolute = path.hasPrefix("/") ? path : fm.currentDirectoryPath + "/" + path
        let target = try finalTarget(absolute)
        var info = stat()
        if stat(target, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            guard let handle = FileHandle(forWritingAtPath: target) else {
                throw GenerateError.cannotOpen(path: target)
            }
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(content.utf8))
            return
        }
        try fm.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(content.utf8).write(to: URL(fileURLWithPath: target), options: .atomic)
    }

    /// Where writing `path` lands: symlinks followed hop by hop, a dangling one included (so a
    /// `Jenkinsfile` linked to a file not yet generated gets that file, and the link stays).
    static func finalTarget(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                return current
            }
            current =
                link.hasPrefix("/")
                ? link
                : ((current as NSString).deletingLastPathComponent as NSString)
                    .appendingPathComponent(link)
        }
        throw GenerateError.tooManyLinks(path: path)
    }

    /// The files of a directory with this suffix: candidates for stale files (only those that
    /// carry mlci's header are ever removed).
    public static func generated(in dir: String, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(suffix) }.map {
            dir + "/" + $0
        }
    }

    /// The `mlci-*.yml` workflows in a directory: candidates for stale files.
    public static func workflows(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasPrefix("mlci-") && $0.hasSuffix(".yml") }.map { dir + "/" + $0 }
    }
}
