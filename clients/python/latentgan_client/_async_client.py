"""The asyncio latentgan client, over a grpc.aio channel: Client's methods as coroutines.

Calls are built and decoded by the same `_convert` functions as the sync Client's; only the
waiting differs. See Client for what each method does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import Any, TypeVar

import grpc
import numpy.typing as npt

from latentgan_client import _convert
from latentgan_client._convert import (
    COMPUTE_DIRECTIONS_TIMEOUT,
    DEFAULT_JOB_LIMIT,
    DEFAULT_STRENGTHS,
    PROJECTION_TIMEOUT,
    DirectionLike,
    ImageLike,
    ImagesLike,
    Labels,
    MaskLike,
    OptionValue,
    Rpc,
)
from latentgan_client._jobs import AsyncJob
from latentgan_client._models import (
    Completion,
    DirectionInfo,
    DirectionMethod,
    DirectionSetInfo,
    Encoding,
    ImageArray,
    LossName,
    Method,
    ModelInfo,
    ProgressEvent,
    Projection,
    ProjectionMethodName,
)
from latentgan_client._transport import DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_TIMEOUT, TLS, ClientBase
from latentgan_client.errors import translated_errors
from latentgan_client.v1 import latentgan_pb2_grpc

ResultT = TypeVar("ResultT")


class AsyncClient(ClientBase):
    """A connection to a latentgan server for asyncio code; arguments as for Client."""

    def __init__(
        self,
        address: str,
        token: str | None = None,
        tls: TLS = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
        retries: int | None = None,
    ) -> None:
        super().__init__(address, token, tls, timeout, max_message_bytes, retries)
        if self._credentials is None:
            self._channel = grpc.aio.insecure_channel(address, self._options)
        else:
            self._channel = grpc.aio.secure_channel(address, self._credentials, self._options)
        self._stub = latentgan_pb2_grpc.LatentGanStub(self._channel)

    async def close(self) -> None:
        """Close the channel; calls in flight are cancelled."""
        await self._channel.close(grace=None)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _unary(self, rpc: Rpc[Any, Any, ResultT], timeout: float | None = None) -> ResultT:
        method = getattr(self._stub, rpc.method)
        with translated_errors():
            response = await method(rpc.request, **self._call_args(timeout))
        return rpc.decode(response)

    async def _stream(
        self, rpc: Rpc[Any, Any, ResultT], timeout: float | None = None
    ) -> AsyncIterator[ResultT]:
        call = getattr(self._stub, rpc.method)(rpc.request, **self._call_args(timeout, stream=True))
        try:
            with translated_errors():
                async for response in call:
                    yield rpc.decode(response)
        finally:
            call.cancel()  # the caller stopped early: end the stream on the server too

    async def sample(
        self,
        model: str,
        n: int = 1,
        seed: int = 0,
        labels: Labels = None,
        truncation: float = 1.0,
        latents: npt.ArrayLike | None = None,
        *,
        version: int | None = None,
        encoding: Encoding = "raw",
        timeout: float | None = None,
    ) -> ImageArray:
        """See Client.sample."""
        rpc = _convert.sample(model, n, seed, labels, truncation, latents, version, encoding)
        return await self._unary(rpc, timeout)

    async def interpolate(
        self,
        model: str,
        seed_a: int = 0,
        seed_b: int = 1,
        steps: int = 8,
        method: Method = "slerp",
        label_a: int | None = None,
        label_b: int | None = None,
        *,
        latent_a: npt.ArrayLike | None = None,
        latent_b: npt.ArrayLike | None = None,
        truncation: float = 1.0,
        version: int | None = None,
        encoding: Encoding = "raw",
        timeout: float | None = None,
    ) -> ImageArray:
        """See Client.interpolate."""
        start, end = (seed_a, label_a, latent_a), (seed_b, label_b, latent_b)
        rpc = _convert.interpolate(model, start, end, steps, method, truncation, version, encoding)
        return await self._unary(rpc, timeout)

    async def directions(
        self, model: str, *, version: int | None = None, timeout: float | None = None
    ) -> list[DirectionInfo]:
        """See Client.directions."""
        return await self._unary(_convert.list_directions(model, version), timeout)

    async def compute_directions(
        self,
        model: str,
        method: DirectionMethod = "sefa",
        k: int = 10,
        attribute: str | None = None,
        orthogonal_to: str | Sequence[str] = (),
        *,
        samples: int | None = None,
        seed: int = 0,
        version: int | None = None,
        timeout: float | None = None,
    ) -> DirectionSetInfo:
        """See Client.compute_directions."""
        rpc = _convert.compute_directions(
            model, method, k, attribute, orthogonal_to, samples, seed, version
        )
        return await self._unary(rpc, COMPUTE_DIRECTIONS_TIMEOUT if timeout is None else timeout)

    async def edit(
        self,
        model: str,
        direction: DirectionLike,
        strengths: float | Sequence[float] = DEFAULT_STRENGTHS,
        seed: int = 0,
        n: int = 1,
        labels: Labels = None,
        truncation: float = 1.0,
        latents: npt.ArrayLike | None = None,
        *,
        arithmetic: tuple[int, int, int] | None = None,
        version: int | None = None,
        encoding: Encoding = "raw",
        timeout: float | None = None,
    ) -> ImageArray:
        """See Client.edit."""
        rpc = _convert.edit(
            model,
            direction,
            strengths,
            seed,
            n,
            labels,
            truncation,
            latents,
            arithmetic,
            version,
            encoding,
        )
        return await self._unary(rpc, timeout)

    async def project(
        self,
        model: str,
        images: ImagesLike,
        labels: Labels = None,
        method: ProjectionMethodName = "auto",
        steps: int | None = None,
        *,
        seed: int = 0,
        version: int | None = None,
        encoding: Encoding = "raw",
        timeout: float | None = None,
    ) -> Projection:
        """See Client.project."""
        rpc = _convert.project(model, images, labels, method, steps, seed, version, encoding)
        return await self._unary(rpc, PROJECTION_TIMEOUT if timeout is None else timeout)

    async def complete(
        self,
        model: str,
        image: ImageLike,
        mask: MaskLike,
        k: int = 4,
        steps: int | None = None,
        *,
        label: int | None = None,
        seed: int = 0,
        version: int | None = None,
        encoding: Encoding = "raw",
        timeout: float | None = None,
    ) -> Completion:
        """See Client.complete."""
        rpc = _convert.complete(model, image, mask, k, steps, label, seed, version, encoding)
        return await self._unary(rpc, PROJECTION_TIMEOUT if timeout is None else timeout)

    async def list_models(
        self, name: str | None = None, *, timeout: float | None = None
    ) -> list[ModelInfo]:
        """See Client.list_models."""
        return await self._unary(_convert.list_models(name), timeout)

    async def get_model(
        self, model: str, version: int | None = None, *, timeout: float | None = None
    ) -> ModelInfo:
        """See Client.get_model."""
        return await self._unary(_convert.get_model(model, version), timeout)

    async def train(
        self,
        dataset: str,
        name: str,
        conditional: bool = False,
        epochs: int | None = None,
        steps: int | None = None,
        latent_dim: int = 100,
        loss: LossName = "ns",
        request_id: str | None = None,
        **options: OptionValue,
    ) -> AsyncJob:
        """See Client.train."""
        rpc = _convert.train(
            dataset, name, conditional, epochs, steps, latent_dim, loss, request_id, options
        )
        return AsyncJob(self, await self._unary(rpc))

    async def get_job(self, job_id: str, *, timeout: float | None = None) -> AsyncJob:
        """See Client.get_job."""
        return AsyncJob(self, await self._unary(_convert.get_job(job_id), timeout))

    async def list_jobs(
        self,
        name: str | None = None,
        limit: int = DEFAULT_JOB_LIMIT,
        *,
        timeout: float | None = None,
    ) -> list[AsyncJob]:
        """See Client.list_jobs."""
        infos = await self._unary(_convert.list_jobs(name, limit), timeout)
        return [AsyncJob(self, info) for info in infos]

    def watch(self, job_id: str, *, timeout: float | None = None) -> AsyncIterator[ProgressEvent]:
        """See Client.watch; an async iterator."""
        return self._stream(_convert.watch_job(job_id), timeout)

    async def cancel(self, job_id: str, *, timeout: float | None = None) -> AsyncJob:
        """See Client.cancel."""
        return AsyncJob(self, await self._unary(_convert.cancel_job(job_id), timeout))
