import Foundation

/// The JSON plan (`mlci plan --format json`): the contract CI scripts and tests read.
/// `schema` changes only when a field changes meaning.
public enum PlanJSON {
    /// The pretty-printed plan. Byte for byte what `render(plan).bytes()` gives.
    public static func bytes(_ plan: Plan) -> [UInt8] {
        var out: [UInt8] = []
        write(plan) { out += $0 }
        return out
    }

    /// The pretty-printed plan, handed to `emit` in a few large pieces: the changes — tens of
    /// thousands of them on a wide change — are serialized on several threads straight into
    /// bytes, never held as a tree of values, and never copied into one buffer.
    public static func write(_ plan: Plan, to emit: ([UInt8]) -> Void) {
        guard case .object(let fields) = render(plan, includingChanges: false) else { return }
        var out: [UInt8] = [0x7b]
        for (n, (key, value)) in fields.enumerated() {
            if n > 0 { out.append(0x2c) }
            JSONValue.newline(&out, 1)
            JSONValue.writeString(key, to: &out)
            out += [0x3a, 0x20]
            if key == "changes", !plan.changes.isEmpty {
                out.append(0x5b)
                emit(out)
                changes(plan.changes).forEach(emit)
                out = []
                JSONValue.newline(&out, 1)
                out.append(0x5d)
            } else {
                value.write(to: &out, indent: 1)
            }
        }
        JSONValue.newline(&out, 0)
        out += [0x7d, 0x0a]
        emit(out)
    }

    /// The elements of the `changes` array, each after its `,` and newline, in consecutive
    /// pieces written on several threads.
    static func changes(_ changes: [PlannedChange]) -> [[UInt8]] {
        @Sendable func write(_ range: Range<Int>) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(range.count * 100)
            for i in range {
                if i > 0 { out.append(0x2c) }
                JSONValue.newline(&out, 2)
                let change = changes[i]
                if change.via == nil && change.participates && change.note == nil {
                    writePlainChange(change, to: &out)
                } else {
                    self.change(change).write(to: &out, indent: 2)
                }
            }
            return out
        }
        return ParallelChunks.map(count: changes.count, write)
    }

    /// The common case, written without building a value: what `change(c).write(indent: 2)` writes.
    static func writePlainChange(_ c: PlannedChange, to out: inout [UInt8]) {
        out.append(contentsOf: "{\n      \"status\": \"".utf8)
        out.append(UInt8(ascii: c.change.status.rawValue.unicodeScalars.first!))
        out.append(contentsOf: "\",\n      \"path\": ".utf8)
        JSONValue.writePath(c.change.pathBytes, to: &out)
        out.append(contentsOf: ",\n      \"kinds\": ".utf8)
        if c.kinds.isEmpty {
            out += [0x5b, 0x5d]
        } else {
            out.append(0x5b)
            for (i, kind) in c.kinds.enumerated() {
                if i > 0 { out.append(0x2c) }
                out.append(contentsOf: "\n        ".utf8)
                JSONValue.writeString(kind, to: &out)
            }
            out.append(contentsOf: "\n      ]".utf8)
        }
        out.append(contentsOf: "\n    }".utf8)
    }

    static func change(_ c: PlannedChange) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("status", .string(String(c.change.status.rawValue))),
            ("path", .string(c.path)),
            ("kinds", .array(c.kinds.map(JSONValue.string))),
        ]
        if let via = c.via { fields.append(("via", .string(via))) }
        if !c.participates { fields.append(("triggers", .bool(false))) }
        if let note = c.note { fields.append(("ml", note)) }
        return .object(fields)
    }

    public static func render(_ plan: Plan) -> JSONValue { render(plan, includingChanges: true) }

    static func render(_ plan: Plan, includingChanges: Bool) -> JSONValue {
        var base: [(String, JSONValue)] = [
            ("sha", plan.base.sha.map { .string($0.hex) } ?? .null),
            ("source", .string(plan.base.source)),
        ]
        if let fallback = plan.base.fallback { base.append(("fallback", .string(fallback))) }
        if let trigger = plan.base.trigger { base.append(("trigger", .string(trigger))) }
        if let scope = plan.base.scope {
            base.append(("pipelines", .array(scope.pipelines.map { .string($0) })))
            base.append(("trigger_rule", .string(scope.rule)))
        }
        var head: [(String, JSONValue)] = [("sha", plan.head.map { .string($0.hex) } ?? .null)]
        if plan.worktree { head.append(("worktree", .bool(true))) }
        return .object(
            [
                ("schema", .int(1)),
                ("base", .object(base)),
                ("head", .object(head)),
                ("changes", .array(includingChanges ? plan.changes.map(change) : [])),
                (
                    "stages",
                    .array(
                        plan.stages.map { d in
                            .object(
                                [
                                    ("name", .string(d.stage.name)),
                                    ("affected", .bool(d.affected)),
                                    ("reasons", .array(d.reasons.map(reason))),
                                ] + (d.heldBack.map { [("held_back", JSONValue.string($0))] } ?? []))
                        })
                ),
                ("unwatched", .array(plan.unwatched.map(JSONValue.string))),
                (
                    "removed_stages",
                    .array(
                        plan.removedStages.map {
                            .object([
                                ("name", .string($0.name)), ("protected", .bool($0.protected)),
                                ("reason", .string($0.reason)),
                            ])
                        })
                ),
            ]
                + (plan.dvcStages.map { stages in
                    [
                        (
                            "dvc_stages",
                            JSONValue.array(
                                stages.map { s in
                                    .object([
                                        ("name", .string(s.name)), ("affected", .bool(!s.reasons.isEmpty)),
                                        (
                                            "reasons",
                                            .array(
                                                s.reasons.map {
                                                    .object(
                                                        [("type", .string($0.type))] + $0.fields + [
                                                            ("summary", .string($0.summary)),
                                                            ("detail", .string($0.detail)),
                                                        ])
                                                })
                                        ),
                                    ])
                                })
                        )
                    ]
                } ?? []))
    }

    static func reason(_ r: Reason) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string(r.type))]
        switch r {
        case .path(let path, let pattern, let kind, let matches):
            fields += [("path", .string(path)), ("pattern", .string(pattern))]
            if let kind { fields.append(("kind", .string(kind))) }
            fields.append(("matches", .int(matches)))
        case .params(let file, let key, let old, let new):
            fields += [("file", .string(file)), ("key", .string(key)), ("old", old ?? .null), ("new", new ?? .null)]
        case .definition(let changed):
            fields.append(("fields", .array(changed.map(JSONValue.string))))
        case .upstream(let stage):
            fields.append(("stage", .string(stage)))
        case .trigger(let what):
            fields.append(("trigger", .string(what)))
        case .forced:
            break
        case .tag(let tag, let pattern):
            fields += [("tag", .string(tag)), ("pattern", .string(pattern))]
        case .dvc(let stage):
            fields.append(("stage", .string(stage)))
        case .dvcUnreadable(let file, let line, let error):
            fields += [("stage", .null), ("file", .string(file)), ("line", line.map { .int($0) } ?? .null)]
            fields.append(("error", .string(error)))
        }
        fields.append(("summary", .string(r.summary)))
        return .object(fields)
    }
}
