import Foundation
import Yams

/// Reads `mlci.yml` text into an `MLCIConfig`, collecting every problem before failing.
public struct ConfigLoader {
    static let topLevelKeys = ["version", "default_branch", "kinds", "stages"]
    static let stageKeys = ["run", "on", "needs", "after", "params"]

    /// Names at the repository root, used to tell a misspelt kind from a path: an `on:` entry
    /// that is a bare word close to a declared kind and names nothing at the root is an error.
    public var rootNames: Set<String> = []

    public init(rootNames: Set<String> = []) {
        self.rootNames = rootNames
    }

    private final class Collector {
        var diagnostics: [Diagnostic] = []
        func error(_ message: String, _ location: SourceLocation?) {
            diagnostics.append(Diagnostic(.error, message, at: location))
        }
        func warning(_ message: String, _ location: SourceLocation?) {
            diagnostics.append(Diagnostic(.warning, message, at: location))
        }
    }

    /// Parses and checks `text`; throws every error at once. Warnings come back with the config.
    public func load(text: String, file: String = MLCIConfig.fileName) throws(ConfigError) -> (MLCIConfig, [Diagnostic]) {
        let doc = try YAMLDocument(text: text, file: file)
        let out = Collector()
        guard let root = doc.root, case .mapping(let top) = root else {
            let found = doc.root?.shapeName ?? "an empty document"
            throw ConfigError([Diagnostic(.error, "\(file) must be a mapping with 'version', 'kinds' and 'stages'; found \(found)",
                                          at: doc.root.flatMap(doc.location) ?? SourceLocation(file: file, line: 1, column: 1))])
        }

        var version = 1
        var defaultBranch: String?
        var kinds: [Kind] = []
        var stageNodes: [(String, Node, Node)] = []  // name, key node, value node
        var sawVersion = false

        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            let at = doc.location(keyNode)
            switch key {
            case "version":
                sawVersion = true
                if let v = value.int, v == 1 { version = v } else {
                    out.error("unsupported version '\(value.string ?? value.shapeName)'; this mlci reads version 1", doc.location(value))
                }
            case "default_branch":
                if let s = value.scalar?.string, !s.isEmpty { defaultBranch = s } else {
                    out.error("default_branch must be a branch name", doc.location(value))
                }
            case "kinds":
                guard case .mapping(let map) = value else {
                    out.error("kinds must be a mapping of kind name to a list of patterns; found \(value.shapeName)", doc.location(value))
                    continue
                }
                for (nameNode, patternsNode) in map {
                    let name = nameNode.string ?? ""
                    let patterns = strings(patternsNode, what: "kind '\(name)'", doc, out)
                    var compiled: [PathPattern] = []
                    for (source, loc) in patterns {
                        if let p = PathPattern(source) { compiled.append(p) } else {
                            out.error("'\(source)' in kind '\(name)' is not a usable pattern", loc)
                        }
                    }
                    kinds.append(Kind(name: name, patterns: PatternList(compiled), location: doc.location(nameNode)))
                }
            case "stages":
                guard case .mapping(let map) = value else {
                    out.error("stages must be a mapping of stage name to its definition; found \(value.shapeName)", doc.location(value))
                    continue
                }
                for (nameNode, body) in map { stageNodes.append((nameNode.string ?? "", nameNode, body)) }
            default:
                out.error("unknown key '\(key)'\(DidYouMean.hint(for: key, among: Self.topLevelKeys))", at)
            }
        }
        if !sawVersion {
            out.error("missing 'version: 1'", SourceLocation(file: file, line: 1, column: 1))
        }
        if stageNodes.isEmpty, !out.diagnostics.contains(where: { $0.severity == .error }) {
            out.error("no stages are defined; add at least one under 'stages:'", SourceLocation(file: file, line: 1, column: 1))
        }

        let kindNames = Set(kinds.map(\.name))
        let stageNames = stageNodes.map(\.0)
        var stages: [Stage] = []
        for (name, nameNode, body) in stageNodes {
            if let stage = loadStage(name, nameNode, body, kinds: kinds, kindNames: kindNames, stageNames: stageNames, doc, out) {
                stages.append(stage)
            }
        }
        if stages.count == stageNodes.count {
            for cycle in StageGraph.cycles(stages) {
                let first = stages.first { $0.name == cycle[0] }
                out.error("stages form a cycle through needs/after: \((cycle + [cycle[0]]).joined(separator: " → "))", first?.location)
            }
        }

        let errors = out.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw ConfigError(out.diagnostics) }
        return (MLCIConfig(version: version, defaultBranch: defaultBranch, kinds: kinds, stages: stages),
                out.diagnostics)
    }

    private func loadStage(_ name: String, _ nameNode: Node, _ body: Node, kinds: [Kind], kindNames: Set<String>,
                           stageNames: [String], _ doc: YAMLDocument, _ out: Collector) -> Stage? {
        let stageAt = doc.location(nameNode)
        guard case .mapping(let map) = body else {
            out.error("stage '\(name)' must be a mapping with at least 'run'; found \(body.shapeName)", doc.location(body) ?? stageAt)
            return nil
        }
        if name.isEmpty { out.error("a stage needs a non-empty name", stageAt) }
        var run: String?
        var on: [WatchEntry] = []
        var needs: [String] = []
        var after: [String] = []
        var params: [ParamsWatch] = []
        var definition: [String: JSONValue] = [:]
        for (keyNode, value) in map {
            let key = keyNode.string ?? ""
            definition[key] = value.canonical
            switch key {
            case "run":
                if let s = value.scalar?.string, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { run = s } else {
                    out.error("stage '\(name)': 'run' must be a non-empty command", doc.location(value))
                    run = ""
                }
            case "on":
                for (source, loc) in strings(value, what: "stage '\(name)' on", doc, out) {
                    on.append(contentsOf: watchEntry(source, loc, stage: name, kindNames: kindNames, out))
                }
            case "needs", "after":
                var names: [String] = []
                for (other, loc) in strings(value, what: "stage '\(name)' \(key)", doc, out) {
                    if other == name {
                        out.error("stage '\(name)' lists itself in '\(key)'", loc)
                    } else if !stageNames.contains(other) {
                        out.error("stage '\(name)' \(key) unknown stage '\(other)'\(DidYouMean.hint(for: other, among: stageNames))", loc)
                    } else {
                        names.append(other)
                    }
                }
                if key == "needs" { needs = names } else { after = names }
            case "params":
                guard case .mapping(let files) = value else {
                    out.error("stage '\(name)': params must map a params file to a list of keys; found \(value.shapeName)", doc.location(value))
                    continue
                }
                for (fileNode, keysNode) in files {
                    let file = fileNode.string ?? ""
                    let keys = strings(keysNode, what: "stage '\(name)' params \(file)", doc, out).map(\.0)
                    if ParamsFormat(path: file) == nil {
                        out.error("stage '\(name)': params file '\(file)' must end in .yaml, .yml, .json or .toml", doc.location(fileNode))
                    }
                    params.append(ParamsWatch(file: file, keys: keys))
                }
            default:
                out.error("stage '\(name)': unknown key '\(key)'\(DidYouMean.hint(for: key, among: Self.stageKeys))", doc.location(keyNode))
            }
        }
        if run == nil {
            out.error("stage '\(name)' has no 'run' command", stageAt)
        }
        // The kinds a stage watches are part of what it means: changing their patterns
        // changes what the stage reacts to.
        for entry in on {
            if case .kind(let k) = entry.target, let kind = kinds.first(where: { $0.name == k }) {
                definition["kind:" + k] = .array(kind.patterns.patterns.map { .string($0.source) })
            }
        }
        return Stage(name: name, run: run ?? "", on: on, needs: needs, after: after, params: params,
                     location: stageAt, definition: definition)
    }

    private func watchEntry(_ source: String, _ loc: SourceLocation?, stage: String, kindNames: Set<String>,
                            _ out: Collector) -> [WatchEntry] {
        if kindNames.contains(source) {
            return [WatchEntry(source: source, target: .kind(source), location: loc)]
        }
        let bareWord = source.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        if bareWord, !rootNames.contains(source), let near = DidYouMean.suggestion(for: source, among: kindNames) {
            out.error("stage '\(stage)' watches '\(source)', which is not a declared kind (did you mean '\(near)'?) "
                      + "and names nothing at the repository root; declare it under 'kinds:' or write a path such as '\(source)/'", loc)
            return []
        }
        guard let pattern = PathPattern(source) else {
            out.error("stage '\(stage)': '\(source)' is not a usable pattern", loc)
            return []
        }
        return [WatchEntry(source: source, target: .pattern(pattern), location: loc)]
    }

    /// A list of strings (a single string counts as a list of one), with their locations.
    private func strings(_ node: Node, what: String, _ doc: YAMLDocument, _ out: Collector) -> [(String, SourceLocation?)] {
        switch node {
        case .scalar(let s):
            if s.string.isEmpty && s.style == .plain { return [] }
            return [(s.string, doc.location(node))]
        case .sequence(let seq):
            var result: [(String, SourceLocation?)] = []
            for item in seq {
                if case .scalar(let s) = item { result.append((s.string, doc.location(item))) } else {
                    out.error("\(what): expected a string, found \(item.shapeName)", doc.location(item))
                }
            }
            return result
        default:
            out.error("\(what): expected a list of strings, found \(node.shapeName)", doc.location(node))
            return []
        }
    }
}
