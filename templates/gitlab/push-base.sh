# The plan job's first lines on a branch push: with MLCI_GITLAB_TOKEN set (a CI/CD variable
# holding a token with read_api), the base is the last commit of this branch on which a push
# pipeline succeeded (GitLab's pipelines API), so a push that followed a failed pipeline is
# planned again. mlci itself stays offline; this hands it MLCI_BASE. Without a token, or with no
# such pipeline, mlci uses CI_COMMIT_BEFORE_SHA (its base source then says gitlab:push).
# The lookup asks for branch pipelines only (a tag named like the branch holds only the plan job
# and succeeds), sends the token over https only and never along a redirect, and takes the answer
# only when it is a full commit id (anything else, such as HEAD, would let the plan skip stages).
# mlci writes these lines as one script entry.
if [ -n "${MLCI_GITLAB_TOKEN:-}" ] && [ "${CI_PIPELINE_SOURCE:-}" = "push" ] && [ -n "${CI_COMMIT_BRANCH:-}" ]; then
  sha=$(python3 -I -c '
import json, os, re, sys, urllib.error, urllib.parse, urllib.request
api = os.environ["CI_API_V4_URL"]
if not api.startswith("https://"):
    sys.exit("mlci: CI_API_V4_URL is not https; the token is not sent to " + api)
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        raise urllib.error.URLError("the pipelines API answered with a redirect; the token is not sent on")
url = (api + "/projects/" + urllib.parse.quote(os.environ["CI_PROJECT_ID"], safe="")
       + "/pipelines?scope=branches&status=success&source=push&per_page=1&ref="
       + urllib.parse.quote(os.environ["CI_COMMIT_BRANCH"], safe=""))
request = urllib.request.Request(url, headers={"PRIVATE-TOKEN": os.environ["MLCI_GITLAB_TOKEN"]})
try:
    runs = json.load(urllib.request.build_opener(NoRedirect).open(request, timeout=30))
except (OSError, ValueError) as error:
    sys.exit("mlci: the pipelines API did not answer: " + str(getattr(error, "reason", error)))
sha = runs[0].get("sha") if runs else ""
if sha and not (isinstance(sha, str) and re.fullmatch("[0-9a-f]{40}", sha)):
    sys.exit("mlci: the pipelines API answered a sha that is not a commit id: " + ascii(sha))
print(sha or "")
' || true)
  if [ -n "$sha" ] && git cat-file -e "$sha^{commit}" 2>/dev/null && git merge-base --is-ancestor "$sha" HEAD; then
    export MLCI_BASE="$sha" MLCI_BASE_SOURCE="gitlab:last-successful-pipeline"
    echo "mlci: planning from $sha, the last commit on $CI_COMMIT_BRANCH where a pipeline succeeded" >&2
  fi
fi
