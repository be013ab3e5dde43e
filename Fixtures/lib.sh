# shellcheck shell=bash
# Shared helpers for fixture build scripts: pinned identities and dates, so every build of a
# scenario produces the same commit ids on any machine.
set -euo pipefail
export GIT_AUTHOR_NAME="Fixture Author" GIT_AUTHOR_EMAIL="author@example.com"
export GIT_COMMITTER_NAME="Fixture Committer" GIT_COMMITTER_EMAIL="committer@example.com"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
# Commits made without `commit` (merges) get this pinned date.
export GIT_AUTHOR_DATE="2024-03-01T12:00:00Z" GIT_COMMITTER_DATE="2024-03-01T12:00:00Z"
fixture_tick=0

# fixture_init DIR: a new repository on branch main, entered.
fixture_init() {
  mkdir -p "$1"
  cd "$1"
  git init -q -b main .
  git config core.autocrlf false
  git config commit.gpgsign false
}

# commit MESSAGE: commit everything staged at the next pinned date.
commit() {
  fixture_tick=$((fixture_tick + 1))
  local date
  date=$(printf '2024-01-%02dT12:00:00Z' "$fixture_tick")
  GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" git commit -q --allow-empty -m "$1"
}

# write PATH CONTENT: create or overwrite a file, making parent directories.
write() {
  mkdir -p -- "$(dirname -- "$1")"
  printf '%s\n' "$2" > "./$1"
}
