import Foundation
import MLCIGit

/// Chooses the base commit of a plan, in the documented order: `--base`, `MLCI_BASE`, the CI
/// platform's own rules (`CIPlatform.base`), then the local default branch. Every answer says
/// which rule chose it; a fallback says why the preferred rule was skipped. A base that should
/// exist but does not (shallow clone, unfetched) is an error, never a silent "run everything".
/// The shared rules below are what the platforms' rules are made of.
public struct BaseResolver {
    public let repo: Repository
    let context: CIContext
    /// The configured default branch, asked for only by the local rule (with `--config-from
    /// base` it comes from reading the head's whole mlci.yml, which a CI base never needs).
    let defaultBranchSource: () -> String?
    public let remote: String

    public init(repo: Repository, context: CIContext, defaultBranch: String?, remote: String = "origin") {
        self.init(repo: repo, context: context, lazyDefaultBranch: { defaultBranch }, remote: remote)
    }

    public init(
        repo: Repository, context: CIContext, lazyDefaultBranch: @escaping () -> String?, remote: String = "origin"
    ) {
        self.repo = repo
        self.context = context
        self.defaultBranchSource = lazyDefaultBranch
        self.remote = remote
    }

    /// `uncommittedHead`: the head is the working tree on top of commit `head` (`--worktree`).
    public func resolve(explicit: String?, head: ObjectID?, uncommittedHead: Bool = false) throws -> BaseChoice {
        if let explicit {
            return BaseChoice(sha: try repo.resolveCommit(explicit), source: "flag")
        }
        if let fromEnv = context.base {
            do {
                // A generated pipeline that looked the base up says how (MLCI_BASE_SOURCE).
                let source =
                    context.baseSource.map { "\(StageJobEnvironment.base) (\($0))" } ?? StageJobEnvironment.base
                return BaseChoice(sha: try repo.resolveCommit(fromEnv), source: source)
            } catch let error as GitError where error.isUnresolvableRevision {
                throw PlanError.baseVariable(error)
            }
        }
        guard let head else { return BaseChoice(sha: nil, source: "empty repository") }
        guard let platform = context.platform, let build = context.build else {
            return try local(head: head, fallback: nil, uncommittedHead: uncommittedHead)
        }
        if let trigger = platform.trigger(for: build) {
            return BaseChoice(sha: nil, source: "\(platform.id):\(build.event)", trigger: trigger)
        }
        return try platform.base(for: build, head: head, rules: self)
    }

    // MARK: Shared rules

    /// A push's "before" sha: used when it is an ancestor of head; a new branch (all zeros) or
    /// a force push (not an ancestor, or gone from the history) falls back to the local rule.
    public func before(_ sha: String?, source: String, head: ObjectID) throws -> BaseChoice {
        guard let sha, !sha.isEmpty else { return try local(head: head, fallback: "\(source) gave no previous commit") }
        if isAllZeros(sha) {
            return try local(head: head, fallback: "\(source): previous commit is all zeros (new branch)")
        }
        guard let id = ObjectID(hex: sha) else {
            throw PlanError.notASha(source: source, sha: sha)
        }
        guard repo.contains(id) else {
            if repo.isShallow {
                throw GitError.missingInShallowClone(sha: sha, what: "the previous commit of this push")
            }
            return try local(
                head: head, fallback: "\(source): previous commit \(sha.prefix(12)) is not in this clone (force push)")
        }
        guard try repo.isAncestor(id, of: head) else {
            return try local(
                head: head,
                fallback: "\(source): previous commit \(sha.prefix(12)) is not an ancestor of head (force push)")
        }
        return BaseChoice(sha: id, source: source)
    }

    /// The local rule: merge-base with the default branch's remote-tracking ref (else the local
    /// branch); the first parent when head is already on the default branch — except for the
    /// working tree, whose changes sit on top of HEAD: there HEAD itself is the base (as for
    /// `mlci changes --worktree`), so "what does my edit affect?" is not mixed with the last commit.
    public func local(head: ObjectID, fallback: String?, uncommittedHead: Bool = false) throws -> BaseChoice {
        let candidates = defaultBranchCandidates()
        for ref in candidates {
            guard let tip = repo.commitOfRef(ref) else { continue }
            let short = ref.replacingOccurrences(of: "refs/remotes/", with: "").replacingOccurrences(
                of: "refs/heads/", with: "")
            let base = try mergeBase(tip, head)
            if base == head && uncommittedHead {
                return BaseChoice(
                    sha: head, source: "local:HEAD (the working tree's parent, on \(short))", fallback: fallback)
            }
            if base == head {
                return try firstParent(head, source: "local:first-parent (head is on \(short))", fallback: fallback)
            }
            return BaseChoice(sha: base, source: "local:merge-base \(short)", fallback: fallback)
        }
        let note =
            "no default branch found (looked for \(candidates.map { $0.replacingOccurrences(of: "refs/", with: "") }.joined(separator: ", ")))"
        return try firstParent(
            head, source: "local:first-parent", fallback: [fallback, note].compactMap { $0 }.joined(separator: "; "))
    }

    private func firstParent(_ head: ObjectID, source: String, fallback: String?) throws -> BaseChoice {
        guard let parent = try repo.commit(head).parents.first else {
            return BaseChoice(
                sha: nil, source: source + ", root commit: compared with the empty tree", fallback: fallback)
        }
        guard repo.contains(parent) else {
            throw repo.isShallow
                ? GitError.missingInShallowClone(sha: parent.hex, what: "parent commit")
                : GitError.unknownRevision(parent.hex)
        }
        return BaseChoice(sha: parent, source: source, fallback: fallback)
    }

    /// The refs to try for the default branch (config, else origin/HEAD, else main, else master).
    private func defaultBranchCandidates() -> [String] {
        var names: [String] = []
        if let defaultBranch = defaultBranchSource() {
            names = [defaultBranch]
        } else {
            if let target = repo.symbolicTarget(of: "refs/remotes/\(remote)/HEAD") {
                names.append(target.replacingOccurrences(of: "refs/remotes/\(remote)/", with: ""))
            }
            names += ["main", "master"].filter { !names.contains($0) }
        }
        let refs = names.flatMap { ["refs/remotes/\(remote)/\($0)", "refs/heads/\($0)"] }
        return refs
    }

    public func requireCommit(_ sha: String, what: String) throws -> ObjectID {
        if isAllZeros(sha) { throw PlanError.allZeros(what: what) }
        guard let id = ObjectID(hex: sha) else {
            return try repo.resolveCommit(sha)
        }
        guard repo.contains(id) else {
            if repo.isShallow { throw GitError.missingInShallowClone(sha: sha, what: what) }
            throw GitError.unknownRevision(sha)
        }
        return try repo.resolveCommit(sha)
    }

    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID {
        guard let found = try repo.mergeBase(a, b) else {
            if repo.isShallow {
                throw GitError.missingInShallowClone(sha: a.hex, what: "the merge-base of \(a.hex.prefix(12)) and head")
            }
            throw PlanError.noMergeBase(a.hex, head: b.hex)
        }
        return found
    }
}

/// True for a sha of any length made only of zeros: what CI systems send for "no commit"
/// (a new branch, a deletion).
func isAllZeros(_ sha: String) -> Bool {
    !sha.isEmpty && sha.allSatisfy { $0 == "0" }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
