/// Settings of a stage that matter when `mlci run` executes it.
public struct LocalRunSettings: Sendable {
    /// Directory to run in, relative to the repository root.
    public var dir: String?
    /// Extra environment variables, in order.
    public var env: [(String, String)] = []
    /// Variables whose values are masked as `***` in all output; such stages are never cached.
    public var secrets: [String] = []
    /// Extra patterns of files whose contents are part of the cache key.
    public var inputs: [PathPattern] = []
    /// Variables whose values (unset differs from empty) are part of the cache key.
    public var envInputs: [String] = []
    /// Files or directories the stage produces: stored in the cache and restored on a hit.
    public var outputs: [String] = []
    /// nil: the default (cached, except deployments and secret-using stages).
    public var cache: Bool?

    public init() {}
}
