import Foundation
import MLCIGit

#if canImport(Glibc)
    import Glibc
#endif

/// The record of a stage that passed: its key, how long it took, its (masked) log, and the
/// outputs it produced, stored by content hash.
public struct CacheRecord: Sendable {
    public let stage: String
    public let key: String
    public let duration: Double
    public let log: [String]
    public let outputs: [(path: String, hash: String, executable: Bool)]
    public let parts: CacheKeyParts
}

/// The cache under `$GIT_DIR/mlci/cache` (or `MLCI_CACHE_DIR`):
///   stages/<stage>/<key>.json   a record per passing key
///   stages/<stage>/last.json    the parts of the last recorded key, for --explain-cache
///   objects/<xx>/<hash>         output files by content
/// Every file is written to a temporary name and renamed into place, under a lock, so
/// concurrent runs never see half a record. A record that does not parse, or whose key does
/// not match its name, is ignored with a warning: never a false hit.
public final class CacheStore: @unchecked Sendable {
    public let root: String
    private let lock = NSLock()
    public private(set) var warnings: [String] = []
    static let schema = 1
    static let maxLogLines = 20_000

    public init(root: String) {
        self.root = root
    }

    /// The default location for a repository.
    public static func location(commonDir: String, environment: [String: String]) -> String {
        if let dir = environment["MLCI_CACHE_DIR"], !dir.isEmpty { return dir }
        return (commonDir as NSString).appendingPathComponent("mlci/cache")
    }

    private func stageDir(_ stage: String) -> String {
        // Stage names may hold any character; the directory name is their hex spelling.
        root + "/stages/" + stage.utf8.map { String(format: "%02x", $0) }.joined()
    }

    private func warn(_ message: String) {
        lock.lock(); warnings.append(message); lock.unlock()
    }

    public func lookup(stage: String, key: String) -> CacheRecord? {
        let path = stageDir(stage) + "/\(key).json"
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let json = try? ParamsFile.parse([UInt8](data), format: .json),
            case .int(Self.schema)? = json.lookup("schema"),
            case .string(let recordKey)? = json.lookup("key"), recordKey == key,
            case .string(let recordStage)? = json.lookup("stage"), recordStage == stage,
            let parts = json.lookup("parts").flatMap(CacheKeyParts.init(json:)), parts.key == key,
            case .array(let logLines)? = json.lookup("log"),
            case .array(let outputs)? = json.lookup("outputs")
        else {
            warn("ignoring a corrupt or foreign cache entry \(path)")
            return nil
        }
        var duration = 0.0
        switch json.lookup("duration") {
        case .double(let d)?: duration = d
        case .int(let i)?: duration = Double(i)
        default: break
        }
        var restored: [(String, String, Bool)] = []
        for output in outputs {
            guard case .string(let p)? = output.lookup("path"), case .string(let h)? = output.lookup("hash") else {
                warn("ignoring a corrupt cache entry \(path)"); return nil
            }
            guard FileManager.default.fileExists(atPath: objectPath(h)) else {
                warn("ignoring cache entry \(path): output \(p) is missing from the cache"); return nil
            }
            restored.append((p, h, output.lookup("executable") == .bool(true)))
        }
        return CacheRecord(
            stage: stage, key: key, duration: duration,
            log: logLines.compactMap {
                if case .string(let s) = $0 { return s }; return nil
            },
            outputs: restored, parts: parts)
    }

    /// The parts recorded the last time the stage passed, for --explain-cache.
    public func lastParts(stage: String) -> CacheKeyParts? {
        guard let data = FileManager.default.contents(atPath: stageDir(stage) + "/last.json"),
            let json = try? ParamsFile.parse([UInt8](data), format: .json)
        else { return nil }
        return CacheKeyParts(json: json)
    }

    /// Records a passing run: copies the outputs into the object store, then the record.
    public func store(
        stage: String, parts: CacheKeyParts, duration: Double, log: [String],
        outputs: [String], workdir: String
    ) throws {
        try withLock {
            var stored: [JSONValue] = []
            for output in outputs {
                for file in try Self.files(under: workdir + output, relativeTo: workdir) {
                    let data = try Data(contentsOf: URL(fileURLWithPath: workdir + file))
                    let hash = ObjectID.hashing([UInt8](data)).hex
                    if !FileManager.default.fileExists(atPath: objectPath(hash)) {
                        try atomicWrite(data, to: objectPath(hash))
                    }
                    let executable = FileManager.default.isExecutableFile(atPath: workdir + file)
                    stored.append(
                        .object([("path", .string(file)), ("hash", .string(hash)), ("executable", .bool(executable))]))
                }
            }
            let keptLog = log.count > Self.maxLogLines ? Array(log.suffix(Self.maxLogLines)) : log
            let record: JSONValue = .object([
                ("schema", .int(Self.schema)),
                ("stage", .string(stage)),
                ("key", .string(parts.key)),
                ("duration", .double(duration)),
                ("log", .array(keptLog.map(JSONValue.string))),
                ("outputs", .array(stored)),
                ("parts", parts.json),
            ])
            try atomicWrite(Data(record.bytes()), to: stageDir(stage) + "/\(parts.key).json")
            try atomicWrite(Data(parts.json.bytes()), to: stageDir(stage) + "/last.json")
        }
    }

    /// Puts a hit's outputs back into the working tree.
    public func restore(_ record: CacheRecord, workdir: String) throws {
        for output in record.outputs {
            let data = try Data(contentsOf: URL(fileURLWithPath: objectPath(output.hash)))
            let target = workdir + output.path
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: target), options: .atomic)
            if output.executable { chmod(target, 0o755) }
        }
    }

    private func objectPath(_ hash: String) -> String {
        root + "/objects/" + hash.prefix(2) + "/" + hash.dropFirst(2)
    }

    /// The regular files at `path` (itself, or everything under it), relative to `base`.
    static func files(under path: String, relativeTo base: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw RunError(.failure, "declared output \(String(path.dropFirst(base.count))) was not produced")
        }
        if !isDir.boolValue { return [String(path.dropFirst(base.count))] }
        let enumerator = FileManager.default.enumerator(atPath: path)
        var files: [String] = []
        while let entry = enumerator?.nextObject() as? String {
            var entryIsDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + entry, isDirectory: &entryIsDir),
                !entryIsDir.boolValue
            {
                files.append(String((path + "/" + entry).dropFirst(base.count)))
            }
        }
        return files.sorted()
    }

    private func atomicWrite(_ data: Data, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let temp = dir + "/.tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
        try data.write(to: URL(fileURLWithPath: temp))
        guard rename(temp, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temp)
            throw RunError(.failure, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// An exclusive lock across processes (flock on `<cache>/lock`) and threads.
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let fd = open(root + "/lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RunError(.failure, "cannot lock the cache at \(root): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw RunError(.failure, "cannot lock the cache at \(root)") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
