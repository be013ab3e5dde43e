# The plan job's first step on a push to a branch: the base is the last commit of this branch on
# which this workflow succeeded (GitHub's workflow-runs API, through gh), so a push whose run was
# replaced by a later one, or that followed a failed run, is not lost: its changes are planned
# again. mlci itself stays offline; this hands it MLCI_BASE. With no such run (a new branch, a
# first run) mlci's own rule applies: the push's `before`. Only a full commit id is taken (an
# answer such as HEAD would let the plan skip every stage).
sha=$(gh run list --workflow "@WORKFLOW@" --branch "$GITHUB_REF_NAME" --event push --status success --limit 1 --json headSha --jq '.[0].headSha // empty' || true)
if [ -n "$sha" ] && ! printf '%s' "$sha" | grep -Eqx '[0-9a-f]{40}'; then
  echo "mlci: the workflow-runs API answered a sha that is not a commit id; ignoring it" >&2
  sha=
fi
if [ -n "$sha" ] && git cat-file -e "$sha^{commit}" 2>/dev/null && git merge-base --is-ancestor "$sha" HEAD; then
  echo "MLCI_BASE=$sha" >> "$GITHUB_ENV"
  echo "MLCI_BASE_SOURCE=github:last-successful-run" >> "$GITHUB_ENV"
  echo "mlci: planning from $sha, the last commit on $GITHUB_REF_NAME where this workflow succeeded"
else
  echo "mlci: no earlier successful run of this workflow on $GITHUB_REF_NAME; planning the push's own range"
fi
