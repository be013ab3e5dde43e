import Foundation

/// How generated CI pipelines run jobs: machines, images, set-up lines. The top-level `ci:`
/// applies to every stage; a stage's own `ci:` overrides it key by key.
public struct CISettings: Sendable, Equatable {
    /// GitHub `runs-on`: a label or a list of labels (`[self-hosted, gpu]`).
    public var githubRunsOn: [String]?
    /// GitHub workflow `permissions` (default `contents: read`).
    public var githubPermissions: [(String, String)]?
    public var gitlabImage: String?
    public var gitlabTags: [String]?
    /// Jenkins `agent { label … }` (default: `agent any`).
    public var jenkinsAgent: String?
    /// Shell lines that put mlci on PATH in every CI job.
    public var setup: [String]?
    /// How the default set-up installs mlci: the release and its wheels' SHA-256 (`ci.install`).
    public var install: InstallSettings?

    public init() {}

    public static func == (l: CISettings, r: CISettings) -> Bool {
        l.githubRunsOn == r.githubRunsOn && l.gitlabImage == r.gitlabImage && l.gitlabTags == r.gitlabTags
            && l.jenkinsAgent == r.jenkinsAgent
            && l.setup == r.setup && l.install == r.install
            && l.githubPermissions?.map { $0.0 + "=" + $0.1 } == r.githubPermissions?.map { $0.0 + "=" + $0.1 }
    }

    /// `self` with every key that `override` sets replaced.
    public func overridden(by override: CISettings?) -> CISettings {
        guard let override else { return self }
        var merged = self
        if let v = override.githubRunsOn { merged.githubRunsOn = v }
        if let v = override.githubPermissions { merged.githubPermissions = v }
        if let v = override.gitlabImage { merged.gitlabImage = v }
        if let v = override.gitlabTags { merged.gitlabTags = v }
        if let v = override.jenkinsAgent { merged.jenkinsAgent = v }
        if let v = override.setup { merged.setup = v }
        if let v = override.install { merged.install = v }
        return merged
    }
}
