import MLCIGit

/// A platform's own `ci.<platform>` settings (GitHub's `runs_on`, GitLab's `image`).
public protocol CIPlatformSettings: Sendable {
    /// `self` with every key that `override` sets replaced (a stage's `ci:` over the top level's).
    func overridden(by override: Self) -> Self
}
