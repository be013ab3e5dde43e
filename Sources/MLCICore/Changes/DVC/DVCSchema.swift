import Yams

/// DVC 3's schema for `dvc.yaml` (its `MULTI_STAGE_SCHEMA`, checked before any `${…}` is
/// resolved): a file DVC refuses cannot be reproduced, so mlci refuses it too, at the line of the
/// offending node. Scalars are typed as DVC's YAML 1.2 reader types them (`yes` is a string).
enum DVCSchema {
    /// A voluptuous rule, as DVC writes its schema.
    indirect enum Rule: Sendable {
        /// `str`, `bool`, `object` (anything, null included), `None`.
        case string, bool, anything, null
        /// `[a, b]`: a list whose every item matches one of the rules.
        case list([Rule])
        /// `vol.Any(a, b)`.
        case oneOf([Rule])
        /// A mapping of known keys (no others), some required.
        case keys([(name: String, rule: Rule, required: Bool)])
        /// `{str: rule}`: string keys, each value matching; `atLeastOne` for `{Required(str): …}`.
        case strings(Rule, atLeastOne: Bool)
        /// A stage: a `foreach`/`do` pair when either key is there, a plain definition otherwise.
        case stage
    }

    struct Violation: Error {
        let node: Node
        let message: String
        let path: [String]
    }

    static let annotation: [(String, Rule, Bool)] = [
        ("desc", .string, false), ("type", .string, false), ("labels", .list([.string]), false),
        ("meta", .anything, false),
    ]
    static let outProperties: [(String, Rule, Bool)] =
        annotation + [
            ("cache", .bool, false), ("persist", .bool, false), ("checkpoint", .bool, false),
            ("remote", .string, false), ("push", .bool, false),
        ]
    static let plotProperties: [(String, Rule, Bool)] =
        outProperties + [
            ("template", .string, false), ("x", .string, false), ("y", .string, false),
            ("x_label", .string, false), ("y_label", .string, false), ("title", .string, false),
            ("header", .bool, false),
        ]
    static let vars = Rule.list([.string, .strings(.anything, atLeastOne: false)])
    static let out = Rule.oneOf([.string, .strings(keys(outProperties), atLeastOne: false)])
    static let plot = Rule.oneOf([
        .string, .strings(.oneOf([keys(plotProperties), .list([keys(plotProperties)])]), atLeastOne: false),
    ])

    static func keys(_ list: [(String, Rule, Bool)]) -> Rule {
        .keys(list.map { (name: $0.0, rule: $0.1, required: $0.2) })
    }

    static let definition = keys([
        ("matrix", .strings(.oneOf([.string, .list([.anything])]), atLeastOne: false), false),
        ("cmd", .oneOf([.string, .list([.anything])]), true),
        ("wdir", .string, false),
        ("deps", .list([.string]), false),
        ("params", .list([.string, .strings(.anything, atLeastOne: false)]), false),
        ("vars", vars, false),
        ("frozen", .bool, false),
        ("meta", .anything, false),
        ("desc", .string, false),
        ("always_changed", .bool, false),
        ("outs", .list([out]), false),
        ("metrics", .list([out]), false),
        ("plots", .list([plot]), false),
    ])
    static let foreach = keys([
        ("foreach", .oneOf([.strings(.anything, atLeastOne: false), .list([.anything]), .string]), true),
        ("do", definition, true),
    ])

    static let plotDefinition = keys([
        ("x", .oneOf([.string, .strings(.string, atLeastOne: false)]), false),
        (
            "y",
            .oneOf([.string, .list([.string]), .strings(.oneOf([.string, .list([.string])]), atLeastOne: false)]),
            false
        ),
        ("x_label", .string, false), ("y_label", .string, false), ("title", .string, false),
        ("template", .string, false),
    ])

    /// The top level of a `dvc.yaml`.
    static let file = keys([
        ("datasets", .anything, false),
        ("plots", .list([.string, .strings(.oneOf([plotDefinition, .null]), atLeastOne: true)]), false),
        ("stages", .strings(.stage, atLeastOne: false), false),
        ("vars", vars, false),
        ("params", .list([.string]), false),
        ("metrics", .list([.string]), false),
        (
            "artifacts",
            .strings(keys([("path", .string, true)] + annotation), atLeastOne: false), false
        ),
    ])

    /// Throws the first place DVC's schema refuses, as DVC words it: "expected str, in stages -> a -> cmd".
    static func validate(_ root: Node) throws(Violation) {
        try check(root, file, path: [])
    }

    private static func check(_ node: Node, _ rule: Rule, path: [String]) throws(Violation) {
        func fail(_ message: String, _ at: Node = node, _ where: [String] = path) -> Violation {
            Violation(node: at, message: message, path: `where`)
        }
        // Typed only where a scalar's type is the question: typing every node would type each
        // subtree once per level above it (10,000 stages took minutes).
        var value: JSONValue {
            if case .scalar = node { return ParamsFile.typed(node) }
            if case .alias = node { return .null }
            return .array([])
        }
        switch rule {
        case .anything: return
        case .null:
            guard case .null = value else { throw fail("expected None") }
        case .string:
            guard case .string = value else { throw fail("expected str") }
        case .bool:
            guard case .bool = value else { throw fail("expected bool") }
        case .list(let rules):
            guard case .sequence(let items) = node else { throw fail("expected a list") }
            for (i, item) in items.enumerated() {
                var deepest: Violation?
                var matched = false
                for r in rules {
                    do {
                        try check(item, r, path: path + [String(i)])
                        matched = true
                        break
                    } catch {
                        if deepest == nil || error.path.count > deepest!.path.count { deepest = error }
                    }
                }
                if !matched, let deepest { throw deepest }
            }
        case .oneOf(let rules):
            var deepest: Violation?
            for r in rules {
                do {
                    try check(node, r, path: path)
                    return
                } catch {
                    if deepest == nil || error.path.count > deepest!.path.count { deepest = error }
                }
            }
            if let deepest { throw deepest }
        case .keys(let known):
            guard case .mapping(let mapping) = node else { throw fail("expected a dictionary") }
            var seen = Set<String>()
            for (keyNode, child) in mapping {
                guard case .string(let key) = ParamsFile.typed(keyNode),
                    let spec = known.first(where: { $0.name == key })
                else {
                    throw fail("extra keys not allowed", keyNode, path + [keyNode.string ?? "\(keyNode)"])
                }
                seen.insert(key)
                try check(child, spec.rule, path: path + [key])
            }
            for spec in known where spec.required && !seen.contains(spec.name) {
                throw fail("required key not provided", node, path + [spec.name])
            }
        case .strings(let inner, let atLeastOne):
            guard case .mapping(let mapping) = node else { throw fail("expected a dictionary") }
            if atLeastOne, mapping.count == 0 { throw fail("required key not provided") }
            for (keyNode, child) in mapping {
                guard case .string(let key) = ParamsFile.typed(keyNode) else {
                    throw fail("extra keys not allowed", keyNode, path + [keyNode.string ?? "\(keyNode)"])
                }
                try check(child, inner, path: path + [key])
            }
        case .stage:
            // DVC's either_or: a mapping naming `foreach` or `do` is a foreach stage.
            if case .mapping(let mapping) = node,
                mapping.contains(where: { ["foreach", "do"].contains($0.key.string ?? "") })
            {
                try check(node, foreach, path: path)
            } else {
                try check(node, definition, path: path)
            }
        }
    }
}
