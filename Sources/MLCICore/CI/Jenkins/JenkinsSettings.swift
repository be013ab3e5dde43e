/// `ci.jenkins`: where Jenkins runs a stage.
public struct JenkinsSettings: CIPlatformSettings, Equatable {
    /// `agent { label … }` (default: `agent any`).
    public var agent: String?

    static let keys = ["agent"]

    public func overridden(by override: JenkinsSettings) -> JenkinsSettings {
        JenkinsSettings(agent: override.agent ?? agent)
    }

    init(agent: String? = nil) { self.agent = agent }

    /// Decodes `ci.jenkins`, reporting each problem at its place.
    init(_ mapping: ConfigMapping) {
        for entry in mapping.entries {
            switch entry.key {
            case "agent":
                // Written into a single-quoted Groovy string; a label expression (`linux && gpu`)
                // is fine, a line break is not.
                agent = entry.string(else: "\(entry.what) must be an agent label (one line)")
            default:
                entry.unknownKey(among: Self.keys, in: mapping.what)
            }
        }
    }
}

extension CISettings {
    /// The `ci.jenkins` settings in effect (none set: every default).
    var jenkins: JenkinsSettings { platform(JenkinsSettings.self) ?? JenkinsSettings() }
}
