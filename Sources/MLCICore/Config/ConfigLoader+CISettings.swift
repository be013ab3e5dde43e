import Foundation
import Yams

/// Decoding `ci:` settings (top level and per stage).
extension ConfigLoader {
    func ciSettings(_ node: Node, what: String, _ doc: YAMLDocument, _ out: Collector) -> CISettings {
        var settings = CISettings()
        guard case .mapping(let map) = node else {
            out.error(
                "\(what) must be a mapping with github, gitlab, jenkins, setup or install; found \(node.shapeName)",
                doc.location(node))
            return settings
        }
        for (keyNode, value) in map {
            let key = keyNode.string ?? ""
            switch key {
            case "setup":
                settings.setup = strings(value, what: "\(what) setup", doc, out).map(\.0)
            case "install":
                settings.install = installSettings(value, what: "\(what).install", doc, out)
            case "github":
                guard case .mapping(let gh) = value else {
                    out.error("\(what).github must be a mapping; found \(value.shapeName)", doc.location(value));
                    continue
                }
                for (k, v) in gh {
                    switch k.string ?? "" {
                    case "runs_on":
                        settings.githubRunsOn = strings(v, what: "\(what).github.runs_on", doc, out).map(\.0)
                    case "permissions":
                        guard case .mapping(let perms) = v else {
                            out.error(
                                "\(what).github.permissions must map a scope to read, write or none", doc.location(v));
                            continue
                        }
                        settings.githubPermissions = perms.map { ($0.key.string ?? "", $0.value.string ?? "") }
                        for (scope, level) in perms where !["read", "write", "none"].contains(level.string ?? "") {
                            out.error(
                                "\(what).github.permissions.\(scope.string ?? ""): must be read, write or none",
                                doc.location(level))
                        }
                    default:
                        out.error(
                            "\(what).github: unknown key '\(k.string ?? "")'\(DidYouMean.hint(for: k.string ?? "", among: ["runs_on", "permissions"]))",
                            doc.location(k))
                    }
                }
            case "gitlab":
                guard case .mapping(let gl) = value else {
                    out.error("\(what).gitlab must be a mapping; found \(value.shapeName)", doc.location(value));
                    continue
                }
                for (k, v) in gl {
                    switch k.string ?? "" {
                    case "image":
                        if let s = v.scalar?.string, !s.isEmpty {
                            settings.gitlabImage = s
                        } else {
                            out.error("\(what).gitlab.image must be an image name", doc.location(v))
                        }
                    case "tags": settings.gitlabTags = strings(v, what: "\(what).gitlab.tags", doc, out).map(\.0)
                    default:
                        out.error(
                            "\(what).gitlab: unknown key '\(k.string ?? "")'\(DidYouMean.hint(for: k.string ?? "", among: ["image", "tags"]))",
                            doc.location(k))
                    }
                }
            case "jenkins":
                guard case .mapping(let jenkins) = value else {
                    out.error("\(what).jenkins must be a mapping; found \(value.shapeName)", doc.location(value));
                    continue
                }
                for (k, v) in jenkins {
                    switch k.string ?? "" {
                    case "agent":
                        // Written into a single-quoted Groovy string; a label expression (`linux && gpu`)
                        // is fine, a line break is not.
                        if let s = v.scalar?.string, !s.isEmpty, !s.contains(where: \.isNewline) {
                            settings.jenkinsAgent = s
                        } else {
                            out.error("\(what).jenkins.agent must be an agent label (one line)", doc.location(v))
                        }
                    default:
                        out.error(
                            "\(what).jenkins: unknown key '\(k.string ?? "")'\(DidYouMean.hint(for: k.string ?? "", among: ["agent"]))",
                            doc.location(k))
                    }
                }
            default:
                out.error(
                    "\(what): unknown key '\(key)'\(DidYouMean.hint(for: key, among: Self.ciKeys))",
                    doc.location(keyNode))
            }
        }
        return settings
    }
}
