import Foundation
import MLCIGit
import Yams

/// Reads `.dvc` pointers, `dvc.lock` files, Git LFS pointers and notebooks on both sides of a change.
struct MLFiles {
    let repo: Repository
    let base: Snapshot
    let head: Snapshot
    let lfsPatterns: [PathPattern]
    let notebookOutputsCount: Bool
    private(set) var warnings: [Diagnostic] = []

    /// `head` is read for the top-level `.gitattributes`, both sides for the `dvc.yaml` beside a
    /// changed `dvc.lock`; the changes themselves are read by blob id.
    init(repo: Repository, base: Snapshot, head: Snapshot, notebookOutputsCount: Bool) throws {
        self.repo = repo
        self.base = base
        self.head = head
        self.notebookOutputsCount = notebookOutputsCount
        lfsPatterns = Self.lfsPatterns(try head.read(".gitattributes", in: repo))
    }

    /// `filter=lfs` patterns of the top-level `.gitattributes`.
    static func lfsPatterns(_ bytes: [UInt8]?) -> [PathPattern] {
        guard let bytes else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first, !first.hasPrefix("#"), fields.dropFirst().contains("filter=lfs") else {
                return nil
            }
            return PathPattern(String(first))
        }
    }

    /// Each change as the planner sees it: a `.dvc` pointer whose hashes changed stands for
    /// its data paths; a pointer, LFS or notebook change that changes no content triggers
    /// nothing; an LFS change carries its object ids. `mayMatter` says whether any stage could
    /// react to a path; a notebook or LFS file no stage watches is not read at all (its
    /// classification could change nothing).
    mutating func examine(_ changes: [ChangedFile], mayMatter: (ChangedFile) -> Bool) -> [PlannedChange] {
        var entries: [PlannedChange] = []
        entries.reserveCapacity(changes.count)
        for change in changes {
            let bytes = change.pathBytes
            if Self.hasSuffix(bytes, ".dvc") {
                entries += dvcPointer(change, change.path)
            } else if bytes.elementsEqual("dvc.lock".utf8) || Self.hasSuffix(bytes, "/dvc.lock") {
                entries += dvcLock(change, change.path)
            } else if Self.hasSuffix(bytes, ".ipynb") {
                entries.append(mayMatter(change) ? notebook(change, change.path) : PlannedChange(change: change))
            } else if !lfsPatterns.isEmpty, lfsPatterns.contains(where: { $0.matches(SplitPath(bytes)) }) {
                entries.append(mayMatter(change) ? lfs(change, change.path) : PlannedChange(change: change))
            } else {
                entries.append(PlannedChange(change: change))
            }
        }
        return entries
    }

    private static func hasSuffix(_ bytes: [UInt8], _ suffix: StaticString) -> Bool {
        let tail = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
        return bytes.count >= tail.count && bytes.suffix(tail.count).elementsEqual(tail)
    }

    /// The old or new content of a change, by the blob id the comparison already found (no
    /// second lookup by path); nil for the side where the file does not exist.
    /// A blob that cannot be read (or is over `readLimit`) throws: the caller then treats the
    /// change as a plain file change, never as "nothing changed".
    private func old(_ change: ChangedFile) throws -> [UInt8]? {
        try change.oldID.map { try repo.blobContents($0, limit: Self.readLimit) }
    }
    private func new(_ change: ChangedFile) throws -> [UInt8]? {
        try change.newID.map { try repo.blobContents($0, limit: Self.readLimit) }
    }

    /// The most mlci reads of a notebook, pointer or lock file it examines (notebooks with
    /// embedded images can be tens of MiB).
    static let readLimit = 64 << 20

    private mutating func warn(_ message: String) {
        warnings.append(Diagnostic(.warning, message, at: nil))
    }

    // MARK: DVC outs: .dvc pointers and dvc.lock

    /// An out recorded by a `.dvc` pointer or a `dvc.lock`: its hash, and the locked stage.
    struct RecordedOut {
        let hash: String
        var stage: String? = nil
    }

    /// The outs whose recorded hash differs between the two sides of a change to a `.dvc`
    /// pointer or a `dvc.lock`, each as a changed path via that file; throws when either side
    /// cannot be read.
    private func changedOuts(
        _ change: ChangedFile, _ path: String, type: String, fileKey: String,
        read: (_ bytes: [UInt8], _ side: Snapshot) throws -> [String: RecordedOut]
    ) throws -> [PlannedChange] {
        let old = try self.old(change).map { try read($0, base) } ?? [:]
        let new = try self.new(change).map { try read($0, head) } ?? [:]
        return Set(old.keys).union(new.keys).sorted().filter { old[$0]?.hash != new[$0]?.hash }.map { out in
            let status: ChangedFile.Status = old[out] == nil ? .added : (new[out] == nil ? .deleted : .modified)
            var note: [(String, JSONValue)] = [("type", .string(type)), (fileKey, .string(path))]
            if let stage = (new[out] ?? old[out])?.stage { note.append(("stage", .string(stage))) }
            note += [
                ("old_hash", old[out].map { .string($0.hash) } ?? .null),
                ("new_hash", new[out].map { .string($0.hash) } ?? .null),
            ]
            return PlannedChange(
                change: ChangedFile(
                    status: status, pathBytes: Array(out.utf8), oldMode: nil, newMode: nil, oldID: nil, newID: nil),
                via: path, note: .object(note))
        }
    }

    /// The hash DVC recorded for an out: md5, etag or checksum, as written ("0123" stays a string).
    private static func recordedHash(_ out: JSONValue) -> String {
        out.field("md5")?.stringValue ?? out.field("etag")?.stringValue ?? out.field("checksum")?.stringValue ?? ""
    }

    /// A `.dvc` pointer's outs, by path from the repository root.
    private func pointerOuts(_ bytes: [UInt8], pointer: String) throws -> [String: RecordedOut] {
        let values = try DVCFileValues.read(bytes)
        var wdir = (pointer as NSString).deletingLastPathComponent
        if let w = values.field("wdir")?.stringValue { wdir = (wdir as NSString).appendingPathComponent(w) }
        var outs: [String: RecordedOut] = [:]
        for out in values.field("outs")?.elements ?? [] {
            guard let p = out.field("path")?.stringValue else {
                throw PlanError.dvcOutWithoutPath
            }
            outs[DVCPipelineReader.normalize(wdir.isEmpty ? p : wdir + "/" + p)] = RecordedOut(
                hash: Self.recordedHash(out))
        }
        return outs
    }

    /// A pointer whose outs hashes changed stands for its data paths; one edited without
    /// changing any hash triggers nothing.
    private mutating func dvcPointer(_ change: ChangedFile, _ path: String) -> [PlannedChange] {
        let plain = PlannedChange(change: change)
        let virtual: [PlannedChange]
        do {
            virtual = try changedOuts(change, path, type: "dvc-out", fileKey: "pointer") { bytes, _ in
                try pointerOuts(bytes, pointer: path)
            }
        } catch {
            warn("\(path.quotedIfNeeded): cannot read the DVC pointer (\(error)); treating it as a plain file change")
            return [plain]
        }
        if virtual.isEmpty {
            return [
                PlannedChange(
                    change: change, participates: false,
                    note: .object([
                        ("type", .string("dvc-metadata")),
                        ("summary", .string("pointer edited without changing any outs hash; triggers nothing")),
                    ]))
            ]
        }
        return [plain] + virtual
    }

    /// Every locked stage's outs. DVC writes out paths relative to the stage's `wdir`, which
    /// only the `dvc.yaml` beside the lock (on the same side) knows.
    private func lockOuts(_ bytes: [UInt8], lock: String, side: Snapshot) throws -> [String: RecordedOut] {
        let values = try DVCFileValues.read(bytes)
        let dir = (lock as NSString).deletingLastPathComponent
        let wdirs = stageWorkingDirectories(side: side, pipeline: DVCProject.pipelinePath(forLock: lock))
        var outs: [String: RecordedOut] = [:]
        for (name, stage) in values.field("stages")?.entries ?? [] {
            let base = String(name.split(separator: "@", maxSplits: 1).first ?? "")
            let root = [dir, wdirs[base] ?? ""].filter { !$0.isEmpty }.joined(separator: "/")
            for out in stage.field("outs")?.elements ?? [] {
                guard let p = out.field("path")?.stringValue else {
                    throw PlanError.dvcOutWithoutPath
                }
                outs[DVCPipelineReader.normalize(root.isEmpty ? p : root + "/" + p)] = RecordedOut(
                    hash: Self.recordedHash(out), stage: name)
            }
        }
        return outs
    }

    /// Stage name → `wdir` (a `foreach`/`matrix` stage's from its `do` body), from a `dvc.yaml`.
    private func stageWorkingDirectories(side: Snapshot, pipeline: String) -> [String: String] {
        guard let bytes = try? side.read(pipeline, in: repo), let root = try? DVCFileValues.read(bytes) else {
            return [:]
        }
        var wdirs: [String: String] = [:]
        for (name, body) in root.field("stages")?.entries ?? [] {
            if let wdir = body.field("wdir")?.stringValue ?? body.field("do")?.field("wdir")?.stringValue {
                wdirs[name] = wdir
            }
        }
        return wdirs
    }

    /// A `dvc.lock` whose outs hashes changed records new pipeline results — a retrained model,
    /// rebuilt features — that live in DVC's cache, not in git: each such out is a changed path
    /// (`via` the lock), so stages watching `models/**` see a new model. The lock itself stays a
    /// plain change.
    private mutating func dvcLock(_ change: ChangedFile, _ path: String) -> [PlannedChange] {
        do {
            return [PlannedChange(change: change)]
                + (try changedOuts(change, path, type: "dvc-lock-out", fileKey: "lock") { bytes, side in
                    try lockOuts(bytes, lock: path, side: side)
                })
        } catch {
            warn("\(path.quotedIfNeeded): cannot read the DVC lock file (\(error)); treating it as a plain file change")
            return [PlannedChange(change: change)]
        }
    }

    // MARK: Git LFS pointers

    struct LFSPointer: Equatable { let oid: String; let size: Int }

    /// nil when the text is not an LFS pointer at all; throws when it looks like one but is broken.
    static func lfsPointer(_ bytes: [UInt8]) throws -> LFSPointer? {
        guard bytes.count < 1024, let text = String(validating: bytes, as: UTF8.self),
            text.hasPrefix("version https://git-lfs.github.com/spec/v1")
        else { return nil }
        var oid: String?, size: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("oid sha256:") {
                let hex = String(line.dropFirst("oid sha256:".count))
                guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                    throw PlanError.lfsBadOid(hex)
                }
                oid = hex
            } else if line.hasPrefix("size ") {
                size = Int(line.dropFirst(5))
            }
        }
        guard let oid, let size else { throw PlanError.lfsIncomplete }
        return LFSPointer(oid: oid, size: size)
    }

    private mutating func lfs(_ change: ChangedFile, _ path: String) -> PlannedChange {
        let old: LFSPointer?, new: LFSPointer?
        do {
            // A pointer is under 1 KiB: a larger blob is the content itself, not read.
            func pointer(_ id: ObjectID?) throws -> LFSPointer? {
                guard let id, try repo.blobSize(id) < 1024 else { return nil }
                return try Self.lfsPointer(repo.blobContents(id))
            }
            old = try pointer(change.oldID)
            new = try pointer(change.newID)
        } catch {
            warn("\(path.quotedIfNeeded): \(error); treating it as a plain file change")
            return PlannedChange(change: change)
        }
        if old == nil && new == nil { return PlannedChange(change: change) }
        var note: [(String, JSONValue)] = [("type", .string("lfs"))]
        if let old { note += [("old_oid", .string(old.oid)), ("old_size", .int(old.size))] }
        if let new { note += [("new_oid", .string(new.oid)), ("new_size", .int(new.size))] }
        if let old, let new, old.oid == new.oid {
            note.append(("summary", .string("LFS pointer rewritten with the same object; triggers nothing")))
            return PlannedChange(change: change, participates: false, note: .object(note))
        }
        return PlannedChange(change: change, participates: true, note: .object(note))
    }

    // MARK: Notebooks

    /// The cells' types and sources: what a notebook means, without outputs or metadata,
    /// which are checked as JSON but never built (they can be tens of MiB).
    static func cellSources(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [String] {
        guard JSONParser.isUTF8(bytes) else { throw PlanError.notebookNotUTF8 }
        let json = try JSONParser.parse(bytes: bytes, selection: notebookSelection)
        guard case .array(let cells)? = json.lookup("cells") else { throw PlanError.notebookWithoutCells }
        return cells.map { cell in
            let type = cell.lookup("cell_type")?.stringValue ?? ""
            var source = ""
            switch cell.lookup("source") {
            case .string(let s)?: source = s
            case .array(let parts)?: source = parts.compactMap(\.stringValue).joined()
            default: break
            }
            return type + "\u{0}" + source
        }
    }

    private static let notebookSelection = JSONParser.Selection.keys([
        "cells": .keys(["cell_type": .all, "source": .all])
    ])

    /// One side's cell sources, read where libgit2 holds the blob (no copy).
    private func cellSources(_ id: ObjectID?) throws -> [String] {
        guard let id else { return [] }
        return try repo.withBlobContents(id, limit: Self.readLimit) { try Self.cellSources($0) }
    }

    private mutating func notebook(_ change: ChangedFile, _ path: String) -> PlannedChange {
        guard !notebookOutputsCount, change.status == .modified else {
            return PlannedChange(change: change)
        }
        do {
            let old = try cellSources(change.oldID)
            let new = try cellSources(change.newID)
            if old == new {
                return PlannedChange(
                    change: change, participates: false,
                    note: .object([
                        ("type", .string("notebook-outputs")),
                        ("summary", .string("only outputs, execution counts or metadata changed; not a code change")),
                    ]))
            }
            return PlannedChange(
                change: change, participates: true, note: .object([("type", .string("notebook-source"))]))
        } catch {
            warn("\(path.quotedIfNeeded): cannot read the notebook (\(error)); treating it as a plain file change")
            return PlannedChange(change: change)
        }
    }
}
