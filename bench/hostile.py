#!/usr/bin/env python3
"""Hostile inputs: files built to make mlci's readers, the DVC expansion and the pattern
matcher do quadratic, exponential or memory-hungry work. Each case is a two-commit repository
(written with `git fast-import`, no checkout) planned with `mlci plan --base HEAD~1 --format
json`; the table gives CPU seconds (user + system) and peak resident memory of that one process,
the best of three runs, beside the figures measured before the fixes.

Usage: bench/hostile.py MLCI_BINARY [WORK_DIR] [--only NAME]
"""

import os
import subprocess
import sys
import tempfile

# (name, before: CPU seconds or None, before: peak MiB or None, what the "before" was)
BEFORE = {
    "dvc-chain-10000": (9.4, None, "invalidation over all stage pairs"),
    "dvc-matrix-4x10": (7.3, None, "matrix expanded with no bound"),
    "dvc-matrix-7x10": (None, 3900, "killed at 3.9 GB; now refused past the cap"),
    "toml-20000-arrays": (4.1, None, "quadratic [[arr]] headers"),
    "params-py-60000": (5.9, None, "quadratic assignments"),
    "params-py-dict-30000": (1.6, None, "quadratic dict literal"),
    "starstar-8-100000": (2.7, None, "backtracking matcher"),
    "starstar-50-100000": (60.0, None, "over 60 s"),
    "trusted-deep-5000": (4.0, None, "src/**/tests/**/test_*.py, 400 levels"),
    "params-yaml-800000": (None, 647, "failed 'alias bomb?'"),
    "dvc-lock-15mb": (None, 357, ""),
    "notebook-49mb": (None, 464, ""),
}


def repository(path, config, files, root_files=()):
    """Root commit: mlci.yml and root_files; second commit: files."""
    subprocess.run(["git", "init", "-q", "-b", "main", path], check=True)
    out = []

    def data(text):
        raw = text.encode()
        out.append(b"data %d\n" % len(raw) + raw + b"\n")

    def commit(message, mark, parent, entries):
        out.append(b"commit refs/heads/main\nmark :%d\n" % mark)
        out.append(b"committer A <a@example.com> 1700000000 +0000\n")
        data(message)
        if parent:
            out.append(b"from :%d\n" % parent)
        for name, text in entries:
            out.append(b"M 100644 inline %s\n" % name.encode())
            data(text)

    commit("root", 1, None, [("mlci.yml", config)] + list(root_files))
    commit("hostile", 2, 1, files)
    subprocess.run(["git", "-C", path, "fast-import", "--quiet"], input=b"".join(out), check=True)
    with open(os.path.join(path, "mlci.yml"), "w") as f:
        f.write(config)


def stages_config(patterns):
    return "version: 1\nstages:\n" + "".join(
        '  s%d: {run: "true", on: ["%s"]}\n' % (i, p) for i, p in enumerate(patterns))


DVC_CONFIG = "version: 1\nstages:\n  train: {run: 'true', dvc: true}\n"


def cases():
    chain = "stages:\n" + "".join(
        "  s%d:\n    cmd: echo %d\n    deps: [%s]\n    outs: [o%d]\n" % (i, i, "o%d" % (i - 1) if i else "in.txt", i)
        for i in range(10_000))
    yield "dvc-chain-10000", DVC_CONFIG, [("dvc.yaml", chain), ("in.txt", "2\n")], [("in.txt", "1\n")]

    def matrix(axes):
        lines = "".join("      a%d: [%s]\n" % (a, ", ".join(str(v) for v in range(10))) for a in range(axes))
        return "stages:\n  s:\n    matrix:\n%s    cmd: echo\n" % lines

    yield "dvc-matrix-4x10", DVC_CONFIG, [("dvc.yaml", matrix(4))], []
    yield "dvc-matrix-7x10", DVC_CONFIG, [("dvc.yaml", matrix(7))], []

    toml = "lr = 2\n" + "".join("[[arr]]\nx = %d\n" % i for i in range(20_000))
    yield ("toml-20000-arrays",
           "version: 1\nstages:\n  train: {run: 'true', params: {params.toml: [lr, arr.19999.x]}}\n",
           [("params.toml", toml)], [("params.toml", "lr = 1\n")])

    py_config = "version: 1\nstages:\n  train: {run: 'true', params: {params.py: [lr, K59999, D.k29999]}}\n"
    yield ("params-py-60000", py_config,
           [("params.py", "".join("K%d = %d\n" % (i, i) for i in range(60_000)) + "lr = 2\n")],
           [("params.py", "lr = 1\n")])
    yield ("params-py-dict-30000", py_config,
           [("params.py", "lr = 2\nD = {" + ", ".join('"k%d": %d' % (i, i) for i in range(30_000)) + "}\n")],
           [("params.py", "lr = 1\n")])

    spread = [("d%d/e%d/y.py" % (i % 100, i), "") for i in range(100_000)] + [("q/x.py", "")]
    yield "starstar-8-100000", stages_config(["/".join(["**"] * 8) + "/x.py"]), spread, []
    yield "starstar-50-100000", stages_config(["/".join(["**"] * 50) + "/x.py"]), spread, []
    deep = "src/" + "tests/" * 398
    yield ("trusted-deep-5000", stages_config(["src/**/tests/**/test_*.py"]),
           [(deep + "x%d.py" % i, "") for i in range(5_000)] + [(deep + "test_ok.py", "")], [])

    yaml = "".join("key%d: %d\n" % (i, i) for i in range(800_000)) + "lr: 2\n"
    yield ("params-yaml-800000",
           "version: 1\nstages:\n  train: {run: 'true', params: {params.yaml: [lr]}}\n",
           [("params.yaml", yaml)], [("params.yaml", "lr: 1\n")])

    # 10,000 stages (half DVC's own cap) each locking 12 deps and 2 outs: 15 MB.
    def entry(i):
        deps = "".join("    - path: data/d%d_%d.csv\n      hash: md5\n      md5: %032x\n      size: 2\n" % (i, k, i * 16 + k)
                       for k in range(12))
        outs = "".join("    - path: out/o%d_%d\n      hash: md5\n      md5: %032x\n      size: 2\n" % (i, k, i * 4 + k)
                       for k in range(2))
        return "  s%d:\n    cmd: echo %d\n    deps:\n%s    outs:\n%s" % (i, i, deps, outs)
    lock = "schema: '2.0'\nstages:\n" + "".join(entry(i) for i in range(10_000))
    dvc_yaml = "stages:\n" + "".join(
        "  s%d:\n    cmd: echo %d\n    deps: [%s]\n    outs: [out/o%d_0, out/o%d_1]\n"
        % (i, i, ", ".join("data/d%d_%d.csv" % (i, k) for k in range(12)), i, i) for i in range(10_000))
    yield ("dvc-lock-15mb", DVC_CONFIG, [("dvc.lock", lock)], [("dvc.yaml", dvc_yaml), (".dvc/config", "")])

    cell = '{"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["x = 1\\n"], ' \
           '"outputs": [{"output_type": "stream", "name": "stdout", "text": ["%s\\n"]}]}'
    body = ", ".join(cell % ("y" * 4000) for _ in range(12_000))
    notebook = '{"cells": [%s], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n' % body
    yield ("notebook-49mb", stages_config(["**/*.ipynb"]), [("nb.ipynb", notebook)],
           [("nb.ipynb", notebook.replace('"x = 1', '"x = 2', 1))])


# Runs in a fresh, small interpreter: a child's peak memory counts the pages it shares with
# its parent before exec, so the measuring process must not be this script (which holds the
# generated files).
WRAPPER = """
import os, sys
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))
"""


def measure(mlci, repo):
    """CPU seconds and peak MiB of one `mlci plan`, and its exit status."""
    env = dict(os.environ)
    for key in ("GITHUB_ACTIONS", "GITLAB_CI", "JENKINS_URL", "MLCI_BASE", "MLCI_ALL", "CI"):
        env.pop(key, None)
    out = subprocess.run(
        [sys.executable, "-S", "-c", WRAPPER, mlci, "plan", "--base", "HEAD~1", "--format", "json"],
        cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--only")]
    only = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--only=")]
    if not args:
        sys.exit(__doc__)
    mlci = os.path.abspath(args[0])
    work = args[1] if len(args) > 1 else tempfile.mkdtemp(prefix="mlci-hostile-")
    print("%-22s %9s %9s %5s   %s" % ("case", "cpu s", "peak MiB", "exit", "before"))
    for name, config, files, root_files in cases():
        if only and name not in only:
            continue
        repo = os.path.join(work, name)
        if not os.path.isdir(repo):
            repository(repo, config, files, root_files)
        runs = [measure(mlci, repo) for _ in range(3)]
        cpu = min(r[0] for r in runs)
        peak = min(r[1] for r in runs)
        seconds, mib, note = BEFORE[name]
        before = ", ".join(filter(None, [
            "%.1f s" % seconds if seconds else "", "%d MiB" % mib if mib else "", note]))
        print("%-22s %9.2f %9.0f %5d   %s" % (name, cpu, peak, runs[0][2], before), flush=True)


if __name__ == "__main__":
    main()
