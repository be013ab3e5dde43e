import CLibgit2
import Foundation

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

extension Repository {
    /// The paths that differ between two commits, in the order and with the statuses of
    /// `git diff --name-status --no-renames BASE HEAD`. A nil base means the empty tree
    /// (the base of a root commit).
    public func changes(from base: ObjectID?, to head: ObjectID) throws -> [ChangedFile] {
        try changes(fromTree: try base.map { try commit($0).tree }, toTree: try commit(head).tree)
    }

    /// The paths that differ between two tree objects. The second-level subtrees that differ are
    /// compared on several threads, each with its own repository handle (libgit2 objects must
    /// not be shared between threads), and the results put back in git's order.
    public func changes(fromTree base: ObjectID?, toTree head: ObjectID) throws -> [ChangedFile] {
        try changes(fromTree: base, toTree: head, named: nil)
    }

    /// Every file with this name anywhere in a tree (`dvc.yaml` in a DVC project), in git's
    /// order: the whole tree is read, on several threads, but only matching entries are kept.
    public func files(named name: String, inTree tree: ObjectID) throws -> [String] {
        try changes(fromTree: nil, toTree: tree, named: Array(name.utf8)).map(\.path)
    }

    /// With `named`, only changes to files of that name are recorded.
    private func changes(fromTree base: ObjectID?, toTree head: ObjectID, named: [UInt8]?) throws -> [ChangedFile] {
        var walker = TreeComparison(repository: self, named: named)
        // Objects written to memory (the working-tree tree) exist only in this handle.
        walker.deferTopLevelSubtrees = !hasInMemoryObjects && ProcessInfo.processInfo.activeProcessorCount > 1
        try walker.compare(old: try base.map(lookupTree), new: try lookupTree(head))
        guard walker.deferred.count > 1 else {
            if let only = walker.deferred.first {
                var rest = TreeComparison(repository: self, prefix: only.prefix, named: named)
                try rest.compare(old: try only.old.map(lookupTree), new: try only.new.map(lookupTree))
                return Array(walker.changes[..<only.position]) + rest.changes + walker.changes[only.position...]
            }
            return walker.changes
        }
        let results = try compareInParallel(walker.deferred, named: named)
        var out: [ChangedFile] = []
        out.reserveCapacity(walker.changes.count + results.reduce(0) { $0 + $1.count })
        var next = 0
        for (k, item) in walker.deferred.enumerated() {
            out += walker.changes[next..<item.position]
            out += results[k]
            next = item.position
        }
        out += walker.changes[next...]
        return out
    }

    private func compareInParallel(_ items: [TreeComparison.Deferred], named: [UInt8]?) throws -> [[ChangedFile]] {
        let workers = min(items.count, max(2, min(4, ProcessInfo.processInfo.activeProcessorCount)))
        // Each item's changes, or the first error, filled from several threads.
        let results = Locked((changes: [[ChangedFile]](repeating: [], count: items.count), error: Error?.none))
        let path = gitDir
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            do {
                let repo = try Repository(discoveringFrom: path)
                for k in stride(from: worker, to: items.count, by: workers) {
                    var walker = TreeComparison(repository: repo, prefix: items[k].prefix, named: named)
                    try walker.compare(
                        old: try items[k].old.map(repo.lookupTree), new: try items[k].new.map(repo.lookupTree))
                    let changes = walker.changes
                    results.withLock { $0.changes[k] = changes }
                }
            } catch {
                results.withLock { if $0.error == nil { $0.error = error } }
            }
        }
        let collected = results.value
        if let error = collected.error { throw error }
        return collected.changes
    }
}

/// Compares two trees entry by entry and descends only into subtrees whose ids differ, so the
/// cost follows the size of the change, not the size of the repository. libgit2's generic
/// `git_diff_tree_to_tree` does far more work per entry (several times slower on wide trees).
///
/// Entries are merged in git's tree order (`base_name_compare`: a tree sorts as if its name
/// ended in "/"), the same walk git's tree-diff makes, so the output order matches git's.
struct TreeComparison {
    let repository: Repository
    private(set) var changes: [ChangedFile] = []
    private var prefix: [UInt8] = []
    /// When set, only files with exactly this name are recorded (the walk is the same).
    private let named: [UInt8]?

    /// A top-level subtree left for another thread: where its changes go in `changes`.
    struct Deferred: Sendable {
        let position: Int
        let old: ObjectID?
        let new: ObjectID?
        let prefix: [UInt8]
    }

    /// When set, differing subtrees one level below the top (`src/models/`) are recorded in
    /// `deferred` instead of walked: enough pieces to share the work evenly between threads,
    /// even when one top-level directory holds most of the repository.
    var deferTopLevelSubtrees = false
    private(set) var deferred: [Deferred] = []

    init(repository: Repository, prefix: [UInt8] = [], named: [UInt8]? = nil) {
        self.repository = repository
        self.prefix = prefix
        self.named = named
    }

    /// Records a top-level subtree for later, when deferring; false when it must be walked now.
    private mutating func deferred(_ name: UnsafePointer<CChar>, _ length: Int, old: ObjectID?, new: ObjectID?) -> Bool
    {
        guard deferTopLevelSubtrees, prefix.count > 0, prefix.lastIndex(of: 0x2f) == prefix.count - 1,
            prefix.dropLast().firstIndex(of: 0x2f) == nil
        else { return false }
        var path = prefix
        name.withMemoryRebound(to: UInt8.self, capacity: length) {
            path.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
        path.append(0x2f)
        deferred.append(Deferred(position: changes.count, old: old, new: new, prefix: path))
        return true
    }

    private struct Entry {
        let pointer: OpaquePointer
        let name: UnsafePointer<CChar>
        let length: Int
        let rawMode: UInt32
        var isTree: Bool { rawMode & 0o170000 == 0o040000 }
        var mode: FileMode { FileMode(canonicalizing: rawMode) }
        var id: UnsafePointer<git_oid> { git_tree_entry_id(pointer) }

        init(_ pointer: OpaquePointer) {
            self.pointer = pointer
            name = git_tree_entry_name(pointer)
            length = strlen(name)
            rawMode = git_tree_entry_filemode_raw(pointer).rawValue
        }
    }

    private static func entries(_ tree: TreeHandle?) -> [Entry] {
        guard let tree else { return [] }
        let count = git_tree_entrycount(tree.pointer)
        var result = [Entry]()
        result.reserveCapacity(count)
        for i in 0..<count {
            result.append(Entry(git_tree_entry_byindex(tree.pointer, i)))
        }
        return result
    }

    /// git's `base_name_compare`.
    private static func order(_ a: Entry, _ b: Entry) -> Int32 {
        let common = min(a.length, b.length)
        let cmp = memcmp(a.name, b.name, common)
        if cmp != 0 { return cmp }
        let ca: UInt8 = a.length > common ? UInt8(bitPattern: a.name[common]) : (a.isTree ? 0x2f : 0)
        let cb: UInt8 = b.length > common ? UInt8(bitPattern: b.name[common]) : (b.isTree ? 0x2f : 0)
        return Int32(ca) - Int32(cb)
    }

    mutating func compare(old: TreeHandle?, new: TreeHandle?) throws {
        // Keep the handles alive while their entries are in use.
        try withExtendedLifetime((old, new)) {
            let olds = Self.entries(old), news = Self.entries(new)
            var i = 0, j = 0
            while i < olds.count || j < news.count {
                if j == news.count {
                    try removed(olds[i]); i += 1
                } else if i == olds.count {
                    try added(news[j]); j += 1
                } else {
                    let cmp = Self.order(olds[i], news[j])
                    if cmp < 0 {
                        try removed(olds[i]); i += 1
                    } else if cmp > 0 {
                        try added(news[j]); j += 1
                    } else {
                        try both(olds[i], news[j]); i += 1; j += 1
                    }
                }
            }
        }
    }

    private mutating func both(_ a: Entry, _ b: Entry) throws {
        let sameID = git_oid_equal(a.id, b.id) == 1
        if a.isTree {
            // Equal names and base_name_compare equal means both are trees.
            if sameID { return }
            if deferred(a.name, a.length, old: ObjectID(a.id.pointee), new: ObjectID(b.id.pointee)) { return }
            try descend(a.name, a.length) {
                try $0.compare(
                    old: try $0.repository.lookupTree(ObjectID(a.id.pointee)),
                    new: try $0.repository.lookupTree(ObjectID(b.id.pointee)))
            }
            return
        }
        let oldMode = a.mode, newMode = b.mode
        if sameID && oldMode == newMode { return }
        let status: ChangedFile.Status = oldMode.format == newMode.format ? .modified : .typeChanged
        emit(
            status, b.name, b.length, oldMode: oldMode, newMode: newMode,
            oldID: ObjectID(a.id.pointee), newID: ObjectID(b.id.pointee))
    }

    private mutating func added(_ e: Entry) throws {
        if e.isTree {
            if deferred(e.name, e.length, old: nil, new: ObjectID(e.id.pointee)) { return }
            try descend(e.name, e.length) {
                try $0.compare(old: nil, new: try $0.repository.lookupTree(ObjectID(e.id.pointee)))
            }
        } else {
            emit(.added, e.name, e.length, oldMode: nil, newMode: e.mode, oldID: nil, newID: ObjectID(e.id.pointee))
        }
    }

    private mutating func removed(_ e: Entry) throws {
        if e.isTree {
            if deferred(e.name, e.length, old: ObjectID(e.id.pointee), new: nil) { return }
            try descend(e.name, e.length) {
                try $0.compare(old: try $0.repository.lookupTree(ObjectID(e.id.pointee)), new: nil)
            }
        } else {
            emit(.deleted, e.name, e.length, oldMode: e.mode, newMode: nil, oldID: ObjectID(e.id.pointee), newID: nil)
        }
    }

    private mutating func descend(
        _ name: UnsafePointer<CChar>, _ length: Int,
        _ body: (inout TreeComparison) throws -> Void
    ) throws {
        let saved = prefix.count
        name.withMemoryRebound(to: UInt8.self, capacity: length) {
            prefix.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
        prefix.append(0x2f)
        defer { prefix.removeSubrange(saved...) }
        try body(&self)
    }

    private mutating func emit(
        _ status: ChangedFile.Status, _ name: UnsafePointer<CChar>, _ length: Int,
        oldMode: FileMode?, newMode: FileMode?, oldID: ObjectID?, newID: ObjectID?
    ) {
        if let named, named.count != length || memcmp(named, name, length) != 0 { return }
        var path = prefix
        name.withMemoryRebound(to: UInt8.self, capacity: length) {
            path.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
        changes.append(
            ChangedFile(
                status: status, pathBytes: path, oldMode: oldMode, newMode: newMode,
                oldID: oldID, newID: newID))
    }
}

extension Repository {
    /// Every file path (blobs, symlinks and gitlinks) in a commit's tree, in git's order.
    public func trackedPaths(in commit: ObjectID) throws -> [[UInt8]] {
        let tree = try lookupTree(try self.commit(commit).tree)
        var walker = TreeComparison(repository: self)
        try walker.compare(old: nil, new: tree)
        return walker.changes.map(\.pathBytes)
    }
}
