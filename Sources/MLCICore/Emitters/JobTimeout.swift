/// A generated job's own time limit for a stage with `timeout:`. mlci enforces the stage's
/// timeout itself (its process group is killed, the stage fails, its rollback runs in the same
/// job); the platform's limit is only a backstop, later by an allowance for the set-up, so
/// it never cuts a rollback short. One rule for GitHub and Jenkins (whole minutes) and GitLab
/// (seconds).
enum JobTimeout {
    /// What the set-up (installing mlci, checking out) may take beyond the stage itself.
    static let setupAllowanceMinutes = 10

    /// The stage's timeout rounded up to whole minutes, plus the allowance.
    static func minutes(forStage seconds: Int) -> Int { (seconds + 59) / 60 + setupAllowanceMinutes }

    /// The stage's timeout plus the allowance, in seconds.
    static func seconds(forStage seconds: Int) -> Int { seconds + setupAllowanceMinutes * 60 }
}
