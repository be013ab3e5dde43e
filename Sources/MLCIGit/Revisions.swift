import CLibgit2

extension Repository {
    /// Resolves anything git's rev-parse accepts that libgit2 supports (sha prefixes, branches,
    /// tags, `origin/main`, `HEAD~3`, `v1^{commit}`) and peels it to a commit.
    public func resolveCommit(_ rev: String) throws -> ObjectID {
        var object: OpaquePointer?
        let code = git_revparse_single(&object, pointer, rev)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue || code == GIT_EUNBORNBRANCH.rawValue {
            if git_repository_is_empty(pointer) == 1 { throw GitError.noCommits }
            // A rev that walks into history a shallow clone cut off fails the same way as a
            // typo; only the shallow flag tells them apart, and the fix differs.
            if isShallow { throw GitError.missingInShallowClone(sha: rev, what: "revision") }
            // `HEAD~99` past the root: the start resolves, so fetching would not help.
            if let cut = rev.lastIndex(where: { $0 == "~" || $0 == "^" }), cut != rev.startIndex,
                !rev[cut...].contains("{"), (try? resolveCommit(String(rev[..<cut]))) != nil
            {
                throw GitError.pastRoot(rev)
            }
            throw GitError.unknownRevision(rev)
        }
        try check(code, "resolving revision '\(rev)'")
        let handle = ObjectHandle(object!)
        var peeled: OpaquePointer?
        let peelCode = git_object_peel(&peeled, handle.pointer, GIT_OBJECT_COMMIT)
        if peelCode < 0 { throw GitError.notACommit(rev) }
        let commit = ObjectHandle(peeled!)
        return ObjectID(git_object_id(commit.pointer).pointee)
    }

    /// True when `id` names an object present in this repository (of any type).
    public func contains(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, pointer) == 0, let odb else { return false }
        defer { git_odb_free(odb) }
        var oid = id.gitOID
        return git_odb_exists(odb, &oid) == 1
    }

    /// The best common ancestor of two commits, as `git merge-base` prints it (the first of
    /// `git merge-base --all`); nil when the histories are unrelated. Uses the commit-graph
    /// when there is one (see `MergeBaseWalk`).
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
        try mergeBases(a, b).first
    }

    /// True when `ancestor` is `descendant` or reachable from it: exactly when it is their
    /// merge-base, which the commit-graph makes cheap.
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        return try mergeBases(ancestor, descendant).contains(ancestor)
    }
}

extension Repository {
    /// The commit a full ref name points at (peeled), or nil when there is no such ref.
    public func commitOfRef(_ name: String) -> ObjectID? {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, pointer, name) == 0, let ref else { return nil }
        let handle = ReferenceHandle(ref)
        var object: OpaquePointer?
        guard git_reference_peel(&object, handle.pointer, GIT_OBJECT_COMMIT) == 0, let object else { return nil }
        let peeled = ObjectHandle(object)
        return ObjectID(git_object_id(peeled.pointer).pointee)
    }

    /// Where a symbolic ref points (`refs/remotes/origin/HEAD` → `refs/remotes/origin/main`).
    public func symbolicTarget(of name: String) -> String? {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, pointer, name) == 0, let ref else { return nil }
        let handle = ReferenceHandle(ref)
        return git_reference_symbolic_target(handle.pointer).map { String(cString: $0) }
    }

    /// The names of the entries at the top of a commit's tree.
    public func rootNames(of commit: ObjectID) throws -> Set<String> {
        try rootNames(ofTree: try self.commit(commit).tree)
    }

    /// The names of the entries at the top of a tree.
    public func rootNames(ofTree id: ObjectID) throws -> Set<String> {
        let tree = try lookupTree(id)
        var names = Set<String>()
        for i in 0..<git_tree_entrycount(tree.pointer) {
            names.insert(String(cString: git_tree_entry_name(git_tree_entry_byindex(tree.pointer, i))))
        }
        return names
    }
}
