#!/usr/bin/env bash
# shellcheck disable=SC2016  # file contents with $ and backquotes are written literally
# A stand-in for a project generated from Kedro's spaceflights-pandas starter
# (kedro-org/kedro-starters), which lives on GitHub and cannot be fetched here: the generated
# layout — src/spaceflights/pipelines/{data_processing,data_science}, conf/base/catalog.yml and
# parameters_*.yml, conf/local, the data/01_raw … 08_reporting layers with .gitkeep files,
# notebooks/, tests/ — with Kedro's own project boilerplate (settings.py, pipeline_registry.py,
# __main__.py, .gitignore). Where the starter uses pandas and scikit-learn, the nodes are plain
# Python and the catalog uses kedro-datasets' text and pickle datasets, so `kedro run` works
# with kedro and kedro-datasets alone; shuttles is a CSV instead of an Excel sheet. As in a
# generated project, Kedro's .gitignore keeps the raw data out of git (data/** except .gitkeep);
# the raw files are left in the working tree.
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=Fixtures/lib.sh
source "$here/../lib.sh"
fixture_init "$1"
pkg=src/spaceflights

write README.md "# spaceflights

Generated with Kedro from the spaceflights-pandas starter. Run the pipeline with \`kedro run\`."
write .gitignore "##########################
# KEDRO PROJECT

# ignore all local configuration
conf/local/**
!conf/local/.gitkeep

# ignore potentially sensitive credentials files
conf/**/*credentials*

# ignore everything in the following folders
data/**

# except their sub-folders
!data/**/

# also keep all .gitkeep files
!.gitkeep

# ignore file based logs
*.log

__pycache__/
*.py[cod]
.pytest_cache/
.coverage"
write pyproject.toml '[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
requires-python = ">=3.10"
name = "spaceflights"
readme = "README.md"
dynamic = ["version"]
dependencies = [
    "kedro~=1.0",
    "kedro-datasets>=3.0",
]

[project.scripts]
"spaceflights" = "spaceflights.__main__:main"

[project.optional-dependencies]
dev = [
    "pytest-cov>=3,<7",
    "pytest~=7.2",
    "ruff~=0.12.0"
]

[tool.setuptools.dynamic]
version = {attr = "spaceflights.__version__"}

[tool.setuptools.packages.find]
where = ["src"]
namespaces = false

[tool.kedro]
package_name = "spaceflights"
project_name = "spaceflights"
kedro_init_version = "1.0.0"
tools = "[]"
example_pipeline = "True"
source_dir = "src"

[tool.pytest.ini_options]
# Stands in for `pip install -e .`, which a real checkout runs before its tests.
pythonpath = ["src"]
addopts = """
--cov-report term-missing \
--cov src/spaceflights -ra"""

[tool.ruff]
line-length = 88
show-fixes = true

[tool.ruff.lint]
select = ["F", "W", "E", "I", "UP"]
ignore = ["E501"]'
write requirements.txt "kedro~=1.0
kedro-datasets>=3.0
pytest-cov~=3.0
pytest~=7.2
ruff~=0.12.0"
write conf/README.md "# What is this for?

This folder should be used to store configuration files used by Kedro or by separate tools."
write conf/base/catalog.yml "# Here you can define all your datasets by using simple YAML syntax.
#
# Documentation for this file format can be found in \"The Data Catalog\"

companies:
  type: text.TextDataset
  filepath: data/01_raw/companies.csv

reviews:
  type: text.TextDataset
  filepath: data/01_raw/reviews.csv

shuttles:
  type: text.TextDataset
  filepath: data/01_raw/shuttles.csv

preprocessed_companies:
  type: pickle.PickleDataset
  filepath: data/02_intermediate/preprocessed_companies.pkl

preprocessed_shuttles:
  type: pickle.PickleDataset
  filepath: data/02_intermediate/preprocessed_shuttles.pkl

model_input_table:
  type: pickle.PickleDataset
  filepath: data/03_primary/model_input_table.pkl

regressor:
  type: pickle.PickleDataset
  filepath: data/06_models/regressor.pickle
  versioned: true"
write conf/base/parameters.yml "# Parameters shared by every pipeline"
write conf/base/parameters_data_processing.yml "# This is a boilerplate parameters config generated for pipeline 'data_processing'
# using Kedro.
#
# Documentation for this file format can be found in \"Parameters\""
write conf/base/parameters_data_science.yml "model_options:
  test_size: 0.2
  random_state: 3
  features:
    - engines
    - passenger_capacity
    - crew"
write conf/local/.gitkeep ""
write conf/logging.yml "version: 1

disable_existing_loggers: False

handlers:
  console:
    class: logging.StreamHandler
    level: INFO
    stream: ext://sys.stdout

loggers:
  kedro:
    level: INFO

root:
  handlers: [console]"
for layer in 01_raw 02_intermediate 03_primary 04_feature 05_model_input 06_models 07_model_output 08_reporting; do
  write "data/$layer/.gitkeep" ""
done
write notebooks/.gitkeep ""

write $pkg/__init__.py '"""spaceflights"""

__version__ = "0.1"'
write $pkg/__main__.py '"""spaceflights file for ensuring the package is executable
as `spaceflights` and `python -m spaceflights`
"""

import sys
from pathlib import Path
from typing import Any

from kedro.framework.cli.utils import find_run_command
from kedro.framework.project import configure_project


def main(*args, **kwargs) -> Any:
    package_name = Path(__file__).parent.name
    configure_project(package_name)

    interactive = hasattr(sys, "ps1")
    kwargs["standalone_mode"] = not interactive

    run = find_run_command(package_name)
    return run(*args, **kwargs)


if __name__ == "__main__":
    main()'
write $pkg/settings.py '"""Project settings."""

CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
}'
write $pkg/pipeline_registry.py '"""Project pipelines."""

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project'"'"'s pipelines."""
    pipelines = find_pipelines(raise_errors=True)
    pipelines["__default__"] = sum(pipelines.values())
    return pipelines'
write $pkg/pipelines/__init__.py ""
write $pkg/pipelines/data_processing/__init__.py '"""The data processing pipeline."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]'
write $pkg/pipelines/data_processing/nodes.py '"""Nodes of the data processing pipeline (plain Python in place of pandas)."""

import csv
import io


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _is_true(x: str) -> bool:
    return x == "t"


def _parse_percentage(x: str) -> float:
    return float(x.replace("%", "")) / 100


def preprocess_companies(companies: str) -> list[dict]:
    rows = _rows(companies)
    for row in rows:
        row["iata_approved"] = _is_true(row["iata_approved"])
        row["company_rating"] = _parse_percentage(row["company_rating"])
    return rows


def preprocess_shuttles(shuttles: str) -> list[dict]:
    rows = _rows(shuttles)
    for row in rows:
        row["engines"] = float(row["engines"])
        row["passenger_capacity"] = float(row["passenger_capacity"])
        row["crew"] = float(row["crew"])
        row["price"] = float(row["price"].replace("$", "").replace(",", ""))
    return rows


def create_model_input_table(
    shuttles: list[dict], companies: list[dict], reviews: str
) -> list[dict]:
    by_company = {c["id"]: c for c in companies}
    rated = {r["shuttle_id"] for r in _rows(reviews)}
    return [
        {**s, **by_company[s["company_id"]]}
        for s in shuttles
        if s["id"] in rated and s["company_id"] in by_company
    ]'
write $pkg/pipelines/data_processing/pipeline.py 'from kedro.pipeline import Pipeline, node, pipeline

from .nodes import create_model_input_table, preprocess_companies, preprocess_shuttles


def create_pipeline(**kwargs) -> Pipeline:
    return pipeline(
        [
            node(
                func=preprocess_companies,
                inputs="companies",
                outputs="preprocessed_companies",
                name="preprocess_companies_node",
            ),
            node(
                func=preprocess_shuttles,
                inputs="shuttles",
                outputs="preprocessed_shuttles",
                name="preprocess_shuttles_node",
            ),
            node(
                func=create_model_input_table,
                inputs=["preprocessed_shuttles", "preprocessed_companies", "reviews"],
                outputs="model_input_table",
                name="create_model_input_table_node",
            ),
        ]
    )'
write $pkg/pipelines/data_science/__init__.py '"""The data science pipeline."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]'
write $pkg/pipelines/data_science/nodes.py '"""Nodes of the data science pipeline (a mean predictor in place of scikit-learn)."""

import logging
import random


def split_data(data: list[dict], parameters: dict) -> tuple:
    rows = list(data)
    random.Random(parameters["random_state"]).shuffle(rows)
    cut = int(len(rows) * parameters["test_size"])
    features = parameters["features"]

    def xs(part):
        return [[row[f] for f in features] for row in part]

    def ys(part):
        return [row["price"] for row in part]

    return xs(rows[cut:]), xs(rows[:cut]), ys(rows[cut:]), ys(rows[:cut])


def train_model(X_train: list, y_train: list) -> dict:
    return {"mean": sum(y_train) / max(len(y_train), 1)}


def evaluate_model(regressor: dict, X_test: list, y_test: list) -> None:
    error = sum(abs(y - regressor["mean"]) for y in y_test) / max(len(y_test), 1)
    logging.getLogger(__name__).info("Model has a mean absolute error of %.3f.", error)'
write $pkg/pipelines/data_science/pipeline.py 'from kedro.pipeline import Pipeline, node, pipeline

from .nodes import evaluate_model, split_data, train_model


def create_pipeline(**kwargs) -> Pipeline:
    return pipeline(
        [
            node(
                func=split_data,
                inputs=["model_input_table", "params:model_options"],
                outputs=["X_train", "X_test", "y_train", "y_test"],
                name="split_data_node",
            ),
            node(
                func=train_model,
                inputs=["X_train", "y_train"],
                outputs="regressor",
                name="train_model_node",
            ),
            node(
                func=evaluate_model,
                inputs=["regressor", "X_test", "y_test"],
                outputs=None,
                name="evaluate_model_node",
            ),
        ]
    )'
write tests/__init__.py ""
write tests/pipelines/__init__.py ""
write tests/pipelines/data_science/__init__.py ""
write tests/pipelines/data_science/test_pipeline.py 'from spaceflights.pipelines.data_science.nodes import split_data, train_model


def test_split_data():
    data = [{"engines": i, "price": 10.0 * i} for i in range(10)]
    parameters = {"test_size": 0.2, "random_state": 3, "features": ["engines"]}
    X_train, X_test, y_train, y_test = split_data(data, parameters)
    assert len(X_train) == 8
    assert len(X_test) == 2


def test_train_model():
    assert train_model([[1], [2]], [1.0, 3.0]) == {"mean": 2.0}'
git add -A
commit "New Kedro project from the spaceflights-pandas starter"

# The raw layer: in the working tree, out of git as Kedro's .gitignore has it.
write data/01_raw/companies.csv 'id,company_rating,company_location,total_fleet_count,iata_approved
3888,100%,Isle of Man,1.0,f
46728,100%,,1.0,f
34618,38%,Isle of Man,1.0,f'
write data/01_raw/shuttles.csv 'id,shuttle_location,engines,passenger_capacity,crew,company_id,price
63561,Niue,1.0,2,2.0,3888,"$1,325.0"
36260,Anguilla,1.0,2,2.0,46728,"$1,780.0"
57015,Russian Federation,1.0,2,2.0,34618,"$1,715.0"
14035,Barbados,1.0,2,2.0,3888,"$4,953.0"'
write data/01_raw/reviews.csv 'shuttle_id,review_scores_rating
63561,97.0
36260,90.0
57015,95.0
14035,100.0'
