import CLibgit2
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

extension Repository {
    /// The paths that differ between commit `base` (nil: the empty tree) and the working tree as
    /// `git add -A` would record it (staged, unstaged and untracked-but-not-ignored files),
    /// listed like `git diff --cached --name-status --no-renames BASE` after that `add`.
    /// Neither the index nor the working tree is modified.
    public func worktreeChanges(from base: ObjectID?) throws -> [ChangedFile] {
        guard let workdir else {
            throw GitError.library(code: -1, message: "a bare repository has no working tree",
                                   context: "comparing with the working tree")
        }
        let baseTree = try base.map { try lookupTree(try commit($0).tree) }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "initialising diff options")
        options.flags = GIT_DIFF_INCLUDE_UNTRACKED.rawValue
            | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        // `git add -A` records a submodule's checked-out commit, never its dirty contents.
        options.ignore_submodules = GIT_SUBMODULE_IGNORE_DIRTY
        var diff: OpaquePointer?
        try check(git_diff_tree_to_workdir_with_index(&diff, pointer, baseTree?.pointer, &options),
                  "comparing with the working tree")
        let handle = DiffHandle(diff!)

        var result = [ChangedFile]()
        for i in 0..<git_diff_num_deltas(handle.pointer) {
            guard let delta = git_diff_get_delta(handle.pointer, i)?.pointee else { continue }
            let oldFile = delta.old_file, newFile = delta.new_file
            let oldMode = oldFile.mode == 0 ? nil : FileMode(canonicalizing: UInt32(oldFile.mode))
            var newMode = newFile.mode == 0 ? nil : FileMode(canonicalizing: UInt32(newFile.mode))
            let oldID = oldMode == nil ? nil : ObjectID(oldFile.id)
            var path = Array(UnsafeBufferPointer(start: newFile.path ?? oldFile.path, count: strlen(newFile.path ?? oldFile.path)))
                .map { UInt8(bitPattern: $0) }
            var status: ChangedFile.Status
            switch delta.status {
            case GIT_DELTA_ADDED, GIT_DELTA_UNTRACKED: status = .added
            case GIT_DELTA_DELETED: status = .deleted
            case GIT_DELTA_MODIFIED, GIT_DELTA_CONFLICTED: status = .modified
            case GIT_DELTA_TYPECHANGE: status = .typeChanged
            default: continue  // unmodified, ignored, unreadable
            }
            // An untracked directory that is itself a repository shows up as "dir/";
            // `git add -A` records it as a gitlink.
            if status == .added, path.last == 0x2f {
                path.removeLast()
                newMode = .gitlink
            }
            var newID: ObjectID? = nil
            if newMode != nil {
                if newFile.flags & GIT_DIFF_FLAG_VALID_ID.rawValue != 0, !git_oid_is_zero_compat(newFile.id) {
                    newID = ObjectID(newFile.id)
                } else if newMode != .gitlink {
                    newID = try hashWorktreeFile(workdir: workdir, path: path)
                }
            }
            if status == .modified, let o = oldMode, let n = newMode, o.format != n.format { status = .typeChanged }
            result.append(ChangedFile(status: status, pathBytes: path, oldMode: oldMode, newMode: newMode,
                                      oldID: oldID, newID: newID))
        }
        // `git diff --cached` sorts its queue by plain byte order of the path (diffnamecmp).
        result.sort { $0.pathBytes.lexicographicallyPrecedes($1.pathBytes) }
        return result
    }

    /// The blob id git would record for a working-tree file, after its clean filters
    /// (line endings, attributes) — what `git add` would store.
    func hashWorktreeFile(workdir: String, path: [UInt8]) throws -> ObjectID {
        let relative = String(decoding: path, as: UTF8.self)
        var full = Array(workdir.utf8CString.dropLast())
        full.append(contentsOf: path.map { CChar(bitPattern: $0) })
        full.append(0)
        var oid = git_oid()
        try check(git_repository_hashfile(&oid, pointer, full, GIT_OBJECT_BLOB, relative),
                  "hashing working-tree file \(relative)")
        return ObjectID(oid)
    }
}

private func git_oid_is_zero_compat(_ oid: git_oid) -> Bool {
    var copy = oid
    return git_oid_is_zero(&copy) == 1
}
