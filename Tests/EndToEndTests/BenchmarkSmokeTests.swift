import Foundation
import MLCITestSupport
import Testing

/// The benchmark harness at 1% size, once: it must keep running (its timings mean nothing here).
@Suite("benchmark harness smoke run")
struct BenchmarkSmokeTests {
    @Test("bench/generate.py and bench/bench.py run end to end and print every row")
    func smoke() throws {
        let work = try TemporaryDirectory("bench-smoke")
        let bench = FixturePaths.packageRoot + "/bench"
        for kind in ["wide", "spread", "deep", "small"] {
            try Shell.ok(
                ["python3", bench + "/generate.py", kind, work.file(kind)], environment: ["MLCI_BENCH_SCALE": "0.01"])
        }
        // The dependency floor, built as bench/run builds it.
        let flags = try Shell.ok(["pkg-config", "--cflags", "--libs", "libgit2"]).out.split(separator: " ")
            .map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        try Shell.ok(["cc", "-O2", bench + "/floor.c"] + flags + ["-o", work.file("floor")])
        let result = try Shell.run(
            ["python3", bench + "/bench.py", FixturePaths.mlciBinary, work.path],
            environment: ["MLCI_BENCH_REPEAT": "1", "CI": ""])
        for row in [
            "wide: changes --merge-base", "wide: plan --format json", "wide DVC: plan --format json",
            "spread: changes --merge-base", "spread: plan --format json", "deep: plan (merge-base)",
            "small: plan (one commit) vs git", "small: plan vs C libgit2 floor", "start-up: plan, unchanged range",
            "start-up: --version vs git", "hook: no-op push, added", "runner: overhead per stage",
        ] {
            let line = result.out.split(separator: "\n").first { $0.hasPrefix(row) }
            #expect(line != nil, "\(row)\n\(result.out)\(result.err)")
            // Every row reports peak memory: a mlci/git pair in MiB, or the runner's own.
            #expect(
                line.map { $0.contains(" MiB") || $0.range(of: #" \d+/\d+( |$)"#, options: .regularExpression) != nil }
                    == true,
                "no memory in: \(line ?? "")")
        }
        #expect(result.status == 0 || result.status == 1, "1 only means a target was missed: \(result.err)")
    }
}
