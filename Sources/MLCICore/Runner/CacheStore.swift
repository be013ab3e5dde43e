import Foundation
import MLCIGit

#if canImport(Glibc)
    import Glibc
#endif

/// The cache under `$GIT_DIR/mlci/cache` (or `MLCI_CACHE_DIR`):
///   stages/<stage>/<key>.json   a record per passing key
///   stages/<stage>/last.json    the parts of the last recorded key, for --explain-cache
///   objects/<xx>/<hash>         output files by content
/// Every file is written to a temporary name and renamed into place, under a lock, so
/// concurrent runs never see half a record.
///
/// Whoever can write the cache can offer records, so nothing in one is trusted: a record that
/// does not parse, whose stage or key is not the one looked up, whose parts do not hash to its
/// key, or whose outputs are not plain paths under the stage's declared outputs (no `..`, no
/// absolute path, nothing in `.git`) is a miss with a warning — never a false hit, never a
/// write outside the working tree. Each object is checked against its content hash before it
/// is restored; a mismatch is a miss and the record is dropped. With a signature key
/// (`MLCI_CACHE_SIGNATURE_KEY`) records are signed with HMAC-SHA256, and an unsigned or badly
/// signed record is a miss.
public final class CacheStore: @unchecked Sendable {
    public let root: String
    private let signatureKey: [UInt8]?
    private let lock = NSLock()
    private var rootChecked = false
    public private(set) var warnings: [String] = []
    static let schema = 2
    static let maxLogLines = 20_000
    /// The variable holding the key records are signed with.
    public static let signatureKeyVariable = StageJobEnvironment.cacheSignatureKey

    /// `signatureKey`: sign every record written, and accept only records signed with it.
    public init(root: String, signatureKey: [UInt8]? = nil) {
        self.root = root
        self.signatureKey = signatureKey.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The store for a repository: its location and signature key from the environment.
    public convenience init(commonDir: String, environment: [String: String]) {
        self.init(
            root: Self.location(commonDir: commonDir, environment: environment),
            signatureKey: Self.signatureKey(environment))
    }

    /// The default location for a repository.
    public static func location(commonDir: String, environment: [String: String]) -> String {
        if let dir = environment[StageJobEnvironment.cacheDirectory], !dir.isEmpty { return dir }
        return (commonDir as NSString).appendingPathComponent("mlci/cache")
    }

    /// `MLCI_CACHE_SIGNATURE_KEY`'s bytes, when set and not empty.
    public static func signatureKey(_ environment: [String: String]) -> [UInt8]? {
        guard let key = environment[signatureKeyVariable], !key.isEmpty else { return nil }
        return Array(key.utf8)
    }

    private func stageDir(_ stage: String) -> String {
        // Stage names may hold any character; the directory name is their hex spelling.
        root + "/stages/" + stage.utf8.map { String(format: "%02x", $0) }.joined()
    }

    private func warn(_ message: String) {
        lock.lock(); warnings.append(message); lock.unlock()
    }

    /// The signature of a record's body (the record without its `signature` field).
    private static func signature(_ body: JSONValue, key: [UInt8]) -> String {
        "hmac-sha256:" + SHA256.hex(SHA256.hmac(key: key, message: Array("mlci cache record\n".utf8) + body.bytes()))
    }

    /// The passing record of `stage` under `key`, when one exists and can be trusted (see the
    /// type's comment). `outputs`: the stage's declared outputs; a record may restore files
    /// only under them.
    public func lookup(stage: String, key: String, outputs declared: [String]) -> CacheRecord? {
        checkRootOnce()
        let path = stageDir(stage) + "/\(key).json"
        guard let data = try? ConfinedFiles.readFile(path) else { return nil }
        guard let json = try? ParamsFile.parse([UInt8](data), format: .json), case .object(var fields) = json else {
            warn("ignoring a corrupt or foreign cache entry \(path): it is not a JSON object")
            return nil
        }
        let signed = fields.last.flatMap { $0.0 == "signature" ? $0.1 : nil }
        if signed != nil { fields.removeLast() }
        let body = JSONValue.object(fields)
        guard case .int(let schema)? = body.lookup("schema"), schema == Self.schema else {
            // A record of another mlci version is not an error: the stage runs and replaces it.
            return nil
        }
        if let signatureKey {
            guard case .string(let given)? = signed,
                SHA256.constantTimeEqual(
                    Array(given.utf8), Array(Self.signature(body, key: signatureKey).utf8))
            else {
                warn(
                    "ignoring cache entry \(path): it is \(signed == nil ? "not signed" : "not signed with this key") "
                        + "(\(Self.signatureKeyVariable) is set)")
                return nil
            }
        }
        guard case .string(let recordKey)? = body.lookup("key"), recordKey == key,
            case .string(let recordStage)? = body.lookup("stage"), recordStage == stage,
            let parts = body.lookup("parts").flatMap(CacheKeyParts.init(json:)), parts.key == key,
            case .array(let logLines)? = body.lookup("log"),
            case .array(let outputs)? = body.lookup("outputs")
        else {
            warn("ignoring a corrupt or foreign cache entry \(path): its stage, key or parts do not match")
            return nil
        }
        var duration = 0.0
        switch body.lookup("duration") {
        case .double(let d)? where d.isFinite && d >= 0: duration = d
        case .int(let i)? where i >= 0: duration = Double(i)
        default: break
        }
        let allowed = declared.map(ConfinedFiles.declared)
        var restored: [(String, String, Bool)] = []
        for output in outputs {
            guard case .string(let p)? = output.lookup("path"), case .string(let h)? = output.lookup("hash"),
                h.count == 40, h.allSatisfy(\.isHexDigit)
            else {
                warn("ignoring a corrupt cache entry \(path)"); return nil
            }
            let parts: [String]
            switch ConfinedFiles.components(p) {
            case .success(let c): parts = c
            case .failure(let why):
                warn("ignoring cache entry \(path): output \(why); a record may only restore files in the working tree")
                return nil
            }
            guard allowed.contains(where: { !$0.isEmpty && parts.starts(with: $0) }) else {
                warn("ignoring cache entry \(path): output '\(p)' is not under the stage's declared outputs")
                return nil
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

    /// Records a passing run: copies the outputs into the object store, then the (signed) record.
    /// An output that is a symbolic link, or reached through one, is refused: the cache never
    /// follows a link.
    public func store(
        stage: String, parts: CacheKeyParts, duration: Double, log: [String],
        outputs: [String], workdir: String
    ) throws {
        checkRootOnce()
        try withLock {
            var stored: [JSONValue] = []
            for output in outputs {
                let relative = ConfinedFiles.declared(output)
                if case .failure(let why) = ConfinedFiles.components(relative.joined(separator: "/")) {
                    throw RunError.outputNotCacheable(output: output, reason: "\(why)")
                }
                for file in try ConfinedFiles.regularFiles(relative, in: workdir) {
                    let data = try ConfinedFiles.readFile(workdir + file)
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
            var fields: [(String, JSONValue)] = [
                ("schema", .int(Self.schema)),
                ("stage", .string(stage)),
                ("key", .string(parts.key)),
                ("duration", .double(duration)),
                ("log", .array(keptLog.map(JSONValue.string))),
                ("outputs", .array(stored)),
                ("parts", parts.json),
            ]
            if let signatureKey {
                fields.append(("signature", .string(Self.signature(.object(fields), key: signatureKey))))
            }
            try atomicWrite(Data(JSONValue.object(fields).bytes()), to: stageDir(stage) + "/\(parts.key).json")
            try atomicWrite(Data(parts.json.bytes()), to: stageDir(stage) + "/last.json")
        }
    }

    /// Puts a hit's outputs back into the working tree, each checked against its content hash
    /// first and written without following any link. False (with a warning) when the record
    /// cannot be restored: the caller runs the stage instead. A damaged object drops the record.
    public func restore(_ record: CacheRecord, workdir: String) -> Bool {
        let recordPath = stageDir(record.stage) + "/\(record.key).json"
        for output in record.outputs {
            guard case .success(let parts) = ConfinedFiles.components(output.path) else { return false }
            guard let data = try? ConfinedFiles.readFile(objectPath(output.hash)),
                ObjectID.hashing([UInt8](data)).hex == output.hash
            else {
                warn(
                    "ignoring cache entry \(recordPath): the stored content of \(output.path) does not match its "
                        + "hash (damaged or tampered with); the entry is dropped and the stage runs")
                try? withLock {
                    unlink(recordPath)
                    unlink(objectPath(output.hash))
                }
                return false
            }
            do {
                try ConfinedFiles.writeFile(data, executable: output.executable, to: parts, in: workdir)
            } catch {
                warn("cannot restore \(output.path) from the cache (\(error)); the stage runs instead")
                return false
            }
        }
        return true
    }

    private func objectPath(_ hash: String) -> String {
        root + "/objects/" + hash.prefix(2) + "/" + hash.dropFirst(2)
    }

    /// Writes a file of the cache without following any link under the root: a directory or
    /// name planted as a symbolic link (by whoever else can write the cache) is never written
    /// through (`ConfinedFiles.writeFile`: `openat` with `O_NOFOLLOW`, temporary name, rename).
    private func atomicWrite(_ data: Data, to path: String) throws {
        let relative = path.dropFirst(root.count).split(separator: "/").map(String.init)
        do {
            try ConfinedFiles.writeFile(data, executable: false, to: relative, in: root)
        } catch {
            throw RunError.cannotWrite(path: path, reason: "\(error)")
        }
    }

    /// Warns once when the cache directory can be written by someone else — owned by another
    /// user, or writable by everyone: they can offer records (each is still checked, and is a
    /// miss unless signed when a key is set) and plant links (never followed).
    private func checkRootOnce() {
        lock.lock()
        defer { lock.unlock() }
        guard !rootChecked else { return }
        rootChecked = true
        var st = stat()
        guard stat(root, &st) == 0 else { return }
        if st.st_uid != geteuid() {
            warnings.append(
                "the cache directory \(root) belongs to another user (uid \(st.st_uid)): whoever owns it can offer "
                    + "records; set \(Self.signatureKeyVariable) or use a cache directory of your own")
        } else if st.st_mode & S_IWOTH != 0 {
            warnings.append(
                "the cache directory \(root) is writable by every user: anyone can offer records; set "
                    + "\(Self.signatureKeyVariable) or make it writable only by you (chmod o-w)")
        }
    }

    /// An exclusive lock across processes (flock on `<cache>/lock`) and threads.
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // A planted `lock` link must not make mlci create or truncate a file elsewhere.
        let fd = open(root + "/lock", O_CREAT | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else {
            let why =
                errno == ELOOP ? "it is a symbolic link, which is never followed" : String(cString: strerror(errno))
            throw RunError.cannotLockCache(path: root + "/lock", reason: why)
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw RunError.cannotLockCache(path: root, reason: nil) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
