"""The training side of the api: Train requests to flow parameters, jobs to TrainJob messages.

Train validates everything it can before scheduling (the flow reads the same fields and options
with the same schema, ``latentgan.schemas.training.TrainRequest``), so a mistake is INVALID_ARGUMENT
at once, not a failed job minutes later. A job's state comes from Prefect (``flows.jobs``), its
step from the newest progress event in Redis (``flows.progress``), and its model and metrics from
the artifact store once it has registered them.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from google.protobuf.timestamp_pb2 import Timestamp
from PIL import Image

from flows.jobs import JobInfo, get_job, job_run_dir
from flows.progress import TrainProgress, last_event, newest_entry, read_events
from latentgan.artifacts import ArtifactStore, check_name
from latentgan.data import available_datasets
from latentgan.errors import ArtifactError, ConfigError, ModelNotFoundError, shown
from latentgan.pipeline import default_name, registered_manifest
from latentgan.schemas.training import TrainRequest
from latentgan_client.v1 import latentgan_pb2 as pb

LOSS_NAMES = {pb.LOSS_NS: "ns", pb.LOSS_HINGE: "hinge", pb.LOSS_WGAN_GP: "wgan-gp"}
JOB_STATES = {
    "queued": pb.JOB_STATE_QUEUED,
    "running": pb.JOB_STATE_RUNNING,
    "succeeded": pb.JOB_STATE_SUCCEEDED,
    "failed": pb.JOB_STATE_FAILED,
    "cancelled": pb.JOB_STATE_CANCELLED,
}
FINAL = ("succeeded", "failed", "cancelled")
MAX_LIST = 200
MAX_DATASET_CHARS = 1024
MAX_REQUEST_ID_CHARS = 128  # the flow run's idempotency key
MAX_OPTIONS = 64
MAX_OPTION_CHARS = 256
STATE_POLL_S = 1.0  # how often a watch re-reads the job's state from Prefect


def remote_dataset(dataset: str, roots: Sequence[Path]) -> str:
    """The data set a remote Train may name: a built-in name, or an absolute path inside one of
    ``roots`` (``LATENTGAN_DATASET_ROOTS``; none by default), returned with its links and ``..``
    resolved so the flow reads what was checked. ConfigError naming ``dataset`` otherwise: a
    remote caller must not make the training workers read whatever they can."""
    if not dataset:
        raise ConfigError("dataset is required (e.g. mnist5k)", field="dataset")
    known = ", ".join(available_datasets())
    if len(dataset) > MAX_DATASET_CHARS:
        raise ConfigError(f"dataset has at most {MAX_DATASET_CHARS} characters", field="dataset")
    if dataset.lower() in available_datasets():
        return dataset
    if not roots:
        raise ConfigError(
            f"unknown data set {shown(dataset)}: use one of {known} (this server takes no data "
            "set paths: LATENTGAN_DATASET_ROOTS is not set)",
            field="dataset",
        )
    path = Path(dataset)
    if path.is_absolute():
        real = Path(os.path.realpath(path))
        if any(real.is_relative_to(os.path.realpath(root)) for root in roots):
            return str(real)
    raise ConfigError(
        f"data set {shown(dataset)} is neither one of {known} nor an absolute path inside the "
        "server's data set roots",
        field="dataset",
    )


def train_parameters(request: pb.TrainRequest, roots: Sequence[Path] = ()) -> dict[str, Any]:
    """The train flow's parameters for ``request`` from a remote caller (its data set checked by
    ``remote_dataset`` against ``roots``); ConfigError naming the first bad field."""
    dataset = remote_dataset(request.dataset.strip(), roots)
    if len(request.request_id) > MAX_REQUEST_ID_CHARS:
        raise ConfigError(
            f"request_id has at most {MAX_REQUEST_ID_CHARS} characters", field="request_id"
        )
    if len(request.options) > MAX_OPTIONS:
        raise ConfigError(
            f"at most {MAX_OPTIONS} options, got {len(request.options)}", field="options"
        )
    for key, value in request.options.items():
        if len(key) > MAX_OPTION_CHARS or len(value) > MAX_OPTION_CHARS:
            raise ConfigError(
                f"an option's name and value have at most {MAX_OPTION_CHARS} characters each",
                field="options",
            )
    if request.loss and request.loss not in LOSS_NAMES:
        raise ConfigError(f"unknown loss {request.loss}", field="loss")
    name = check_name(request.name) if request.name else default_name(dataset, request.conditional)
    parameters: dict[str, Any] = {
        "dataset": dataset,
        "name": name,
        "conditional": request.conditional,
        # The contract: steps, when set, take precedence over epochs.
        "epochs": (
            float(request.epochs)
            if request.HasField("epochs") and not request.HasField("steps")
            else None
        ),
        "steps": request.steps if request.HasField("steps") else None,
        "latent_dim": request.latent_dim if request.HasField("latent_dim") else None,
        "loss": LOSS_NAMES.get(request.loss),
        "options": dict(request.options),
    }
    TrainRequest.from_fields(**parameters)  # the flow's own reading: refuse now what it would
    return parameters


def _timestamp(moment: datetime | None) -> Timestamp | None:
    if moment is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(moment)
    return ts


def job_message(job: JobInfo, progress: TrainProgress | None, store: ArtifactStore) -> pb.TrainJob:
    """A job as the TrainJob message: Prefect's state, the latest step, the registered model."""
    message = pb.TrainJob(
        id=job.id,
        request_id=job.request_id,
        state=JOB_STATES[job.state],
        name=job.name,
        dataset=job.dataset,
        create_time=_timestamp(job.created),
        start_time=_timestamp(job.started),
        end_time=_timestamp(job.ended),
        error=job.message if job.state == "failed" else "",
    )
    if progress is not None:
        message.step = progress.step
        message.total_steps = progress.total_steps
    if job.state == "succeeded" and job.name:
        try:
            manifest = registered_manifest(
                store, job.name, job_run_dir(store.runs_dir, job.name, job.id)
            )
        except (ModelNotFoundError, ArtifactError):
            manifest = None  # the version was deleted since
        if manifest is not None:
            message.model = manifest.ref
            message.metrics.update(
                {
                    k: float(v)
                    for k, v in (manifest.metrics or {}).items()
                    if isinstance(v, int | float) and not isinstance(v, bool)
                }
            )
    return message


def grid_batch(png: bytes) -> pb.ImageBatch:
    """A sample grid PNG as a one-image ImageBatch."""
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
        channels = len(image.getbands())
    return pb.ImageBatch(
        shape=[1, height, width, channels], encoding=pb.IMAGE_ENCODING_PNG, png=[png]
    )


def watch_response(job: pb.TrainJob, event: TrainProgress) -> pb.WatchTrainJobResponse:
    """One progress event as a WatchTrainJob message."""
    response = pb.WatchTrainJobResponse(
        job=job,
        step=event.step,
        losses=event.losses,
        images_per_second=event.images_per_second,
        metrics=event.metrics,
    )
    if event.sample_grid:
        response.sample_grid.CopyFrom(grid_batch(event.sample_grid))
    return response


async def describe(job_id: str, redis: aioredis.Redis, store: ArtifactStore) -> pb.TrainJob:
    """The TrainJob message of ``job_id`` now."""
    job = await get_job(job_id)
    return job_message(job, await last_event(redis, job_id), store)


async def watch(
    job_id: str, redis: aioredis.Redis, store: ArtifactStore
) -> AsyncIterator[pb.WatchTrainJobResponse]:
    """The job's newest event, then every new one, until the job finishes (its final state last)."""
    job = await get_job(job_id)
    newest = await newest_entry(redis, job_id)
    after, latest = newest if newest else ("0-0", None)
    message = job_message(job, latest, store)
    yield pb.WatchTrainJobResponse(job=message, step=message.step)
    while job.state not in FINAL:
        for entry_id, event in await read_events(redis, job_id, after, int(STATE_POLL_S * 1000)):
            after, latest = entry_id, event
            message = job_message(job, latest, store)
            yield watch_response(message, event)
        job = await get_job(job_id)
    final = job_message(job, latest, store)
    yield pb.WatchTrainJobResponse(job=final, step=final.step, metrics=final.metrics)
