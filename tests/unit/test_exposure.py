"""Where the api may listen without authentication (services/exposure.py), and what says so.

The rule as a table of hosts × settings; mutual TLS in ``server_credentials``; the ``--insecure``
flag of `serve` and `up`, and `up` passing it on to its api; tools/check_deploy.py's checks that
deploy/ keeps the token required. The running api is tests/integration/test_exposure.py's.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import grpc
import pytest

from latentgan.cli import build_parser
from latentgan.errors import ConfigError
from services.exposure import check_exposure, is_loopback
from services.server import server_credentials
from services.settings import ServingSettings
from services.up import Platform

# By name: tools/ is not a package, and mypy checks tools/check_deploy.py as `check_deploy`.
from tools import check_deploy as cd

LOOPBACK = ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost", "LOCALHOST", "::ffff:127.0.0.1"]
EXPOSED = ["0.0.0.0", "::", "[::]", "", "10.0.0.5", "192.168.1.20", "fe80::1", "example.com", "api"]


def settings(host: str, **values: Any) -> ServingSettings:
    """Serving settings for ``host`` with ``values``, the exposure fields explicit so that the
    environment the tests run in (a LATENTGAN_AUTH_TOKEN of one's own) changes nothing."""
    fields: dict[str, Any] = {
        "auth_token": None,
        "tls_cert": None,
        "tls_key": None,
        "tls_client_ca": None,
        "insecure": False,
        "api_port": 50051,
        **values,
    }
    return ServingSettings(api_host=host, **fields)


MUTUAL_TLS = {"tls_cert": "cert.pem", "tls_key": "key.pem", "tls_client_ca": "ca.pem"}


@pytest.mark.parametrize("host", LOOPBACK)
def test_loopback_hosts_are_loopback(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", EXPOSED)
def test_every_other_host_is_not(host: str) -> None:
    assert not is_loopback(host)


# (settings beyond the host, what a loopback host gets, what an exposed host gets):
# "ok" serves as it is, "warn" serves with a warning, "refused" raises ConfigError.
RULE: list[tuple[dict[str, Any], str, str]] = [
    ({}, "ok", "refused"),
    ({"auth_token": "s3cret"}, "ok", "ok"),
    ({"auth_token": ""}, "ok", "refused"),  # an empty token is no token (compose's ${VAR:-})
    (MUTUAL_TLS, "ok", "ok"),
    ({"tls_cert": "cert.pem", "tls_key": "key.pem"}, "ok", "refused"),  # TLS alone: anyone
    ({"tls_client_ca": "ca.pem"}, "ok", "refused"),  # not mutual TLS without a certificate
    ({"insecure": True}, "ok", "warn"),
    ({"insecure": True, "auth_token": "s3cret"}, "ok", "ok"),
]


def _outcome(config: ServingSettings) -> str:
    try:
        warning = check_exposure(config)
    except ConfigError as e:
        assert e.field == "api_host"
        return "refused"
    return "ok" if warning is None else "warn"


@pytest.mark.parametrize(("values", "loopback", "exposed"), RULE, ids=str)
@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost", "0.0.0.0", "::", "10.0.0.5"])
def test_the_rule_table(host: str, values: dict[str, Any], loopback: str, exposed: str) -> None:
    assert _outcome(settings(host, **values)) == (loopback if is_loopback(host) else exposed)


def test_a_refusal_is_one_line_that_says_what_to_do() -> None:
    with pytest.raises(ConfigError) as caught:
        check_exposure(settings("0.0.0.0", api_port=6000))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("refusing to listen on 0.0.0.0:6000 without authentication")
    for what in ("LATENTGAN_AUTH_TOKEN", "LATENTGAN_TLS_CLIENT_CA", "--insecure", "127.0.0.1"):
        assert what in message


def test_an_insecure_exposure_says_so() -> None:
    warning = check_exposure(settings("::", insecure=True, api_port=7000))
    assert warning is not None and "\n" not in warning
    assert warning.startswith("listening on :::7000 without authentication (--insecure)")


def test_insecure_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LATENTGAN_INSECURE", "1")
    assert ServingSettings().insecure is True
    monkeypatch.setenv("LATENTGAN_INSECURE", "0")
    assert ServingSettings().insecure is False


# --- mutual TLS ----------------------------------------------------------------------------------


def test_a_client_ca_needs_the_server_certificate_and_key(tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("not read")
    with pytest.raises(ConfigError, match="LATENTGAN_TLS_CLIENT_CA") as caught:
        server_credentials(settings("127.0.0.1", tls_client_ca=ca))
    assert caught.value.field == "tls_client_ca"
    assert "LATENTGAN_TLS_CERT" in str(caught.value)


def test_mutual_tls_credentials_read_the_client_ca(tmp_path: Path) -> None:
    for name in ("cert.pem", "key.pem", "ca.pem"):
        (tmp_path / name).write_text(f"-----BEGIN {name}-----\n")
    paths = {k: tmp_path / v for k, v in MUTUAL_TLS.items()}
    assert isinstance(server_credentials(settings("0.0.0.0", **paths)), grpc.ServerCredentials)
    missing = {**paths, "tls_client_ca": tmp_path / "nowhere.pem"}
    with pytest.raises(FileNotFoundError):  # the CLI shows an OSError as one line too
        server_credentials(settings("0.0.0.0", **missing))


# --- the flags -----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["serve", "up"])
def test_serve_and_up_take_insecure(command: str) -> None:
    parser = build_parser()
    assert parser.parse_args([command, "--insecure"]).insecure is True
    assert parser.parse_args([command]).insecure is None  # unset: $LATENTGAN_INSECURE decides


def test_up_passes_insecure_on_to_its_api() -> None:
    plain = Platform(settings("0.0.0.0", auth_token="s3cret"), api_port=6001, generation_workers=2)
    assert plain.api_argv()[1:] == [
        "serve", "--host", "0.0.0.0", "--port", "6001", "--workers", "2"
    ]  # fmt: skip
    insecure = Platform(settings("0.0.0.0", insecure=True), api_port=6001)
    assert insecure.api_argv()[-1] == "--insecure"


# --- tools/check_deploy.py -----------------------------------------------------------------------


def test_compose_must_require_the_token(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  api:\n    environment:\n"
        "      LATENTGAN_AUTH_TOKEN: ${LATENTGAN_AUTH_TOKEN:?set LATENTGAN_AUTH_TOKEN}\n"
    )
    assert cd.compose_required_problems(compose) == []
    compose.write_text(compose.read_text().replace(":?", "?"))
    assert cd.compose_required_problems(compose) == [
        "LATENTGAN_AUTH_TOKEN empty is not refused: write ${LATENTGAN_AUTH_TOKEN:?how to set it}"
    ]
    compose.write_text(compose.read_text().replace("?set LATENTGAN_AUTH_TOKEN", ":-"))
    assert len(cd.compose_required_problems(compose)) == 2


def test_exposure_problems_apply_the_api_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LATENTGAN_AUTH_TOKEN", "the developer's own")  # changes nothing
    serve = ["latentgan", "serve", "--host", "0.0.0.0"]
    [problem] = cd.exposure_problems("api", serve, {})
    assert problem.startswith("api: the api would not start: refusing to listen on 0.0.0.0")
    assert cd.exposure_problems("api", serve, {"LATENTGAN_AUTH_TOKEN": "t"}) == []
    assert cd.exposure_problems("api", [*serve, "--insecure"], {}) == []
    assert cd.exposure_problems("api", serve, {"LATENTGAN_INSECURE": "true"}) == []
    assert cd.exposure_problems("api", ["latentgan", "serve"], {}) == []  # loopback
    assert cd.exposure_problems("api", serve[:2], {"LATENTGAN_API_HOST": "::"}) != []
    assert cd.exposure_problems("worker", ["latentgan", "worker"], {}) == []


def test_compose_platform_problems_see_an_api_without_its_token() -> None:
    doc = copy.deepcopy(cd.load_compose())
    del doc["services"]["api"]["environment"]["LATENTGAN_AUTH_TOKEN"]
    [problem] = cd.compose_platform_problems(doc)
    assert problem.startswith("api: the api would not start: refusing to listen on 0.0.0.0:")


def test_kubernetes_api_must_require_its_secret() -> None:
    objects = copy.deepcopy(cd.kubernetes_objects())
    [api] = [o for o in objects if o["kind"] == "Deployment" and o["metadata"]["name"] == "api"]
    container = api["spec"]["template"]["spec"]["containers"][0]
    [token] = [v for v in container["env"] if v["name"] == "LATENTGAN_AUTH_TOKEN"]
    token["valueFrom"]["secretKeyRef"]["optional"] = True
    problems = cd.kubernetes_platform_problems(objects)
    assert problems[0].startswith("Deployment/api: {'name': 'LATENTGAN_AUTH_TOKEN'")
    assert problems[1].startswith("Deployment/api: the api would not start: refusing to listen")
    assert len(problems) == 2
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "latentgan-secrets", "namespace": cd.NAMESPACE},
        "stringData": {"LATENTGAN_AUTH_TOKEN": "committed"},
    }
    assert cd.kubernetes_platform_problems([*cd.kubernetes_objects(), secret]) == [
        "Secret/latentgan-secrets: committed; the operator creates it (deploy/README.md)"
    ]
    # The operator's Secret resolves without being among the manifests.
    assert cd.kubernetes_reference_problems(cd.kubernetes_objects()) == []
