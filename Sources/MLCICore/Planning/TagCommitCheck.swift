import MLCIGit

/// Anyone who may push a tag can point one at any commit — an unreviewed branch, an old
/// release — and a tag build runs its jobs with their secrets. A stage that asks for it
/// (`tag_commits: default-branch`, the default for stages with `secrets:`) runs in a tag build
/// only when the tagged commit is on the default branch, read from the remote-tracking ref
/// (`origin/<default_branch>`, as the generated pipelines fetch it), else the local branch.
///
/// This is the plan's own rule, read from the tagged commit's mlci.yml: it stops a stage with
/// secrets from running for a tag on a commit that never reached the default branch, but it
/// is no substitute for the platform's protected tags and environments (someone who can push
/// both a branch and a tag controls that commit's workflow files too).
struct TagCommitCheck {
    /// nil: the head may run tag-built stages. Otherwise the reason it may not, for the plan.
    let problem: String?

    init(headTags: [String], head: ObjectID?, defaultBranch: String?, repo: Repository, remote: String = "origin") {
        guard let tag = headTags.first else {
            problem = nil
            return
        }
        let branch = defaultBranch ?? Self.remoteHead(repo, remote) ?? "main"
        let refs = ["refs/remotes/\(remote)/\(branch)", "refs/heads/\(branch)"]
        guard let head else {
            problem = "tag \(tag) names no commit"
            return
        }
        guard let (ref, tip) = refs.lazy.compactMap({ ref in repo.commitOfRef(ref).map { (ref, $0) } }).first else {
            problem =
                "tag \(tag): the default branch \(branch) is not in this clone, so the tagged commit cannot be "
                + "shown to be on it (fetch it: git fetch \(remote) +refs/heads/\(branch):refs/remotes/\(remote)/\(branch))"
            return
        }
        let short = ref.replacingOccurrences(of: "refs/remotes/", with: "").replacingOccurrences(
            of: "refs/heads/", with: "")
        do {
            problem =
                try repo.isAncestor(head, of: tip)
                ? nil : "tag \(tag) is on commit \(head.hex.prefix(12)), which is not on the default branch (\(short))"
        } catch {
            problem = "tag \(tag): cannot tell whether commit \(head.hex.prefix(12)) is on \(short) (\(error))"
        }
    }

    private static func remoteHead(_ repo: Repository, _ remote: String) -> String? {
        repo.symbolicTarget(of: "refs/remotes/\(remote)/HEAD")?.replacingOccurrences(
            of: "refs/remotes/\(remote)/", with: "")
    }

    /// Whether a tag build holds this stage back when the commit is not on the default branch.
    static func applies(to stage: Stage) -> Bool {
        (stage.tagCommits ?? (stage.local.secrets.isEmpty ? .any : .defaultBranch)) == .defaultBranch
    }

    /// The command a generated tag pipeline runs before planning: its clone may hold only the
    /// tag (GitLab's tag refspec, a Jenkins tag build), and a stage with `tag_commits:
    /// default-branch` needs the default branch to be shown on it. nil: no stage asks.
    static func defaultBranchFetch(_ config: MLCIConfig) -> String? {
        guard config.stages.contains(where: applies) else { return nil }
        let branch = config.defaultBranch ?? "main"
        return "git fetch --quiet origin '+refs/heads/\(branch):refs/remotes/origin/\(branch)'"
    }
}
