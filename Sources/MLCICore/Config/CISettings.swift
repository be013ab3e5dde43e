/// How generated CI pipelines run jobs. The top-level `ci:` applies to every stage; a stage's
/// own `ci:` overrides it key by key. `setup` and `install` are shared by every platform; each
/// platform keeps its own keys (`ci.github`, `ci.gitlab`, …) in its own settings type, read
/// with `platform(_:)`.
public struct CISettings: Sendable {
    /// Shell lines that put mlci on PATH in every CI job.
    public var setup: [String]?
    /// How the default set-up installs mlci: the release and its wheels' SHA-256 (`ci.install`).
    public var install: InstallSettings?
    /// Each platform's settings, by their type.
    private var platforms: [ObjectIdentifier: any CIPlatformSettings] = [:]

    public init() {}

    /// The settings of a platform that has none at some level.
    public struct None: CIPlatformSettings {
        public func overridden(by override: None) -> None { self }
    }

    /// The settings of one platform, nil when mlci.yml sets none.
    public func platform<S: CIPlatformSettings>(_ type: S.Type) -> S? {
        platforms[ObjectIdentifier(type)] as? S
    }

    public mutating func setPlatform(_ settings: any CIPlatformSettings) {
        platforms[ObjectIdentifier(Swift.type(of: settings))] = settings
    }

    /// `self` with every key that `override` sets replaced.
    public func overridden(by override: CISettings?) -> CISettings {
        guard let override else { return self }
        var merged = self
        if let v = override.setup { merged.setup = v }
        if let v = override.install { merged.install = v }
        for (key, value) in override.platforms {
            merged.platforms[key] = platforms[key].map { Self.merge($0, value) } ?? value
        }
        return merged
    }

    private static func merge<S: CIPlatformSettings>(_ base: S, _ override: any CIPlatformSettings)
        -> any CIPlatformSettings
    {
        (override as? S).map { base.overridden(by: $0) } ?? override
    }
}
