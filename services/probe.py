"""Readiness probes for the serving processes: ask the health service, wait for a condition.

Used wherever something starts an api and must know when it serves (integration tests,
benchmarks) — one implementation of "poll a real condition until a deadline".
"""

from __future__ import annotations

import time
from collections.abc import Callable

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

POLL_S = 0.02


def health_status(
    address: str, credentials: grpc.ChannelCredentials | None = None, service: str = ""
) -> str:
    """The api's health status name for ``service`` (SERVING, NOT_SERVING), or UNREACHABLE."""
    channel = (
        grpc.secure_channel(address, credentials) if credentials else grpc.insecure_channel(address)
    )
    try:
        stub = health_pb2_grpc.HealthStub(channel)
        reply = stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=1.0)
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))
    except grpc.RpcError:
        return "UNREACHABLE"
    finally:
        channel.close()


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll ``condition`` until it holds; TimeoutError naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(POLL_S)
