#!/usr/bin/env bash
# The sample ML repository of the README demo: code, DVC-tracked data, params, an LFS model,
# a notebook, a Dockerfile and k8s manifests, with a history of one kind of change per commit.
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=Fixtures/lib.sh
source "$here/../lib.sh"
fixture_init "$1"

cp "$here/mlci.yml" mlci.yml
write README.md "# churn-model: predicts customer churn"
write .gitignore "__pycache__/
*.pyc"
write pyproject.toml '[project]
name = "churn-model"
version = "0.1.0"'
write requirements.txt "scikit-learn==1.5.0"
write src/mlapp/__init__.py ""
write src/mlapp/features.py 'def scale(xs):
    top = max(xs) or 1
    return [x / top for x in xs]'
write src/mlapp/train.py 'import json

def main():
    print(json.dumps({"accuracy": 0.91}))

if __name__ == "__main__":
    main()'
write tests/test_features.py 'import unittest
from src.mlapp.features import scale

class ScaleTest(unittest.TestCase):
    def test_scale(self):
        self.assertEqual(scale([1, 2]), [0.5, 1.0])'
write params.yaml 'train:
  lr: 0.1
  epochs: 10
  seed: 42
evaluate:
  threshold: 0.5'
write data/customers.csv.dvc 'outs:
- md5: 3863d0e317dee0a55c4e59d2ec0eef33
  size: 14445097
  hash: md5
  path: customers.csv'
write models/churn.onnx 'version https://git-lfs.github.com/spec/v1
oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393
size 12345'
write .gitattributes "models/*.onnx filter=lfs diff=lfs merge=lfs -text"
write Dockerfile 'FROM python:3.11-slim
COPY . /app
CMD ["python", "-m", "src.mlapp.serve"]'
write k8s/deployment.yaml 'apiVersion: apps/v1
kind: Deployment
metadata:
  name: churn-model'
write docs/usage.md "Run the model with make serve."
git add -A
commit "Initial churn model project"

write docs/usage.md "Run the model with: make serve"
git add -A
commit "docs: fix usage wording"

write src/mlapp/features.py 'def scale(xs):
    top = max(xs) or 1
    return [round(x / top, 6) for x in xs]'
git add -A
commit "features: round scaled values"

write data/customers.csv.dvc 'outs:
- md5: 9f1c2ab0aa9b6f0fa3f1b7fd6a2c0b11
  size: 15002311
  hash: md5
  path: customers.csv'
git add -A
commit "data: November customer export"

write params.yaml 'train:
  lr: 0.05
  epochs: 10
  seed: 42
evaluate:
  threshold: 0.5'
git add -A
commit "params: lower the learning rate"

write models/churn.onnx 'version https://git-lfs.github.com/spec/v1
oid sha256:b8e0cfa6b0c6e1d1f9a4c33b2c0b1bde0ad6f1f0c7b9f7b3f0d51b8b0e3c2f11
size 12502'
git add -A
commit "model: churn v2"
git tag model@v2

git checkout -q -b feature/faster-features HEAD~3
write src/mlapp/features.py 'def scale(xs):
    top = max(xs, default=0) or 1
    return [x / top for x in xs]'
git add -A
commit "features: handle empty input"
git checkout -q -b data/describe-export main
write data/customers.csv.dvc 'outs:
- md5: 9f1c2ab0aa9b6f0fa3f1b7fd6a2c0b11
  size: 15002311
  hash: md5
  path: customers.csv
  desc: November export from the CRM'
git add -A
commit "data: describe the export (pointer metadata only)"
git checkout -q main
