/// How a stage is treated when it runs, derived from its definition.
extension Stage {
    /// A stage that deploys (named `deploy…`, or with a `rollback:`): its effect is outside the
    /// repository, so its runs are never cancelled half-way in CI and never replayed from a cache.
    public var isDeployment: Bool {
        name.lowercased().hasPrefix("deploy") || rollback != nil
    }

    /// Whether a passing run may be replayed from the cache: never for a stage that uses
    /// secrets (its log could hold what masking missed), for a deployment only with
    /// `cache: true`, for any other stage unless `cache: false`.
    public var isCacheable: Bool {
        if !local.secrets.isEmpty { return false }
        if let explicit = local.cache { return explicit }
        return !isDeployment
    }
}

extension Stage {
    /// The release-tag patterns of some stages (their `tags:`), each once, in the stages' order:
    /// the tags a pipeline holding them starts on, on every platform.
    static func releaseTags(of stages: [Stage]) -> [String] {
        stages.flatMap(\.tags).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }
}
