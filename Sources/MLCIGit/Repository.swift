import CLibgit2

/// An open git repository. Not thread-safe (libgit2 objects must not be shared between
/// threads): read what you need up front and hand the value types on.
public final class Repository {
    let pointer: OpaquePointer
    /// Set once object writes go to memory (see `worktreeTree`).
    var hasInMemoryObjects = false
    /// The commit-graph, once looked for.
    var commitGraphCache: CommitGraphBox?
    var shallowCache: Set<ObjectID>?
    /// The root tree of the commit last read by path. libgit2's object cache is off (it only
    /// slows tree comparison), and DVC's checks read thousands of paths of one commit: each
    /// would re-read the commit and its tree from disk.
    var recentRoot: (commit: ObjectID, tree: TreeHandle)?

    /// Opens the repository containing `path`, searching upward as git does. Linked worktrees
    /// and bare repositories open too.
    public init(discoveringFrom path: String) throws {
        Libgit2.ensureInitialized()
        var repo: OpaquePointer?
        let code = git_repository_open_ext(&repo, path, 0, nil)
        if code == GIT_ENOTFOUND.rawValue {
            throw GitError.notARepository(path: path)
        }
        try check(code, "opening repository at \(path)")
        self.pointer = repo!
    }

    deinit {
        recentRoot = nil  // its tree is freed before the repository it came from
        git_repository_free(pointer)
    }

    /// The top of the working tree, with a trailing slash; nil for a bare repository.
    public var workdir: String? {
        git_repository_workdir(pointer).map { String(cString: $0) }
    }

    /// This worktree's git directory (`.git`, or `.git/worktrees/NAME` for a linked worktree).
    public var gitDir: String { String(cString: git_repository_path(pointer)) }

    /// The directory shared by all worktrees (objects, refs, hooks).
    public var commonDir: String { String(cString: git_repository_commondir(pointer)) }

    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    // MARK: Configuration

    private func configSnapshot() throws -> ConfigHandle {
        var cfg: OpaquePointer?
        try check(git_repository_config_snapshot(&cfg, pointer), "reading git config")
        return ConfigHandle(cfg!)
    }

    /// A boolean from the repository's effective config (system, global, local), or nil if unset.
    public func configBool(_ key: String) throws -> Bool? {
        let cfg = try configSnapshot()
        var value: Int32 = 0
        let code = git_config_get_bool(&value, cfg.pointer, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "reading git config \(key)")
        return value != 0
    }

    /// A string from the repository's effective config, or nil if unset.
    public func configString(_ key: String) throws -> String? {
        let cfg = try configSnapshot()
        var result: String?
        var notFound = false
        let value = try withGitBuf { buf in
            let code = git_config_get_string_buf(&buf, cfg.pointer, key)
            if code == GIT_ENOTFOUND.rawValue { notFound = true; return }
            try check(code, "reading git config \(key)")
        }
        if !notFound { result = value }
        return result
    }

    // MARK: Objects

    func lookupCommit(_ id: ObjectID, what: String) throws -> CommitHandle {
        var oid = id.gitOID
        var commit: OpaquePointer?
        let code = git_commit_lookup(&commit, pointer, &oid)
        if code == GIT_ENOTFOUND.rawValue {
            if isShallow { throw GitError.missingInShallowClone(sha: id.hex, what: what) }
            throw GitError.unknownRevision(id.hex)
        }
        try check(code, "reading commit \(id.hex)")
        return CommitHandle(commit!)
    }

    func lookupTree(_ id: ObjectID) throws -> TreeHandle {
        var oid = id.gitOID
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "reading tree \(id.hex)")
        return TreeHandle(tree!)
    }

    /// The commit `id` as a value: its tree and parents.
    public func commit(_ id: ObjectID) throws -> Commit {
        let handle = try lookupCommit(id, what: "commit")
        return Commit(handle)
    }

    /// The contents of the blob at `path` in commit `id`, or nil when there is no such file.
    public func blob(atPath path: String, inCommit id: ObjectID, limit: Int? = nil) throws -> [UInt8]? {
        let treeHandle: TreeHandle
        if let recent = recentRoot, recent.commit == id {
            treeHandle = recent.tree
        } else {
            let commit = try lookupCommit(id, what: "commit")
            var tree: OpaquePointer?
            try check(git_commit_tree(&tree, commit.pointer), "reading tree of \(id.hex)")
            treeHandle = TreeHandle(tree!)
            recentRoot = (id, treeHandle)
        }
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, treeHandle.pointer, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "looking up \(path) in \(id.hex)")
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        return try blobContents(ObjectID(git_tree_entry_id(entry).pointee), limit: limit)
    }

    /// The contents of the blob at `path` in tree `id`, or nil when there is no such file.
    public func blob(atPath path: String, inTree id: ObjectID, limit: Int? = nil) throws -> [UInt8]? {
        let tree = try lookupTree(id)
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, tree.pointer, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "looking up \(path) in tree \(id.hex)")
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        return try blobContents(ObjectID(git_tree_entry_id(entry).pointee), limit: limit)
    }

    /// The raw contents of a blob; with `limit`, a larger blob throws `GitError.tooLarge`
    /// before it is read (its size comes from the object header).
    public func blobContents(_ id: ObjectID, limit: Int? = nil) throws -> [UInt8] {
        try withBlobContents(id, limit: limit) { Array($0) }
    }

    /// Calls `body` with a blob's bytes where libgit2 holds them, without copying them (a
    /// notebook can be tens of MiB). The bytes are valid only inside `body`.
    public func withBlobContents<T>(
        _ id: ObjectID, limit: Int? = nil, _ body: (UnsafeBufferPointer<UInt8>) throws -> T
    ) throws -> T {
        if let limit {
            let size = try blobSize(id)
            guard size <= limit else { throw GitError.tooLarge(sha: id.hex, size: size, limit: limit) }
        }
        var oid = id.gitOID
        var blob: OpaquePointer?
        try check(git_blob_lookup(&blob, pointer, &oid), "reading blob \(id.hex)")
        let handle = BlobHandle(blob!)
        let count = Int(git_blob_rawsize(handle.pointer))
        return try withExtendedLifetime(handle) {
            guard count > 0, let raw = git_blob_rawcontent(handle.pointer) else {
                return try body(UnsafeBufferPointer(start: nil, count: 0))
            }
            return try body(UnsafeBufferPointer(start: raw.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }

    /// An object's size from its header, without inflating it.
    public func blobSize(_ id: ObjectID) throws -> Int {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "opening the object database")
        defer { git_odb_free(odb) }
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        try check(git_odb_read_header(&size, &type, odb, &oid), "reading the header of \(id.hex)")
        return size
    }
}
