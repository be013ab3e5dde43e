# The plan job's first lines on a branch push: with MLCI_GITLAB_TOKEN set (a CI/CD variable
# holding a token with read_api), the base is the last commit of this branch on which a push
# pipeline succeeded (GitLab's pipelines API), so a push that followed a failed pipeline is
# planned again. mlci itself stays offline; this hands it MLCI_BASE. Without a token, or with no
# such pipeline, mlci uses CI_COMMIT_BEFORE_SHA (its base source then says gitlab:push).
# mlci writes these lines as one script entry.
if [ -n "${MLCI_GITLAB_TOKEN:-}" ] && [ "${CI_PIPELINE_SOURCE:-}" = "push" ] && [ -n "${CI_COMMIT_BRANCH:-}" ]; then
  sha=$(python3 -c '
import json, os, urllib.parse, urllib.request
url = (os.environ["CI_API_V4_URL"] + "/projects/" + os.environ["CI_PROJECT_ID"]
       + "/pipelines?status=success&source=push&per_page=1&ref=" + urllib.parse.quote(os.environ["CI_COMMIT_BRANCH"], safe=""))
request = urllib.request.Request(url, headers={"PRIVATE-TOKEN": os.environ["MLCI_GITLAB_TOKEN"]})
runs = json.load(urllib.request.urlopen(request, timeout=30))
print(runs[0]["sha"] if runs else "")
' || true)
  if [ -n "$sha" ] && git cat-file -e "$sha^{commit}" 2>/dev/null && git merge-base --is-ancestor "$sha" HEAD; then
    export MLCI_BASE="$sha" MLCI_BASE_SOURCE="gitlab:last-successful-pipeline"
    echo "mlci: planning from $sha, the last commit on $CI_COMMIT_BRANCH where a pipeline succeeded" >&2
  fi
fi
