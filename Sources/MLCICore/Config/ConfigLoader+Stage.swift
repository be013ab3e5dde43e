import Foundation
import Yams

/// Decoding one stage of `mlci.yml` and its `on:` entries.
extension ConfigLoader {
    func loadStage(
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
                run =
                    scalar(value, doc, out, else: "stage '\(name)': 'run' must be a non-empty command", Self.command)
                    ?? ""
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
                timeout = scalar(
                    value, doc, out,
                    else: "stage '\(name)': timeout must be a duration with a unit, such as 90s, 30m, 2h or 1h30m",
                    TimeSpan.seconds)
            case "shards":
                // GitLab's `parallel:` takes 1 to 200; a larger matrix would not create a pipeline.
                if let n = value.plainInt, n >= 1, n <= 200 {
                    shards = n
                } else {
                    out.error("stage '\(name)': shards must be a whole number from 1 to 200", doc.location(value))
                }
            case "rollback":
                rollback = scalar(
                    value, doc, out, else: "stage '\(name)': rollback must be a non-empty command", Self.command)
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
                tagCommits = scalar(
                    value, doc, out, else: "stage '\(name)': tag_commits must be default-branch or any",
                    TagCommits.init(rawValue:))
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

    func watchEntry(
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
}
