import Foundation

/// How a run goes: the flags of `mlci run`, and what the hooks choose.
public struct RunOptions: Sendable {
    public var jobs: Int
    public var keepGoing = false
    /// Seconds; applies to every stage, in addition to each stage's own `timeout:`.
    public var timeout: Int?
    /// Grace period between TERM and KILL.
    public var killGrace: Double = 2.0
    /// `--shard K/N`.
    public var shard: (index: Int, count: Int)?
    /// Write Prometheus metrics of the run here.
    public var metricsFile: String?
    /// Write JSON-lines events of the run here.
    public var eventsFile: String?

    public init(jobs: Int) { self.jobs = jobs }

    /// The flags of `mlci run` checked and turned into options (exit 2 on a bad value).
    public init(
        jobs: Int?, keepGoing: Bool, timeout: String?, shard: String?, metricsFile: String?, eventsFile: String?
    ) throws {
        if let jobs, jobs < 1 { throw RunError.jobsBelowOne }
        self.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        self.keepGoing = keepGoing
        if let timeout {
            guard let seconds = TimeSpan.seconds(timeout) else {
                throw RunError.notADuration(timeout)
            }
            self.timeout = seconds
        }
        if let shard {
            guard let parsed = Self.parseShard(shard) else {
                throw RunError.notAShard(shard)
            }
            self.shard = parsed
        }
        self.metricsFile = metricsFile
        self.eventsFile = eventsFile
    }

    /// `K/N` with 1 ≤ K ≤ N, or nil.
    public static func parseShard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        return (k, n)
    }
}
