import MLCIGit

/// Which commits a release tag may run a stage for (`tag_commits:`).
public enum TagCommits: String, Sendable, Equatable {
    /// Only a commit on the default branch: a tag build of any other commit holds the stage back.
    case defaultBranch = "default-branch"
    /// Any commit the tag names.
    case any
}
