#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// `MLCI_TRACE_PERFORMANCE=1`: each step of a command prints how long it took on stderr, the
/// way `GIT_TRACE_PERFORMANCE` does for git. Off, a step costs one branch.
public enum PerformanceTrace {
    nonisolated(unsafe) private static var last: UInt64 = 0
    public static let enabled: Bool = {
        guard let value = getenv(StageJobEnvironment.tracePerformance) else { return false }
        return EnvFlag.isOn(String(cString: value))
    }()

    /// Marks the start of the command (the first step counts from here).
    public static func start() {
        if enabled { last = now() }
    }

    /// Reports the time since the previous step (or since start-up) under `name`.
    public static func step(_ name: String) {
        guard enabled else { return }
        let time = now()
        let line = "mlci: performance: \(formatted(last == 0 ? 0 : time - min(last, time))) \(name)\n"
        last = time
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    private static func formatted(_ nanoseconds: UInt64) -> String {
        let tenths = (nanoseconds + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10) ms"
    }

    private static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
