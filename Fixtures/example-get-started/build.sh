#!/usr/bin/env bash
# A stand-in for DVC's example-get-started (github.com/iterative/example-get-started), which
# cannot be cloned here: its layout and DVC files as published — `.dvc/` with config and
# .gitignore, data/.gitignore, the data/data.xml.dvc pointer, params.yaml, and a dvc.yaml whose
# stages list their params key by key and whose `artifacts:` declare model.pkl `type: model` —
# with no tests, and with tiny standard-library scripts in place of the pandas/scikit-learn
# ones, so `dvc repro` runs offline. The raw data is a small XML file left in the working tree,
# ignored by git as DVC leaves it (the real one comes from the DVC remote). No dvc.lock is
# committed: the first `dvc repro` writes it.
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=Fixtures/lib.sh
source "$here/../lib.sh"
fixture_init "$1"

write README.md "# DVC Get Started

An example of a DVC pipeline: prepare → featurize → train → evaluate."
write .gitignore ".venv/
/model.pkl
/eval"
mkdir -p .dvc
printf "['remote \"storage\"']\nurl = https://remote.dvc.org/get-started\n[core]\nremote = storage\n" > .dvc/config
write .dvc/.gitignore "/config.local
/tmp
/cache"
write .dvcignore "# Add patterns of files dvc should ignore, which could improve
# the performance. Learn more at
# https://dvc.org/doc/user-guide/dvcignore"
write src/requirements.txt "dvclive>=3.0
pandas
pyaml
scikit-learn>=1.3
scipy
matplotlib"
write params.yaml "prepare:
  split: 0.20
  seed: 20170428

featurize:
  max_features: 100
  ngrams: 1

train:
  seed: 20170428
  n_est: 50
  min_split: 0.01"
write dvc.yaml "stages:
  prepare:
    cmd: python src/prepare.py data/data.xml
    deps:
    - data/data.xml
    - src/prepare.py
    params:
    - prepare.seed
    - prepare.split
    outs:
    - data/prepared
  featurize:
    cmd: python src/featurization.py data/prepared data/features
    deps:
    - data/prepared
    - src/featurization.py
    params:
    - featurize.max_features
    - featurize.ngrams
    outs:
    - data/features
  train:
    cmd: python src/train.py data/features model.pkl
    deps:
    - data/features
    - src/train.py
    params:
    - train.min_split
    - train.n_est
    - train.seed
    outs:
    - model.pkl
  evaluate:
    cmd: python src/evaluate.py model.pkl data/features
    deps:
    - data/features
    - model.pkl
    - src/evaluate.py
    outs:
    - eval
metrics:
- eval/metrics.json
artifacts:
  stackoverflow-dataset:
    path: data/data.xml
    type: dataset
    desc: Initial XML StackOverflow dataset (raw data)
  text-classification:
    path: model.pkl
    desc: Detect whether the given stackoverflow question should have R language tag
    type: model
    labels:
    - nlp
    - classification
    - stackoverflow"
write src/prepare.py 'import os
import random
import sys
import xml.etree.ElementTree as ET

import yaml

with open("params.yaml") as f:
    params = yaml.safe_load(f)["prepare"]
rows = [row.attrib for row in ET.parse(sys.argv[1]).getroot()]
random.seed(params["seed"])
random.shuffle(rows)
cut = int(len(rows) * params["split"])
os.makedirs("data/prepared", exist_ok=True)
for name, part in (("test.tsv", rows[:cut]), ("train.tsv", rows[cut:])):
    with open(os.path.join("data/prepared", name), "w") as f:
        f.writelines("{}\t{}\n".format(int("<r>" in row["Tags"]), row["Body"]) for row in part)'
write src/featurization.py 'import json
import os
import sys

import yaml

with open("params.yaml") as f:
    params = yaml.safe_load(f)["featurize"]
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
for name in ("train", "test"):
    with open(os.path.join(src, name + ".tsv")) as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    features = [[int(label), len(body.split())][: params["max_features"]] for label, body in rows]
    with open(os.path.join(dst, name + ".json"), "w") as f:
        json.dump(features, f)'
write src/train.py 'import json
import pickle
import sys

import yaml

with open("params.yaml") as f:
    params = yaml.safe_load(f)["train"]
with open(sys.argv[1] + "/train.json") as f:
    features = json.load(f)
model = {"threshold": sum(words for _, words in features) / max(len(features), 1), **params}
with open(sys.argv[2], "wb") as f:
    pickle.dump(model, f)'
write src/evaluate.py 'import json
import os
import pickle
import sys

with open(sys.argv[1], "rb") as f:
    model = pickle.load(f)
with open(sys.argv[2] + "/test.json") as f:
    test = json.load(f)
right = sum((words > model["threshold"]) == bool(label) for label, words in test)
os.makedirs("eval", exist_ok=True)
with open("eval/metrics.json", "w") as f:
    json.dump({"accuracy": right / max(len(test), 1)}, f)'

# The raw data: git sees only its pointer, DVC keeps the file out of git.
mkdir -p data
{
  printf '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
  for i in $(seq 1 20); do
    if ((i % 3 == 0)); then tags="&lt;r&gt;"; else tags="&lt;python&gt;"; fi
    printf '  <row Id="%d" Tags="%s" Body="question %d about plotting data frames" />\n' "$i" "$tags" "$i"
  done
  printf '</posts>\n'
} > data/data.xml
write data/.gitignore "/data.xml
/prepared
/features"
md5=$(md5sum data/data.xml | cut -d' ' -f1)
size=$(wc -c < data/data.xml)
printf 'outs:\n- md5: %s\n  size: %s\n  hash: md5\n  path: data.xml\n' "$md5" "$size" > data/data.xml.dvc
git add -A
commit "Initialize DVC project and the get-started pipeline"
