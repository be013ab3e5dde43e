"""Checks a Kubeflow Pipelines file mlci generated, with kfp itself (the version pinned in
Tests/Validators/requirements.txt):

  parse FILE            strict parse: PipelineSpec, and deploymentSpec as PipelineDeploymentConfig
                        (misspelt fields and enum values fail), plus what kfp does not check:
                        every componentRef, executorLabel, dependentTasks entry and input
                        placeholder resolves, and the task graph has no cycle
  roundtrip FILE        load the file as kfp does and compile it again: the documents must be equal
  run FILE BASE HEAD    execute it with kfp's local engine (kfp.local.SubprocessRunner) in the
                        current directory; exits non-zero when the run fails

Prints one line per problem and exits 1 when there is any.
"""
import json
import re
import sys
import tempfile

import yaml
from google.protobuf import json_format

import kfp
from kfp.pipeline_spec import pipeline_spec_pb2

PINNED = "2.17.3"


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def parse(path):
    doc = load(path)
    problems = []
    try:
        json_format.ParseDict(doc, pipeline_spec_pb2.PipelineSpec())
        json_format.ParseDict(doc.get("deploymentSpec", {}), pipeline_spec_pb2.PipelineDeploymentConfig())
    except json_format.ParseError as error:
        problems.append(f"strict parse: {error}")
    components = doc.get("components", {})
    executors = doc.get("deploymentSpec", {}).get("executors", {})
    tasks = doc.get("root", {}).get("dag", {}).get("tasks", {})
    root_inputs = doc.get("root", {}).get("inputDefinitions", {}).get("parameters", {})
    for name, component in components.items():
        if component.get("executorLabel") not in executors:
            problems.append(f"{name}: executorLabel {component.get('executorLabel')!r} names no executor")
    for name, task in tasks.items():
        ref = task.get("componentRef", {}).get("name")
        if ref not in components:
            problems.append(f"task {name}: componentRef {ref!r} names no component")
            continue
        for dep in task.get("dependentTasks", []):
            if dep not in tasks:
                problems.append(f"task {name}: dependentTasks names {dep!r}, which is no task")
        declared = components[ref].get("inputDefinitions", {}).get("parameters", {})
        for param, source in task.get("inputs", {}).get("parameters", {}).items():
            if param not in declared:
                problems.append(f"task {name}: input {param!r} is not declared by {ref}")
            upstream = source.get("componentInputParameter")
            if upstream is not None and upstream not in root_inputs:
                problems.append(f"task {name}: componentInputParameter {upstream!r} is no pipeline input")
        executor = executors.get(components[ref].get("executorLabel"), {})
        container = executor.get("container", {})
        for part in container.get("command", []) + container.get("args", []):
            for placeholder in re.findall(r"\{\{\$\.inputs\.parameters\['([^']*)'\]\}\}", part):
                if placeholder not in declared:
                    problems.append(f"task {name}: placeholder {placeholder!r} is not an input of {ref}")
    # A cycle through dependentTasks would never start.
    state = {}

    def visit(task, stack):
        state[task] = 1
        for dep in tasks.get(task, {}).get("dependentTasks", []):
            if state.get(dep) == 1:
                problems.append("dependentTasks form a cycle: " + " -> ".join(stack + [task, dep]))
            elif dep in tasks and state.get(dep) is None:
                visit(dep, stack + [task])
        state[task] = 2

    for task in tasks:
        if state.get(task) is None:
            visit(task, [])
    return problems


def roundtrip(path):
    from kfp import compiler, components

    component = components.load_component_from_file(path)
    with tempfile.NamedTemporaryFile(suffix=".yaml") as out:
        compiler.Compiler().compile(component, out.name)
        again = load(out.name)
    original = load(path)
    if original == again:
        return []
    return ["the document kfp compiles from it differs:", json.dumps(original, sort_keys=True),
            json.dumps(again, sort_keys=True)]


def run(path, base, head):
    from kfp import components, local
    from kfp.local import subprocess_task_handler as handler

    # kfp's own tests run container components outside a container this way
    # (kfp/local/pipeline_orchestrator_test.py, TestFstringContainerComponent). The names are
    # private: fail loudly if the pinned version no longer has them.
    for name in ["validate_image", "validate_not_container_component",
                 "validate_not_containerized_python_component"]:
        if not hasattr(handler.SubprocessTaskHandler, name):
            return [f"kfp {kfp.__version__}: SubprocessTaskHandler.{name} is gone; update Tests/Kubeflow/kfp_check.py"]
    handler.SubprocessTaskHandler.validate_image = lambda self, image: None
    handler.SubprocessTaskHandler.validate_not_container_component = lambda self, full_command: None
    handler.SubprocessTaskHandler.validate_not_containerized_python_component = lambda self, full_command: None
    with tempfile.TemporaryDirectory() as root:
        local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=root, raise_on_error=True)
        pipeline = components.load_component_from_file(path)
        try:
            pipeline(base_sha=base, head_sha=head)
        except RuntimeError as error:
            return [f"the run failed: {error}"]
    return []


def main():
    if kfp.__version__ != PINNED:
        print(f"kfp {kfp.__version__} is installed; these checks are written for {PINNED}")
        return 1
    command, *args = sys.argv[1:]
    problems = {"parse": parse, "roundtrip": roundtrip, "run": run}[command](*args)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
