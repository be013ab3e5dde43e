"""Packs a built mlci binary into a platform wheel (before `auditwheel repair`).

The wheel holds the package `mlci`: the binary at `mlci/bin/mlci` and a console script
`mlci` that replaces its own process with the binary (so signals, exit codes and standard
input are the binary's own). `auditwheel repair` then copies any shared library the binary
needs beyond the manylinux set into `mlci.libs/` and points the binary's RPATH there
(libgit2 itself is linked in statically).

Usage: make_wheel.py BINARY VERSION OUT_DIR
"""

import base64
import hashlib
import os
import stat
import sys
import zipfile

LAUNCHER = '''"""mlci: change-aware builds for repositories that hold code, data and models."""

import os
import sys

BINARY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bin", "mlci")


def main() -> None:
    """Runs the mlci binary in place of this process, with the same arguments."""
    os.execv(BINARY, [BINARY] + sys.argv[1:])


if __name__ == "__main__":
    main()
'''

METADATA = """Metadata-Version: 2.1
Name: mlci
Version: {version}
Summary: Change-aware builds for repositories that hold code, data and models
License: Apache-2.0
Requires-Python: >=3.8
Description-Content-Type: text/plain

mlci decides which of the stages lint, test, package, train and deploy must run between
two commits, explains every decision, runs them locally, guards pushes as a git hook, and
generates GitHub Actions, GitLab CI and Jenkins pipelines that run only the affected stages.
This wheel carries the mlci binary and the shared libraries it needs.
"""

WHEEL = """Wheel-Version: 1.0
Generator: mlci packaging/make_wheel.py
Root-Is-Purelib: false
Tag: py3-none-linux_x86_64
"""

ENTRY_POINTS = """[console_scripts]
mlci = mlci.__main__:main
"""


def record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def main() -> int:
    binary, version, out_dir = sys.argv[1:4]
    dist_info = f"mlci-{version}.dist-info"
    with open(binary, "rb") as f:
        elf = f.read()
    files = [
        ("mlci/__init__.py", f'__version__ = "{version}"\n'.encode(), 0o644),
        ("mlci/__main__.py", LAUNCHER.encode(), 0o644),
        ("mlci/bin/mlci", elf, 0o755),
        (f"{dist_info}/METADATA", METADATA.format(version=version).encode(), 0o644),
        (f"{dist_info}/WHEEL", WHEEL.encode(), 0o644),
        (f"{dist_info}/entry_points.txt", ENTRY_POINTS.encode(), 0o644),
    ]
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"mlci-{version}-py3-none-linux_x86_64.whl")
    records = [record_line(name, data) for name, data, _ in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(records) + "\n").encode(), 0o644))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data, mode in files:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
