#!/usr/bin/env python3
"""Times mlci against git doing the same work, interleaved (A B A B ...) in one run, and prints
medians, min-max, the ratio mlci / git and peak memory. Exits 1 when a ratio misses its target.
Timings are noisy on shared machines, so this is run on demand, not in the test suite."""
import os
import statistics
import subprocess
import sys
import time

REPEAT = int(os.environ.get("MLCI_BENCH_REPEAT", "9"))


def run_once(argv, cwd):
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, dict(os.environ), file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
    ]) if cwd is None else None
    if pid is None:
        raise RuntimeError("unreachable")
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"benchmark command failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss  # maxrss in KiB on Linux


def shell(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True, shell=True).stdout.strip()


def measure(name, mlci_argv, git_argv, target, cwd):
    os.chdir(cwd)
    for argv in (mlci_argv, git_argv):  # warm the page cache once, untimed
        run_once(argv, None)
    a_times, b_times, a_rss, b_rss = [], [], [], []
    for _ in range(REPEAT):
        t, r = run_once(mlci_argv, None); a_times.append(t); a_rss.append(r)
        t, r = run_once(git_argv, None); b_times.append(t); b_rss.append(r)
    return {
        "name": name, "target": target,
        "mlci": statistics.median(a_times), "mlci_range": (min(a_times), max(a_times)),
        "git": statistics.median(b_times), "git_range": (min(b_times), max(b_times)),
        "ratio": statistics.median(a_times) / statistics.median(b_times),
        "mlci_rss": max(a_rss), "git_rss": max(b_rss),
    }


def ms(seconds):
    return f"{seconds * 1000:.1f}"


def report(rows):
    header = f"{'benchmark':<34} {'mlci ms (min-max)':>22} {'git ms (min-max)':>22} {'ratio':>6} {'target':>7} {'RSS MiB mlci/git':>17}"
    print(header)
    print("-" * len(header))
    failed = False
    for r in rows:
        ok = r["ratio"] <= r["target"]
        failed |= not ok
        mem_ok = r["mlci_rss"] <= 2 * r["git_rss"]
        failed |= not mem_ok
        print(f"{r['name']:<34} {ms(r['mlci']):>7} ({ms(r['mlci_range'][0])}-{ms(r['mlci_range'][1])})".ljust(58)
              + f"{ms(r['git']):>7} ({ms(r['git_range'][0])}-{ms(r['git_range'][1])})".ljust(24)
              + f"{r['ratio']:>6.2f} {'<= ' + str(r['target']):>7}{'' if ok else ' MISS'}"
              + f"   {r['mlci_rss'] / 1024:.0f}/{r['git_rss'] / 1024:.0f}{'' if mem_ok else ' MISS(>2x)'}")
    print(f"\n{REPEAT} interleaved repetitions per row; medians; ratio = mlci / git.")
    return 1 if failed else 0


def main():
    mlci, work = sys.argv[1], sys.argv[2]
    rows = []
    wide = os.path.join(work, "wide")
    base = shell("git merge-base main feature", wide)
    rows.append(measure("wide: changes --merge-base",
                        [mlci, "changes", "--base", "main", "--head", "feature", "--merge-base"],
                        ["git", "diff", "--name-status", "--no-renames", base, "feature"], 1.5, wide))
    config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mlci.yml")
    rows.append(measure("wide: plan --format json",
                        [mlci, "plan", "--format", "json", "--head", "feature", "--config", config],
                        ["git", "diff", "--name-status", "--no-renames", base, "feature"], 1.5, wide))
    deep = os.path.join(work, "deep")
    rows.append(measure("deep: plan (merge-base)",
                        [mlci, "plan", "--format", "json", "--head", "feature", "--config", config],
                        ["git", "merge-base", "main", "feature"], 2.0, deep))
    sys.exit(report(rows))


if __name__ == "__main__":
    main()
