import MLCIGit

/// Why a stage must run. Every affected stage carries at least one.
public enum Reason: Sendable, Equatable {
    /// Changed files matched one of the stage's `on` entries: the first such path, the pattern,
    /// the kind it came through (nil for a direct pattern), and how many paths matched it.
    case path(path: String, pattern: String, kind: String?, matches: Int)
    /// A tracked params key changed value (nil: absent on that side).
    case params(file: String, key: String, old: JSONValue?, new: JSONValue?)
    /// The stage's own definition changed; `fields` names what ("new stage" when it is new).
    case definition(fields: [String])
    /// A stage this one `needs` is affected.
    case upstream(stage: String)
    /// A CI trigger (schedule, manual, API) runs the stages of the pipelines it starts.
    case trigger(String)
    /// `--all` or `MLCI_ALL=1`.
    case forced
    /// The head is a release tag matching one of the stage's `tags:` patterns.
    case tag(tag: String, pattern: String)
    /// A DVC stage the mlci stage carries (`dvc:`) is invalidated.
    case dvc(stage: String)
    /// A `dvc.yaml` at head cannot be read, so no DVC stage can be known to be up to date: every
    /// `dvc:` stage runs (type `dvc`, with no `stage`).
    case dvcUnreadable(file: String, line: Int?, error: String)

    public var type: String {
        switch self {
        case .path: return "path"
        case .params: return "params"
        case .definition: return "definition"
        case .upstream: return "upstream"
        case .trigger: return "trigger"
        case .forced: return "forced"
        case .tag: return "tag"
        case .dvc, .dvcUnreadable: return "dvc"
        }
    }

    /// One line for people: `data/train.csv matched data (data/**)`. Paths are quoted when they
    /// need it; the writer escapes the rest of the line (`terminalSafe`).
    public var summary: String {
        switch self {
        case .path(let path, let pattern, let kind, let matches):
            let more = matches > 1 ? " and \(matches - 1) more path\(matches > 2 ? "s" : "")" : ""
            if let kind { return "\(path.quotedIfNeeded) matched \(kind) (\(pattern))\(more)" }
            return "\(path.quotedIfNeeded) matched \(pattern)\(more)"
        case .params(let file, let key, let old, let new):
            return "\(file.quotedIfNeeded): \(key) \(old?.display ?? "(absent)") → \(new?.display ?? "(absent)")"
        case .definition(let fields):
            return fields == ["new stage"]
                ? "new stage in mlci.yml" : "definition changed: \(fields.joined(separator: ", "))"
        case .upstream(let stage): return "needs \(stage)"
        case .trigger(let what): return "triggered by \(what)"
        case .forced: return "forced (--all)"
        case .tag(let tag, let pattern): return "tag \(tag) matches \(pattern)"
        case .dvc(let stage): return "DVC stage \(stage) is invalidated"
        case .dvcUnreadable(let file, let line, let error):
            return
                "\(file.quotedIfNeeded)\(line.map { ":\($0)" } ?? "") cannot be read (\(error)): no DVC stage is known to be up to date"
        }
    }
}
