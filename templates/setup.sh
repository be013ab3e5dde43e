# Default set-up lines of generated CI jobs: install the mlci that generated the pipelines
# (@MLCI_VERSION@) from PyPI into a virtualenv of its own and put it on PATH. They work on
# GitHub's ubuntu-latest and in Python images (python:3.x). Set ci.setup in mlci.yml to replace
# them, for example on runners where mlci is already installed (see the README).
python3 -m venv "$HOME/.mlci/venv" && "$HOME/.mlci/venv/bin/pip" install --quiet --disable-pip-version-check "mlci==@MLCI_VERSION@"
export PATH="$HOME/.mlci/venv/bin:$PATH"
if [ -n "${GITHUB_PATH:-}" ]; then echo "$HOME/.mlci/venv/bin" >> "$GITHUB_PATH"; fi
