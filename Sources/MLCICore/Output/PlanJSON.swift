/// The JSON plan (`mlci plan --format json`): the contract CI scripts and tests read.
/// `schema` changes only when a field changes meaning.
public enum PlanJSON {
    public static func render(_ plan: Plan) -> JSONValue {
        var base: [(String, JSONValue)] = [
            ("sha", plan.base.sha.map { .string($0.hex) } ?? .null),
            ("source", .string(plan.base.source)),
        ]
        if let fallback = plan.base.fallback { base.append(("fallback", .string(fallback))) }
        if let trigger = plan.base.trigger { base.append(("trigger", .string(trigger))) }
        var head: [(String, JSONValue)] = [("sha", plan.head.map { .string($0.hex) } ?? .null)]
        if plan.worktree { head.append(("worktree", .bool(true))) }
        return .object([
            ("schema", .int(1)),
            ("base", .object(base)),
            ("head", .object(head)),
            ("changes", .array(plan.changes.map { c in
                var fields: [(String, JSONValue)] = [
                    ("status", .string(String(c.change.status.rawValue))),
                    ("path", .string(c.path)),
                    ("kinds", .array(c.kinds.map(JSONValue.string))),
                ]
                if let via = c.via { fields.append(("via", .string(via))) }
                if !c.participates { fields.append(("triggers", .bool(false))) }
                if let note = c.note { fields.append(("ml", note)) }
                return .object(fields)
            })),
            ("stages", .array(plan.stages.map { d in
                .object([
                    ("name", .string(d.stage.name)),
                    ("affected", .bool(d.affected)),
                    ("reasons", .array(d.reasons.map(reason))),
                ])
            })),
            ("unwatched", .array(plan.unwatched.map(JSONValue.string))),
        ] + (plan.dvcStages.map { stages in
            [("dvc_stages", JSONValue.array(stages.map { s in
                .object([("name", .string(s.name)), ("affected", .bool(!s.reasons.isEmpty)),
                         ("reasons", .array(s.reasons.map { .object([("type", .string($0.type)), ("detail", .string($0.detail))]) }))])
            }))]
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
        }
        fields.append(("summary", .string(r.summary)))
        return .object(fields)
    }
}
