import Foundation
import Yams

/// A `dvc.yaml` mlci cannot read as DVC would, with the line where reading stopped.
public struct DVCFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}

/// A stage of a DVC pipeline after `foreach`/`matrix` expansion and `${…}` interpolation, with
/// paths relative to the repository root.
public struct DVCStage: Sendable {
    /// DVC's address of the stage: `name` in the top-level `dvc.yaml`, `dir/dvc.yaml:name`
    /// elsewhere (what `dvc stage list --all` prints and `dvc repro` accepts).
    public let name: String
    public let file: String
    public let cmd: String
    public let deps: [String]
    public let outs: [String]
    /// Params files and their tracked keys; nil keys: every key of the file.
    public let params: [(file: String, keys: [String]?)]
    public let frozen: Bool
    public let alwaysChanged: Bool
}

/// Reads `dvc.yaml` files the way DVC does, enough to tell from git alone which stages a change
/// invalidates.
public enum DVCPipelineReader {
    /// Stages of one `dvc.yaml`; `read` gives files at the same side (for `vars` and params.yaml).
    public static func stages(file: String, bytes: [UInt8], read: (String) -> [UInt8]?) throws -> [DVCStage] {
        let root: Node
        do {
            guard let parsed = try Node.composedWithMerges(bytes) else { return [] }
            root = parsed
        } catch let error as YamlError {
            let d = YAMLDocument.diagnostic(error, file: file, text: String(decoding: bytes, as: UTF8.self))
            throw DVCFileError(file: file, line: d.location?.line, message: d.message)
        } catch {
            throw DVCFileError(file: file, line: nil, message: "\(error)")
        }
        let dir = (file as NSString).deletingLastPathComponent
        func fail(_ node: Node?, _ message: String) -> DVCFileError {
            DVCFileError(file: file, line: node?.mark?.line, message: message)
        }
        /// DVC's address for a stage of this file.
        func address(_ name: String) -> String { file == "dvc.yaml" ? name : "\(file):\(name)" }
        func local(_ p: String) -> String { normalize(dir.isEmpty ? p : dir + "/" + p) }

        // Interpolation context: params.yaml beside dvc.yaml, then `vars` (files or inline maps).
        var context: [(String, JSONValue)] = []
        if let params = read(local("params.yaml")) {
            // DVC reads it for every dvc.yaml beside it: one it cannot parse is the problem to name,
            // not the `${…}` that then names nothing.
            do {
                if case .object(let pairs) = try ParamsFile.parse(params, format: .yaml) { context += pairs }
            } catch {
                throw DVCFileError(file: local("params.yaml"), line: error.line, message: error.message)
            }
        }
        for entry in root["vars"]?.items ?? [] {
            if let name = entry.string {
                let path = local(String(name.split(separator: ":").first ?? ""))
                if let bytes = read(path), let format = ParamsFormat(path: path),
                    case .object(let pairs) = try ParamsFile.parse(bytes, format: format)
                {
                    context += pairs
                }
            } else if case .object(let pairs) = ParamsFile.typed(entry) {
                context += pairs
            }
        }

        // `foreach: ${models}` and matrix axes like `model: ${models}` name a list (or mapping)
        // in params.yaml or `vars`, as DVC resolves them.
        let scope = JSONValue.object(context)
        func resolved(_ node: Node) -> JSONValue {
            let value = ParamsFile.typed(node)
            guard case .string(let text) = value, let expr = wholeExpression(text) else { return value }
            return scope.lookup(expr) ?? value
        }

        var result: [DVCStage] = []
        for (nameNode, body) in root["stages"]?.pairs ?? [] {
            let base = address(nameNode)
            if let foreach = body["foreach"], let template = body["do"] {
                switch resolved(foreach) {
                case .array(let items):
                    for (i, item) in items.enumerated() {
                        let suffix: String
                        switch item {
                        case .object, .array: suffix = String(i);
                        default: suffix = item.dvcName
                        }
                        result.append(
                            try stage("\(base)@\(suffix)", template, context + [("item", item)], file: file, dir: dir))
                    }
                case .object(let pairs):
                    for (key, item) in pairs {
                        result.append(
                            try stage(
                                "\(base)@\(key)", template, context + [("item", item), ("key", .string(key))],
                                file: file, dir: dir))
                    }
                default:
                    throw fail(
                        foreach,
                        "stage \(nameNode): foreach must be a list or a mapping, or ${…} naming one in params.yaml "
                            + "or vars; \(foreach.string.map { "'\($0)'" } ?? "this") is neither")
                }
            } else if let matrix = body["matrix"] {
                guard case .mapping(let axes) = matrix else {
                    throw fail(matrix, "stage \(nameNode): matrix must be a mapping of axis to values")
                }
                // A combination is named by its values; a dict or list value by its axis and index
                // (`opt0`), as DVC names them.
                var combos: [[(axis: String, value: JSONValue, label: String)]] = [[]]
                for (axisNode, valuesNode) in axes {
                    let axis = axisNode.string ?? ""
                    guard case .array(let list) = resolved(valuesNode) else {
                        throw fail(
                            valuesNode, "stage \(nameNode): matrix.\(axis) must be a list, or ${…} naming one")
                    }
                    let labelled = list.enumerated().map { i, value -> (String, JSONValue, String) in
                        switch value {
                        case .object, .array: return (axis, value, "\(axis)\(i)")
                        // A matrix names its scalars as DVC interpolates them (`true`, `1.0`, `None`).
                        default: return (axis, value, value.dvcInterpolated)
                        }
                    }
                    combos = combos.flatMap { combo in labelled.map { combo + [$0] } }
                }
                for combo in combos {
                    let suffix = combo.map(\.label).joined(separator: "-")
                    result.append(
                        try stage(
                            "\(base)@\(suffix)", body, context + [("item", .object(combo.map { ($0.axis, $0.value) }))],
                            file: file, dir: dir)
                    )
                }
            } else {
                result.append(try stage(base, body, context, file: file, dir: dir))
            }
        }
        return result
    }

    private static func stage(_ name: String, _ body: Node, _ context: [(String, JSONValue)], file: String, dir: String)
        throws -> DVCStage
    {
        let scope = JSONValue.object(context)
        func text(_ s: String) -> String { interpolate(s, scope) }
        func local(_ p: String) -> String { normalize(dir.isEmpty ? text(p) : dir + "/" + text(p)) }
        let wdir = body["wdir"]?.string.map(text)
        func path(_ p: String) -> String { local(wdir.map { $0 + "/" + p } ?? p) }

        var cmd = ""
        if let c = body["cmd"] {
            cmd = c.string.map(text) ?? c.items.compactMap(\.string).map(text).joined(separator: "\n")
        }
        let deps = (body["deps"]?.items ?? []).compactMap { $0.string ?? $0.pairs.first?.0 }.map(path)
        let outs = ["outs", "metrics", "plots"].flatMap { key in
            (body[key]?.items ?? []).compactMap { $0.string ?? $0.pairs.first?.0 }.map(path)
        }
        var params: [(String, [String]?)] = []
        for entry in body["params"]?.items ?? [] {
            if let key = entry.string {
                params.append((path("params.yaml"), [text(key)]))
            } else {
                for (paramsFile, keys) in entry.pairs {
                    let list = keys.items.compactMap(\.string).map(text)
                    params.append((path(text(paramsFile)), list.isEmpty ? nil : list))
                }
            }
        }
        let grouped = Dictionary(grouping: params, by: \.0).map { file, entries -> (String, [String]?) in
            entries.contains { $0.1 == nil } ? (file, nil) : (file, entries.flatMap { $0.1 ?? [] })
        }.sorted { $0.0 < $1.0 }
        return DVCStage(
            name: name, file: file, cmd: cmd, deps: deps, outs: outs, params: grouped,
            frozen: body["frozen"]?.plainBool ?? false, alwaysChanged: body["always_changed"]?.plainBool ?? false)
    }

    /// `a.b` for a string that is exactly `${a.b}`.
    static func wholeExpression(_ s: String) -> String? {
        let trimmed = s.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("${"), trimmed.hasSuffix("}"),
            trimmed.dropFirst(2).firstIndex(of: "}") == trimmed.index(before: trimmed.endIndex)
        else { return nil }
        return trimmed.dropFirst(2).dropLast().trimmingCharacters(in: .whitespaces)
    }

    /// `${a.b}` replaced by its value; an expression with no value is left as written.
    static func interpolate(_ s: String, _ scope: JSONValue) -> String {
        guard s.contains("${") else { return s }
        var out = "", rest = Substring(s)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                out += rest[start.lowerBound...]; return out
            }
            let expr = rest[start.upperBound..<end].trimmingCharacters(in: .whitespaces)
            out += scope.lookup(expr)?.dvcInterpolated ?? "${\(expr)}"
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == "..", !parts.isEmpty { parts.removeLast(); continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}

extension JSONValue {
    /// A value as DVC writes it in an expanded stage's name: Python's `str()` (`1.0`, `2000.0`,
    /// `inf`, `True`, `None`), since DVC builds `name@value` from it.
    var dvcName: String {
        switch self {
        case .bool(let b): return b ? "True" : "False"
        case .null: return "None"
        case .double(let d): return Self.pythonFloat(d)
        default: return display
        }
    }

    /// A value as DVC interpolates it into a string (`${item}` in a cmd): `str()`, except that
    /// booleans are written `true`/`false`.
    var dvcInterpolated: String {
        switch self {
        case .null: return "None"
        case .double(let d): return Self.pythonFloat(d)
        default: return display
        }
    }

    /// Python's `repr` of a float: Swift's shortest round-trip form agrees with it (`1.0`,
    /// `1e+16`, `1e-05`, `-0.0`), except for the spelling of infinities.
    static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return d.description
    }
}

/// Why a DVC stage is invalidated, in DVC's terms.
public struct DVCReason: Sendable {
    /// new, always_changed, cmd, unfrozen, deps, outs, tracked_params, dep, params, upstream.
    public let type: String
    /// One line for people (the JSON `summary`, and `detail` for earlier readers).
    public let detail: String
    /// The reason's own fields in the JSON plan, named as in stage reasons: `path`, `file`,
    /// `key`, `old`, `new`, `stage`, `added`, `removed`.
    public var fields: [(String, JSONValue)] = []

    /// One line for people: the upstream reason names the stage.
    public var summary: String { type == "upstream" ? "upstream \(detail) changed" : detail }

    public init(type: String, detail: String, fields: [(String, JSONValue)] = []) {
        self.type = type
        self.detail = detail
        self.fields = fields
    }
}

/// Decides which DVC stages a change invalidates, from the dvc.yaml of both sides.
public enum DVCInvalidation {
    /// `+added -removed` between two lists taken as sets; nil when they hold the same entries.
    static func listChange(_ old: [String], _ new: [String]) -> String? {
        let added = Set(new).subtracting(old).sorted(), removed = Set(old).subtracting(new).sorted()
        guard !added.isEmpty || !removed.isEmpty else { return nil }
        return (added.map { "+" + $0 } + removed.map { "-" + $0 }).joined(separator: " ")
    }

    /// `file:key` for each tracked key, `file` alone for a file tracked whole.
    static func trackedParams(_ stage: DVCStage) -> [String] {
        stage.params.flatMap { file, keys in keys.map { $0.map { "\(file):\($0)" } } ?? [file] }
    }

    public static func evaluate(
        base: [DVCStage], head: [DVCStage], changedPaths: Set<String>,
        paramValue: (_ file: String, _ key: String?, _ head: Bool) -> JSONValue?
    ) -> [(String, [DVCReason])] {
        let before = Dictionary(base.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var reasons: [String: [DVCReason]] = [:]
        func changed(_ dep: String) -> String? {
            if changedPaths.contains(dep) { return dep }
            return changedPaths.first { $0.hasPrefix(dep + "/") }
        }
        for stage in head {
            var r: [DVCReason] = []
            guard let old = before[stage.name] else {
                reasons[stage.name] = [DVCReason(type: "new", detail: "new stage")]
                continue
            }
            if stage.alwaysChanged { r.append(DVCReason(type: "always_changed", detail: "always_changed")) }
            if old.cmd != stage.cmd {
                r.append(
                    DVCReason(
                        type: "cmd", detail: "cmd changed: \(old.cmd) → \(stage.cmd)",
                        fields: [("old", .string(old.cmd)), ("new", .string(stage.cmd))]))
            }
            if !stage.frozen {
                // The stage's own lists: `dvc repro` reruns a stage whose deps, outs or tracked
                // params differ from what its lock recorded, even with nothing else changed.
                if old.frozen { r.append(DVCReason(type: "unfrozen", detail: "no longer frozen")) }
                for (type, before, after) in [
                    ("deps", old.deps, stage.deps), ("outs", old.outs, stage.outs),
                    ("tracked_params", trackedParams(old), trackedParams(stage)),
                ] {
                    guard let change = listChange(before, after) else { continue }
                    let added = Set(after).subtracting(before).sorted(),
                        removed = Set(before).subtracting(after).sorted()
                    r.append(
                        DVCReason(
                            type: type, detail: "\(type.replacingOccurrences(of: "_", with: " ")) changed: \(change)",
                            fields: [
                                ("added", .array(added.map { .string($0) })),
                                ("removed", .array(removed.map { .string($0) })),
                            ]))
                }
                for dep in stage.deps {
                    if let path = changed(dep) {
                        r.append(
                            DVCReason(
                                type: "dep", detail: "dep \(dep) changed (\(path))",
                                fields: [("path", .string(dep)), ("changed", .string(path))]))
                    }
                }
                for (file, keys) in stage.params {
                    let tracked: [String?] = keys.map { $0.map(Optional.some) } ?? [nil]
                    for k in tracked {
                        let a = paramValue(file, k, false), b = paramValue(file, k, true)
                        let same: Bool = {
                            if let a, let b { return a.sameValue(as: b) }; return a == nil && b == nil
                        }()
                        if !same {
                            r.append(
                                DVCReason(
                                    type: "params",
                                    detail:
                                        "\(file): \(k ?? "(any key)") \(a?.display ?? "(absent)") → \(b?.display ?? "(absent)")",
                                    fields: [
                                        ("file", .string(file)), ("key", k.map { .string($0) } ?? .null),
                                        ("old", a ?? .null), ("new", b ?? .null),
                                    ]))
                        }
                    }
                }
            }
            reasons[stage.name] = r
        }
        // Downstream through out → dep edges, in as many passes as the graph is deep.
        var changedSomething = true
        while changedSomething {
            changedSomething = false
            for stage in head where !stage.frozen {
                for upstream in head
                where upstream.name != stage.name && !upstream.frozen && !(reasons[upstream.name] ?? []).isEmpty {
                    let feeds = upstream.outs.contains { out in
                        stage.deps.contains { $0 == out || $0.hasPrefix(out + "/") || out.hasPrefix($0 + "/") }
                    }
                    if feeds,
                        !(reasons[stage.name] ?? []).contains(where: {
                            $0.type == "upstream" && $0.detail == upstream.name
                        })
                    {
                        reasons[stage.name, default: []].append(
                            DVCReason(
                                type: "upstream", detail: upstream.name, fields: [("stage", .string(upstream.name))]))
                        changedSomething = true
                    }
                }
            }
        }
        return head.map { ($0.name, reasons[$0.name] ?? []) }
    }
}
