import Foundation
import Yams

/// `ci.install`: which mlci release the default set-up of generated jobs installs, pinned by
/// the SHA-256 of its wheels (from the release's `SHA256SUMS`), and from which index.
///
/// The set-up installs only a wheel whose hash is listed here, so neither a name squatted on
/// an index nor a redirected index (`PIP_INDEX_URL` and friends are ignored) can put other code
/// into a job. `version` must be this mlci's own: a pipeline runs the commands of the mlci that
/// generated it, and a stale pin is reported at `generate` rather than as a failed install.
public struct InstallSettings: Sendable, Equatable {
    public var version: String
    /// Lower-case hex SHA-256 of each wheel of `version` a job may install (one per platform).
    public var sha256: [String]
    /// A PEP 503 index (`https://…`, or `file://…` for a mirror on the runner).
    public var indexURL: String

    public static let defaultIndexURL = "https://pypi.org/simple"
    static let keys = ["version", "sha256", "index_url"]

    public init(version: String, sha256: [String], indexURL: String = defaultIndexURL) {
        self.version = version
        self.sha256 = sha256
        self.indexURL = indexURL
    }

    static func isSHA256(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Why an index URL cannot be used, or nil: it is written into a shell line and must be
    /// https (or a local file mirror), with nothing a shell or pip option could read specially.
    static func indexURLProblem(_ url: String) -> String? {
        guard url.hasPrefix("https://") || url.hasPrefix("file:///") else {
            return "must start with https:// (or file:/// for a mirror on the runner)"
        }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!&()*+,;=%".utf8)
        if let bad = url.utf8.first(where: { !allowed.contains($0) }) {
            return "holds '\(String(decoding: [bad], as: UTF8.self).debugDescription.dropFirst().dropLast())', "
                + "which a URL does not (percent-encode it)"
        }
        return nil
    }
}

extension ConfigLoader {
    func installSettings(_ node: Node, what: String, _ doc: YAMLDocument, _ out: Collector) -> InstallSettings? {
        guard case .mapping(let map) = node else {
            out.error(
                "\(what) must be a mapping with version, sha256 and index_url; found \(node.shapeName)",
                doc.location(node))
            return nil
        }
        var version: String?
        var hashes: [String] = []
        var indexURL = InstallSettings.defaultIndexURL
        for (keyNode, value) in map {
            let key = keyNode.string ?? ""
            switch key {
            case "version":
                guard let v = value.scalar?.string, !v.isEmpty else {
                    out.error("\(what).version must be a version such as \(MLCIVersion.current)", doc.location(value))
                    continue
                }
                if v != MLCIVersion.current {
                    out.error(
                        "\(what).version is \(v), but this is mlci \(MLCIVersion.current): a pipeline runs the mlci "
                            + "that generated it; pin this version's wheels (its release's SHA256SUMS)",
                        doc.location(value))
                }
                version = v
            case "sha256":
                for (hash, location) in strings(value, what: "\(what).sha256", doc, out) {
                    if InstallSettings.isSHA256(hash) {
                        hashes.append(hash)
                    } else {
                        out.error("\(what).sha256: '\(hash)' is not a SHA-256 (64 lower-case hex digits)", location)
                    }
                }
            case "index_url":
                guard let v = value.scalar?.string else {
                    out.error("\(what).index_url must be a URL", doc.location(value))
                    continue
                }
                if let problem = InstallSettings.indexURLProblem(v) {
                    out.error("\(what).index_url \(problem)", doc.location(value))
                }
                indexURL = v
            default:
                out.error(
                    "\(what): unknown key '\(key)'\(DidYouMean.hint(for: key, among: InstallSettings.keys))",
                    doc.location(keyNode))
            }
        }
        if hashes.isEmpty {
            out.error("\(what).sha256 must list the SHA-256 of at least one wheel", doc.location(node))
        }
        return InstallSettings(version: version ?? MLCIVersion.current, sha256: hashes, indexURL: indexURL)
    }
}
