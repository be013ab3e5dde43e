#!/usr/bin/env bash
# A DVC project built by script: a data pointer, prepare → featurize → train (foreach) →
# evaluate, a matrix stage, a frozen and an always_changed stage, params in YAML and JSON,
# and a dvc.lock. One change per commit, tagged d-<name>.
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=Fixtures/lib.sh
source "$here/../lib.sh"
fixture_init "$1"
step() { git add -A; commit "$2"; git tag "d-$1"; }

mkdir -p .dvc data src
printf '[core]\n    remote = storage\n' > .dvc/config
cp "$here/dvc.yaml" dvc.yaml
cp "$here/mlci.yml" mlci.yml
printf 'outs:\n- md5: 1111aaaa1111aaaa1111aaaa1111aaaa\n  path: data.xml\n' > data/data.xml.dvc
for f in prepare featurization train evaluate sweep report check; do write "src/$f.py" "print('$f')"; done
write params.yaml 'prepare:
  seed: 20170428
  split: 0.2
featurize:
  max_features: 100
  ngrams: 1
train:
  lr: 0.1
other:
  key: 1'
write params.json '{"evaluate": {"threshold": 0.5}}'
prepare_md5=$(md5sum src/prepare.py | cut -d' ' -f1)
cat > dvc.lock <<LOCK
schema: '2.0'
stages:
  prepare:
    cmd: python3 src/prepare.py data/data.xml
    deps:
    - path: src/prepare.py
      hash: md5
      md5: $prepare_md5
      size: 17
    params:
      params.yaml:
        prepare.seed: 20170428
        prepare.split: 0.2
    outs:
    - path: data/prepared
      hash: md5
      md5: 5c16ef5b3a9a43ef5a1bfb0d9e0b8b83.dir
  featurize:
    cmd: python3 src/featurization.py data/prepared data/features
    deps:
    - path: data/prepared
      hash: md5
      md5: 5c16ef5b3a9a43ef5a1bfb0d9e0b8b83.dir
LOCK
git add -A
commit "root"

printf 'outs:\n- md5: 2222bbbb2222bbbb2222bbbb2222bbbb\n  path: data.xml\n' > data/data.xml.dvc
step data-hash "new data"

printf 'outs:\n- md5: 2222bbbb2222bbbb2222bbbb2222bbbb\n  path: data.xml\n  desc: raw export\n' > data/data.xml.dvc
step pointer-meta "pointer metadata only"

sed -i 's/  lr: 0.1/  lr: 0.05/' params.yaml
step tracked-param "a tracked param changes"

sed -i 's/  key: 1/  key: 2/' params.yaml
step untracked-param "an untracked param changes"

sed -i '/  ngrams: 1/d' params.yaml
step removed-param "a tracked param is removed"

sed -i 's/config: {python: python3}/config: {python: python3.12}/' dvc.yaml
step cmd-vars "cmd changes through vars"

write src/evaluate.py "print('evaluate v2')"
step code-dep "a code dependency changes"

cat >> dvc.yaml <<'YAML'
  export:
    cmd: python3 src/export.py
    deps: [model-large.pkl]
YAML
step new-stage "a new stage"

write src/prepare.py "print('prepare v2')"
step stale-lock "prepare's code changes but dvc.lock is not updated"
