"""`latentgan serve` on a non-loopback address: refused without authentication, started with
``--insecure`` (and a warning), and served to mutual-TLS clients only when a client CA is set.

Real processes: `latentgan serve` started as a user would, its own embedded Redis or a real one,
gRPC over loopback, certificates made with openssl as tests/integration/test_serving_faults.py
makes its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from latentgan_client import Client, Unavailable
from services.embedded_redis import EmbeddedRedis
from services.processes import spawn, stop
from tests.integration.stack import health_status, start_api, wait_for


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a `latentgan serve` of these tests: no token, no Redis, none insecure
    (whatever the one running the tests has set), then ``extra``."""
    left_out = ("LATENTGAN_REDIS_URL", "LATENTGAN_AUTH_TOKEN", "LATENTGAN_INSECURE")
    env = {k: v for k, v in os.environ.items() if k not in left_out and "TLS" not in k}
    return {**env, "LATENTGAN_DATA_DIR": str(data_dir), "LATENTGAN_OFFLINE": "1", **extra}


@pytest.fixture
def fresh_redis() -> Iterator[EmbeddedRedis]:
    with EmbeddedRedis() as server:
        yield server


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--host", "0.0.0.0"], {}, "refusing to listen on 0.0.0.0:0 without authentication"),
        (["--host", "::"], {}, "--insecure"),
        ([], {"LATENTGAN_API_HOST": "0.0.0.0"}, "LATENTGAN_AUTH_TOKEN"),
        (["--host", "0.0.0.0"], {"LATENTGAN_AUTH_TOKEN": ""}, "LATENTGAN_AUTH_TOKEN"),
        (["--host", "0.0.0.0"], {"LATENTGAN_INSECURE": "0"}, "--insecure"),
        ([], {"LATENTGAN_TLS_CLIENT_CA": "/ca.pem"}, "LATENTGAN_TLS_CLIENT_CA"),
    ],
)
def test_serve_refuses_an_unauthenticated_exposure_at_once(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "latentgan.cli", "serve", "--port", "0", *args],
        env=_env(tmp_path, **env),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("latentgan serve: error: "), done.stderr
    assert message in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert time.monotonic() - began < 30  # refused before a Redis or a worker started


@pytest.mark.parametrize(("flag", "env"), [(["--insecure"], {}), ([], {"LATENTGAN_INSECURE": "1"})])
def test_serve_insecure_starts_on_every_interface_with_a_warning(
    tmp_path: Path, flag: list[str], env: dict[str, str]
) -> None:
    log = tmp_path / "serve.log"
    argv = [sys.executable, "-m", "latentgan.cli", "serve", "--host", "0.0.0.0", "--port", "0"]
    serve = spawn([*argv, "--workers", "0", *flag], _env(tmp_path, **env), log=log, grace_s=15)
    try:
        ready = "latentgan api on 0.0.0.0:"

        def started() -> bool:
            assert serve.poll() is None, log.read_text()
            return ready in log.read_text()

        wait_for(started, 60, "the api to listen")
        text = log.read_text()
        port = text.split(ready, 1)[1].split()[0]
        assert health_status(f"127.0.0.1:{port}") == "SERVING"
        assert "listening on 0.0.0.0:0 without authentication (--insecure)" in text
        assert "Traceback" not in text
    finally:
        stop(serve)
    assert serve.poll() == 0


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


def _authority(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed CA: (certificate, key)."""
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-keyout", key, "-out", cert, "-subj", f"/CN={name}")  # fmt: skip
    return cert, key


def _signed(folder: Path, name: str, ca: tuple[Path, Path], extensions: str) -> tuple[Path, Path]:
    """A certificate for ``name`` signed by ``ca``, with ``extensions``: (certificate, key)."""
    cert, key, request = folder / f"{name}.pem", folder / f"{name}.key", folder / f"{name}.csr"
    ext = folder / f"{name}.ext"
    ext.write_text(extensions + "\n")
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request,
             "-subj", f"/CN={name}")  # fmt: skip
    _openssl("x509", "-req", "-in", request, "-CA", ca[0], "-CAkey", ca[1], "-CAcreateserial",
             "-days", "1", "-out", cert, "-extfile", ext)  # fmt: skip
    return cert, key


def _credentials(ca: Path, client: tuple[Path, Path] | None) -> grpc.ChannelCredentials:
    """Channel credentials trusting ``ca``, showing ``client``'s certificate if given."""
    if client is None:
        return grpc.ssl_channel_credentials(ca.read_bytes())
    cert, key = client
    return grpc.ssl_channel_credentials(ca.read_bytes(), key.read_bytes(), cert.read_bytes())


def test_mutual_tls_serves_only_clients_with_a_signed_certificate(
    tmp_path: Path, fresh_redis: EmbeddedRedis
) -> None:
    """On 0.0.0.0 with no token: mutual TLS is authentication enough to start, and then a client
    needs a certificate the client CA signed."""
    ca = _authority(tmp_path, "ca")
    server = _signed(tmp_path, "localhost", ca, "subjectAltName=DNS:localhost,IP:127.0.0.1")
    client = _signed(tmp_path, "client", ca, "extendedKeyUsage=clientAuth")
    stranger = _signed(
        tmp_path, "stranger", _authority(tmp_path, "other"), "extendedKeyUsage=clientAuth"
    )
    env = {
        "LATENTGAN_API_HOST": "0.0.0.0",
        "LATENTGAN_TLS_CERT": str(server[0]),
        "LATENTGAN_TLS_KEY": str(server[1]),
        "LATENTGAN_TLS_CLIENT_CA": str(ca[0]),
    }
    signed = _credentials(ca[0], client)
    api = start_api(tmp_path, fresh_redis.url, workers=0, extra_env=env, credentials=signed)
    try:
        with Client(api.address, tls=signed) as trusted:
            assert trusted.list_models() == []
        for credentials in (_credentials(ca[0], None), _credentials(ca[0], stranger)):
            with (
                Client(api.address, tls=credentials, retries=0, timeout=3) as refused,
                pytest.raises(Unavailable),
            ):
                refused.list_models()
        assert health_status(api.address, _credentials(ca[0], None)) == "UNREACHABLE"
    finally:
        api.stop()
