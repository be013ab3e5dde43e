#!/usr/bin/env bash
# A small repository for the generate-mlops configuration.
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=Fixtures/lib.sh
source "$here/../lib.sh"
fixture_init "$1"
cp "$here/mlci.yml" mlci.yml
write src/app.py "print('app')"
write src/train/train.py "EPOCHS = 20"
write src/evaluate.py "MIN = 0.9"
write tests/test_app.py "def test(): pass"
write requirements.txt "torch"
write Dockerfile "FROM python:3.11"
write data/train.csv.dvc "outs:
- md5: 3863d0e317dee0a55c4e59d2ec0eef33
  path: train.csv"
write models/model.onnx "model"
write k8s/overlays/prod/kustomization.yaml "resources: []"
git add -A
commit "root"
write src/app.py "print('app v2')"
git add -A
commit "code change"
