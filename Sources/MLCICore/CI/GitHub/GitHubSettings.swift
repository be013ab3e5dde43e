/// `ci.github`: the machines and permissions of GitHub Actions jobs.
public struct GitHubSettings: CIPlatformSettings, Equatable {
    /// `runs-on`: a label or a list of labels (`[self-hosted, gpu]`).
    public var runsOn: [String]?
    /// The workflow's (top level) or job's (stage) `permissions`, in order (default `contents: read`).
    public var permissions: [Permission]?

    public struct Permission: Sendable, Equatable {
        public let scope: String
        public let level: String
    }

    static let keys = ["runs_on", "permissions"]

    public func overridden(by override: GitHubSettings) -> GitHubSettings {
        var merged = self
        if let v = override.runsOn { merged.runsOn = v }
        if let v = override.permissions { merged.permissions = v }
        return merged
    }

    init() {}

    /// Decodes `ci.github`, reporting each problem at its place.
    init(_ mapping: ConfigMapping) {
        for entry in mapping.entries {
            switch entry.key {
            case "runs_on":
                runsOn = entry.strings()
            case "permissions":
                guard case .mapping(let perms) = entry.value else {
                    entry.error("\(entry.what) must map a scope to read, write or none")
                    continue
                }
                permissions = perms.map { Permission(scope: $0.key.string ?? "", level: $0.value.string ?? "") }
                for (scope, level) in perms where !["read", "write", "none"].contains(level.string ?? "") {
                    entry.error("\(entry.what).\(scope.string ?? ""): must be read, write or none", at: level)
                }
            default:
                entry.unknownKey(among: Self.keys, in: mapping.what)
            }
        }
    }
}

extension CISettings {
    /// The `ci.github` settings in effect (none set: every default).
    var github: GitHubSettings { platform(GitHubSettings.self) ?? GitHubSettings() }
}
