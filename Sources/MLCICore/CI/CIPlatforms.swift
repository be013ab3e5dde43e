/// The CI platforms mlci ships with, in the order their environments are recognised. Everything
/// else reaches a platform through `CIPlatform`; a new one is a new folder under `CI/` and an
/// entry here (a test can pass its own list instead: `CIContext(environment:platforms:)`).
public enum CIPlatforms {
    public static let builtIn: [any CIPlatform] = [
        GitHubPlatform(), GitLabPlatform(), JenkinsPlatform(), KubeflowPlatform(),
    ]
}
