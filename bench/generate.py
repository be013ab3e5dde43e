#!/usr/bin/env python3
"""Builds the synthetic benchmark repositories with `git fast-import`, so nothing is downloaded.

wide: 200,000 files in an ML layout; branch `feature` forks from main's first commit and
      changes 20,000 of them; main moves on by 1,000 other files (so merge-base != main).
spread: 200,000 files under seven roots of 1,000 leaf directories each (depth 4-5); `feature`
      changes 20,000 spread evenly, one in seven a notebook (half of them in outputs only).
small: 3,000 files; HEAD changes five of them (the fixed costs of a one-commit push).
deep: 100,000 commits on main; branch `feature` forks at commit 50,000 and adds 100 commits.
Both end with `git gc` and a commit-graph, as a maintained clone has.
"""
import os
import subprocess
import sys

LAYOUT = [  # (top directory, file suffix, share of the files)
    ("src", ".py", 0.20), ("tests", ".py", 0.10), ("data", ".csv", 0.40), ("models", ".onnx", 0.05),
    ("configs", ".yaml", 0.10), ("notebooks", ".ipynb", 0.05), ("k8s", ".yaml", 0.10),
]
FILES_PER_DIR = 200
DATE = 1704110400  # 2024-01-01T12:00:00Z, pinned so ids repeat across runs


def wide_paths(total):
    paths = []
    for top, suffix, share in LAYOUT:
        count = int(total * share)
        for i in range(count):
            paths.append(f"{top}/group{i // FILES_PER_DIR:04d}/file{i % FILES_PER_DIR:03d}{suffix}")
    return paths


def commit(out, ref, mark, message, tick, parent=None, files=()):
    data = message.encode()
    out.write(f"commit {ref}\nmark :{mark}\n".encode())
    out.write(f"author Bench <bench@example.com> {DATE + tick} +0000\n".encode())
    out.write(f"committer Bench <bench@example.com> {DATE + tick} +0000\n".encode())
    out.write(f"data {len(data)}\n".encode() + data + b"\n")
    if parent:
        out.write(f"from {parent}\n".encode())
    for path, content in files:
        body = content.encode()
        out.write(f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n")
    out.write(b"\n")


def content(path, version):
    """File contents by type: notebooks are real (small) notebooks, whose cells change."""
    if path.endswith(".ipynb"):
        return ('{"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], '
                f'"source": ["print(\'{path} {version}\')"]}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}\n')
    return f"{path} {version}\n"


def wide(out, total=200_000, changed=20_000):
    paths = wide_paths(total)
    commit(out, "refs/heads/main", 1, "base", 0, files=[(p, content(p, "v1")) for p in paths])
    step = len(paths) // changed
    commit(out, "refs/heads/feature", 2, "feature", 1, parent=":1",
           files=[(p, content(p, "feature")) for p in paths[::step][:changed]])
    commit(out, "refs/heads/main", 3, "main moves on", 2, parent=":1",
           files=[(p, content(p, "main")) for p in paths[1::step * 20][:1000]])


SPREAD_ROOTS = [  # (root, file suffix): seven roots of equal size, notebooks one of them
    ("src/pkg", ".py"), ("tests", ".py"), ("data/raw", ".csv"), ("models", ".onnx"),
    ("configs", ".yaml"), ("notebooks", ".ipynb"), ("k8s", ".yaml"),
]


def spread_paths(total):
    """Each root holds 50 x 20 leaf directories (about 7,000 directories, depth 4-5) of ~28 files."""
    per_root = total // len(SPREAD_ROOTS)
    leaves = 50 * 20
    per_leaf = max(1, per_root // leaves)
    paths = []
    for root, suffix in SPREAD_ROOTS:
        for leaf in range(min(leaves, max(1, per_root // per_leaf))):
            for i in range(per_leaf):
                paths.append(f"{root}/area{leaf // 20:02d}/part{leaf % 20:02d}/file{i:02d}{suffix}")
    return paths


def notebook(path, source, outputs):
    """A real notebook: one code cell with its outputs and execution count."""
    return ('{"cells": [{"cell_type": "code", "execution_count": %d, "metadata": {}, '
            '"outputs": [{"name": "stdout", "output_type": "stream", "text": ["%s\\n"]}], '
            '"source": ["print(\'%s %s\')"]}], "metadata": {"kernelspec": {"name": "python3"}}, '
            '"nbformat": 4, "nbformat_minor": 5}\n') % (len(outputs), outputs, path, source)


def spread(out, total=200_000, changed=20_000):
    """The wide shape with its changes spread evenly over every directory: almost every
    directory changes and one change in seven is a notebook (half of those in outputs only)."""
    paths = spread_paths(total)
    def v1(p):
        return notebook(p, "v1", "out v1") if p.endswith(".ipynb") else f"{p} v1\n"
    commit(out, "refs/heads/main", 1, "base", 0, files=[(p, v1(p)) for p in paths])
    step = max(1, len(paths) // changed)
    files = []
    for n, p in enumerate(paths[::step][:changed]):
        if p.endswith(".ipynb"):
            files.append((p, notebook(p, "v1" if n % 2 else "feature", "out feature")))
        else:
            files.append((p, f"{p} feature\n"))
    commit(out, "refs/heads/feature", 2, "feature", 1, parent=":1", files=files)
    commit(out, "refs/heads/main", 3, "main moves on", 2, parent=":1",
           files=[(p, f"{p} main\n") for p in paths[1::step * 20][:1000] if not p.endswith(".ipynb")])


def small(out, total=3_000):
    """A small project: 3,000 files; HEAD changes five of them (code, data, a notebook)."""
    paths = wide_paths(total)
    commit(out, "refs/heads/main", 1, "base", 0, files=[(p, content(p, "v1")) for p in paths])
    picked = [p for p in paths if p.startswith("src/")][:2] + [p for p in paths if p.startswith("data/")][:2] \
        + [p for p in paths if p.endswith(".ipynb")][:1]
    commit(out, "refs/heads/main", 2, "a small change", 1, parent=":1", files=[(p, content(p, "v2")) for p in picked])


def deep(out, commits=100_000, fork=50_000, branch_commits=100):
    for n in range(1, commits + 1):
        parent = f":{n - 1}" if n > 1 else None
        commit(out, "refs/heads/main", n, f"main {n}", n, parent=parent,
               files=[(f"src/mod{n % 100:02d}.py", f"v{n}\n")])
    for k in range(1, branch_commits + 1):
        mark = commits + k
        parent = f":{fork}" if k == 1 else f":{mark - 1}"
        commit(out, "refs/heads/feature", mark, f"feature {k}", commits + k, parent=parent,
               files=[(f"src/feature{k % 10}.py", f"f{k}\n")])


def main():
    kind, directory = sys.argv[1], sys.argv[2]
    # MLCI_BENCH_SCALE shrinks the repositories (the test suite's smoke run uses 0.01).
    scale = float(os.environ.get("MLCI_BENCH_SCALE", "1"))
    subprocess.run(["git", "init", "-q", "-b", "main", directory], check=True)
    proc = subprocess.Popen(["git", "-C", directory, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    if kind == "wide":
        wide(proc.stdin, total=int(200_000 * scale), changed=max(1, int(20_000 * scale)))
    elif kind == "spread":
        spread(proc.stdin, total=int(200_000 * scale), changed=max(1, int(20_000 * scale)))
    elif kind == "small":
        small(proc.stdin, total=max(100, int(3_000 * min(1.0, scale * 10))))
    else:
        deep(proc.stdin, commits=max(4, int(100_000 * scale)), fork=max(2, int(50_000 * scale)), branch_commits=max(1, int(100 * scale)))
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", directory, "gc", "-q"], check=True)
    subprocess.run(["git", "-C", directory, "commit-graph", "write", "--reachable"], check=True)


if __name__ == "__main__":
    main()
