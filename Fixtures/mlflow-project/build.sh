#!/usr/bin/env bash
# An MLflow project shaped like MLflow's own examples (sklearn_elasticnet_wine): an MLproject
# whose entry point runs train.py with typed parameters, a python_env.yaml, the training data
# in data/, no tests. train.py logs to MLflow with the standard library in place of
# scikit-learn and writes its model under models/.
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=Fixtures/lib.sh
source "$here/../lib.sh"
fixture_init "$1"

write README.md "# wine-quality

An MLflow project: \`mlflow run . -P alpha=0.42\` trains an ElasticNet-like wine quality model."
write .gitignore "__pycache__/
mlruns/
/models/"
write MLproject 'name: wine-quality

python_env: python_env.yaml

entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      l1_ratio: {type: float, default: 0.1}
    command: "python train.py {alpha} {l1_ratio}"'
write python_env.yaml 'python: "3.11"
build_dependencies:
  - pip
dependencies:
  - mlflow>=2.0'
write requirements.txt "mlflow>=2.0"
write train.py 'import csv
import os
import pickle
import sys

import mlflow

alpha, l1_ratio = float(sys.argv[1]), float(sys.argv[2])
with open("data/wine-quality.csv") as f:
    quality = [float(row["quality"]) for row in csv.DictReader(f)]
mean = sum(quality) / len(quality)
rmse = (sum((q - mean) ** 2 for q in quality) / len(quality)) ** 0.5

with mlflow.start_run():
    mlflow.log_param("alpha", alpha)
    mlflow.log_param("l1_ratio", l1_ratio)
    mlflow.log_metric("rmse", rmse)
    os.makedirs("models", exist_ok=True)
    with open("models/model.pkl", "wb") as out:
        pickle.dump({"mean": mean, "alpha": alpha}, out)
    mlflow.log_artifact("models/model.pkl")
print(f"rmse={rmse:.3f}")'
write data/wine-quality.csv '"fixed acidity","volatile acidity","alcohol","quality"
7.4,0.7,9.4,5
7.8,0.88,9.8,5
11.2,0.28,9.8,6
7.3,0.65,10,7'
git add -A
commit "MLflow project: train.py with an MLproject entry point"
