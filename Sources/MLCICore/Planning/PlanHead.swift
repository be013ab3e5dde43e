import MLCIGit

/// The head of a plan: what the stages would run on.
public enum PlanHead: Sendable, Equatable {
    /// A revision; nil: HEAD.
    case commit(String?)
    /// The working tree as `git add -A` would record it (staged, unstaged and untracked files).
    case worktree
    /// The index, as a commit would record it now (the pre-commit hook); `file` when it is not
    /// the repository's own index (git hands hooks `GIT_INDEX_FILE`).
    case index(file: String?)
}
