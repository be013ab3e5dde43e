# shellcheck shell=bash
# Sourced by scripts/test, scripts/demo and bench/run: installs what mlci needs to build and
# test when it is missing, on Debian/Ubuntu via apt-get (with sudo when not root).
# Nothing is installed when everything is already present.

mlci_apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "mlci: need root or sudo to install: $*" >&2; return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "mlci: please install these packages with your system's package manager: $*" >&2
    return 1
  fi
  echo "Installing $* ..." >&2
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# mlci_require_build_deps: libgit2 headers and pkg-config, needed to compile mlci.
mlci_require_build_deps() {
  local missing=()
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  if ! pkg-config --exists libgit2 2>/dev/null; then missing+=(libgit2-dev); fi
  command -v git >/dev/null 2>&1 || missing+=(git)
  if [ ${#missing[@]} -gt 0 ]; then mlci_apt_install "${missing[@]}"; fi
}

# mlci_require_test_deps: libgit2's fixture corpus (the oracle tests read it) and shellcheck.
mlci_require_test_deps() {
  local missing=()
  [ -d /usr/share/doc/libgit2-fixtures/examples ] || missing+=(libgit2-fixtures)
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  if [ ${#missing[@]} -gt 0 ]; then mlci_apt_install "${missing[@]}"; fi
}

# mlci_require_python_venv: python3 with the venv module, for the validators virtualenv.
mlci_require_python_venv() {
  if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then mlci_apt_install python3-venv; fi
}
