"""Pure translation between Python values and latentgan.v1 messages, shared by both clients.

Each public operation is a function returning an `Rpc`: the stub method to call, the request to
send and how to decode the answer. Nothing here touches the network, so the sync Client and the
AsyncClient differ only in whether they await, and every rule (what is sent when, how images are
unpacked, which input is refused before any call) is unit-testable on its own.

Every value of a request goes in through `_checks` (`put`, `new`), so whatever a field cannot
carry, and every other refusal here, is an `InvalidArgumentValue` (an `InvalidArgument`, also a
ValueError; `InvalidArgumentType`, also a TypeError, for a value of the wrong type) naming the
caller's argument, raised before any call.
"""

from __future__ import annotations

import io
import json
import math
import numbers
import os
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt
from google.protobuf import message, timestamp_pb2
from PIL import Image

from latentgan_client import images as _images
from latentgan_client._checks import (
    at_least,
    choose,
    integer,
    invalid,
    new,
    number,
    put,
    shown,
    wrong_type,
)
from latentgan_client._models import (
    AttributeChangeInfo,
    Completion,
    DirectionInfo,
    DirectionMethod,
    DirectionScoreInfo,
    DirectionSetInfo,
    Encoding,
    ImageArray,
    JobInfo,
    JobState,
    LossName,
    Method,
    ModelInfo,
    ProgressEvent,
    Projection,
    ProjectionDistances,
    ProjectionMethodName,
)
from latentgan_client.v1 import latentgan_pb2 as pb

RequestT = TypeVar("RequestT", bound=message.Message)
ResponseT = TypeVar("ResponseT", bound=message.Message)
ResultT = TypeVar("ResultT")

Labels: TypeAlias = int | Sequence[int] | npt.NDArray[np.integer[Any]] | None
"""No labels (classes cycle 0, 1, ...), one label for every image, or one per image."""

Endpoint: TypeAlias = tuple[int, int | None, npt.ArrayLike | None]
"""One end of an interpolation: (seed, label, latent); an explicit latent wins over the seed."""

DirectionLike: TypeAlias = str | Mapping[str, float] | npt.ArrayLike
"""What an edit moves along: a stored direction's id ("sefa:0"), stored ids with their weights
({"sefa:0": 1.0, "sefa:3": -0.5}), or an explicit vector of latent_dim floats, used as given."""

ImageLike: TypeAlias = npt.NDArray[Any] | Image.Image | str | os.PathLike[str]
"""One image: a uint8 array H x W or H x W x C (C in 1, 3, 4), a Pillow image, or the path of a
file Pillow reads (opened here and sent as PNG: the file's own bytes never travel)."""

ImagesLike: TypeAlias = ImageLike | Sequence[ImageLike]
"""One image, or several: a uint8 array N x H x W x C, or a sequence of single images (any mix of
kinds and sizes). Numpy arrays of one shape travel raw, anything else as one PNG each."""

MaskLike: TypeAlias = str | os.PathLike[str] | Image.Image | npt.NDArray[Any]
"""Which pixels of an image are known: a preset naming the unknown part ("center", "left",
"right", "top", "bottom", or "random:P" for a share P in (0, 1) of the pixels, chosen by the
seed), or a mask image (a path, a Pillow image, or an H x W (x C) array: bool True = known, or
uint8 where at least 128 is known)."""

MASK_PRESETS = ("center", "left", "right", "top", "bottom")
"""complete()'s mask presets besides random:P: the part of the image that is unknown."""

ENCODINGS: dict[str, pb.ImageEncoding.ValueType] = {
    "raw": pb.IMAGE_ENCODING_RAW,
    "png": pb.IMAGE_ENCODING_PNG,
}
METHODS: dict[str, pb.InterpolationMethod.ValueType] = {
    "lerp": pb.INTERPOLATION_METHOD_LERP,
    "slerp": pb.INTERPOLATION_METHOD_SLERP,
}
LOSSES: dict[str, pb.Loss.ValueType] = {
    "ns": pb.LOSS_NS,
    "hinge": pb.LOSS_HINGE,
    "wgan-gp": pb.LOSS_WGAN_GP,
}
DIRECTION_METHODS: dict[str, pb.DirectionMethod.ValueType] = {
    "sefa": pb.DIRECTION_METHOD_SEFA,
    "pca": pb.DIRECTION_METHOD_PCA,
    "attribute": pb.DIRECTION_METHOD_ATTRIBUTE,
    "random": pb.DIRECTION_METHOD_RANDOM,
}
PROJECTION_METHODS: dict[str, pb.ProjectionMethod.ValueType] = {
    "auto": pb.PROJECTION_METHOD_AUTO,
    "optimize": pb.PROJECTION_METHOD_OPTIMIZE,
    "encoder": pb.PROJECTION_METHOD_ENCODER,
}
PROJECTION_METHOD_NAMES: dict[pb.ProjectionMethod.ValueType, str] = {
    pb.PROJECTION_METHOD_UNSPECIFIED: "auto",  # the proto: unset is auto
    **{value: name for name, value in PROJECTION_METHODS.items()},
}
JOB_STATES: dict[pb.JobState.ValueType, JobState] = {
    pb.JOB_STATE_QUEUED: JobState.QUEUED,
    pb.JOB_STATE_RUNNING: JobState.RUNNING,
    pb.JOB_STATE_SUCCEEDED: JobState.SUCCEEDED,
    pb.JOB_STATE_FAILED: JobState.FAILED,
    pb.JOB_STATE_CANCELLED: JobState.CANCELLED,
}
_PNG_MODES = {1: "L", 3: "RGB", 4: "RGBA"}

DEFAULT_JOB_LIMIT = 20
"""How many jobs list_jobs returns by default (the server's default for limit 0, too)."""
MAX_JOB_LIMIT = 200
"""The most jobs one ListTrainJobs call returns; the server reads a larger limit as this."""

DEFAULT_STRENGTHS = (-3.0, -1.5, 0.0, 1.5, 3.0)
"""The strengths of an edit's columns unless given: in standard deviations of the prior."""
COMPUTE_DIRECTIONS_TIMEOUT = 600.0
"""compute_directions' deadline when the call gives none: computing a set takes seconds to
minutes, longer than the client's default (the service config allows it 600 s too)."""
PROJECTION_TIMEOUT = 120.0
"""project's and complete's deadline when the call gives none: fitting latents takes an optimiser
run per image, longer than the client's default (the service config allows them 120 s too)."""

OptionValue: TypeAlias = bool | int | float | str | None
"""A train option's value: sent as a string (booleans as true/false); None leaves it out."""


@dataclass(frozen=True)
class Rpc(Generic[RequestT, ResponseT, ResultT]):
    """One call ready to make: the stub's method name, its request, and how to read each answer."""

    method: str
    request: RequestT
    decode: Callable[[ResponseT], ResultT]


# --- answers -------------------------------------------------------------------------------


def _decode_png(data: bytes, channels: int) -> ImageArray:
    """One PNG file as an H x W x C array with the batch's channel count."""
    mode = _PNG_MODES.get(channels)
    if mode is None:
        raise ValueError(f"cannot decode PNG images with {channels} channels")
    with Image.open(io.BytesIO(data)) as image:
        pixels = np.asarray(image if image.mode == mode else image.convert(mode), dtype=np.uint8)
    return pixels.reshape(pixels.shape[0], pixels.shape[1], channels)


def decode_images(batch: pb.ImageBatch) -> ImageArray:
    """An ImageBatch, raw or PNG, as a writable uint8 array N x H x W x C."""
    shape = tuple(int(size) for size in batch.shape)
    if len(shape) != 4:
        raise ValueError(f"image batch shape must be [N, H, W, C]; got {list(shape)}")
    if batch.encoding == pb.IMAGE_ENCODING_PNG:
        if len(batch.png) != shape[0]:
            raise ValueError(f"image batch has {len(batch.png)} PNG files for shape {shape}")
        if not batch.png:
            return np.zeros(shape, dtype=np.uint8)
        images = np.stack([_decode_png(data, shape[3]) for data in batch.png])
    else:
        if len(batch.data) != math.prod(shape):
            raise ValueError(f"image batch has {len(batch.data)} bytes for shape {shape}")
        images = np.frombuffer(batch.data, dtype=np.uint8).reshape(shape).copy()
    if images.shape != shape:
        raise ValueError(f"image batch decodes to {images.shape}, not {shape}")
    return images


def _time(stamp: timestamp_pb2.Timestamp) -> datetime:
    return stamp.ToDatetime(tzinfo=UTC)


def _optional_time(holder: message.Message, field: str) -> datetime | None:
    return _time(getattr(holder, field)) if holder.HasField(field) else None


def model_info(version: pb.ModelVersion, versions: Sequence[int] = ()) -> ModelInfo:
    """A ModelVersion message as a ModelInfo; an unreadable manifest reads as {}."""
    try:
        manifest = json.loads(version.manifest_json) if version.manifest_json else {}
    except json.JSONDecodeError:
        manifest = {}
    return ModelInfo(
        name=version.name,
        version=version.version,
        ref=f"{version.name}@{version.version}",
        created=_time(version.create_time),
        dataset=version.dataset,
        image_shape=tuple(version.image_shape),
        latent_dim=version.latent_dim,
        class_names=tuple(version.class_names),
        loss=version.loss,
        metrics=dict(version.metrics),
        manifest=manifest if isinstance(manifest, dict) else {},
        versions=tuple(versions),
        problem=version.problem or None,
    )


def job_info(job: pb.TrainJob) -> JobInfo:
    """A TrainJob message as a JobInfo, its state a JobState (UNSPECIFIED for an unknown one)."""
    return JobInfo(
        id=job.id,
        request_id=job.request_id,
        state=JOB_STATES.get(job.state, JobState.UNSPECIFIED),
        name=job.name,
        dataset=job.dataset,
        step=job.step,
        total_steps=job.total_steps,
        error=job.error,
        model=job.model,
        metrics=dict(job.metrics),
        created=_optional_time(job, "create_time"),
        started=_optional_time(job, "start_time"),
        finished=_optional_time(job, "end_time"),
    )


def progress_event(event: pb.WatchTrainJobResponse) -> ProgressEvent:
    """A WatchTrainJobResponse as a ProgressEvent; its sample grid as one H x W x C image."""
    grid = decode_images(event.sample_grid)[0] if len(event.sample_grid.shape) == 4 else None
    job = job_info(event.job)
    return ProgressEvent(
        state=job.state,
        step=event.step or job.step,
        total_steps=job.total_steps,
        losses=dict(event.losses),
        images_per_second=event.images_per_second,
        metrics=dict(event.metrics),
        sample_grid=grid,
        job=job,
    )


def _parameter(text: str) -> Any:
    """A direction set parameter: its JSON value, or the text itself if it is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def direction_score_info(score: pb.DirectionScore) -> DirectionScoreInfo:
    """A DirectionScore message as a DirectionScoreInfo."""
    return DirectionScoreInfo(
        changes=tuple(
            AttributeChangeInfo(c.attribute, c.slope, c.r2, c.standardized) for c in score.changes
        ),
        top_attribute=score.top_attribute,
        entanglement=score.entanglement,
        class_kept=score.class_kept if score.HasField("class_kept") else None,
        samples=score.samples,
    )


def direction_set_info(message: pb.DirectionSet, created_now: bool = False) -> DirectionSetInfo:
    """A DirectionSet message as a DirectionSetInfo, each vector a float32 array."""
    directions = [
        DirectionInfo(
            id=d.id,
            set_key=message.key,
            method=message.method,
            vector=np.asarray(d.vector, dtype=np.float32),
            value=d.value,
            score=direction_score_info(d.score) if d.HasField("score") else None,
        )
        for d in message.directions
    ]
    return DirectionSetInfo(
        key=message.key,
        method=message.method,
        parameters={k: _parameter(v) for k, v in message.parameters.items()},
        directions=directions,
        value_name=message.value_name,
        created=_time(message.create_time),
        compute_seconds=message.compute_seconds,
        score_seconds=message.score_seconds,
        created_now=created_now,
    )


def _directions_of(response: pb.ListDirectionsResponse) -> list[DirectionInfo]:
    return [d for s in response.sets for d in direction_set_info(s).directions]


def _set_of(response: pb.ComputeDirectionsResponse) -> DirectionSetInfo:
    return direction_set_info(response.set, created_now=response.created)


def _grid_of(response: pb.EditResponse) -> ImageArray:
    images = decode_images(response.images)
    rows, columns = response.rows, len(response.strengths)
    if rows * columns != len(images):
        raise ValueError(f"edit answer has {len(images)} images for {rows} x {columns} strengths")
    return images.reshape(rows, columns, *images.shape[1:])


def _images_of(response: pb.SampleResponse) -> ImageArray:
    return decode_images(response.images)


def _frames_of(response: pb.InterpolateResponse) -> ImageArray:
    return decode_images(response.frames)


def _models_of(response: pb.ListModelsResponse) -> list[ModelInfo]:
    return [model_info(version) for version in response.models]


def _model_of(response: pb.GetModelResponse) -> ModelInfo:
    return model_info(response.model, response.versions)


def _job_of(
    response: pb.TrainResponse | pb.GetTrainJobResponse | pb.CancelTrainJobResponse,
) -> JobInfo:
    return job_info(response.job)


def _jobs_of(response: pb.ListTrainJobsResponse) -> list[JobInfo]:
    return [job_info(job) for job in response.jobs]


def latent_rows(batch: pb.LatentBatch, what: str) -> npt.NDArray[np.float32]:
    """A LatentBatch as a float32 matrix rows x dim."""
    values = np.asarray(batch.values, dtype=np.float32)
    if batch.dim == 0 or len(values) % batch.dim:
        raise ValueError(f"{what} has {len(values)} latent values for dim {batch.dim}")
    return values.reshape(-1, batch.dim)


def _check_counts(what: str, expected: int, counts: Mapping[str, int]) -> None:
    """A ValueError unless every per-image list of an answer has `expected` entries."""
    wrong = [f"{count} {name}" for name, count in counts.items() if count != expected]
    if wrong:
        raise ValueError(f"{what} has {expected} images but {', '.join(wrong)}")


def _projection_of(response: pb.ProjectResponse) -> Projection:
    images = decode_images(response.reconstructions)
    latents = latent_rows(response.latents, "project answer")
    labels = np.asarray(response.labels, dtype=np.int64) if response.labels else None
    pixel = np.asarray(response.pixel_distances, dtype=np.float64)
    feature = np.asarray(response.feature_distances, dtype=np.float64)
    steps = np.asarray(response.steps, dtype=np.int64)
    counts = {"latents": len(latents), "pixel_distances": len(pixel)}
    counts |= {"feature_distances": len(feature), "steps": len(steps)}
    if labels is not None:
        counts["labels"] = len(labels)
    _check_counts("project answer", len(images), counts)
    return Projection(
        model=response.model,
        method=PROJECTION_METHOD_NAMES.get(response.method, "unspecified"),
        latents=latents,
        labels=labels,
        images=images,
        distances=ProjectionDistances(pixel=pixel, feature=feature),
        steps=steps,
    )


def _completion_of(response: pb.CompleteResponse) -> Completion:
    images = decode_images(response.completions)
    latents = latent_rows(response.latents, "complete answer")
    losses = np.asarray(response.losses, dtype=np.float64)
    _check_counts("complete answer", len(images), {"losses": len(losses), "latents": len(latents)})
    mask = decode_images(response.mask)
    if mask.shape[:3] != (1, *images.shape[1:3]):
        raise ValueError(
            f"complete answer's mask is {list(mask.shape)}, not 1 x H x W for {list(images.shape)}"
        )
    return Completion(
        model=response.model,
        images=images,
        losses=losses,
        latents=latents,
        mask=mask[0, :, :, 0] >= 128,
        label=response.label if response.HasField("label") else None,
    )


# --- calls: what the clients make ----------------------------------------------------------


def latent_batch(latents: npt.ArrayLike, name: str = "latents") -> pb.LatentBatch:
    """A rows x dim float matrix (or one vector, as one row) as a LatentBatch."""
    try:
        with np.errstate(over="ignore"):  # past float32's range is refused below, as not finite
            array = np.asarray(latents, dtype=np.float32)
    except (TypeError, ValueError, OverflowError) as error:  # ragged, not numbers, huge ints
        raise invalid(name, f"{name} must be a rows x dim matrix of floats: {error}") from None
    if array.ndim == 1:
        array = array[np.newaxis]
    if array.ndim != 2 or 0 in array.shape:
        message = f"{name} must be a non-empty rows x dim matrix; got shape {array.shape}"
        raise invalid(name, message)
    if not np.isfinite(array).all():
        raise invalid(name, f"{name} must be finite")
    return new(pb.LatentBatch, {"values": name}, dim=array.shape[1], values=array.ravel().tolist())


def label_list(labels: Labels, name: str = "labels") -> list[Any]:
    """Labels as the wire's list: [] for None, [label] for one int, else one item per label
    (each checked as the field's int32 when it is put in the request)."""
    if labels is None:
        return []
    if isinstance(labels, int | np.integer) and not isinstance(labels, bool):
        return [labels]
    if isinstance(labels, str | bytes | Mapping) or not isinstance(labels, Iterable):
        raise wrong_type(name, "an int, a sequence of ints or None", labels)
    return list(labels)


def endpoint(end: Endpoint, suffix: str) -> pb.InterpolationEndpoint:
    """One end of an interpolation, given as seed_<suffix>, label_<suffix>, latent_<suffix>: an
    explicit latent vector if given, else a seed."""
    seed, label, latent = end
    point = pb.InterpolationEndpoint()
    if latent is not None:
        name = f"latent_{suffix}"
        batch = latent_batch(latent, name)
        if len(batch.values) != batch.dim:
            message = f"{name} must be one latent vector; got {len(batch.values)} values"
            raise invalid(name, message)
        point.latent.CopyFrom(batch)
    else:
        put(point, "seed", seed, f"seed_{suffix}")
    if label is not None:
        put(point, "label", label, f"label_{suffix}")
    return point


def option_value(value: object, name: str = "option") -> str:
    """A train option as the wire's string: booleans as true/false, numbers and strings by str().

    Anything else (a list, a path, ...) is an InvalidArgumentType (a TypeError) naming the
    option: its str() would not be a flag's value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | numbers.Real):
        return str(value)
    raise wrong_type(name, "a bool, int, float or str", value)


def _set_rows(
    request: pb.SampleRequest | pb.EditRequest, n: int, seed: int, latents: npt.ArrayLike | None
) -> None:
    """The latents of a Sample or Edit: explicit rows when given (n is then their count), else
    n seeded ones."""
    if latents is not None:
        request.latents.CopyFrom(latent_batch(latents))
        rows = len(request.latents.values) // request.latents.dim
        if integer(n, "n") not in (1, rows):
            raise invalid("n", f"n={shown(n)} disagrees with the {rows} rows of latents")
        request.n = rows
    else:
        put(request, "n", n)
        put(request, "seed", seed)  # set even when 0, so the oneof says "seed"


def _set_direction(request: pb.EditRequest, direction: DirectionLike) -> None:
    """An edit's direction: an id, ids with weights (a mix), or an explicit vector."""
    if isinstance(direction, str):
        if not direction:
            raise invalid("direction", "direction must be a direction id such as 'sefa:0'; got ''")
        put(request, "direction_id", direction, "direction")
    elif isinstance(direction, Mapping):
        if not direction:
            raise invalid("direction", "direction must weigh at least one direction id")
        put(request.mix, "weights", direction, "direction")
        for direction_id, weight in request.mix.weights.items():
            if not math.isfinite(weight):
                raise invalid("direction", f"the weight of {direction_id!r} must be finite")
    else:
        try:
            vector = np.asarray(direction, dtype=np.float32)
        except (TypeError, ValueError, OverflowError) as error:
            message = f"direction must be an id, a mapping of ids to weights, or a vector: {error}"
            raise invalid("direction", message) from None
        if vector.ndim != 1:
            message = f"a direction vector must be 1-D; got shape {vector.shape}"
            raise invalid("direction", message)
        request.vector.CopyFrom(latent_batch(vector, "direction"))


def strength_list(strengths: float | Sequence[float]) -> list[float]:
    """An edit's strengths as the wire's list: one number, or one per column, each finite."""
    if isinstance(strengths, numbers.Real) and not isinstance(strengths, bool):
        values: list[Any] = [strengths]
    elif isinstance(strengths, str | bytes | Mapping) or not isinstance(strengths, Iterable):
        raise wrong_type("strengths", "a number or a sequence of numbers", strengths)
    else:
        values = list(strengths)
    checked = [number(value, f"strengths[{i}]") for i, value in enumerate(values)]
    for value in checked:
        if not math.isfinite(value):
            raise invalid("strengths", f"strengths must be finite; got {value}")
    return checked


def _set_truncation(
    request: pb.SampleRequest | pb.InterpolateRequest | pb.EditRequest, truncation: float
) -> None:
    """Truncation psi, sent only when it truncates (proto3 optional: unset means none)."""
    if number(truncation, "truncation", float32=True) != 1.0:
        put(request, "truncation", truncation)


def _version(version: int | None) -> int:
    """A version argument as the wire's: None is 0, the latest (anything else is checked as the
    field's uint32 when it is put in)."""
    return 0 if version is None else version


def sample(
    model: str,
    n: int,
    seed: int,
    labels: Labels,
    truncation: float,
    latents: npt.ArrayLike | None,
    version: int | None,
    encoding: Encoding,
) -> Rpc[pb.SampleRequest, pb.SampleResponse, ImageArray]:
    """Sample, by `latents` when given (n is then their row count), else by `seed`: images
    N x H x W x C."""
    request = new(
        pb.SampleRequest,
        model=model,
        version=_version(version),
        labels=label_list(labels),
        encoding=choose(ENCODINGS, encoding, "encoding"),
    )
    _set_rows(request, n, seed, latents)
    _set_truncation(request, truncation)
    return Rpc("Sample", request, _images_of)


def interpolate(
    model: str,
    start: Endpoint,
    end: Endpoint,
    steps: int,
    method: Method,
    truncation: float,
    version: int | None,
    encoding: Encoding,
) -> Rpc[pb.InterpolateRequest, pb.InterpolateResponse, ImageArray]:
    """Interpolate from `start` to `end` (the arguments ending _a and _b): frames
    steps x H x W x C."""
    request = new(
        pb.InterpolateRequest,
        model=model,
        version=_version(version),
        start=endpoint(start, "a"),
        end=endpoint(end, "b"),
        steps=steps,
        method=choose(METHODS, method, "method"),
        encoding=choose(ENCODINGS, encoding, "encoding"),
    )
    _set_truncation(request, truncation)
    return Rpc("Interpolate", request, _frames_of)


def train(
    dataset: str,
    name: str,
    conditional: bool,
    epochs: int | None,
    steps: int | None,
    latent_dim: int,
    loss: LossName,
    request_id: str | None,
    options: Mapping[str, OptionValue],
) -> Rpc[pb.TrainRequest, pb.TrainResponse, JobInfo]:
    """Train, with a fresh uuid4 request id unless given, so resending it is idempotent: the new
    (or, for a repeated request id, the existing) job.

    Options whose value is None are left out (the server's default applies)."""
    request = new(
        pb.TrainRequest,
        request_id=request_id or uuid.uuid4().hex,
        dataset=dataset,
        name=name,
        conditional=conditional,
        latent_dim=latent_dim,
        loss=choose(LOSSES, loss, "loss"),
        options={k: option_value(v, k) for k, v in options.items() if v is not None},
    )
    if epochs is not None:
        put(request, "epochs", epochs)
    if steps is not None:
        put(request, "steps", steps)
    return Rpc("Train", request, _job_of)


def list_models(
    name: str | None,
) -> Rpc[pb.ListModelsRequest, pb.ListModelsResponse, list[ModelInfo]]:
    """ListModels: every version, or those of one name."""
    request = new(pb.ListModelsRequest, name="" if name is None else name)
    return Rpc("ListModels", request, _models_of)


def get_model(
    model: str, version: int | None
) -> Rpc[pb.GetModelRequest, pb.GetModelResponse, ModelInfo]:
    """GetModel: one version, with the list of its siblings."""
    request = new(pb.GetModelRequest, model=model, version=_version(version))
    return Rpc("GetModel", request, _model_of)


def get_job(job_id: str) -> Rpc[pb.GetTrainJobRequest, pb.GetTrainJobResponse, JobInfo]:
    """GetTrainJob: the job as it is now."""
    return Rpc("GetTrainJob", new(pb.GetTrainJobRequest, job_id=job_id), _job_of)


def cancel_job(job_id: str) -> Rpc[pb.CancelTrainJobRequest, pb.CancelTrainJobResponse, JobInfo]:
    """CancelTrainJob: the job after the request."""
    request = new(pb.CancelTrainJobRequest, job_id=job_id)
    return Rpc("CancelTrainJob", request, _job_of)


def list_jobs(
    name: str | None, limit: int
) -> Rpc[pb.ListTrainJobsRequest, pb.ListTrainJobsResponse, list[JobInfo]]:
    """ListTrainJobs: the `limit` most recent jobs (of `name` only, if given), newest first.

    A negative limit is an InvalidArgumentValue before any call; 0 means the server's default
    (20), and the server returns at most MAX_JOB_LIMIT."""
    limit = min(at_least(limit, "limit"), MAX_JOB_LIMIT)
    request = new(pb.ListTrainJobsRequest, name="" if name is None else name, limit=limit)
    return Rpc("ListTrainJobs", request, _jobs_of)


def watch_job(job_id: str) -> Rpc[pb.WatchTrainJobRequest, pb.WatchTrainJobResponse, ProgressEvent]:
    """WatchTrainJob (a stream): one ProgressEvent per message."""
    request = new(pb.WatchTrainJobRequest, job_id=job_id)
    return Rpc("WatchTrainJob", request, progress_event)


def list_directions(
    model: str, version: int | None
) -> Rpc[pb.ListDirectionsRequest, pb.ListDirectionsResponse, list[DirectionInfo]]:
    """ListDirections: every stored direction of the version, set by set."""
    request = new(pb.ListDirectionsRequest, model=model, version=_version(version))
    return Rpc("ListDirections", request, _directions_of)


def compute_directions(
    model: str,
    method: DirectionMethod,
    k: int,
    attribute: str | None,
    orthogonal_to: str | Sequence[str],
    samples: int | None,
    seed: int,
    version: int | None,
) -> Rpc[pb.ComputeDirectionsRequest, pb.ComputeDirectionsResponse, DirectionSetInfo]:
    """ComputeDirections: the set for the method and parameters, stored or computed now.

    `orthogonal_to` is one direction id or several; a negative k, seed or a samples of 0 is an
    InvalidArgumentValue before any call (which parameters fit which method, the server
    checks)."""
    if isinstance(orthogonal_to, str):
        ids: Any = [orthogonal_to]
    elif isinstance(orthogonal_to, bytes | Mapping) or not isinstance(orthogonal_to, Iterable):
        raise wrong_type("orthogonal_to", "a direction id or a sequence of them", orthogonal_to)
    else:
        ids = list(orthogonal_to)
    if any(isinstance(i, str) and not i for i in ids):
        raise invalid("orthogonal_to", "orthogonal_to must be direction ids; got ''")
    request = new(
        pb.ComputeDirectionsRequest,
        model=model,
        version=_version(version),
        method=choose(DIRECTION_METHODS, method, "method"),
        k=at_least(k, "k"),
        samples=0 if samples is None else at_least(samples, "samples", 1),
        seed=at_least(seed, "seed"),
        attribute="" if attribute is None else attribute,
        orthogonal_to=ids,
    )
    return Rpc("ComputeDirections", request, _set_of)


def edit(
    model: str,
    direction: DirectionLike,
    strengths: float | Sequence[float],
    seed: int,
    n: int,
    labels: Labels,
    truncation: float,
    latents: npt.ArrayLike | None,
    arithmetic: tuple[int, int, int] | None,
    version: int | None,
    encoding: Encoding,
) -> Rpc[pb.EditRequest, pb.EditResponse, ImageArray]:
    """Edit: the rows (`latents`, else one `arithmetic` latent, else n seeded ones) moved along
    `direction` by each strength: images rows x strengths x H x W x C."""
    request = new(
        pb.EditRequest,
        model=model,
        version=_version(version),
        labels=label_list(labels),
        encoding=choose(ENCODINGS, encoding, "encoding"),
        strengths=strength_list(strengths),
    )
    _set_direction(request, direction)
    if arithmetic is not None:
        if isinstance(arithmetic, str | bytes | Mapping) or not isinstance(arithmetic, Iterable):
            raise wrong_type("arithmetic", "three seeds (a, b, c)", arithmetic)
        seeds = [at_least(s, f"arithmetic[{i}]") for i, s in enumerate(arithmetic)]
        if len(seeds) != 3:
            message = f"arithmetic takes three seeds (a - b + c); got {len(seeds)}"
            raise invalid("arithmetic", message)
        if latents is not None or integer(n, "n") != 1:
            raise invalid("arithmetic", "arithmetic makes one row: give no latents, and n=1")
        names = {f"seed_{x}": f"arithmetic[{i}]" for i, x in enumerate("abc")}
        request.arithmetic.CopyFrom(
            new(pb.LatentArithmetic, names, seed_a=seeds[0], seed_b=seeds[1], seed_c=seeds[2])
        )
        request.n = 1
    else:
        _set_rows(request, n, seed, latents)
    _set_truncation(request, truncation)
    return Rpc("Edit", request, _grid_of)


# --- images sent: projection and completion ------------------------------------------------


def _array_image(array: npt.NDArray[Any], name: str) -> ImageArray:
    """One uint8 H x W or H x W x C (C in 1, 3, 4) array as H x W x C."""
    if array.dtype != np.uint8:
        raise invalid(name, f"{name} must be uint8; got {array.dtype}")
    if array.ndim == 2:
        array = array[..., np.newaxis]
    if array.ndim != 3 or array.shape[2] not in _PNG_MODES or 0 in array.shape:
        raise invalid(
            name,
            f"{name} must be one image, H x W or H x W x C with C in 1, 3, 4; got shape "
            f"{array.shape}",
        )
    return array


def _one_image(image: object, name: str) -> ImageArray:
    """One image as its H x W x C uint8 pixels: an array as given, a Pillow image or a file's
    pixels read (in L, RGB or RGBA)."""
    if isinstance(image, np.ndarray):
        return _array_image(image, name)
    if isinstance(image, Image.Image):
        try:
            return _images._pixels(image)
        except ValueError as error:
            raise invalid(name, f"{name}: {error}") from None
    if isinstance(image, str | os.PathLike):
        try:
            return _images.load(image)
        except ValueError as error:
            raise invalid(name, f"{name}: {error}") from None
    raise wrong_type(name, "a uint8 array, a Pillow image or an image file's path", image)


def _image_list(images: object, name: str) -> tuple[list[ImageArray], bool]:
    """Several images (or one) as a list of H x W x C arrays, and whether every one of them was
    given as a numpy array (only those may travel raw)."""
    if isinstance(images, np.ndarray) and images.ndim == 4:
        if images.dtype != np.uint8:
            raise invalid(name, f"{name} must be uint8; got {images.dtype}")
        if images.shape[0] == 0:
            message = f"{name} must hold at least one image; got shape {images.shape}"
            raise invalid(name, message)
        if images.shape[3] not in _PNG_MODES or 0 in images.shape:
            message = f"{name} must be N x H x W x C with C in 1, 3, 4; got shape {images.shape}"
            raise invalid(name, message)
        return list(images), True
    if isinstance(images, np.ndarray | Image.Image | str | os.PathLike):
        return [_one_image(images, name)], isinstance(images, np.ndarray)
    if isinstance(images, Sequence) and not isinstance(images, bytes | bytearray):
        if not images:
            raise invalid(name, f"{name} must hold at least one image; got an empty sequence")
        pixels = [_one_image(image, f"{name}[{i}]") for i, image in enumerate(images)]
        return pixels, all(isinstance(image, np.ndarray) for image in images)
    expected = (
        "an image (a uint8 array, a Pillow image, a path), a uint8 array N x H x W x C or a "
        "sequence of images"
    )
    raise wrong_type(name, expected, images)


def _encode_png(pixels: ImageArray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels[..., 0] if pixels.shape[2] == 1 else pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def image_batch(images: object, name: str = "images", *, one: bool = False) -> pb.ImageBatch:
    """Images to send (ImagesLike; with `one`, exactly one ImageLike) as an ImageBatch.

    Raw when every image is a numpy array and all have one shape (grey H x W as C = 1): shape
    [N, H, W, C]. Otherwise one PNG each (paths and Pillow images are re-encoded, never sent as
    their files): shape [N, H, W, C] when all share a size and channel count, else [N, 0, 0, 0],
    each PNG carrying its own. Bad input is an InvalidArgumentValue (a ValueError) or
    InvalidArgumentType (a TypeError) naming `name`."""
    if one:
        if isinstance(images, np.ndarray) and images.ndim == 4 and images.shape[0] == 1:
            images = images[0]  # a batch of one, as sample() returns it
        if isinstance(images, Sequence) and not isinstance(images, str):
            raise wrong_type(name, "one image, not a sequence of them", images)
        pixels, arrays = [_one_image(images, name)], isinstance(images, np.ndarray)
    else:
        pixels, arrays = _image_list(images, name)
    shapes = {image.shape for image in pixels}
    names = {"shape": name, "data": name, "png": name}
    if arrays and len(shapes) == 1:
        batch = np.ascontiguousarray(np.stack(pixels))
        return new(
            pb.ImageBatch,
            names,
            shape=list(batch.shape),
            encoding=pb.IMAGE_ENCODING_RAW,
            data=batch.tobytes(),
        )
    size = list(shapes.pop()) if len(shapes) == 1 else [0, 0, 0]
    return new(
        pb.ImageBatch,
        names,
        shape=[len(pixels), *size],
        encoding=pb.IMAGE_ENCODING_PNG,
        png=[_encode_png(image) for image in pixels],
    )


def _set_mask(request: pb.CompleteRequest, mask: MaskLike) -> None:
    """Complete's mask: a preset's name, else a one-image mask (bool arrays as 255 / 0)."""
    if isinstance(mask, str) and (mask in MASK_PRESETS or mask.startswith("random:")):
        if mask.startswith("random:"):
            try:
                share = float(mask.removeprefix("random:"))
            except ValueError:
                share = math.nan
            if not 0 < share < 1:
                message = f"mask random:P needs a share P in (0, 1); got {mask!r}"
                raise invalid("mask", message)
        put(request, "mask_preset", mask, "mask")
        return
    if isinstance(mask, np.ndarray):
        if mask.dtype == np.bool_:
            mask = np.where(mask, np.uint8(255), np.uint8(0))
        elif mask.dtype != np.uint8:
            message = f"a mask array must be bool (True: known) or uint8; got {mask.dtype}"
            raise invalid("mask", message)
    try:
        request.mask_image.CopyFrom(image_batch(mask, "mask", one=True))
    except ValueError as error:
        if isinstance(mask, str):  # neither a preset nor a readable file: say both
            presets = ", ".join([*MASK_PRESETS, "random:P"])
            message = f"mask must be a preset ({presets}) or a mask image: {error}"
            raise invalid("mask", message) from None
        raise


def _optional_count(value: int | None, name: str, minimum: int = 0) -> int | None:
    return None if value is None else at_least(value, name, minimum)


def project(
    model: str,
    images: ImagesLike,
    labels: Labels,
    method: ProjectionMethodName,
    steps: int | None,
    seed: int,
    version: int | None,
    encoding: Encoding,
) -> Rpc[pb.ProjectRequest, pb.ProjectResponse, Projection]:
    """Project: the latents that reproduce `images`, their reconstructions and distances.

    `steps` None leaves the field unset (the method's default); 0 is sent, and means no
    optimiser steps. Bad images, a negative steps or seed, an unknown method are an
    InvalidArgumentValue (or InvalidArgumentType) before any call."""
    request = new(
        pb.ProjectRequest,
        model=model,
        version=_version(version),
        images=image_batch(images, "images"),
        labels=label_list(labels),
        method=choose(PROJECTION_METHODS, method, "method"),
        seed=at_least(seed, "seed"),
        encoding=choose(ENCODINGS, encoding, "encoding"),
    )
    if (count := _optional_count(steps, "steps")) is not None:
        put(request, "steps", count)
    return Rpc("Project", request, _projection_of)


def complete(
    model: str,
    image: ImageLike,
    mask: MaskLike,
    k: int,
    steps: int | None,
    label: int | None,
    seed: int,
    version: int | None,
    encoding: Encoding,
) -> Rpc[pb.CompleteRequest, pb.CompleteResponse, Completion]:
    """Complete: `k` completions of `image` where `mask` says its pixels are unknown.

    `steps` and `label` None leave their fields unset (200 steps; the evaluator's prediction).
    Bad input (not one image, an unknown preset or unreadable mask file, k < 1, steps < 1) is an
    InvalidArgumentValue (or InvalidArgumentType) before any call."""
    request = new(
        pb.CompleteRequest,
        model=model,
        version=_version(version),
        image=image_batch(image, "image", one=True),
        k=at_least(k, "k", 1),
        seed=at_least(seed, "seed"),
        encoding=choose(ENCODINGS, encoding, "encoding"),
    )
    _set_mask(request, mask)
    if (count := _optional_count(steps, "steps", 1)) is not None:
        put(request, "steps", count)
    if label is not None:
        put(request, "label", label)
    return Rpc("Complete", request, _completion_of)
