#!/usr/bin/env bash
# One commit per planning scenario on main, each tagged s-<name>; the plan of
# s-<name>~1..s-<name> is recorded in expected/<name>.json. Also: a feature branch, a fake
# origin/main, and an unrelated-config commit for CI base resolution tests.
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=Fixtures/lib.sh
source "$here/../lib.sh"
fixture_init "$1"

scenario() {  # scenario NAME MESSAGE: commit what is staged and tag it s-NAME
  git add -A
  commit "$2"
  git tag "s-$1"
}

cp "$here/mlci.yml" mlci.yml
write src/app.py "print('app')"
write src/train/model.py "LAYERS = 3"
write src/evaluate.py "THRESHOLD = 0.5"
write tests/test_app.py "def test(): pass"
write tests/fixtures/input.json '{"x": 1}'
write requirements.txt "numpy"
write Dockerfile "FROM python:3.11"
write data/train.csv "a,b"
write data/old.csv "c,d"
write models/model.onnx "model v1"
write k8s/deploy.yaml "kind: Deployment"
write notebooks/explore.py "print('explore')"
write docs/index.md "docs"
write params.yaml 'train:
  lr: 0.1
  epochs: 10
featurize:
  ngrams: 2'
write params.json '{"featurize": {"max_features": 100, "verbose": false}}'
write config.toml '[model]
layers = [64, 32]
dropout = 0.1'
git add -A
commit "root"
git tag s-root

write src/app.py "print('app v2')"
scenario code-only "code only"

write data/new.csv "e,f"
scenario data-only "data only"

write params.yaml 'train:
  lr: 0.2
  epochs: 10
featurize:
  ngrams: 2'
scenario params-key "tracked params key changes"

write params.yaml 'train:
  lr: 0.2
  epochs: 10
featurize:
  ngrams: 3'
scenario params-untracked "untracked params key changes"

write params.yaml '# learning settings
train: {lr: 0.20, epochs: 10}   # same values, new layout
featurize:
  ngrams: 3'
scenario params-format "params reformatted, values unchanged"

write params.json '{"featurize": {"max_features": 200, "verbose": false}}'
write config.toml '[model]
layers = [64, 32]
dropout = 0.2'
scenario params-json-toml "json key tracked, toml key untracked"

write models/model.onnx "model v2"
scenario model "new model"

git mv data/old.csv archive/old.csv 2>/dev/null || { mkdir -p archive; git mv data/old.csv archive/old.csv; }
scenario move "data moved to archive"

git rm -q tests/test_app.py
scenario deletion "test deleted"

write tests/fixtures/input.json '{"x": 2}'
scenario needs-vs-after "test-only input: test runs, lint (after) does not, package (needs) does"

sed -i 's|run: python -m src.train|run: python -m src.train --fast|' mlci.yml
scenario config-definition "train command changed"

printf '# a comment only\n' >> mlci.yml
scenario config-comment "comment added to mlci.yml"

write notebooks/explore.py "print('explore v2')"
scenario negated "notebook code excluded from code by !notebooks/**"

write docs/index.md "docs v2"
scenario unwatched "docs only"

sed -i 's|  data: \["data/\*\*"\]|  data: ["data/**", "archive/**"]|' mlci.yml
scenario kind-patterns "data kind also covers archive/"

# A feature branch forked two commits back, and a remote-tracking main as a clone has.
git branch feature HEAD~2
git checkout -q feature
write src/feature.py "FEATURE = True"
git add -A
commit "feature work"
git checkout -q main
git update-ref refs/remotes/origin/main main
git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
