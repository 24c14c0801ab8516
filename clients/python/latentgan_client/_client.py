"""The synchronous latentgan client, over a grpc channel.

Each method builds its call with `_convert` (shared with AsyncClient), makes it with the
client's token and deadline, and turns any gRPC failure into a `latentgan_client.errors` class.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
from latentgan_client._jobs import Job
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


class Client(ClientBase):
    """A connection to a latentgan server: train models, follow jobs, sample, interpolate, find
    latent directions and edit along them, project real images into the latent space and
    complete (inpaint) them.

    `token` is sent as `authorization: Bearer <token>` on every call. `tls` is None (plaintext),
    True (TLS, system roots), a PEM CA certificate's path, or grpc.ChannelCredentials. `timeout`
    is the default deadline in seconds of each call (watching a job has none; the service config
    may give the quick calls a shorter one); `retries` is how many times (0 to 4) a call that
    failed UNAVAILABLE is tried again: None follows the service config shipped with the SDK
    (protos/latentgan/v1/service_config.json), 0 never retries. Use it as a context manager, or
    close() it.

    Every method checks its arguments before any call: a value its request cannot carry (out of
    its field's integer range, of the wrong type, an unknown choice, malformed latents or
    images) raises errors.InvalidArgumentValue, an InvalidArgument whose `field` is the
    argument, and also a ValueError (InvalidArgumentType, also a TypeError, for a wrong type).
    """

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
            self._channel = grpc.insecure_channel(address, self._options)
        else:
            self._channel = grpc.secure_channel(address, self._credentials, self._options)
        self._stub = latentgan_pb2_grpc.LatentGanStub(self._channel)

    def close(self) -> None:
        """Close the channel; calls in flight are cancelled."""
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _unary(self, rpc: Rpc[Any, Any, ResultT], timeout: float | None = None) -> ResultT:
        method = getattr(self._stub, rpc.method)
        with translated_errors():
            response = method(rpc.request, **self._call_args(timeout))
        return rpc.decode(response)

    def _stream(
        self, rpc: Rpc[Any, Any, ResultT], timeout: float | None = None
    ) -> Iterator[ResultT]:
        method = getattr(self._stub, rpc.method)
        with translated_errors():
            responses = method(rpc.request, **self._call_args(timeout, stream=True))
            try:
                for response in responses:
                    yield rpc.decode(response)
            finally:
                responses.cancel()  # the caller stopped early: end the stream on the server too

    def sample(
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
        """`n` images of `model` as uint8 N x H x W x C: image i from latent (seed, i), or from
        row i of `latents` (a rows x dim float matrix; `n` is then its row count).

        `labels` (conditional models): None (classes cycle), one int for all, or one per image.
        `truncation` psi in (0, 1] pulls latents towards the mean. `encoding="png"` makes the
        server send PNG files (smaller, slower); the result is the same array either way.
        Bad `latents` (or any value the request cannot carry) raise InvalidArgumentValue before
        any call."""
        rpc = _convert.sample(model, n, seed, labels, truncation, latents, version, encoding)
        return self._unary(rpc, timeout)

    def interpolate(
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
        """`steps` frames (steps x H x W x C, both ends included) walking from latent (seed_a, 0)
        to (seed_b, 0), or from/to explicit vectors `latent_a`/`latent_b`, along a straight line
        ("lerp") or a great circle ("slerp"); `label_a`/`label_b` walk between two classes."""
        start, end = (seed_a, label_a, latent_a), (seed_b, label_b, latent_b)
        rpc = _convert.interpolate(model, start, end, steps, method, truncation, version, encoding)
        return self._unary(rpc, timeout)

    def directions(
        self, model: str, *, version: int | None = None, timeout: float | None = None
    ) -> list[DirectionInfo]:
        """Every stored direction of `model` (NAME or NAME@VERSION; no version: the latest),
        set by set, most important first: the ids `edit` takes, with their vectors and scores."""
        return self._unary(_convert.list_directions(model, version), timeout)

    def compute_directions(
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
        """The set of directions `method` finds for `model`, stored beside the version: the
        stored one if it was computed before (same method and parameters; `created_now` False),
        else computed now, which takes seconds to minutes.

        `k`: how many directions (sefa, pca, random). `attribute`: what the attribute method
        separates (thickness, slant, width, height, area, or class:K), required there and
        refused elsewhere. `orthogonal_to`: direction ids the result is made orthogonal to
        (e.g. attribute:class:3, to change thickness with the class held). `samples`: latents
        sampled (pca, attribute; None: the method's default); `seed`: of those latents and of
        random directions. No `timeout`: up to COMPUTE_DIRECTIONS_TIMEOUT (600 s), not the
        client's default."""
        rpc = _convert.compute_directions(
            model, method, k, attribute, orthogonal_to, samples, seed, version
        )
        return self._unary(rpc, COMPUTE_DIRECTIONS_TIMEOUT if timeout is None else timeout)

    def edit(
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
        """Images of latents moved along `direction`, as uint8 rows x strengths x H x W x C:
        row r is latent (seed, r) for r < `n`, row r of `latents`, or with `arithmetic=(a, b, c)`
        the one latent z(a, 0) - z(b, 0) + z(c, 0); column j adds `strengths[j]` times the
        direction.

        `direction` is a stored direction's id ("sefa:0", see `directions`; a strength is then in
        standard deviations of the prior along it), a mapping of ids to weights (their weighted
        sum), or a vector of latent_dim floats, used as given (not normalised). Strength 0 gives
        exactly the image `sample` gives for the same row. `labels` and `truncation` are as for
        `sample` (per row; truncation applies before the edit). Bad input (a vector that is not
        1-D, a weight that is not a number, arithmetic with latents) raises InvalidArgumentValue
        (a ValueError; InvalidArgumentType, a TypeError, for a wrong type) before any call."""
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
        return self._unary(rpc, timeout)

    def project(
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
        """Real images into `model`'s latent space: the latents that reproduce them, with the
        reconstructions and how far each is from its image. The way to edit a real image:

            p = client.project("digits", "digit.png")
            grid = client.edit("digits", "sefa:0", latents=p.latents, labels=p.labels)

        (`p.latents` and `p.labels` go to `sample` and `interpolate` (`latent_a=p.latents[0]`)
        the same way; labels are None for an unconditional model.)

        `images`: one image — a uint8 array H x W or H x W x C (C in 1, 3, 4), a Pillow image,
        or a file's path (any format Pillow reads) — or several: a uint8 array N x H x W x C, or
        a sequence of single images of any kinds and sizes. The server fits each to the model
        (its channels, padded to a square with black, resized). Numpy arrays of one shape travel
        raw, anything else as PNG files (paths are read and re-encoded, not sent as they are).
        `labels` (conditional models): None (the evaluator predicts each image's class), one
        int for all, or one per image. `method`: "auto" (the version's encoder refined by a few
        optimiser steps, or the optimiser alone if it has no encoder; `Projection.method` says
        which ran), "optimize" or "encoder". `steps`: optimiser steps (None: the method's
        default; 0: none). `seed`: of the optimiser's starts (same request, same latents). Bad
        input raises InvalidArgumentValue (or InvalidArgumentType) before any call. No
        `timeout`: up to
        PROJECTION_TIMEOUT (120 s), not the client's default."""
        rpc = _convert.project(model, images, labels, method, steps, seed, version, encoding)
        return self._unary(rpc, PROJECTION_TIMEOUT if timeout is None else timeout)

    def complete(
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
        """Fill in the unknown pixels of one image from `model`'s latent space (inpainting):
        `k` completions, best first, at the model's size, the known pixels exactly those of
        the fitted input.

        `image`: one image as for `project` (an array, a Pillow image or a path; a batch of
        one is taken too). `mask`: a preset naming the unknown part — "center", "left",
        "right", "top", "bottom", or "random:P" (a share P in (0, 1) of the pixels, chosen by
        `seed`) — or a mask image: a path (any other str), a Pillow image, or an H x W (x C)
        array, bool (True: known) or uint8 (known where at least 128), fitted like the image.
        `steps`: optimiser steps (None: 200). `label`: the class of a conditional model's
        image (None: the evaluator's prediction). Bad input raises InvalidArgumentValue (or
        InvalidArgumentType) before any call. No `timeout`: up to PROJECTION_TIMEOUT (120 s)."""
        rpc = _convert.complete(model, image, mask, k, steps, label, seed, version, encoding)
        return self._unary(rpc, PROJECTION_TIMEOUT if timeout is None else timeout)

    def list_models(
        self, name: str | None = None, *, timeout: float | None = None
    ) -> list[ModelInfo]:
        """Every registered model version, or only those of `name`, by name then version."""
        return self._unary(_convert.list_models(name), timeout)

    def get_model(
        self, model: str, version: int | None = None, *, timeout: float | None = None
    ) -> ModelInfo:
        """One model version (`model` is NAME or NAME@VERSION; no version: the latest), with
        `versions` listing every version of the name."""
        return self._unary(_convert.get_model(model, version), timeout)

    def train(
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
    ) -> Job:
        """Start training a GAN on `dataset`, to register as a new version of `name`; returns the
        queued Job at once. `options` are further `latentgan train` settings by name (e.g.
        spectral_norm=True, batch_size=128), sent as strings (booleans as "true"/"false"; None
        leaves one out). The request carries `request_id` (default: a fresh uuid4), so the
        retries of this call start one job only."""
        rpc = _convert.train(
            dataset, name, conditional, epochs, steps, latent_dim, loss, request_id, options
        )
        return Job(self, self._unary(rpc))

    def get_job(self, job_id: str, *, timeout: float | None = None) -> Job:
        """The training job `job_id` as it is now."""
        return Job(self, self._unary(_convert.get_job(job_id), timeout))

    def list_jobs(
        self,
        name: str | None = None,
        limit: int = DEFAULT_JOB_LIMIT,
        *,
        timeout: float | None = None,
    ) -> list[Job]:
        """The `limit` most recent training jobs (at most 200), newest first; only those that
        register under model `name` if given."""
        infos = self._unary(_convert.list_jobs(name, limit), timeout)
        return [Job(self, info) for info in infos]

    def watch(self, job_id: str, *, timeout: float | None = None) -> Iterator[ProgressEvent]:
        """Progress events of job `job_id` as they happen, ending when it finishes. No deadline
        unless `timeout` is given."""
        return self._stream(_convert.watch_job(job_id), timeout)

    def cancel(self, job_id: str, *, timeout: float | None = None) -> Job:
        """Ask job `job_id` to stop; the job after the request (cancelled, or already finished)."""
        return Job(self, self._unary(_convert.cancel_job(job_id), timeout))
