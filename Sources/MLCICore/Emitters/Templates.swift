import Foundation
import MLCIGit
import Yams

/// The job skeletons and set-up snippets generated pipelines are built from: the built-in
/// copies of `templates/`, or a repository's own files when `mlci.yml` names a `templates:`
/// directory (a file missing there falls back to the built-in one).
public struct Templates {
    let overrideDirectory: String?
    /// Where the override directory is read from when it is not the file system: a commit.
    let commitSource: (repo: Repository, commit: ObjectID)?

    public init(overrideDirectory: String?) {
        self.overrideDirectory = overrideDirectory
        commitSource = nil
    }

    /// The `templates:` directory as committed in `commit`: what a plan that follows the base's
    /// mlci.yml uses, so the head (a fork) supplies no template, set-up line or job default.
    public init(directory: String?, inCommit commit: ObjectID, of repo: Repository) {
        overrideDirectory = directory
        commitSource = (repo, commit)
    }

    /// The templates a plan's generated jobs use: the `templates:` directory of the commit whose
    /// mlci.yml the plan follows (the base's under `--config-from base`), else the working tree's.
    public static func forPlan(_ plan: Plan, repo: Repository) -> Templates {
        if plan.configSource == .base, let base = plan.base.sha {
            return Templates(directory: plan.config.templates, inCommit: base, of: repo)
        }
        return Templates(overrideDirectory: plan.config.templates.map { (repo.workdir ?? "") + $0 })
    }

    /// The built-in text of a template, as in `templates/<name>`.
    public static func builtIn(_ name: String) -> String? {
        EmbeddedTemplates.files[name].map { $0 + "\n" }
    }

    public static var builtInNames: [String] { EmbeddedTemplates.files.keys.sorted() }

    public func text(_ name: String) throws -> String {
        if let dir = overrideDirectory, let source = commitSource {
            let path = (dir.split(separator: "/").filter { $0 != "." }.map(String.init) + [name]).joined(separator: "/")
            if let bytes = try source.repo.blob(atPath: path, inCommit: source.commit, limit: Snapshot.parsedFileLimit)
            {
                return String(decoding: bytes, as: UTF8.self)
            }
        } else if let dir = overrideDirectory {
            let path = (dir as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path) {
                return String(decoding: data, as: UTF8.self)
            }
        }
        guard let text = Self.builtIn(name) else { throw GenerateError.noTemplate(name) }
        return text
    }

    /// A YAML template parsed into a node.
    func yaml(_ name: String) throws -> Node {
        let text = try text(name)
        do {
            return try Node.composeBounded(text, resolver: .default) ?? Node.mapping(Node.Mapping([]))
        } catch let error as YamlError {
            let d = YAMLDocument.diagnostic(error, file: name, text: text)
            throw GenerateError.invalidTemplate(d)
        }
    }

    /// Shell lines of a template, without comments and blank lines; `@MLCI_VERSION@` becomes
    /// this mlci's version (the set-up lines install exactly the mlci that generated them), and
    /// each key of `substituting` its value.
    func lines(_ name: String, substituting: [String: String] = [:]) throws -> [String] {
        var text = try text(name).replacingOccurrences(of: "@MLCI_VERSION@", with: MLCIVersion.current)
        for (placeholder, value) in substituting.sorted(by: { $0.key < $1.key }) {
            text = text.replacingOccurrences(of: placeholder, with: value)
        }
        return
            text
            .split(separator: "\n").map(String.init)
            .filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty
                    && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#")
            }
    }
}

extension Node {
    /// The pairs of a mapping node (empty for anything else).
    var pairs: [(String, Node)] {
        guard case .mapping(let m) = self else { return [] }
        return m.map { ($0.key.string ?? "", $0.value) }
    }

    var items: [Node] {
        guard case .sequence(let s) = self else { return [] }
        return Array(s)
    }

    /// A mapping's value for the plain key `name`. Yams' `node["name"]` first builds and
    /// resolves a Node for the key, which costs more than the lookup when done per stage.
    func field(_ name: String) -> Node? {
        guard case .mapping(let m) = self else { return nil }
        return m.first { $0.key.scalar?.string == name }?.value
    }
}
