import MLCIGit

public enum PushRanges {
    /// The range of each pushed ref, skipping deletions and refs with nothing new. When the
    /// remote's old commit is known here and is an ancestor, the range starts there;
    /// otherwise (new branch, force push, unfetched remote commit) the history of the pushed
    /// commit is walked, hiding everything the remote's tracking refs already have, and the
    /// parent of the oldest new commit is the base. Nothing comes from HEAD or @{push}.
    public static func compute(_ refs: [PushedRef], remote: String, in repo: Repository) throws -> (
        ranges: [PushRange], skipped: [String]
    ) {
        var ranges: [PushRange] = []
        var skipped: [String] = []
        for ref in refs {
            if ref.isDeletion { skipped.append("\(ref.remoteRef): deletion"); continue }
            guard let localID = ObjectID(hex: ref.localOID) else {
                throw HookError.notAnObjectID(ref: ref.localRef, oid: ref.localOID)
            }
            guard let head = repo.peelToCommit(localID) else {
                throw HookError.notACommit(ref: ref.localRef, oid: ref.localOID)
            }
            if !ref.remoteIsNew, let remoteID = ObjectID(hex: ref.remoteOID), repo.contains(remoteID),
                let remoteCommit = repo.peelToCommit(remoteID), try repo.isAncestor(remoteCommit, of: head)
            {
                if remoteCommit == head { skipped.append("\(ref.remoteRef): already on the remote"); continue }
                ranges.append(
                    PushRange(
                        ref: ref, base: remoteCommit, head: head,
                        how: "\(ref.remoteOID.prefix(12))..\(head.hex.prefix(12))"))
                continue
            }
            var hidden: [ObjectID] = []
            if let remoteID = ObjectID(hex: ref.remoteOID), let commit = repo.peelToCommit(remoteID) {
                hidden.append(commit)
            }
            let new = try repo.commits(from: head, hidingRefs: "refs/remotes/\(remote)/*", hiding: hidden)
            guard let oldest = new.first else {
                skipped.append("\(ref.remoteRef): every commit is already on \(remote)"); continue
            }
            let base = try repo.commit(oldest).parents.first
            let how =
                base.map { "new commits since \($0.hex.prefix(12)) (not on \(remote))" }
                ?? "whole history (no commit of it is on \(remote))"
            ranges.append(PushRange(ref: ref, base: base, head: head, how: how))
        }
        return (ranges, skipped)
    }
}
