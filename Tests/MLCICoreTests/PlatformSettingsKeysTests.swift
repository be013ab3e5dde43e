import MLCICore
import Testing

/// Each platform's `settingsKeys` (what the docs and did-you-mean list) is exactly what its
/// decoder accepts: every listed key loads, and a key it does not list is refused at its place.
@Suite("ci.<platform> keys")
struct PlatformSettingsKeysTests {
    static func load(_ platform: String, _ key: String, _ value: String) -> [String] {
        let text = "version: 1\nci:\n  \(platform):\n    \(key): \(value)\nstages:\n  s: {run: \"true\"}\n"
        do {
            _ = try ConfigLoader().load(text: text)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    /// A value each key accepts.
    static let values = [
        "runs_on": "ubuntu-latest", "permissions": "{contents: read}", "image": "python:3.12",
        "tags": "[gpu]", "agent": "linux", "cpu": "500m", "memory": "8Gi", "accelerator": "{type: nvidia.com/gpu}",
        "env": "{DEVICE: cuda}",
    ]

    @Test("every listed key loads; an unlisted one is an error at file:line:column with a hint")
    func keys() {
        for platform in CIPlatforms.builtIn {
            #expect(!platform.settingsKeys.isEmpty)
            for key in platform.settingsKeys {
                let value = Self.values[key]
                #expect(value != nil, "no sample value for ci.\(platform.id).\(key)")
                #expect(Self.load(platform.id, key, value ?? "x") == [], "ci.\(platform.id).\(key)")
            }
            let typo = platform.settingsKeys[0] + "x"
            #expect(
                Self.load(platform.id, typo, "x").first?.hasPrefix(
                    "mlci.yml:4:5: error: ci.\(platform.id): unknown key '\(typo)' (did you mean") == true,
                "\(platform.id)")
        }
    }
}
