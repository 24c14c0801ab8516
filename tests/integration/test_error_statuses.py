"""Every error class, raised in an api handler, reaches a real gRPC client with its status.

An in-process grpc.aio server on 127.0.0.1 serves the real LatentGanService (behind the api's
metrics interceptor): its ListModels, with the artifact store made to raise each error of the
table, and a WatchTrainJob that raises it after one message, both wrapped by the api's own error
decorators. The client reads what arrives over the socket: the status code, the message and the
google.rpc.BadRequest fields, through the Python SDK's reading of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
import pytest
import redis.asyncio as aioredis

from latentgan_client.errors import LatentganError, error_for_status, status_from_metadata
from latentgan_client.v1 import latentgan_pb2 as pb
from latentgan_client.v1 import latentgan_pb2_grpc
from services import metrics
from services.api import LatentGanService, handles_errors, streams_errors
from services.queue import Producer
from services.settings import ServingSettings
from services.status import abort
from tests.unit.test_errors import EXAMPLES, IDS


class FailingService(LatentGanService):
    """The real servicer, with a stream that fails after its first message and a GetModel that
    sets its own status, as Sample does when no worker answers in time."""

    failure: Exception = RuntimeError("unset")

    @streams_errors
    async def WatchTrainJob(  # noqa: N802  (named by the proto)
        self, request: pb.WatchTrainJobRequest, context: Any
    ) -> AsyncIterator[pb.WatchTrainJobResponse]:
        yield pb.WatchTrainJobResponse()
        raise self.failure

    @handles_errors
    async def GetModel(  # noqa: N802
        self, request: pb.GetModelRequest, context: Any
    ) -> pb.GetModelResponse:
        await abort(context, grpc.StatusCode.DEADLINE_EXCEEDED, "no generation worker answered")


async def _call(service: FailingService, rpc: str) -> tuple[LatentganError, int]:
    """Call ``rpc`` on a loopback server running ``service``: the client's error, and how many
    stream messages arrived before it."""
    server = grpc.aio.server(interceptors=[metrics.MetricsInterceptor()])
    latentgan_pb2_grpc.add_LatentGanServicer_to_server(service, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    received = 0
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = latentgan_pb2_grpc.LatentGanStub(channel)
            try:
                if rpc == "ListModels":
                    await stub.ListModels(pb.ListModelsRequest(), timeout=10)
                elif rpc == "GetModel":
                    await stub.GetModel(pb.GetModelRequest(model="m"), timeout=10)
                else:
                    async for _ in stub.WatchTrainJob(pb.WatchTrainJobRequest(job_id="j")):
                        received += 1
            except grpc.aio.AioRpcError as e:
                status = status_from_metadata(e.trailing_metadata())
                return error_for_status(e.code(), e.details() or "", status), received
        raise AssertionError(f"{rpc} succeeded")
    finally:
        await server.stop(None)


@pytest.fixture
def service(tmp_path: Path) -> Any:
    redis_client = aioredis.Redis(host="127.0.0.1", port=1)  # never reached by these RPCs
    yield FailingService(ServingSettings(data_dir=tmp_path), Producer(redis_client, 1))
    asyncio.run(redis_client.aclose())


@pytest.mark.parametrize(("error", "code", "fields", "message"), EXAMPLES, ids=IDS)
def test_a_unary_call_gets_the_status_of_its_error(
    service: FailingService,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
    code: grpc.StatusCode,
    fields: list[str],
    message: str,
) -> None:
    def listing() -> list[Any]:
        raise error

    monkeypatch.setattr(service.store, "listing", listing)
    got, _ = asyncio.run(_call(service, "ListModels"))
    assert (got.code, got.message, list(got.fields)) == (code, message, fields)
    assert got.code != grpc.StatusCode.UNKNOWN


@pytest.mark.parametrize(("error", "code", "fields", "message"), EXAMPLES, ids=IDS)
def test_a_stream_gets_the_status_of_its_error_after_what_it_sent(
    service: FailingService,
    error: Exception,
    code: grpc.StatusCode,
    fields: list[str],
    message: str,
) -> None:
    service.failure = error
    got, received = asyncio.run(_call(service, "WatchTrainJob"))
    assert received == 1
    assert (got.code, got.message, list(got.fields)) == (code, message, fields)


def test_a_status_the_handler_set_itself_is_kept(service: FailingService) -> None:
    """An abort inside a handler is not mistaken for a bug (INTERNAL) by the decorators."""
    got, _ = asyncio.run(_call(service, "GetModel"))
    assert got.code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert got.message == "no generation worker answered"
