import Foundation
import Yams

/// Reads `dvc.yaml` files the way DVC does, enough to tell from git alone which stages a change
/// invalidates.
public enum DVCPipelineReader {
    /// The most stages the `dvc.yaml` files of one commit may expand to: a `matrix` multiplies
    /// its axes, so a few hundred bytes could otherwise ask for millions of stages.
    public static let maxStages = 20_000

    /// Stages of one `dvc.yaml`; `read` gives files at the same side (for `vars` and params.yaml).
    /// `budget` is how many stages the commit's files may still expand to; this file's are taken off.
    public static func stages(
        file: String, bytes: [UInt8], budget: inout Int, read: (String) -> [UInt8]?
    ) throws -> [DVCStage] {
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
        do { try DVCSchema.validate(root) } catch {
            throw DVCFileError(
                file: file, line: error.node.mark?.line,
                message: "DVC refuses it: \(error.message)"
                    + (error.path.isEmpty ? "" : ", in \(error.path.joined(separator: " -> "))"))
        }
        let dir = (file as NSString).deletingLastPathComponent
        func fail(_ node: Node?, _ message: String) -> DVCFileError {
            DVCFileError(file: file, line: node?.mark?.line, message: message)
        }
        /// DVC's address for a stage of this file.
        func address(_ name: String) -> String { DVCProject.address(name, inPipeline: file) }
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
        for entry in root.field("vars")?.items ?? [] {
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
        /// Refuses `count` more stages past the budget, before any is built.
        func take(_ count: Int, _ node: Node, _ what: String) throws {
            guard count <= budget else {
                throw fail(
                    node,
                    "\(what) expands the DVC stages of this commit past \(maxStages), the most mlci reads")
            }
            budget -= count
        }
        for (nameNode, body) in root.field("stages")?.pairs ?? [] {
            let base = address(nameNode)
            if let foreach = body.field("foreach"), let template = body.field("do") {
                let values = resolved(foreach)
                switch values {
                case .array(let items): try take(items.count, foreach, "stage \(nameNode): foreach")
                case .object(let pairs): try take(pairs.count, foreach, "stage \(nameNode): foreach")
                default: break
                }
                switch values {
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
            } else if let matrix = body.field("matrix") {
                guard case .mapping(let axes) = matrix else {
                    throw fail(matrix, "stage \(nameNode): matrix must be a mapping of axis to values")
                }
                // A combination is named by its values; a dict or list value by its axis and index
                // (`opt0`), as DVC names them.
                // The product is counted before any combination is built.
                var count = 1
                for (_, valuesNode) in axes {
                    guard case .array(let list) = resolved(valuesNode) else { continue }
                    let (product, overflow) = count.multipliedReportingOverflow(by: list.count)
                    count = overflow ? Int.max : product
                }
                try take(count, matrix, "stage \(nameNode): matrix")
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
                try take(1, body, "stage \(nameNode)")
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
        let wdir = body.field("wdir")?.string.map(text)
        func path(_ p: String) -> String { local(wdir.map { $0 + "/" + p } ?? p) }

        var cmd = ""
        if let c = body.field("cmd") {
            cmd = c.string.map(text) ?? c.items.compactMap(\.string).map(text).joined(separator: "\n")
        }
        let deps = (body.field("deps")?.items ?? []).compactMap { $0.string ?? $0.pairs.first?.0 }.map(path)
        let outs = ["outs", "metrics", "plots"].flatMap { key in
            (body[key]?.items ?? []).compactMap { $0.string ?? $0.pairs.first?.0 }.map(path)
        }
        // An out DVC does not cache is committed to git, as DVC's `cache: false` means.
        let gitOuts = ["outs", "metrics", "plots"].flatMap { key in
            (body[key]?.items ?? []).compactMap { entry -> String? in
                guard let (out, options) = entry.pairs.first, options.field("cache")?.plainBool == false else {
                    return nil
                }
                return path(out)
            }
        }
        var params: [(String, [String]?)] = []
        for entry in body.field("params")?.items ?? [] {
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
            name: name, file: file, cmd: cmd, deps: deps, outs: outs, gitOuts: gitOuts, params: grouped,
            frozen: body.field("frozen")?.plainBool ?? false,
            alwaysChanged: body.field("always_changed")?.plainBool ?? false)
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
        // Most strings hold no `$` at all: a byte scan, not a substring search, says so.
        guard s.utf8.contains(UInt8(ascii: "$")), s.contains("${") else { return s }
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
