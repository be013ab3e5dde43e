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

/// How the base commit was chosen, reported with every plan.
public struct BaseChoice: Sendable, Equatable {
    /// nil: no base (the empty tree for a root commit, or a trigger that runs everything).
    public let sha: ObjectID?
    /// Which rule chose it: `flag`, `MLCI_BASE`, `github:pull_request`, `local:merge-base origin/main`, …
    public let source: String
    /// Why the preferred rule could not be used, when a fallback was taken.
    public let fallback: String?
    /// Set when a CI trigger (schedule, manual, API) runs stages without comparing commits.
    public let trigger: String?
    /// The pipelines the trigger starts: only their stages run (nil: no trigger).
    public let scope: TriggerScope?

    public init(
        sha: ObjectID?, source: String, fallback: String? = nil, trigger: String? = nil, scope: TriggerScope? = nil
    ) {
        self.sha = sha
        self.source = source
        self.fallback = fallback
        self.trigger = trigger
        self.scope = scope
    }

    /// This choice with the pipelines its trigger starts.
    func scoped(_ scope: TriggerScope) -> BaseChoice {
        BaseChoice(sha: sha, source: source, fallback: fallback, trigger: trigger, scope: scope)
    }
}

/// One changed path as the planner sees it, with the kinds it belongs to. Reading ML file
/// formats can turn a change into more than one (a `.dvc` pointer whose hashes changed stands
/// for its data paths too) or mark it as triggering nothing.
public struct PlannedChange: Sendable {
    public let change: ChangedFile
    /// Filled in by the planner once every change is classified.
    public internal(set) var kinds: [String]
    /// For a data path that changed through a `.dvc` pointer: the pointer.
    public let via: String?
    /// What mlci read from the file (DVC outs hashes, LFS oids, notebook outputs-only).
    public let note: JSONValue?
    /// False for changes that trigger nothing (metadata-only pointer edits, notebook outputs).
    public let participates: Bool

    /// The path as text (decoded on each use: tens of thousands of changes are planned, and
    /// most paths are only ever written out once).
    public var path: String { change.path }

    public init(
        change: ChangedFile, kinds: [String] = [], participates: Bool = true, via: String? = nil, note: JSONValue? = nil
    ) {
        self.change = change
        self.kinds = kinds
        self.participates = participates
        self.via = via
        self.note = note
    }
}

/// The decision for one stage.
public struct StageDecision: Sendable {
    public let stage: Stage
    public let reasons: [Reason]
    /// Set when the stage had reasons to run but may not: a tag build of a commit that is not
    /// on the default branch, for a stage with `tag_commits: default-branch`. Says why.
    public let heldBack: String?
    public var affected: Bool { !reasons.isEmpty && heldBack == nil }

    public init(stage: Stage, reasons: [Reason], heldBack: String? = nil) {
        self.stage = stage
        self.reasons = reasons
        self.heldBack = reasons.isEmpty ? nil : heldBack
    }

    /// The table's reason column: the first reason and how many more.
    public var headline: String {
        if let heldBack { return "held back: \(heldBack)" }
        guard let first = reasons.first else { return "not affected" }
        let more = reasons.count - 1
        return first.summary + (more > 0 ? " (+\(more) more reason\(more > 1 ? "s" : ""))" : "")
    }
}

/// The result of planning: which stages run between base and head, and why.
public struct Plan: Sendable {
    public let base: BaseChoice
    /// The base as a side to read files from (empty when there is no base commit).
    public let baseSide: PlanSide
    /// The head: a commit, the working tree or the index, with its tree.
    public let headSide: PlanSide
    public let changes: [PlannedChange]
    /// In a topological order of needs + after.
    public let stages: [StageDecision]
    /// Changed paths that no stage watches.
    public let unwatched: [String]
    public let warnings: [Diagnostic]
    public let config: MLCIConfig
    /// What each stage is triggered by and reads, at head.
    public let footprint: StageFootprint
    /// The DVC stages of a DVC project, with why each is invalidated (empty: up to date).
    public var dvcStages: [DVCStageDecision]? = nil
    /// `dvc.yaml` files at head that cannot be read (their stages are unknown).
    public var unreadableDVC: [DVCFileError] = []
    /// Whose mlci.yml the plan followed (`--config-from`).
    public var configSource: ConfigSource = .head
    /// Stages the base's mlci.yml has and the head's does not.
    public var removedStages: [RemovedStage] = []
    /// `all 11 up to date` or `4 of 11 invalidated` (only the readable ones when a `dvc.yaml`
    /// cannot be read); nil outside a DVC project.
    public var dvcCount: String? {
        guard let dvc = dvcStages else { return nil }
        let invalid = dvc.filter { !$0.reasons.isEmpty }.count
        return invalid == 0
            ? "all \(dvc.count)\(unreadableDVC.isEmpty ? "" : " readable") up to date"
            : "\(invalid) of \(dvc.count) invalidated"
    }

    /// A removed stage was protected (`protected_stages` at the base): the plan fails.
    public var removesProtectedStage: Bool { removedStages.contains(where: \.protected) }

    /// The invalidated DVC stages a `dvc:` stage carries, as `dvc repro` targets (DVC's own
    /// addresses: `name`, or `dir/dvc.yaml:name` for a nested pipeline), in the DVC
    /// pipeline's order: `MLCI_DVC_STAGES`. Empty for a stage without `dvc:`, and when nothing is
    /// known to be invalidated (a forced run): `dvc repro` with no target then checks them all.
    public func invalidatedDVCTargets(for stage: Stage) -> [String] {
        guard let link = stage.dvc, let decisions = dvcStages else { return [] }
        return decisions.filter { !$0.reasons.isEmpty && StageFootprint.carries(link, $0.name) }
            .map(\.name)
    }

    /// The head commit (for the working tree and the index: the commit HEAD points at).
    public var head: ObjectID? { headSide.commit }
    /// True when the head is the working tree.
    public var worktree: Bool { headSide.isWorktree }

    public var affected: [StageDecision] { stages.filter(\.affected) }

    public func decision(_ name: String) -> StageDecision? { stages.first { $0.stage.name == name } }
}

/// A stage the change removes from mlci.yml — or, for a protected one, takes out of every
/// pipeline that runs for pull requests.
public struct RemovedStage: Sendable, Equatable {
    public let name: String
    /// Listed in the base's `protected_stages`.
    public let protected: Bool
    /// Still in mlci.yml, but no longer in a pipeline that runs for pull requests.
    public var fromPullRequestsOnly = false
    /// Still run for pull requests, but only by pipelines the base did not have (named here): the
    /// committed GitLab parent pipeline triggers the base's pipelines by name, so none runs it.
    public var newPipelinesOnly: [String] = []

    public init(name: String, protected: Bool, fromPullRequestsOnly: Bool = false, newPipelinesOnly: [String] = []) {
        self.name = name
        self.protected = protected
        self.fromPullRequestsOnly = fromPullRequestsOnly
        self.newPipelinesOnly = newPipelinesOnly
    }

    /// `removed`, `not run for pull requests`, or `moved to a new pipeline`.
    public var reason: String {
        if !newPipelinesOnly.isEmpty { return "moved to a new pipeline" }
        return fromPullRequestsOnly ? "not run for pull requests" : "removed"
    }

    /// One line for people.
    public var summary: String {
        let what =
            !newPipelinesOnly.isEmpty
            ? "stage \(name) ran for pull requests at the base; at the head only pipelines the base did not have "
                + "(\(newPipelinesOnly.joined(separator: ", "))) hold it, and a parent pipeline generated at the base "
                + "does not trigger them"
            : fromPullRequestsOnly
                ? "stage \(name) ran for pull requests at the base; at the head no pipeline that runs for pull requests holds it"
                : "stage \(name) is in mlci.yml at the base but not at the head"
        return what
            + (protected
                ? ": it is protected (protected_stages at the base); remove it from protected_stages in a change of its own first"
                : "; its checks no longer run")
    }
}

public struct DVCStageDecision: Sendable {
    public let name: String
    public let reasons: [DVCReason]
}
