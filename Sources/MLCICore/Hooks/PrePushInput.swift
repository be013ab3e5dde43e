import MLCIGit

/// One line of what git writes to a pre-push hook's standard input:
/// `<local ref> SP <local oid> SP <remote ref> SP <remote oid> LF`.
public struct PushedRef: Sendable, Equatable {
    public let localRef: String
    public let localOID: String
    public let remoteRef: String
    public let remoteOID: String

    /// A deletion pushes nothing: the local oid is all zeros (of any hash length).
    public var isDeletion: Bool { isAllZeros(localOID) }
    public var remoteIsNew: Bool { isAllZeros(remoteOID) }

    /// Parses git's pre-push input; every malformed line is reported (with its number).
    public static func parse(_ text: String) throws -> [PushedRef] {
        var refs: [PushedRef] = []
        var problems: [String] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let hex = { (s: String) in !s.isEmpty && s.count >= 4 && s.allSatisfy(\.isHexDigit) }
            guard fields.count == 4, hex(fields[1]), hex(fields[3]) else {
                problems.append(
                    "line \(n + 1): expected '<local ref> <local oid> <remote ref> <remote oid>', got '\(trimmed)'")
                continue
            }
            refs.append(PushedRef(localRef: fields[0], localOID: fields[1], remoteRef: fields[2], remoteOID: fields[3]))
        }
        guard problems.isEmpty else {
            // One line (errors are shown escaped, on one line): the problems are joined by "; ".
            throw HookError(.usage, "cannot read the pre-push input from git: " + problems.joined(separator: "; "))
        }
        return refs
    }
}

/// What one pushed ref needs checking: commits from `base` (nil: the empty tree) to `head`.
public struct PushRange: Sendable, Equatable {
    public let ref: PushedRef
    public let base: ObjectID?
    public let head: ObjectID
    /// How the base was found, for the output.
    public let how: String
}

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
                throw HookError(.usage, "\(ref.localRef): '\(ref.localOID)' is not a full object id")
            }
            guard let head = repo.peelToCommit(localID) else {
                throw HookError(.usage, "\(ref.localRef): \(ref.localOID) is not a commit in this repository")
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
