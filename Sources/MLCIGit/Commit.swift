import CLibgit2

/// A commit read out of libgit2 into plain values.
public struct Commit: Sendable, Hashable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]

    init(_ handle: CommitHandle) {
        id = ObjectID(git_commit_id(handle.pointer).pointee)
        tree = ObjectID(git_commit_tree_id(handle.pointer).pointee)
        let count = git_commit_parentcount(handle.pointer)
        parents = (0..<count).map { ObjectID(git_commit_parent_id(handle.pointer, $0).pointee) }
    }
}
