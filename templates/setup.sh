# Default set-up of generated CI jobs: install mlci @MLCI_VERSION@ (the mlci that generated the
# pipelines) into a virtualenv private to the job, made afresh outside the checkout
# (@MLCI_HOME@), from a wheel pinned by its SHA-256, then put its binary (@MLCI_HOME@/bin/mlci,
# a link to the executable in the wheel: no Python runs when a job calls mlci) on PATH.
# Nothing from the checkout is imported or executed: python runs isolated (-I), from the
# install directory when it starts others (venv runs ensurepip), and pip ignores PIP_*
# variables and user configuration (--isolated) and installs only a binary wheel listed with
# its hash (--require-hashes, --only-binary, --no-deps; the options are in requirements.txt). ci.setup in mlci.yml replaces these lines; ci.install names
# the hashes (and index) when this mlci knows none for its own version (docs/ci/README.md).
rm -rf "@MLCI_HOME@" && mkdir -p "@MLCI_HOME@/bin" && (cd "@MLCI_HOME@" && umask 077 && python3 -I -m venv venv)
printf '%s\n' '--index-url @MLCI_INDEX_URL@' '--only-binary :all:' '--require-hashes' 'mlci==@MLCI_VERSION@ \' > "@MLCI_HOME@/requirements.txt"
@MLCI_HASH_LINES@
(cd "@MLCI_HOME@" && venv/bin/python -I -m pip install -q --isolated --no-deps --no-cache-dir --disable-pip-version-check -r requirements.txt)
ln -s "@MLCI_HOME@"/venv/lib/python3*/site-packages/mlci/bin/mlci "@MLCI_HOME@/bin/mlci"
