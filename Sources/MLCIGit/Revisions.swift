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

    /// The best common ancestor of two commits, as `git merge-base` prints it; nil when the
    /// histories are unrelated.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
        var out = git_oid()
        var one = a.gitOID, two = b.gitOID
        let code = git_merge_base(&out, pointer, &one, &two)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "computing merge-base of \(a.hex) and \(b.hex)")
        return ObjectID(out)
    }

    /// True when `ancestor` is `descendant` or reachable from it.
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws -> Bool {
        if ancestor == descendant { return true }
        var a = ancestor.gitOID, d = descendant.gitOID
        let code = git_graph_descendant_of(pointer, &d, &a)
        try check(code, "checking ancestry of \(ancestor.hex)")
        return code == 1
    }
}
