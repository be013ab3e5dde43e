import Foundation
import MLCIGit

/// The DVC side of a plan: which DVC stages the change invalidates, and whether `dvc.lock`
/// agrees with `dvc.yaml`, the params files and the tracked files at head — from git alone,
/// with no DVC, no data and no network.
struct DVCAnalysis {
    struct Result {
        let stages: [(name: String, reasons: [DVCReason])]
        let warnings: [Diagnostic]
        /// Paths DVC reads: dvc.yaml and dvc.lock files, deps (files or directories) and params files.
        let watched: Set<String>
        /// DVC files that could not be read (also among `warnings`); `mlci validate` fails on them.
        let unreadable: [Diagnostic]
        /// `dvc.yaml` files at head that cannot be read: every `dvc:` stage runs.
        let unreadableAtHead: [DVCFileError]
        /// Where `dvc.lock` disagrees with the head (reported when a stage carries DVC stages,
        /// and by `mlci validate`).
        let staleLock: [Diagnostic]
        /// The head's DVC stages, for the footprint of `dvc:` stages.
        let headStages: [DVCStage]
    }

    let repo: Repository
    let base: Snapshot
    let head: Snapshot
    /// Each head `dvc.lock`, parsed once for the two checks that read it (a lock can hold tens
    /// of thousands of stages).
    private let locks = ParsedLocks()

    init(repo: Repository, base: Snapshot, head: Snapshot) {
        self.repo = repo
        self.base = base
        self.head = head
    }

    private final class ParsedLocks {
        var parsed: [String: Swift.Result<JSONValue, ParamsError>?] = [:]
    }

    /// The head's lock at `path`, typed as params are (nil: no such file).
    private func headLock(_ path: String) throws -> Swift.Result<JSONValue, ParamsError>? {
        if let known = locks.parsed[path] { return known }
        let result = try head.read(path, in: repo).map { bytes in
            Swift.Result { () throws(ParamsError) -> JSONValue in try ParamsFile.parse(bytes, format: .yaml) }
        }
        locks.parsed[path] = result
        return result
    }

    private var sameCommit: Bool {
        if case .commit(let a) = base, case .commit(let b) = head { return a == b }
        return false
    }

    /// A DVC project has a `.dvc/` directory or a top-level `dvc.yaml` at head.
    private var isDVCProject: Bool {
        (try? head.read("dvc.yaml", in: repo)) != nil || (try? head.read(".dvc/config", in: repo)) != nil
    }

    /// nil when the repository is not a DVC project (no `.dvc/` directory and no top-level dvc.yaml).
    /// `pipelineFiles` lists the head's `dvc.yaml` files (read only in a DVC project).
    func run(changedPaths: () -> Set<String>, pipelineFiles: () throws -> [String]) throws -> Result? {
        guard isDVCProject else { return nil }
        var warnings: [Diagnostic] = []
        var unreadableAtHead: [DVCFileError] = []
        let files = try pipelineFiles().sorted()
        var headStages: [DVCStage] = [], baseStages: [DVCStage] = []
        var headBudget = DVCPipelineReader.maxStages, baseBudget = DVCPipelineReader.maxStages
        for file in files {
            // Reading one commit as both sides (validate) reports each problem once.
            for (side, role) in sameCommit ? [(head, "head")] : [(head, "head"), (base, "base")] {
                guard let bytes = try side.read(file, in: repo) else { continue }
                do {
                    let stages =
                        role == "head"
                        ? try DVCPipelineReader.stages(file: file, bytes: bytes, budget: &headBudget) {
                            try? side.read($0, in: repo)
                        }
                        : try DVCPipelineReader.stages(file: file, bytes: bytes, budget: &baseBudget) {
                            try? side.read($0, in: repo)
                        }
                    if role == "head" { headStages += stages } else { baseStages += stages }
                } catch {
                    let problem = error as? DVCFileError ?? DVCFileError(file: file, line: nil, message: "\(error)")
                    if role == "head" { unreadableAtHead.append(problem) }
                    warnings.append(
                        Diagnostic(
                            .warning,
                            "cannot be read at \(side.describe(role)): \(problem.message); "
                                + (role == "head"
                                    ? "every stage with dvc: runs" : "its stages count as new at head"),
                            at: SourceLocation(file: problem.file, line: problem.line ?? 1, column: 1)))
                }
            }
        }
        var cache: [String: ParamsContent?] = [:]
        let reasons = DVCInvalidation.evaluate(
            base: baseStages, head: headStages, changedPaths: changedPaths(),
            modifiedOuts: try modifiedGitOuts(files: files, stages: headStages)
        ) {
            file, key, atHead in
            let side = atHead ? head : base
            let cacheKey = (atHead ? "h:" : "b:") + file
            if cache[cacheKey] == nil {
                cache[cacheKey] = .some((try? side.read(file, in: repo)).map { ParamsContent.read($0, path: file) })
            }
            return (cache[cacheKey] ?? nil)?.value(key)
        }
        let stale = try staleLock(files: files, stages: headStages)
        var watched = Set(files)
        for file in files {
            watched.insert(DVCProject.lockPath(forPipeline: file))
        }
        for stage in headStages {
            watched.formUnion(stage.deps)
            watched.formUnion(stage.params.map(\.file))
        }
        let unreadable = (warnings + stale).filter {
            $0.message.contains("cannot be read") || $0.message.contains("unknown schema")
        }
        return Result(
            stages: reasons, warnings: warnings, watched: watched, unreadable: unreadable,
            unreadableAtHead: unreadableAtHead, staleLock: stale, headStages: headStages)
    }

    /// The head's DVC stages alone, for plans that compare nothing (`--all`, a CI trigger) but
    /// still need what `dvc:` stages read; unreadable files are left out here (planning with
    /// a comparison reports them). nil when the repository is not a DVC project.
    func headStages(pipelineFiles: () throws -> [String]) throws -> [DVCStage]? {
        guard isDVCProject else { return nil }
        var stages: [DVCStage] = []
        var budget = DVCPipelineReader.maxStages
        for file in try pipelineFiles().sorted() {
            guard let bytes = try head.read(file, in: repo) else { continue }
            stages +=
                (try? DVCPipelineReader.stages(file: file, bytes: bytes, budget: &budget) {
                    try? head.read($0, in: repo)
                }) ?? []
        }
        return stages
    }

    /// Per stage, its outs kept in git (`cache: false`) whose committed content at head is not the
    /// md5 its `dvc.lock` entry records: DVC reports them "modified" and reruns the stage. Only
    /// entries written with `hash: md5` (DVC 3) are compared, as in `staleLock`.
    private func modifiedGitOuts(files: [String], stages: [DVCStage]) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        let byName = Dictionary(stages.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for file in files {
            let lockPath = DVCProject.lockPath(forPipeline: file)
            guard let lock = try? headLock(lockPath)?.get(), lock.lookup("schema")?.display == "2.0",
                case .object(let entries)? = lock.lookup("stages")
            else { continue }
            for (local, entry) in entries {
                let name = DVCProject.address(local, inPipeline: file)
                guard let stage = byName[name], !stage.gitOuts.isEmpty, case .array(let outs)? = entry.lookup("outs")
                else { continue }
                for out in outs {
                    // Lock paths are relative to the stage's wdir, as its outs are written.
                    guard let p = out.lookup("path")?.stringValue, out.lookup("hash")?.stringValue == "md5",
                        let md5 = out.lookup("md5")?.stringValue, !md5.hasSuffix(".dir"),
                        let path = stage.gitOuts.first(where: { $0 == p || $0.hasSuffix("/" + p) }),
                        let blob = try head.read(path, in: repo), MD5.hex(blob) != md5
                    else { continue }
                    result[name, default: []].append(path)
                }
            }
        }
        return result
    }

    /// `dvc.lock` (schema 2.0) against the head: cmd, params values, md5 of git-tracked deps
    /// (entries with `hash: md5` only), and deps against the producing stage's outs.
    private func staleLock(files: [String], stages: [DVCStage]) throws -> [Diagnostic] {
        var out: [Diagnostic] = []
        let byName = Dictionary(stages.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for file in files {
            let dir = (file as NSString).deletingLastPathComponent
            let lockPath = DVCProject.lockPath(forPipeline: file)
            guard let parsed = try headLock(lockPath) else { continue }
            let lock: JSONValue
            do { lock = try parsed.get() } catch {
                out.append(
                    Diagnostic(.warning, "\(lockPath) at \(head.describe("head")) cannot be read: \(error)", at: nil));
                continue
            }
            guard lock.lookup("schema")?.display == "2.0" else {
                out.append(
                    Diagnostic(
                        .warning,
                        "\(lockPath): unknown schema \(lock.lookup("schema")?.display ?? "(none)"); not checked",
                        at: nil));
                continue
            }
            guard case .object(let entries)? = lock.lookup("stages") else { continue }
            var outHashes: [String: String] = [:]
            for (_, entry) in entries {
                if case .array(let outs)? = entry.lookup("outs") {
                    for o in outs {
                        if let p = o.lookup("path")?.stringValue, let h = o.lookup("md5")?.display { outHashes[p] = h }
                    }
                }
            }
            for (local, entry) in entries {
                let name = DVCProject.address(local, inPipeline: file)
                guard let stage = byName[name] else {
                    out.append(Diagnostic(.warning, "\(lockPath): stage \(name) is not in \(file)", at: nil)); continue
                }
                if let cmd = entry.lookup("cmd") {
                    let locked = cmd.stringValue ?? (cmd.arrayStrings?.joined(separator: "\n") ?? "")
                    if locked != stage.cmd {
                        out.append(
                            Diagnostic(
                                .warning, "\(lockPath) is stale: stage \(name): cmd differs from \(file)", at: nil))
                    }
                }
                if case .object(let files)? = entry.lookup("params") {
                    for (paramsFile, values) in files {
                        let full = DVCPipelineReader.normalize(dir + "/" + paramsFile)
                        guard case .object(let pairs) = values, let bytes = try head.read(full, in: repo),
                            let format = ParamsFormat(path: full),
                            let current = try? ParamsFile.parse(bytes, format: format)
                        else { continue }
                        for (key, value) in pairs where !(current.lookup(key).map { $0.sameValue(as: value) } ?? false)
                        {
                            out.append(
                                Diagnostic(
                                    .warning,
                                    "\(lockPath) is stale: stage \(name): param \(paramsFile):\(key) is \(current.lookup(key)?.display ?? "absent"), locked \(value.display)",
                                    at: nil))
                        }
                    }
                }
                if case .array(let deps)? = entry.lookup("deps") {
                    for dep in deps {
                        guard let p = dep.lookup("path")?.stringValue, let md5 = dep.lookup("md5")?.display else {
                            continue
                        }
                        let full = DVCPipelineReader.normalize(dir + "/" + p)
                        if let produced = outHashes[p], produced != md5 {
                            out.append(
                                Diagnostic(
                                    .warning,
                                    "\(lockPath) is stale: stage \(name): dep \(p) is locked at \(md5) but its producing stage records \(produced)",
                                    at: nil))
                        } else if dep.lookup("hash")?.stringValue == "md5", !md5.hasSuffix(".dir"),
                            let blob = try head.read(full, in: repo),
                            MD5.hex(blob) != md5
                        {
                            out.append(
                                Diagnostic(
                                    .warning,
                                    "\(lockPath) is stale: stage \(name): dep \(p) changed since it was locked", at: nil
                                ))
                        }
                    }
                }
            }
        }
        return out
    }
}

extension JSONValue {
    var arrayStrings: [String]? {
        if case .array(let items) = self { return items.compactMap(\.stringValue) }
        return nil
    }
}
