import CLibgit2

extension Repository {
    /// The paths that differ between commit `base` (nil: the empty tree) and the working tree as
    /// `git add -A` would record it (staged, unstaged and untracked-but-not-ignored files),
    /// listed like `git diff --cached --name-status --no-renames BASE` after that `add`.
    ///
    /// It does exactly that, in memory: the index is loaded, `add -A` is applied to the loaded
    /// copy (libgit2 honours .gitignore, core.fileMode, core.symlinks and clean filters as git
    /// does), the result is written as a tree into an in-memory object store, and that tree is
    /// compared with the base like any commit. Neither the index file, the working tree nor the
    /// object directory is written. (libgit2's own tree-to-workdir diff merges index and
    /// working-tree states differently from git in corner cases, such as a file removed from
    /// the index but still on disk; replaying `add -A` cannot disagree with it.)
    ///
    /// After this call the repository's loaded index holds that in-memory state.
    public func worktreeChanges(from base: ObjectID?) throws -> [ChangedFile] {
        guard workdir != nil else {
            throw GitError.library(
                code: -1, message: "a bare repository has no working tree",
                context: "comparing with the working tree")
        }
        let tree = try worktreeTree()
        var walker = TreeComparison(repository: self)
        try walker.compare(old: try base.map { try lookupTree(try commit($0).tree) }, new: try lookupTree(tree))
        return walker.changes
    }

    /// The id of the tree `git add -A && git write-tree` would produce, computed in memory.
    public func worktreeTree() throws -> ObjectID {
        try installInMemoryObjectWrites()
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "reading the index")
        defer { git_index_free(index) }
        var everything = git_strarray(strings: nil, count: 0)
        try check(
            git_index_add_all(index, &everything, GIT_INDEX_ADD_DEFAULT.rawValue, nil, nil),
            "adding working-tree files")
        try check(git_index_update_all(index, &everything, nil, nil), "updating removed working-tree files")
        var oid = git_oid()
        try check(git_index_write_tree(&oid, index), "building the working-tree tree")
        return ObjectID(oid)
    }

    /// The id of the tree `git write-tree` would produce from the index as it is (what a
    /// commit would record now), computed in memory.
    /// `indexFile` names another index (git hands hooks `GIT_INDEX_FILE`, for instance the
    /// temporary index of `git commit -a`).
    public func indexTree(indexFile: String? = nil) throws -> ObjectID {
        try installInMemoryObjectWrites()
        var index: OpaquePointer?
        if let indexFile {
            try check(git_index_open(&index, indexFile), "reading the index \(indexFile)")
            try check(git_repository_set_index(pointer, index), "using the index \(indexFile)")
        } else {
            try check(git_repository_index(&index, pointer), "reading the index")
        }
        defer { git_index_free(index) }
        try check(git_index_read(index, 1), "reading the index")
        var oid = git_oid()
        try check(git_index_write_tree(&oid, index), "building the index tree (resolve merge conflicts first)")
        return ObjectID(oid)
    }

    /// Routes object writes to an in-memory pack at the highest priority, so building trees
    /// and blobs for the working tree leaves nothing behind in `.git/objects`.
    private func installInMemoryObjectWrites() throws {
        guard !hasInMemoryObjects else { return }
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "opening the object database")
        defer { git_odb_free(odb) }
        var backend: UnsafeMutablePointer<git_odb_backend>?
        try check(git_mempack_new(&backend), "creating an in-memory object store")
        // The object database owns the backend from here on and frees it with itself.
        try check(git_odb_add_backend(odb, backend, 1000), "attaching the in-memory object store")
        hasInMemoryObjects = true
    }
}
