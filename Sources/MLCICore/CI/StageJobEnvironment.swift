/// The contract between a plan and the stage it runs: every variable mlci sets for a stage
/// (in `mlci run` and `mlci job`) or that a generated plan job hands a stage job, every
/// variable mlci reads to be told how to plan or run, and the plan job's output names. Runner, `mlci
/// job`, the plan variables and all emitters name them from here only (`StageJobContractTests`
/// fails on a literal elsewhere), so a rename cannot reach one side and not the other.
public enum StageJobEnvironment {
    // Set for every stage.
    public static let stage = "MLCI_STAGE"
    public static let baseSHA = "MLCI_BASE_SHA"
    public static let headSHA = "MLCI_HEAD_SHA"
    public static let changedFiles = "MLCI_CHANGED_FILES"
    public static let changedFiles0 = "MLCI_CHANGED_FILES0"
    public static let stageFiles = "MLCI_STAGE_FILES"
    public static let stageFiles0 = "MLCI_STAGE_FILES0"
    public static let dvcStages = "MLCI_DVC_STAGES"
    // Set for one shard of a sharded stage.
    public static let shard = "MLCI_SHARD"
    public static let shards = "MLCI_SHARDS"
    public static let shardFiles = "MLCI_SHARD_FILES"
    public static let shardFiles0 = "MLCI_SHARD_FILES0"

    // Read by the plan: how a pipeline tells mlci what to compare and which mlci.yml to follow.
    public static let base = "MLCI_BASE"
    public static let baseSource = "MLCI_BASE_SOURCE"
    public static let configFrom = "MLCI_CONFIG_FROM"
    public static let all = "MLCI_ALL"
    public static let pipeline = "MLCI_PIPELINE"
    public static let trigger = "MLCI_TRIGGER"
    public static let buildCause = "MLCI_BUILD_CAUSE"
    public static let cacheDirectory = "MLCI_CACHE_DIR"
    // Read by mlci itself, never handed to a stage.
    /// `MLCI_SKIP=test,lint`: stages a hook leaves out.
    public static let skip = "MLCI_SKIP"
    /// `MLCI_TRACE_PERFORMANCE=1`: time each step of a command on stderr.
    public static let tracePerformance = "MLCI_TRACE_PERFORMANCE"
    /// The key cache records are signed with.
    public static let cacheSignatureKey = "MLCI_CACHE_SIGNATURE_KEY"
    /// `MLCI_AFFECTED_<STAGE>=true|false`, one per stage (`mlci plan --format dotenv`).
    public static let affectedPrefix = "MLCI_AFFECTED_"

    /// The plan job's outputs (GitHub `steps.plan.outputs.*`, `mlci plan --format github`).
    public enum Output {
        public static let baseSHA = "base_sha"
        public static let headSHA = "head_sha"
        public static let stages = "stages"
        public static let any = "any"
    }

    /// `MLCI_AFFECTED_<STAGE>`: upper-cased, anything but ASCII letters and digits becomes `_`.
    public static func affectedVariable(_ stage: String) -> String {
        affectedPrefix
            + String(
                stage.uppercased().unicodeScalars.map { scalar -> Character in
                    (scalar.isASCII && (CharacterSetASCII.alnum(scalar))) ? Character(scalar) : "_"
                })
    }

    /// Stages whose `affectedVariable`s are the same (dotenv and Jenkins would mix them up).
    static func variableProblems(_ stages: [Stage]) -> [Diagnostic] {
        var seen: [String: String] = [:]
        var problems: [Diagnostic] = []
        for stage in stages {
            let variable = affectedVariable(stage.name)
            if let other = seen[variable], other != stage.name {
                problems.append(
                    Diagnostic(
                        .error,
                        "stages '\(other)' and '\(stage.name)' both become the variable \(variable) (dotenv, Jenkins); "
                            + "rename one", at: stage.location))
            }
            seen[variable] = stage.name
        }
        return problems
    }

    /// `"$NAME"` for a shell line.
    public static func shell(_ name: String) -> String { "\"$\(name)\"" }
}
