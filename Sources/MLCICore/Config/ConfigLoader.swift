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
    static let ciKeys = ["github", "gitlab", "jenkins", "setup", "install"]

    /// Names at the repository root, used to tell a misspelt kind from a path: an `on:` entry
    /// that is a bare word close to a declared kind and names nothing at the root is an error.
    public var rootNames: Set<String> = []

    public init(rootNames: Set<String> = []) {
        self.rootNames = rootNames
    }

    /// A list of branch or tag patterns, each checked by `RefPattern.problem` at its position.
    private func refPatterns(_ node: Node, owner: String, kind: String, _ doc: YAMLDocument, _ out: Collector)
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
                if let s = value.scalar?.string, Self.isPlainBranchName(s) {
                    defaultBranch = s
                } else {
                    out.error(
                        "default_branch must be a branch name (letters, digits, '.', '_', '-' and '/')",
                        doc.location(value))
                }
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
                switch value.scalar?.string {
                case "ignore": notebookOutputsCount = false
                case "count": notebookOutputsCount = true
                default: out.error("notebook_outputs must be 'ignore' (the default) or 'count'", doc.location(value))
                }
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
        for (stage, message) in JobNames.problems(stages) { out.error(message, stageLocations[stage] ?? nil) }
        // MLCI_TRIGGER=<name> must start one pipeline: a dispatch name that is also another
        // scheduled pipeline's name would start both (a schedule could deploy).
        var requested: [String: String] = [:]
        for pipeline in pipelines {
            guard let name = pipeline.requestName else { continue }
            if let other = requested[name] {
                out.error(
                    "pipelines '\(other)' and '\(pipeline.name)' are both requested as MLCI_TRIGGER=\(name) "
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

        warnPullRequestExposure(stages: stages, pipelines: pipelines, ci: ci, out)

        let errors = out.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { throw ConfigError(out.diagnostics) }
        var config = MLCIConfig(
            version: version, defaultBranch: defaultBranch, kinds: kinds, stages: stages,
            pipelines: pipelines, ci: ci, templates: templates, notebookOutputsCount: notebookOutputsCount)
        config.protectedStages = protectedStages.map(\.0)
        return (config, out.diagnostics)
    }

    private func loadStage(
        _ name: String, _ nameNode: Node, _ body: Node, kinds: [Kind], kindNames: Set<String>,
        stageNames: [String], _ doc: YAMLDocument, _ out: Collector
    ) -> Stage? {
        let stageAt = doc.location(nameNode)
        guard case .mapping(let map) = body else {
            out.error(
                "stage '\(name)' must be a mapping with at least 'run'; found \(body.shapeName)",
                doc.location(body) ?? stageAt)
            return nil
        }
        if let problem = Stage.nameProblem(name) { out.error(problem, stageAt) }
        var run: String?
        var on: [WatchEntry] = []
        var needs: [String] = []
        var after: [String] = []
        var params: [ParamsWatch] = []
        var ci: CISettings?
        var timeout: Int?
        var shards: Int?
        var rollback: String?
        var local = LocalRunSettings()
        var tags: [String] = []
        var tagCommits: TagCommits?
        var dvc: DVCLink?
        var definition: [String: JSONValue] = [:]
        for (keyNode, value) in map {
            let key = keyNode.string ?? ""
            definition[key] = value.canonical
            switch key {
            case "run":
                if let s = value.scalar?.string, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    run = s
                } else {
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
                        out.error(
                            "stage '\(name)' \(key) unknown stage '\(other)'\(DidYouMean.hint(for: other, among: stageNames))",
                            loc)
                    } else {
                        names.append(other)
                    }
                }
                if key == "needs" { needs = names } else { after = names }
            case "params":
                guard case .mapping(let files) = value else {
                    out.error(
                        "stage '\(name)': params must map a params file to a list of keys; found \(value.shapeName)",
                        doc.location(value))
                    continue
                }
                for (fileNode, keysNode) in files {
                    let file = fileNode.string ?? ""
                    let keys = strings(keysNode, what: "stage '\(name)' params \(file)", doc, out).map(\.0)
                    if ParamsFormat(path: file) == nil {
                        out.error(
                            "stage '\(name)': params file '\(file)' must end in .yaml, .yml, .json, .toml or .py",
                            doc.location(fileNode))
                    }
                    params.append(ParamsWatch(file: file, keys: keys))
                }
            case "ci":
                ci = ciSettings(value, what: "stage '\(name)' ci", doc, out)
            case "timeout":
                if let text = value.scalar?.string, let seconds = TimeSpan.seconds(text) {
                    timeout = seconds
                } else {
                    out.error(
                        "stage '\(name)': timeout must be a duration with a unit, such as 90s, 30m, 2h or 1h30m",
                        doc.location(value))
                }
            case "shards":
                // GitLab's `parallel:` takes 1 to 200; a larger matrix would not create a pipeline.
                if let n = value.plainInt, n >= 1, n <= 200 {
                    shards = n
                } else {
                    out.error("stage '\(name)': shards must be a whole number from 1 to 200", doc.location(value))
                }
            case "rollback":
                if let s = value.scalar?.string, !s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    rollback = s
                } else {
                    out.error("stage '\(name)': rollback must be a non-empty command", doc.location(value))
                }
            case "dir":
                if let s = value.scalar?.string, !s.isEmpty, !s.hasPrefix("/"), !s.split(separator: "/").contains("..")
                {
                    local.dir = s
                } else {
                    out.error(
                        "stage '\(name)': dir must be a directory inside the repository, relative to its root",
                        doc.location(value))
                }
            case "env":
                guard case .mapping(let vars) = value else {
                    out.error(
                        "stage '\(name)': env must map variable names to values; found \(value.shapeName)",
                        doc.location(value));
                    continue
                }
                for (k, v) in vars {
                    guard let varName = k.string, Self.isVariableName(varName), let text = v.scalar?.string else {
                        out.error(
                            "stage '\(name)': env entries must be NAME: value with a valid variable name",
                            doc.location(k));
                        continue
                    }
                    local.env.append((varName, text))
                }
            case "secrets", "env_inputs":
                for (varName, loc) in strings(value, what: "stage '\(name)' \(key)", doc, out) {
                    if !Self.isVariableName(varName) {
                        out.error("stage '\(name)': '\(varName)' is not a variable name", loc); continue
                    }
                    if key == "secrets" { local.secrets.append(varName) } else { local.envInputs.append(varName) }
                }
            case "inputs":
                for (source, loc) in strings(value, what: "stage '\(name)' inputs", doc, out) {
                    if let p = PathPattern(source) {
                        local.inputs.append(p)
                    } else {
                        out.error("stage '\(name)': '\(source)' is not a usable pattern", loc)
                    }
                }
            case "outputs":
                for (path, loc) in strings(value, what: "stage '\(name)' outputs", doc, out) {
                    if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                        out.error("stage '\(name)': output '\(path)' must be a path inside the repository", loc)
                    } else if path.split(separator: "/").contains(where: { $0.lowercased() == ".git" }) {
                        // A restored output there would be a hook or a config git runs.
                        out.error(
                            "stage '\(name)': output '\(path)' is inside .git; outputs are working-tree files", loc)
                    } else {
                        local.outputs.append(path)
                    }
                }
            case "dvc":
                if let b = value.plainBool {
                    dvc = b ? .all : nil
                } else {
                    dvc = .stages(strings(value, what: "stage '\(name)' dvc", doc, out).map(\.0))
                }
            case "tags":
                tags = refPatterns(value, owner: "stage '\(name)'", kind: "tag", doc, out)
            case "tag_commits":
                if let text = value.scalar?.string, let choice = TagCommits(rawValue: text) {
                    tagCommits = choice
                } else {
                    out.error("stage '\(name)': tag_commits must be default-branch or any", doc.location(value))
                }
            case "cache":
                if let b = value.plainBool {
                    local.cache = b
                } else {
                    out.error("stage '\(name)': cache must be true or false", doc.location(value))
                }
            default:
                out.error(
                    "stage '\(name)': unknown key '\(key)'\(DidYouMean.hint(for: key, among: Self.stageKeys))",
                    doc.location(keyNode))
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
        return Stage(
            name: name, run: run ?? "", on: on, needs: needs, after: after, params: params,
            location: stageAt, ci: ci, timeout: timeout, shards: shards, rollback: rollback,
            local: local, tags: tags, tagCommits: tagCommits, dvc: dvc, definition: definition)
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

    private func ciSettings(_ node: Node, what: String, _ doc: YAMLDocument, _ out: Collector) -> CISettings {
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

    /// Pipelines, each stage in at most one; without `pipelines:`, one pipeline `mlci`.
    private func loadPipelines(
        _ nodes: [(String, Node, Node)], stageNames: [String], stageLocations: [String: SourceLocation?],
        _ doc: YAMLDocument,
        _ out: Collector
    ) -> [Pipeline] {
        guard !nodes.isEmpty else {
            return [
                Pipeline(
                    name: "mlci", stages: stageNames, branches: nil, schedule: nil, dispatch: nil, pullRequests: nil,
                    location: nil)
            ]
        }
        var owner: [String: String] = [:]
        var pipelines: [Pipeline] = []
        for (name, nameNode, body) in nodes {
            let at = doc.location(nameNode)
            if !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
                || name.isEmpty
            {
                out.error(
                    "pipeline name '\(name)' may hold only letters, digits, '-' and '_' (it names files and jobs)", at)
            }
            guard case .mapping(let map) = body else {
                out.error(
                    "pipeline '\(name)' must be a mapping with 'stages'; found \(body.shapeName)",
                    doc.location(body) ?? at)
                continue
            }
            var stages: [String] = [], branches: [String]?, schedule: String?, dispatch: String?
            var pullRequests: Bool?
            var sawStages = false
            for (keyNode, value) in map {
                let key = keyNode.string ?? ""
                switch key {
                case "stages":
                    sawStages = true
                    for (stage, loc) in strings(value, what: "pipeline '\(name)' stages", doc, out) {
                        if !stageNames.contains(stage) {
                            out.error(
                                "pipeline '\(name)' names unknown stage '\(stage)'\(DidYouMean.hint(for: stage, among: stageNames))",
                                loc)
                        } else if let other = owner[stage] {
                            out.error(
                                "stage '\(stage)' is in pipeline '\(other)' and in pipeline '\(name)'; a stage belongs to one pipeline",
                                loc)
                        } else {
                            owner[stage] = name
                            stages.append(stage)
                        }
                    }
                case "branches":
                    branches = refPatterns(value, owner: "pipeline '\(name)'", kind: "branch", doc, out)
                case "schedule":
                    if let cron = value.scalar?.string, Cron.problem(cron) == nil {
                        schedule = cron
                    } else {
                        out.error(
                            "pipeline '\(name)': invalid cron '\(value.string ?? "")': \(Cron.problem(value.string ?? "") ?? "expected a string")",
                            doc.location(value))
                    }
                case "dispatch":
                    if let d = value.scalar?.string, !d.isEmpty,
                        d.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
                    {
                        dispatch = d
                    } else {
                        out.error(
                            "pipeline '\(name)': dispatch must be a name of letters, digits, '-' and '_'",
                            doc.location(value))
                    }
                case "pull_requests":
                    if let flag = value.scalar.flatMap({ Bool($0.string) }) {
                        pullRequests = flag
                    } else {
                        out.error("pipeline '\(name)': pull_requests must be true or false", doc.location(value))
                    }
                default:
                    out.error(
                        "pipeline '\(name)': unknown key '\(key)'\(DidYouMean.hint(for: key, among: Self.pipelineKeys))",
                        doc.location(keyNode))
                }
            }
            if !sawStages { out.error("pipeline '\(name)' has no 'stages'", at) }
            pipelines.append(
                Pipeline(
                    name: name, stages: stages, branches: branches, schedule: schedule, dispatch: dispatch,
                    pullRequests: pullRequests, location: at))
        }
        for stage in stageNames where owner[stage] == nil {
            out.warning(
                "stage '\(stage)' is in no pipeline, so generated CI never runs it", stageLocations[stage] ?? nil)
        }
        return pipelines
    }

    private func watchEntry(
        _ source: String, _ loc: SourceLocation?, stage: String, kindNames: Set<String>,
        _ out: Collector
    ) -> [WatchEntry] {
        if kindNames.contains(source) {
            return [WatchEntry(source: source, target: .kind(source), location: loc)]
        }
        let bareWord = source.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        // `dataset` or `models` next to a kind `data` or `model` is a kind meant, not a path.
        let near =
            DidYouMean.suggestion(for: source, among: kindNames)
            ?? kindNames.sorted().first {
                source.lowercased().hasPrefix($0.lowercased()) || $0.lowercased().hasPrefix(source.lowercased())
            }
        if bareWord, !rootNames.contains(source), let near {
            out.error(
                "stage '\(stage)' watches '\(source)', which is not a declared kind (did you mean '\(near)'?) "
                    + "and names nothing at the repository root; declare it under 'kinds:' or write a path such as '\(source)/'",
                loc)
            return []
        }
        guard let pattern = PathPattern(source) else {
            out.error("stage '\(stage)': '\(source)' is not a usable pattern", loc)
            return []
        }
        return [WatchEntry(source: source, target: .pattern(pattern), location: loc)]
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
