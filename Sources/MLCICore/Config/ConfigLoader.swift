import Foundation
import Yams

/// Reads `mlci.yml` text into an `MLCIConfig`, collecting every problem before failing.
public struct ConfigLoader {
    static let topLevelKeys = [
        "version", "default_branch", "kinds", "stages", "pipelines", "ci", "templates", "notebook_outputs",
        "protected_stages",
    ]
    static let stageKeys = [
        "run", "on", "needs", "after", "params", "ci", "timeout", "shards", "rollback",
        "dir", "env", "secrets", "inputs", "env_inputs", "outputs", "cache", "tags", "tag_commits", "dvc",
    ]
    static let pipelineKeys = ["stages", "branches", "schedule", "dispatch", "pull_requests"]
    /// The keys of a pipeline: its own, and each platform's that has pipeline settings.
    var pipelineKeys: [String] { Self.pipelineKeys + platforms.filter { !$0.pipelineSettingsKeys.isEmpty }.map(\.id) }
    /// The keys of `ci:` with the platforms mlci ships with.
    static var ciKeys: [String] { ConfigLoader().ciKeys }

    /// Names at the repository root, used to tell a misspelt kind from a path: an `on:` entry
    /// that is a bare word close to a declared kind and names nothing at the root is an error.
    public var rootNames: Set<String> = []
    /// The CI platforms whose `ci.<platform>` settings and naming rules apply.
    public var platforms: [any CIPlatform]

    public init(rootNames: Set<String> = [], platforms: [any CIPlatform] = CIPlatforms.builtIn) {
        self.rootNames = rootNames
        self.platforms = platforms
    }

    /// The "scalar or report" idiom, in one place: the value `accept` makes of the node's text,
    /// or nil after reporting `message` at the node (a mapping or list where text belongs, or
    /// text `accept` refuses).
    func scalar<Value>(
        _ node: Node, _ doc: YAMLDocument, _ out: Collector, else message: @autoclosure () -> String,
        _ accept: (String) -> Value?
    ) -> Value? {
        if let text = node.scalar?.string, let value = accept(text) { return value }
        out.error(message(), doc.location(node))
        return nil
    }

    /// A command: any text that is not blank.
    static func command(_ text: String) -> String? {
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : text
    }

    /// A list of branch or tag patterns, each checked by `RefPattern.problem` at its position.
    func refPatterns(_ node: Node, owner: String, kind: String, _ doc: YAMLDocument, _ out: Collector)
        -> [String]
    {
        let entries = strings(node, what: "\(owner) \(kind == "tag" ? "tags" : "branches")", doc, out)
        for (pattern, at) in entries {
            if let problem = RefPattern.problem(pattern) {
                out.error("\(owner): \(kind) '\(pattern.terminalSafe)' \(problem)", at)
            }
        }
        return entries.map(\.0)
    }

    final class Collector {
        var diagnostics: [Diagnostic] = []
        func error(_ message: String, _ location: SourceLocation?) {
            diagnostics.append(Diagnostic(.error, message, at: location))
        }
        func warning(_ message: String, _ location: SourceLocation?) {
            diagnostics.append(Diagnostic(.warning, message, at: location))
        }
    }

    /// The file's bytes, which must be UTF-8 (the first byte that is not is reported at its
    /// line and column rather than read as U+FFFD into a command line).
    public func load(bytes: [UInt8], file: String = MLCIConfig.fileName) throws(ConfigError) -> (
        MLCIConfig, [Diagnostic]
    ) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let valid = Self.validUTF8Prefix(bytes)
            throw ConfigError([
                Diagnostic(
                    .error, String(format: "not UTF-8 text (byte 0x%02x); save %@ as UTF-8", bytes[valid], file),
                    at: SourceLocation(file: file, byteOffset: valid, in: bytes))
            ])
        }
        return try load(text: text, file: file)
    }

    /// How many leading bytes form valid UTF-8.
    static func validUTF8Prefix(_ bytes: [UInt8]) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }

    /// Parses and checks `text`; throws every error at once. Warnings come back with the config.
    public func load(text: String, file: String = MLCIConfig.fileName) throws(ConfigError) -> (MLCIConfig, [Diagnostic])
    {
        let doc = try YAMLDocument(text: text, file: file)
        let out = Collector()
        guard let root = doc.root, case .mapping(let top) = root else {
            let found = doc.root?.shapeName ?? "an empty document"
            throw ConfigError([
                Diagnostic(
                    .error, "\(file) must be a mapping with 'version', 'kinds' and 'stages'; found \(found)",
                    at: doc.root.flatMap(doc.location) ?? SourceLocation(file: file, line: 1, column: 1))
            ])
        }

        var version = 1
        var defaultBranch: String?
        var kinds: [Kind] = []
        var stageNodes: [(String, Node, Node)] = []  // name, key node, value node
        var pipelineNodes: [(String, Node, Node)] = []
        var ci = CISettings()
        var templates: String?
        var notebookOutputsCount = false
        var protectedStages: [(String, SourceLocation?)] = []
        var sawVersion = false

        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            let at = doc.location(keyNode)
            switch key {
            case "version":
                sawVersion = true
                if let v = value.plainInt, v == 1 {
                    version = v
                } else {
                    out.error(
                        "unsupported version '\(value.string ?? value.shapeName)'; this mlci reads version 1",
                        doc.location(value))
                }
            case "protected_stages":
                protectedStages = strings(value, what: "protected_stages", doc, out)
            case "default_branch":
                // Generated pipelines name it in shell lines and refspecs: a plain git branch name only.
                defaultBranch = scalar(
                    value, doc, out,
                    else: "default_branch must be a branch name (letters, digits, '.', '_', '-' and '/')"
                ) { Self.isPlainBranchName($0) ? $0 : nil }
            case "kinds":
                guard case .mapping(let map) = value else {
                    out.error(
                        "kinds must be a mapping of kind name to a list of patterns; found \(value.shapeName)",
                        doc.location(value))
                    continue
                }
                for (nameNode, patternsNode) in map {
                    let name = nameNode.string ?? ""
                    let patterns = strings(patternsNode, what: "kind '\(name)'", doc, out)
                    var compiled: [PathPattern] = []
                    for (source, loc) in patterns {
                        if let p = PathPattern(source) {
                            compiled.append(p)
                        } else {
                            out.error("'\(source)' in kind '\(name)' is not a usable pattern", loc)
                        }
                    }
                    kinds.append(Kind(name: name, patterns: PatternList(compiled), location: doc.location(nameNode)))
                }
            case "stages":
                guard case .mapping(let map) = value else {
                    out.error(
                        "stages must be a mapping of stage name to its definition; found \(value.shapeName)",
                        doc.location(value))
                    continue
                }
                for (nameNode, body) in map { stageNodes.append((nameNode.string ?? "", nameNode, body)) }
            case "pipelines":
                guard case .mapping(let map) = value else {
                    out.error(
                        "pipelines must be a mapping of pipeline name to its stages; found \(value.shapeName)",
                        doc.location(value))
                    continue
                }
                for (nameNode, body) in map { pipelineNodes.append((nameNode.string ?? "", nameNode, body)) }
            case "ci":
                ci = ciSettings(value, what: "ci", doc, out)
            case "notebook_outputs":
                notebookOutputsCount =
                    scalar(value, doc, out, else: "notebook_outputs must be 'ignore' (the default) or 'count'") {
                        ["ignore": false, "count": true][$0]
                    } ?? false
            case "templates":
                if let s = value.scalar?.string, !s.isEmpty {
                    // The directory is read from the repository (at the base commit, under
                    // --config-from base): a path out of it would read files no commit holds.
                    if s.hasPrefix("/") || s.split(separator: "/").contains("..") {
                        out.error(
                            "templates must be a directory inside the repository (relative, without '..'): '\(s)'",
                            doc.location(value))
                    } else {
                        templates = s
                    }
                } else {
                    out.error("templates must be a directory path", doc.location(value))
                }
            case _ where key.hasPrefix("x-"):
                // Extension fields, as in Docker Compose: a place for anchors (`x-gpu: &gpu {…}`)
                // that stages merge with `<<: *gpu`.
                break
            default:
                out.error("unknown key '\(key)'\(DidYouMean.hint(for: key, among: Self.topLevelKeys))", at)
            }
        }
        if !sawVersion {
            out.error("missing 'version: 1'", SourceLocation(file: file, line: 1, column: 1))
        }
        if stageNodes.isEmpty, !out.diagnostics.contains(where: { $0.severity == .error }) {
            out.error(
                "no stages are defined; add at least one under 'stages:'",
                SourceLocation(file: file, line: 1, column: 1))
        }

        let kindNames = Set(kinds.map(\.name))
        let stageNames = stageNodes.map(\.0)
        var stages: [Stage] = []
        for (name, nameNode, body) in stageNodes {
            if let stage = loadStage(
                name, nameNode, body, kinds: kinds, kindNames: kindNames, stageNames: stageNames, doc, out)
            {
                stages.append(stage)
            }
        }
        if stages.count == stageNodes.count {
            for cycle in StageGraph.cycles(stages) {
                let first = stages.first { $0.name == cycle[0] }
                out.error(
                    "stages form a cycle through needs/after: \((cycle + [cycle[0]]).joined(separator: " → "))",
                    first?.location)
            }
        }

        let stageLocations = Dictionary(
            stageNodes.map { ($0.0, doc.location($0.1)) }, uniquingKeysWith: { first, _ in first })
        let pipelines = loadPipelines(pipelineNodes, stageNames: stageNames, stageLocations: stageLocations, doc, out)
        for node in Self.nodesReachingWorkflows(top, stageNodes: stageNodes) {
            for (text, at) in Self.scalars(node, doc) where text.contains("${{") {
                out.error(
                    "'${{' is not allowed here: this value is written into generated GitHub workflows, where "
                        + "GitHub would evaluate it as an expression", at)
            }
        }
        for d in ConfigChecks.acrossPipelines(stages, pipelines: pipelines, locations: stageLocations) {
            if d.severity == .error { out.error(d.message, d.location) } else { out.warning(d.message, d.location) }
        }
        // Each platform's rules (job ids, its own grants); one problem two platforms share (a
        // clash of names that are the same job id on both) is reported once. Errors go here,
        // in the order of the stages they name; warnings with the other pull-request warnings.
        var reported = Set<String>()
        let platformProblems = platforms.flatMap { $0.problems(stages: stages, pipelines: pipelines, ci: ci) }.filter {
            reported.insert("\($0.location?.description ?? ""): \($0.message)").inserted
        }
        let naming = platformProblems.filter { $0.severity == .error } + StageJobEnvironment.variableProblems(stages)
        for d in Self.inSourceOrder(naming) { out.error(d.message, d.location) }

        // MLCI_TRIGGER=<name> must start one pipeline: a dispatch name that is also another
        // scheduled pipeline's name would start both (a schedule could deploy).
        var requested: [String: String] = [:]
        for pipeline in pipelines {
            guard let name = pipeline.requestName else { continue }
            if let other = requested[name] {
                out.error(
                    "pipelines '\(other)' and '\(pipeline.name)' are both requested as \(StageJobEnvironment.trigger)=\(name) "
                        + "(a dispatch name, or a scheduled pipeline's own name); give them different names",
                    pipeline.location)
            }
            requested[name] = pipeline.name
        }

        for (name, at) in protectedStages where !stages.contains(where: { $0.name == name }) {
            out.warning(
                "protected_stages: no stage named '\(name)'\(DidYouMean.hint(for: name, among: stages.map(\.name)))", at
            )
        }

        let exposure = Collector()
        warnPullRequestExposure(stages: stages, pipelines: pipelines, exposure)
        for d in Self.inSourceOrder(exposure.diagnostics + platformProblems.filter { $0.severity == .warning }) {
            out.warning(d.message, d.location)
        }
        let errors = out.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw ConfigError(out.diagnostics) }
        var config = MLCIConfig(
            version: version, defaultBranch: defaultBranch, kinds: kinds, stages: stages,
            pipelines: pipelines, ci: ci, templates: templates, notebookOutputsCount: notebookOutputsCount)
        config.protectedStages = protectedStages.map(\.0)
        return (config, out.diagnostics)
    }

    /// Diagnostics by line and column (a stable sort: those at one place keep their order).
    static func inSourceOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let (l, r) = (a.element.location, b.element.location)
            let lk = (l?.line ?? Int.max, l?.column ?? Int.max), rk = (r?.line ?? Int.max, r?.column ?? Int.max)
            return lk != rk ? lk < rk : a.offset < b.offset
        }.map(\.element)
    }

    /// A branch name git accepts (`git check-ref-format --branch`) made of a safe alphabet.
    static func isPlainBranchName(_ s: String) -> Bool {
        let allowed = s.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-/".unicodeScalars.contains($0))
        }
        return allowed && !s.isEmpty && !s.hasPrefix("-") && !s.hasPrefix("/") && !s.hasSuffix("/")
            && !s.hasSuffix(".lock") && !s.hasSuffix(".") && !s.contains("..") && !s.contains("//")
            && !s.split(separator: "/").contains { $0.hasPrefix(".") }
    }

    static func isVariableName(_ s: String) -> Bool {
        guard let first = s.first, first == "_" || (first.isASCII && first.isLetter) else { return false }
        return s.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    /// The parts of mlci.yml whose values are written into generated GitHub workflows: stage
    /// names, the top-level `ci:` and `pipelines:`, and each stage's `ci:`, `tags` and `secrets`.
    /// (`run:`, `env:` and the like reach the stage through `mlci job`, never the YAML.)
    static func nodesReachingWorkflows(_ top: Node.Mapping, stageNodes: [(String, Node, Node)]) -> [Node] {
        var nodes = top.filter { ["ci", "pipelines", "default_branch"].contains($0.key.string ?? "") }.map(\.value)
        for (_, nameNode, body) in stageNodes {
            nodes.append(nameNode)
            if case .mapping(let map) = body {
                nodes += map.filter { ["ci", "tags", "secrets"].contains($0.key.string ?? "") }.map(\.value)
            }
        }
        return nodes
    }

    /// Every scalar (keys included) under a node, with its place.
    static func scalars(_ node: Node, _ doc: YAMLDocument) -> [(String, SourceLocation?)] {
        switch node {
        case .scalar(let s): return [(s.string, doc.location(node))]
        case .mapping(let m): return m.flatMap { scalars($0.key, doc) + scalars($0.value, doc) }
        case .sequence(let q): return q.flatMap { scalars($0, doc) }
        case .alias: return []
        }
    }

    /// A list of strings (a single string counts as a list of one), with their locations.
    func strings(_ node: Node, what: String, _ doc: YAMLDocument, _ out: Collector) -> [(
        String, SourceLocation?
    )] {
        switch node {
        case .scalar(let s):
            if s.string.isEmpty && s.style == .plain { return [] }
            return [(s.string, doc.location(node))]
        case .sequence(let seq):
            var result: [(String, SourceLocation?)] = []
            for item in seq {
                if case .scalar(let s) = item {
                    result.append((s.string, doc.location(item)))
                } else {
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
