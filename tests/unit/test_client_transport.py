"""Tests for latentgan_client._transport: the shipped gRPC service config and `retries`.

Both SDKs read one service config (protos/latentgan/v1/service_config.json; the Python package
ships a copy). These check that the copy is that file, how `retries` rewrites its retry
policies, and, over a real channel to an in-process server, that gRPC retries UNAVAILABLE as
configured.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any, TypeAlias

import grpc
import pytest

from latentgan_client import Client, Unavailable
from latentgan_client._transport import MAX_RETRIES, channel_options, service_config
from latentgan_client.v1 import latentgan_pb2 as pb

ROOT = Path(__file__).resolve().parents[2]
SERVICE = pb.DESCRIPTOR.services_by_name["LatentGan"]


def _policies(config: dict[str, Any]) -> list[dict[str, Any] | None]:
    return [method.get("retryPolicy") for method in config["methodConfig"]]


def test_the_shipped_config_is_the_one_under_protos() -> None:
    source = json.loads((ROOT / "protos/latentgan/v1/service_config.json").read_text())
    assert service_config() == source


def test_the_config_names_only_methods_of_the_service_and_retries_them_all() -> None:
    config = service_config()
    names = [name for method in config["methodConfig"] for name in method["name"]]
    assert {name["service"] for name in names} == {SERVICE.full_name}
    assert {name["method"] for name in names if "method" in name} <= set(SERVICE.methods_by_name)
    assert all(
        policy and policy["retryableStatusCodes"] == ["UNAVAILABLE"] for policy in _policies(config)
    )
    assert "timeout" not in config["methodConfig"][0]  # no deadline for the whole service: Watch


@pytest.mark.parametrize("retries", [1, MAX_RETRIES])
def test_retries_sets_the_attempts_of_every_policy(retries: int) -> None:
    config = service_config(retries)
    blocks = len(config["methodConfig"])
    assert [policy and policy["maxAttempts"] for policy in _policies(config)] == [
        retries + 1
    ] * blocks
    timeouts = [method.get("timeout") for method in config["methodConfig"]]
    assert timeouts == [method.get("timeout") for method in service_config()["methodConfig"]]


def test_no_retries_drops_the_policies_and_turns_retrying_off() -> None:
    assert _policies(service_config(0)) == [None] * len(service_config()["methodConfig"])
    options = dict(channel_options(1024, 0))
    assert options["grpc.enable_retries"] == 0
    assert json.loads(options["grpc.service_config"]) == service_config(0)
    assert dict(channel_options(1024, None))["grpc.enable_retries"] == 1


@pytest.mark.parametrize("retries", [-1, MAX_RETRIES + 1])
def test_retries_out_of_range_are_refused(retries: int) -> None:
    with pytest.raises(ValueError, match="retries must be in"):
        Client("127.0.0.1:1", retries=retries)


class _Flaky:
    """A LatentGan server's ListModels that fails UNAVAILABLE `failures` times, then answers;
    counts every attempt."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0

    def list_models(
        self, request: pb.ListModelsRequest, context: grpc.ServicerContext
    ) -> pb.ListModelsResponse:
        self.attempts += 1
        if self.attempts <= self.failures:
            context.abort(grpc.StatusCode.UNAVAILABLE, "briefly down")
        return pb.ListModelsResponse()

    def handler(self) -> grpc.GenericRpcHandler[Any, Any]:
        """The service with this one method, for grpc.Server.add_generic_rpc_handlers."""
        method = grpc.unary_unary_rpc_method_handler(
            self.list_models,
            request_deserializer=pb.ListModelsRequest.FromString,
            response_serializer=pb.ListModelsResponse.SerializeToString,
        )
        return grpc.method_handlers_generic_handler(SERVICE.full_name, {"ListModels": method})


Serve: TypeAlias = Callable[[_Flaky], str]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Start an in-process server for a servicer; returns its address."""
    servers: list[grpc.Server] = []

    def start(servicer: _Flaky) -> str:
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        server.add_generic_rpc_handlers((servicer.handler(),))
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        servers.append(server)
        return f"127.0.0.1:{port}"

    yield start
    for server in servers:
        server.stop(grace=None)


@pytest.mark.parametrize(
    ("retries", "failures", "answers", "attempts"),
    [
        (None, 2, True, 3),  # the config's 3 attempts outlast two failures
        (None, 3, False, 3),
        (0, 1, False, 1),
        (1, 1, True, 2),
    ],
)
def test_a_channel_retries_unavailable_as_configured(
    serve: Serve, retries: int | None, failures: int, answers: bool, attempts: int
) -> None:
    servicer = _Flaky(failures)
    with Client(serve(servicer), timeout=10, retries=retries) as client:
        if answers:
            assert client.list_models() == []
        else:
            with pytest.raises(Unavailable, match="briefly down"):
                client.list_models()
    assert servicer.attempts == attempts
