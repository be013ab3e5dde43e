# Default set-up of generated CI jobs: install mlci @MLCI_VERSION@ (the mlci that generated the
# pipelines) into a virtualenv private to the job, made afresh outside the checkout
# (@MLCI_HOME@), from a wheel pinned by its SHA-256, then put its binary (@MLCI_HOME@/bin/mlci,
# a link to the executable in the wheel: no Python runs when a job calls mlci) on PATH.
# Nothing from the checkout is imported or executed: python runs isolated (-I) with the
# install directory as its working directory, and pip ignores PIP_* variables and user
# configuration (--isolated) and installs only a listed binary wheel (--require-hashes
# --only-binary=:all: --no-deps). ci.setup in mlci.yml replaces these lines; ci.install names
# the hashes (and index) when this mlci knows none for its own version (docs/security.md).
(umask 077 && rm -rf "@MLCI_HOME@" && mkdir -p "@MLCI_HOME@" && cd "@MLCI_HOME@" && python3 -I -m venv venv && printf '%s\n' '@MLCI_REQUIREMENT@' > requirements.txt && venv/bin/python -I -m pip install --quiet --isolated --disable-pip-version-check --no-cache-dir --no-deps --only-binary=:all: --require-hashes --index-url '@MLCI_INDEX_URL@' -r requirements.txt && mkdir bin && ln -s "$(venv/bin/python -I -c 'import importlib.util as u, os; print(os.path.join(os.path.dirname(u.find_spec("mlci").origin), "bin", "mlci"))')" bin/mlci)
