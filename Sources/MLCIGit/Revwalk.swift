import CLibgit2

extension Repository {
    /// The commits reachable from `tip` but not from any ref matching `hiddenGlob` (such as
    /// `refs/remotes/origin/*`) nor from `hidden`, oldest first (topological order).
    public func commits(from tip: ObjectID, hidingRefs hiddenGlob: String, hiding hidden: [ObjectID]) throws
        -> [ObjectID]
    {
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, pointer), "starting a history walk")
        let walk = RevwalkHandle(walker!)
        try check(
            git_revwalk_sorting(walk.pointer, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue),
            "sorting a history walk")
        var start = tip.gitOID
        try check(git_revwalk_push(walk.pointer, &start), "walking from \(tip.hex)")
        let code = git_revwalk_hide_glob(walk.pointer, hiddenGlob)
        if code < 0 && code != GIT_ENOTFOUND.rawValue { try check(code, "hiding \(hiddenGlob)") }
        for id in hidden where contains(id) {
            var oid = id.gitOID
            try check(git_revwalk_hide(walk.pointer, &oid), "hiding \(id.hex)")
        }
        var result: [ObjectID] = []
        var oid = git_oid()
        while true {
            let rc = git_revwalk_next(&oid, walk.pointer)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "walking history from \(tip.hex)")
            result.append(ObjectID(oid))
        }
        return result
    }

    /// Peels any object id (a tag, a commit) to a commit; nil when it is not in the
    /// repository or does not lead to a commit.
    public func peelToCommit(_ id: ObjectID) -> ObjectID? {
        var oid = id.gitOID
        var object: OpaquePointer?
        guard git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY) == 0, let object else { return nil }
        let handle = ObjectHandle(object)
        var peeled: OpaquePointer?
        guard git_object_peel(&peeled, handle.pointer, GIT_OBJECT_COMMIT) == 0, let peeled else { return nil }
        let commit = ObjectHandle(peeled)
        return ObjectID(git_object_id(commit.pointer).pointee)
    }
}
