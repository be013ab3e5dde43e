import MLCIGit

/// What one pushed ref needs checking: commits from `base` (nil: the empty tree) to `head`.
public struct PushRange: Sendable, Equatable {
    public let ref: PushedRef
    public let base: ObjectID?
    public let head: ObjectID
    /// How the base was found, for the output.
    public let how: String
}
