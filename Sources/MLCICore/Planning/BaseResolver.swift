import Foundation
import MLCIGit

/// Chooses the base commit of a plan, in the documented order: `--base`, `MLCI_BASE`, the CI
/// system's own variables (GitHub Actions, GitLab CI, Jenkins), then the local default branch.
/// Every answer says which rule chose it; a fallback says why the preferred rule was skipped.
/// A base that should exist but does not (shallow clone, unfetched) is an error, never a
/// silent "run everything".
public struct BaseResolver {
    let repo: Repository
    let env: [String: String]
    /// The configured default branch, asked for only by the local rule (with `--config-from
    /// base` it comes from reading the head's whole mlci.yml, which a CI base never needs).
    let defaultBranchSource: () -> String?
    let remote: String

    public init(repo: Repository, env: [String: String], defaultBranch: String?, remote: String = "origin") {
        self.init(repo: repo, env: env, lazyDefaultBranch: { defaultBranch }, remote: remote)
    }

    public init(
        repo: Repository, env: [String: String], lazyDefaultBranch: @escaping () -> String?, remote: String = "origin"
    ) {
        self.repo = repo
        self.env = env
        self.defaultBranchSource = lazyDefaultBranch
        self.remote = remote
    }

    /// `uncommittedHead`: the head is the working tree on top of commit `head` (`--worktree`).
    public func resolve(explicit: String?, head: ObjectID?, uncommittedHead: Bool = false) throws -> BaseChoice {
        if let explicit {
            return BaseChoice(sha: try repo.resolveCommit(explicit), source: "flag")
        }
        if let fromEnv = env[StageJobEnvironment.base], !fromEnv.isEmpty {
            do {
                // A generated pipeline that looked the base up says how (MLCI_BASE_SOURCE).
                let source =
                    env[StageJobEnvironment.baseSource].flatMap {
                        $0.isEmpty ? nil : "\(StageJobEnvironment.base) (\($0))"
                    } ?? StageJobEnvironment.base
                return BaseChoice(sha: try repo.resolveCommit(fromEnv), source: source)
            } catch let error as GitError where error.isUnresolvableRevision {
                throw PlanError(.unresolvableBase, "\(StageJobEnvironment.base): \(error)")
            }
        }
        guard let head else { return BaseChoice(sha: nil, source: "empty repository") }
        switch CIEnvironment(env) {
        case .github(let event, let path): return try github(event: event, eventPath: path, head: head)
        case .gitlab(let source): return try gitlab(source: source, head: head)
        case .jenkins: return try jenkins(head: head)
        case .none: return try local(head: head, fallback: nil, uncommittedHead: uncommittedHead)
        }
    }

    // MARK: GitHub Actions

    private func github(event: String, eventPath: String?, head: ObjectID) throws -> BaseChoice {
        if TriggerEvents.github.contains(event) {
            return BaseChoice(sha: nil, source: "github:\(event)", trigger: event)
        }
        switch event {
        case "pull_request", "pull_request_target":
            let payload = try eventPayload(eventPath)
            guard let sha = payload.lookup("pull_request.base.sha")?.stringValue else {
                throw PlanError(.usage, "the GitHub event file \(eventPath ?? "") has no pull_request.base.sha")
            }
            let base = try requireCommit(sha, what: "the pull request's base commit")
            return BaseChoice(sha: try mergeBase(base, head), source: "github:\(event)")
        case "merge_group":
            let payload = try eventPayload(eventPath)
            guard let sha = payload.lookup("merge_group.base_sha")?.stringValue else {
                throw PlanError(.usage, "the GitHub event file \(eventPath ?? "") has no merge_group.base_sha")
            }
            return BaseChoice(
                sha: try requireCommit(sha, what: "the merge group's base commit"), source: "github:merge_group")
        case "push":
            let payload = try eventPayload(eventPath)
            return try before(payload.lookup("before")?.stringValue, source: "github:push", head: head)
        default:
            return try local(head: head, fallback: "GitHub event '\(event)' names no base")
        }
    }

    private func eventPayload(_ path: String?) throws -> JSONValue {
        guard let path else {
            throw PlanError(
                .usage,
                "GITHUB_EVENT_PATH is not set, so the GitHub event cannot be read; set --base or \(StageJobEnvironment.base)"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PlanError(.usage, "cannot read the GitHub event file \(path) (GITHUB_EVENT_PATH)")
        }
        do {
            return try ParamsFile.parse([UInt8](data), format: .json)
        } catch {
            throw PlanError(.usage, "\(path): the GitHub event file (GITHUB_EVENT_PATH) is not valid JSON: \(error)")
        }
    }

    // MARK: GitLab CI

    private func gitlab(source: String, head: ObjectID) throws -> BaseChoice {
        if TriggerEvents.gitlab.contains(source) {
            return BaseChoice(sha: nil, source: "gitlab:\(source)", trigger: source)
        }
        switch source {
        case "merge_request_event":
            // Merged results and merge trains test the merge into the target's current tip: only
            // what the merge request adds is new, so the base is that tip, not the branch point.
            if let type = env["CI_MERGE_REQUEST_EVENT_TYPE"], type == "merged_result" || type == "merge_train",
                let sha = env["CI_MERGE_REQUEST_TARGET_BRANCH_SHA"], !sha.isEmpty
            {
                return BaseChoice(
                    sha: try requireCommit(sha, what: "CI_MERGE_REQUEST_TARGET_BRANCH_SHA"),
                    source: "gitlab:\(type)")
            }
            guard let sha = env["CI_MERGE_REQUEST_DIFF_BASE_SHA"], !sha.isEmpty else {
                throw PlanError(
                    .unresolvableBase,
                    "a merge request pipeline without CI_MERGE_REQUEST_DIFF_BASE_SHA; set --base or \(StageJobEnvironment.base)"
                )
            }
            return BaseChoice(
                sha: try requireCommit(sha, what: "CI_MERGE_REQUEST_DIFF_BASE_SHA"), source: "gitlab:merge_request")
        default:
            return try before(env["CI_COMMIT_BEFORE_SHA"], source: "gitlab:push", head: head)
        }
    }

    // MARK: Jenkins

    private func jenkins(head: ObjectID) throws -> BaseChoice {
        // The generated Jenkinsfile sets MLCI_BUILD_CAUSE=timer for builds its cron started;
        // MLCI_TRIGGER is its build parameter for requesting a pipeline by hand.
        if env[StageJobEnvironment.buildCause] == "timer" {
            return BaseChoice(sha: nil, source: "jenkins:timer", trigger: "schedule")
        }
        if let requested = env[StageJobEnvironment.trigger], !requested.trimmingCharacters(in: .whitespaces).isEmpty {
            return BaseChoice(sha: nil, source: "jenkins:\(StageJobEnvironment.trigger)", trigger: "manual")
        }
        if let target = env["CHANGE_TARGET"], !target.isEmpty {
            let ref = "refs/remotes/\(remote)/\(target)"
            guard let tip = repo.commitOfRef(ref) else {
                throw PlanError(
                    .unresolvableBase,
                    "the change target \(remote)/\(target) (CHANGE_TARGET) is not in this clone; "
                        + "fetch it first (git fetch \(remote) \(target):refs/remotes/\(remote)/\(target))")
            }
            return BaseChoice(sha: try mergeBase(tip, head), source: "jenkins:change_target \(remote)/\(target)")
        }
        if let sha = env["GIT_PREVIOUS_SUCCESSFUL_COMMIT"], !sha.isEmpty {
            guard let id = ObjectID(hex: sha), repo.contains(id) else {
                return try local(head: head, fallback: "GIT_PREVIOUS_SUCCESSFUL_COMMIT \(sha) is not in this clone")
            }
            guard try repo.isAncestor(id, of: head) else {
                return try local(
                    head: head,
                    fallback: "GIT_PREVIOUS_SUCCESSFUL_COMMIT \(sha) is not an ancestor of head (history was rewritten)"
                )
            }
            return BaseChoice(sha: id, source: "jenkins:previous_successful")
        }
        return try local(head: head, fallback: "no CHANGE_TARGET or GIT_PREVIOUS_SUCCESSFUL_COMMIT")
    }

    // MARK: Shared rules

    /// A push's "before" sha: used when it is an ancestor of head; a new branch (all zeros) or
    /// a force push (not an ancestor, or gone from the history) falls back to the local rule.
    private func before(_ sha: String?, source: String, head: ObjectID) throws -> BaseChoice {
        guard let sha, !sha.isEmpty else { return try local(head: head, fallback: "\(source) gave no previous commit") }
        if isAllZeros(sha) {
            return try local(head: head, fallback: "\(source): previous commit is all zeros (new branch)")
        }
        guard let id = ObjectID(hex: sha) else {
            throw PlanError(.usage, "\(source): '\(sha)' is not a commit sha")
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
    func local(head: ObjectID, fallback: String?, uncommittedHead: Bool = false) throws -> BaseChoice {
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

    private func requireCommit(_ sha: String, what: String) throws -> ObjectID {
        if isAllZeros(sha) { throw PlanError(.unresolvableBase, "\(what) is all zeros") }
        guard let id = ObjectID(hex: sha) else {
            return try repo.resolveCommit(sha)
        }
        guard repo.contains(id) else {
            if repo.isShallow { throw GitError.missingInShallowClone(sha: sha, what: what) }
            throw GitError.unknownRevision(sha)
        }
        return try repo.resolveCommit(sha)
    }

    private func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID {
        guard let found = try repo.mergeBase(a, b) else {
            if repo.isShallow {
                throw GitError.missingInShallowClone(sha: a.hex, what: "the merge-base of \(a.hex.prefix(12)) and head")
            }
            throw PlanError(
                .unresolvableBase,
                "\(a.hex.prefix(12)) and head \(b.hex.prefix(12)) share no history, so there is no merge-base")
        }
        return found
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}
