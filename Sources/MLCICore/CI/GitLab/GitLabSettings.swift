/// `ci.gitlab`: the image and runner tags of GitLab CI jobs.
public struct GitLabSettings: CIPlatformSettings, Equatable {
    public var image: String?
    public var tags: [String]?

    static let keys = ["image", "tags"]

    public func overridden(by override: GitLabSettings) -> GitLabSettings {
        GitLabSettings(image: override.image ?? image, tags: override.tags ?? tags)
    }

    init(image: String? = nil, tags: [String]? = nil) {
        self.image = image
        self.tags = tags
    }

    /// Decodes `ci.gitlab`, reporting each problem at its place.
    init(_ mapping: ConfigMapping) {
        for entry in mapping.entries {
            switch entry.key {
            // The rule it always had: any non-empty text (the YAML serializer quotes it).
            case "image": image = entry.string(else: "\(entry.what) must be an image name", multiline: true)
            case "tags": tags = entry.strings()
            default: entry.unknownKey(among: Self.keys, in: mapping.what)
            }
        }
    }
}

extension CISettings {
    /// The `ci.gitlab` settings in effect (none set: every default).
    var gitlab: GitLabSettings { platform(GitLabSettings.self) ?? GitLabSettings() }
}
