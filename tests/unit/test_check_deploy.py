"""Each checker of tools/check_deploy.py, shown a small broken input, reports the problem.

tests/unit/test_deploy.py runs the checkers on the real deploy/; these show that they can fail
(a checker that accepts anything would pass there too) and what they say.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

# By name: tools/ is not a package, and mypy checks tools/check_deploy.py as `check_deploy`.
from tools import check_deploy as cd

Doc = dict[str, Any]


# --- Compose -------------------------------------------------------------------------------------


def test_interpolate_follows_compose_substitution() -> None:
    env = {"SET": "v", "EMPTY": ""}
    doc = {
        "a": "${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${SET:-d}",
        "b": ["$SET", "${SET}", "$$SET", "${UNSET}", 3],
        "c": {"d": "${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}", "e": "${SET:?x}"},
    }
    assert cd.interpolate(doc, env) == {
        "a": "d d  v",
        "b": ["v", "v", "$SET", "", 3],
        "c": {"d": "alt||alt|", "e": "v"},
    }
    with pytest.raises(ValueError, match="required variable TOKEN is unset: set it"):
        cd.interpolate("${TOKEN:?set it}", env)
    with pytest.raises(ValueError, match="required variable EMPTY"):
        cd.interpolate("${EMPTY:?}", env)
    assert cd.interpolate("${EMPTY?}", env) == ""


def test_a_compose_file_with_a_bad_variable_is_a_problem(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  api:\n    image: latentgan:${TAG:?set TAG}\n")
    assert cd.compose_file_problems(compose) == ["required variable TAG is unset: set TAG"]
    compose.write_text("services:\n  api:\n    image: latentgan:${TAG\n")
    assert cd.compose_file_problems(compose) == [
        "invalid interpolation format in 'latentgan:${TAG'"
    ]
    compose.write_text("services:\n  api:\n    image: latentgan:${TAG:-cpu}\n")
    assert cd.compose_file_problems(compose) == []


def test_compose_problems_follow_the_specification_and_references(tmp_path: Path) -> None:
    assert cd.compose_problems({"services": {"api": {"image": "x", "replica": 2}}}) == [
        "services.api: Unevaluated properties are not allowed ('replica' was unexpected)"
    ]
    (tmp_path / "Dockerfile").write_text("FROM python:3.11\n")
    doc = {
        "services": {
            "redis": {"image": "redis"},
            "deploy": {"image": "x", "restart": "always"},
            "api": {
                "build": {"context": "."},
                "depends_on": {
                    "rediss": {"condition": "service_started"},
                    "redis": {"condition": "service_healthy"},
                    "deploy": {"condition": "service_completed_successfully"},
                },
                "volumes": ["data:/data", "./local:/local"],
            },
            "worker": {"build": {"context": ".", "dockerfile": "Dockerfile.gpu"}},
        }
    }
    assert cd.compose_problems(doc, base=tmp_path) == [
        "api: depends on unknown service 'rediss'",
        "api: waits for redis to be healthy; it has no healthcheck",
        "api: waits for deploy to complete; it restarts forever",
        "api: volume 'data' is not declared",
        f"worker: no Dockerfile at {tmp_path / 'Dockerfile.gpu'}",
    ]


def test_compose_platform_problems_name_what_the_platform_misses() -> None:
    doc = copy.deepcopy(cd.load_compose())
    services = doc["services"]
    services["generation-worker"]["deploy"]["replicas"] = 3
    services["api"]["environment"]["LATENTGAN_DATA_DIR"] = "/srv"
    services["api"]["volumes"] = []
    services["deploy"]["command"] = ["latentgan", "deploy"]
    del services["training-worker-cpu"]["depends_on"]["deploy"]
    assert cd.compose_platform_problems(doc) == [
        "api: LATENTGAN_DATA_DIR is '/srv', not '/data'",
        "api: the artifact store (data:/data) is not mounted",
        "generation-worker: deploy.replicas is 3, not 2",
        "deploy: `latentgan deploy` has no --gpu-slots (the container has no GPU)",
        "training-worker-cpu: depends_on.deploy is missing, not "
        "{'condition': 'service_completed_successfully'}",
    ]
    problems = cd.compose_platform_problems({"services": {"redis": {"image": "redis"}}})
    assert problems[0].startswith("services are ['redis'], not")
    assert "api: ports.0 is missing, not '50051:50051'" in problems


# --- Kubernetes ----------------------------------------------------------------------------------


def _object(api_version: str, kind: str, name: str, spec: Doc) -> Doc:
    """A Kubernetes object in the latentgan namespace."""
    metadata = {"name": name, "namespace": cd.NAMESPACE}
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": spec}


def _deployment(name: str = "api") -> Doc:
    """A small valid Deployment with a named gRPC port and a gRPC readiness probe."""
    labels = {"app.kubernetes.io/name": name}
    container = {
        "name": name,
        "image": "latentgan:cpu",
        "ports": [{"name": "grpc", "containerPort": 50051}],
        "readinessProbe": {"grpc": {"port": 50051}},
    }
    pod = {"metadata": {"labels": labels}, "spec": {"containers": [container]}}
    return _object(
        "apps/v1", "Deployment", name, {"selector": {"matchLabels": labels}, "template": pod}
    )


def _service(name: str = "api", target_port: str | int = "grpc") -> Doc:
    """A Service in front of ``_deployment(name)``, port 50051 to ``target_port``."""
    ports = [{"port": 50051, "targetPort": target_port}]
    return _object(
        "v1", "Service", name, {"selector": {"app.kubernetes.io/name": name}, "ports": ports}
    )


def test_kubernetes_objects_and_kustomization_problems(tmp_path: Path) -> None:
    (tmp_path / "gpu-pool").mkdir()
    (tmp_path / "gpu-pool" / "base-job-template.json").write_text("{}")
    (tmp_path / "api.yaml").write_text(yaml.safe_dump_all([_deployment(), _service()]))
    (tmp_path / "redis.yaml").write_text("")
    (tmp_path / "kustomization.yaml").write_text(
        "namespace: other\nresources: [api.yaml]\nconfigMapGenerator:\n"
        "  - name: latentgan-gpu-pool\n    files: [gpu-pool/base-job-template.json]\n"
    )
    objects = cd.kubernetes_objects(tmp_path)
    assert [(o["kind"], o["metadata"]["name"]) for o in objects] == [
        ("Deployment", "api"),
        ("Service", "api"),
        ("ConfigMap", "latentgan-gpu-pool"),
    ]
    assert objects[2]["data"] == {"base-job-template.json": "{}"}
    assert cd.kustomization_problems(tmp_path) == [
        "kustomization.yaml: namespace is 'other', not 'latentgan'",
        "kustomization.yaml: resources ['api.yaml'] are not the manifests ['api.yaml', "
        "'redis.yaml']",
        f"kustomization.yaml: generates {{'gpu-pool/base-job-template.json'}}, not "
        f"{cd.GPU_POOL_FILES}",
    ]


@pytest.mark.parametrize("version", cd.KUBERNETES_VERSIONS)
def test_kubernetes_schemas_catch_a_missing_field_an_unknown_one_and_a_wrong_type(
    version: str,
) -> None:
    assert cd.kubernetes_schema_problems([_deployment(), _service()], version) == []
    no_selector, unknown, named_port = _deployment(), _deployment(), _deployment()
    del no_selector["spec"]["selector"]
    unknown["spec"]["replica"] = 2
    named_port["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["grpc"]["port"] = (
        "grpc"
    )
    problems = cd.kubernetes_schema_problems([no_selector, unknown, named_port], version)
    assert len(problems) == 3
    assert "'selector' is a required property" in problems[0]
    assert "'replica' was unexpected" in problems[1]
    assert "readinessProbe.grpc.port" in problems[2] and "'grpc' is not of type" in problems[2]
    assert cd.kubernetes_schema_problems([{"apiVersion": "v9", "kind": "Nope"}], version) != []


def test_kubernetes_references_must_resolve() -> None:
    assert cd.kubernetes_reference_problems([_deployment(), _service()]) == []
    api = _deployment()
    pod = api["spec"]["template"]["spec"]
    api["spec"]["template"]["metadata"]["labels"] = {"app.kubernetes.io/name": "apii"}
    pod["volumes"] = [{"name": "data", "persistentVolumeClaim": {"claimName": "dat"}}]
    pod["containers"][0]["volumeMounts"] = [{"name": "dta", "mountPath": "/data"}]
    pod["containers"][0]["readinessProbe"] = {"grpc": {"port": 50052}}
    pod["serviceAccountName"] = "worker"
    worker = _deployment("worker")
    worker["metadata"]["namespace"] = "default"
    assert cd.kubernetes_reference_problems([api, worker, _service("worker", "http")]) == [
        "Deployment/worker: not in latentgan",
        "Deployment/api: selector {'app.kubernetes.io/name': 'api'} does not match its pods "
        "{'app.kubernetes.io/name': 'apii'}",
        "Deployment/api: no ServiceAccount worker",
        "Deployment/api: no PersistentVolumeClaim dat",
        "Deployment/api: mounts unknown volume dta",
        "Deployment/api: readinessProbe on unknown port 50052",
        "Service/worker: no pod port {'port': 50051, 'targetPort': 'http'}",
    ]


def test_kubernetes_platform_problems_name_what_the_platform_misses() -> None:
    objects = copy.deepcopy(cd.kubernetes_objects())
    for obj in objects:
        name = obj["metadata"]["name"]
        if obj["kind"] == "Deployment" and name == "generation-worker":
            obj["spec"]["replicas"] = 1
        if obj["kind"] == "Role":
            obj["rules"][0]["verbs"].remove("delete")
        if obj["kind"] == "Job":
            pod = obj["spec"]["template"]["spec"]
            pod["initContainers"].reverse()
    assert cd.kubernetes_platform_problems(objects) == [
        "Deployment/generation-worker: spec.replicas is 1, not 2",
        "Job/latentgan-deploy: steps ['deploy', 'gpu-pool', 'gpu-pool-template'], not gpu-pool, "
        "deploy, template",
        "Role/prefect-worker: does not grant [('batch', 'jobs', 'delete')]",
    ]
    problems = cd.kubernetes_platform_problems([])
    assert "ConfigMap/latentgan-config: 0 found, not 1" in problems
    assert "ConfigMap/latentgan-config: LATENTGAN_DATA_DIR is missing, not '/data'" in problems


def test_environment_problems_compare_compose_with_the_configmap() -> None:
    compose = {
        "services": {
            "training-worker-cpu": {
                "environment": ["LATENTGAN_DATA_DIR=/data", "LATENTGAN_AUTH_TOKEN=", "HOME=/"]
            }
        }
    }
    config = {"kind": "ConfigMap", "metadata": {"name": "latentgan-config"}, "data": {}}
    assert cd.environment_problems(compose, [config]) == [
        "LATENTGAN_DATA_DIR: '/data' in compose.yaml, missing in the ConfigMap latentgan-config"
    ]
    config["data"] = {"LATENTGAN_DATA_DIR": "/data"}
    assert cd.environment_problems(compose, [config]) == []


# --- the gpu pool --------------------------------------------------------------------------------


def test_gpu_template_problems_catch_a_broken_template() -> None:
    template = cd.gpu_template()
    objects = cd.kubernetes_objects()
    container = template["job_configuration"]["job_manifest"]["spec"]["template"]["spec"][
        "containers"
    ][0]
    broken = copy.deepcopy(template)
    broken_container = broken["job_configuration"]["job_manifest"]["spec"]["template"]["spec"][
        "containers"
    ][0]
    broken_container["resources"]["limits"]["nvidia.com/gpu"] = "{{ gpus }}"
    (problem,) = cd.gpu_template_problems(broken, objects)
    assert problem.startswith("not a valid base job template") and "gpus" in problem

    broken = copy.deepcopy(template)
    broken["variables"]["properties"]["image"]["default"] = "latentgan:cpu"
    broken_container = broken["job_configuration"]["job_manifest"]["spec"]["template"]["spec"][
        "containers"
    ][0]
    broken_container["envFrom"][0]["configMapRef"]["name"] = "latentgan-conf"
    assert container["envFrom"][0] == {"configMapRef": {"name": "latentgan-config"}}
    assert cd.gpu_template_problems(broken, objects) == [
        "Job: image is 'latentgan:cpu', not 'latentgan:cuda'",
        "Job: {'configMapRef': {'name': 'latentgan-config'}} is not in the container's envFrom",
        "Job/flow-run: no ConfigMap latentgan-conf",
    ]


def test_job_variables_are_checked_by_prefect_and_by_kubernetes() -> None:
    template = cd.gpu_template()
    problems = cd.job_variable_problems(
        {"image_pull_policy": "Sometimes", "gpu_count": 0}, template, ignore_required=True
    )
    assert len(problems) == 2
    job = cd.gpu_job(template, {"finished_job_ttl": "1h"})
    (problem,) = cd.kubernetes_schema_problems([job], "latest")
    assert "ttlSecondsAfterFinished: '1h' is not of type 'integer'" in problem


# --- command lines -------------------------------------------------------------------------------


def test_command_lines_are_collected_from_every_file(tmp_path: Path) -> None:
    compose = {
        "services": {
            "api": {"command": "latentgan serve --port 1", "healthcheck": {"test": ["CMD", "x"]}},
            "db": {"healthcheck": {"test": ["CMD-SHELL", "pg_isready"]}},
        }
    }
    api = _deployment()
    api["spec"]["template"]["spec"]["containers"][0].update(
        command=["latentgan"], args=["serve"], livenessProbe={"exec": {"command": ["true"]}}
    )
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text('FROM python:3.11\nCMD ["latentgan", \\\n  "worker"]\n')
    assert cd.command_lines(compose, [api, _service()], {"cpu": dockerfile}) == [
        ("compose api", ["latentgan", "serve", "--port", "1"]),
        ("compose api healthcheck", ["x"]),
        ("Deployment/api api", ["latentgan", "serve"]),
        ("Deployment/api api livenessProbe", ["true"]),
        ("Dockerfile.cpu CMD", ["latentgan", "worker"]),
    ]


def test_command_line_checks_use_the_real_parsers() -> None:
    assert cd.latentgan_problems(["latentgan", "serve", "--workers", "2"]) == []
    assert cd.latentgan_problems(["latentgan", "serve", "--wrokers", "2"]) != []
    assert cd.latentgan_problems(["latentgan", "deploy", "--gpu-slots", "one"]) != []
    assert (
        cd.prefect_problems(["prefect", "worker", "start", "--pool", "cpu", "--type", "process"])
        == []
    )
    assert cd.prefect_problems(["prefect", "worker", "start", "--pool", "gpu", "--tpye", "process"])
    assert cd.prefect_problems(
        ["prefect", "worker", "start", "--pool", "gpus", "--type", "process"]
    ) == ["unknown work pool 'gpus'"]
    assert cd.prefect_problems(
        ["prefect", "worker", "start", "--pool", "gpu", "--type", "k8s"]
    ) == ["unknown worker type 'k8s' (not installed?)"]
    assert cd.prefect_problems(["prefect", "deploy"]) != []
    assert cd.python_problems(["python", "-c", "import json; json.dumps(1)"]) == []
    assert cd.python_problems(["python", "-c", "import sys; sys.exit(("])
    assert cd.python_problems(["python", "-c", "from services.probe import health"]) == [
        "python -c: services.probe has no health"
    ]
    assert cd.python_problems(["python", "-c", "import no_such_module"]) == [
        "python -c: No module named 'no_such_module'"
    ]


def test_command_line_problems_say_where() -> None:
    compose = {"services": {"api": {"command": ["latentgan", "serve", "--wrokers", "2"]}}}
    problems = cd.command_line_problems(compose, [])
    assert problems[0] == "latentgan runs as ['serve'], not deploy, serve, worker"
    assert problems[1].startswith("compose api: ") and "--wrokers" in problems[1]
    assert len(problems) == 2


# --- prefect.yaml --------------------------------------------------------------------------------


def test_prefect_yaml_problems_catch_unknown_keys_and_bad_steps() -> None:
    doc = cd.load_yaml(cd.PREFECT_YAML)
    broken = copy.deepcopy(doc)
    broken["deployments"][0]["work_pol"] = {"name": "gpu"}
    broken["pull"][0] = {"prefect.deployments.steps.set_working_directory": {"path": "/app"}}
    broken["deployments"][1]["work_pool"]["name"] = "gpus"
    problems = cd.prefect_yaml_problems(broken)
    assert len(problems) == 4
    assert problems[0] == (
        "pull step prefect.deployments.steps.set_working_directory: "
        "missing a required argument: 'directory'"
    )
    assert problems[1].startswith("pull steps [{'prefect.deployments.steps")
    assert problems[2] == "deployment gpu: unknown key 'work_pol'"
    assert problems[3].startswith("deployments {('train', 'gpu'): 'gpu', ('train', 'cpu'): 'gpus'")
    assert cd.prefect_yaml_problems({"deployments": "train"}) != []


def test_entrypoint_problems_load_the_flow(tmp_path: Path) -> None:
    assert cd.entrypoint_problems({"entrypoint": "flows/nope.py:train"}, tmp_path) == [
        "prefect.yaml names 'flows/nope.py', which does not exist"
    ]
    (tmp_path / "job.py").write_text("def train() -> None:\n    pass\n")
    (problem,) = cd.entrypoint_problems({"entrypoint": "job.py:train"}, tmp_path)
    assert problem.startswith("job.py:train: ") and "train" in problem
    (tmp_path / "flow.py").write_text(
        "from prefect import flow\n\n\n"
        "@flow(name='other')\ndef train(n: int = 1) -> None:\n    pass\n"
    )
    deployment = {
        "name": "cpu",
        "entrypoint": "flow.py:train",
        "parameters": {"n": "many", "m": 1},
        "work_pool": {"name": "cpu"},
    }
    assert cd.entrypoint_problems(deployment, tmp_path) == [
        "flow.py:train: the flow is named 'other', not 'train'",
        "flow.py:train: unknown parameter 'm'",
        "flow.py:train: n: 'many' is not of type 'integer'",
        "flow.py:train on cpu: `latentgan deploy` does not register it",
    ]


def test_parameter_problems_check_names_and_types() -> None:
    from prefect import flow

    @flow(name="evaluate")
    def evaluate(model: str, n: int = 5000) -> None:
        """A stand-in with flows/evaluate.py's signature."""

    assert cd.parameter_problems(evaluate, {"n": 100}) == []
    assert len(cd.parameter_problems(evaluate, {"n": "many", "samples": 5})) == 2


# --- Dockerfiles ---------------------------------------------------------------------------------


def test_dockerignored_follows_docker_not_gitignore() -> None:
    rules = "# comment\n\ntests\n/out/\n**/__pycache__\nlatentgan\n!latentgan/cli.py\n*.md\n"
    assert cd.dockerignored("tests/unit/test_x.py", rules)
    assert not cd.dockerignored("clients/python/tests/test_x.py", rules)  # gitignore: ignored
    assert cd.dockerignored("out/model.pt", rules)
    assert cd.dockerignored("clients/python/x/__pycache__/a.pyc", rules)
    assert cd.dockerignored("latentgan/data.py", rules)
    assert not cd.dockerignored("latentgan/cli.py", rules)
    assert cd.dockerignored("README.md", rules) and not cd.dockerignored("docs/a.md", rules)
    assert not cd.dockerignored("a/b", "a/../b\n.\n") and cd.dockerignored("b/c", "a/../b\n")
    real = (cd.ROOT / ".dockerignore").read_text()
    assert cd.dockerignored(".venv/bin/python", real)
    assert cd.dockerignored("clients/python/x/__pycache__/a.pyc", real)
    assert not cd.dockerignored("deploy/prefect.yaml", real)


def test_context_dockerignore_prefers_the_dockerfiles_own(tmp_path: Path) -> None:
    dockerfile = tmp_path / "docker" / "Dockerfile.cpu"
    dockerfile.parent.mkdir()
    assert cd.context_dockerignore(dockerfile, tmp_path) == ""
    (tmp_path / ".dockerignore").write_text("tests\n")
    assert cd.context_dockerignore(dockerfile, tmp_path) == "tests\n"
    (tmp_path / "docker" / "Dockerfile.cpu.dockerignore").write_text("out\n")
    assert cd.context_dockerignore(dockerfile, tmp_path) == "out\n"


def test_makefile_torch_reads_the_pin() -> None:
    assert cd.makefile_torch("PYTHON ?= python3\nTORCH ?= torch==2.13.0\n") == "torch==2.13.0"
    assert cd.makefile_torch("TORCH := torch\n") is None


def test_dockerfile_problems_catch_a_broken_dockerfile() -> None:
    text = cd.DOCKERFILES["cpu"].read_text()
    pin = cd.makefile_torch((cd.ROOT / "Makefile").read_text())
    broken = (
        text.replace(str(pin), "torch")
        .replace("COPY services/ services/", "COPY service/ services/")
        .replace("USER 10001:10001", "USER root")
    )
    assert cd.dockerfile_problems(broken, "cpu") == [
        f"torch is not installed once as {pin} (the Makefile's pin)",
        "COPY service: not in the repository",
        "services is not copied into the image",
        "the image does not end as a non-root user",
    ]
    assert cd.dockerfile_problems(text, "cuda") == [
        "torch comes from https://download.pytorch.org/whl/cpu, not None"
    ]
    assert cd.dockerfile_problems(text, "cpu", dockerignore="**/*.pyi\nservices\n") == [
        "clients/python/latentgan_client/v1/latentgan_pb2.pyi: left out by .dockerignore",
        "clients/python/latentgan_client/v1/latentgan_pb2_grpc.pyi: left out by .dockerignore",
        "COPY services: left out of the build context by .dockerignore",
    ]
    problems = cd.dockerfile_problems("FROM python:3.12-slim\nCMD latentgan worker\n", "cpu")
    assert problems[:5] == [
        "base image python:3.12-slim is not Python 3.11",
        "PIP_NO_CACHE_DIR=1 is not set",
        "the code does not live at /app",
        f"torch is not installed once as {pin} (the Makefile's pin)",
        "not installed as `pip install ./clients/python .` (the SDK first)",
    ]
    assert problems[-3:] == [
        "the image does not end as a non-root user",
        "port 50051 is not exposed",
        "the default command is not `latentgan serve`",
    ]


def test_hadolint_problems_catch_a_lint_and_a_missing_hadolint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python\nRUN pip install torch\nCMD latentgan serve\n")
    assert any("DL3006" in p for p in cd.hadolint_problems(dockerfile))  # untagged base image
    monkeypatch.setattr(cd, "find_hadolint", lambda: None)
    assert cd.hadolint_problems(dockerfile) == [cd.HADOLINT_MISSING]
