"""The ``train`` flow: load data -> train with checkpoints -> evaluate -> register the version.

One flow run is one training job (its id is the job id). The run keeps its checkpoint in a
directory named after the job, so every later run of the same job — a resume after its process
was killed — continues from the last checkpoint, and a job that already registered its version
only reports it (registered exactly once; ``latentgan.pipeline``). Progress goes to Redis for
WatchTrainJob (``flows.progress``) and to Prefect artifacts for the UI.
"""

from __future__ import annotations

import base64
import logging
import time
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from prefect import flow, get_run_logger
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import State, StateType
from prefect.context import FlowRunContext
from prefect.runtime import flow_run
from prefect.states import Cancelled

from flows.directions import publish_direction_set
from flows.jobs import MAX_ATTEMPTS, job_run_dir
from flows.progress import ProgressPublisher, TrainProgress
from flows.settings import flow_store, get_flow_settings
from latentgan.schemas.training import TrainRequest

if TYPE_CHECKING:  # torch loads inside the run, after the run is reported running
    from latentgan.artifacts import ArtifactStore, Manifest
    from latentgan.pipeline import JobOutcome
    from latentgan.train import ProgressEvent


class _Reporter:
    """Turns the training loop's progress callbacks into events and a Prefect progress bar."""

    def __init__(self, publisher: ProgressPublisher | None, attempt: int) -> None:
        self.publisher = publisher
        self.attempt = attempt
        self.artifact_id: uuid.UUID | None = None
        self.shown_percent = -1.0
        self.last_grid: bytes | None = None

    def on_progress(self, event: ProgressEvent) -> None:
        grid = event.sample_grid.read_bytes() if event.sample_grid is not None else None
        self.last_grid = grid or self.last_grid
        self.publish(
            TrainProgress(
                step=event.step,
                total_steps=event.total_steps,
                images_per_second=event.images_per_sec,
                losses=event.losses,
                sample_grid=grid,
                attempt=self.attempt,
            )
        )
        percent = round(100.0 * event.step / max(event.total_steps, 1))
        if percent >= self.shown_percent + 5 or event.step == event.total_steps:
            self.shown_percent = percent
            if self.artifact_id is None:
                self.artifact_id = cast(
                    uuid.UUID,
                    create_progress_artifact(percent, description="generator steps done"),
                )
            else:
                update_progress_artifact(self.artifact_id, percent)

    def publish(self, event: TrainProgress) -> None:
        if self.publisher is not None:
            self.publisher.publish(event)


class _CancelWatch:
    """Polled by the training loop: has this run been cancelled? (asks Prefect every few seconds)

    The worker also kills a cancelled run's process; asking as well stops the run gracefully at
    a step boundary with a fresh checkpoint, even if the worker lost track of the process.
    """

    def __init__(self, run_id: str | None, every_s: float = 2.0) -> None:
        self.run_id = uuid.UUID(run_id) if run_id else None
        self.every_s = every_s
        self.next_check = time.monotonic() + every_s
        self.cancelled = False

    def __call__(self) -> bool:
        if self.run_id is None or self.cancelled or time.monotonic() < self.next_check:
            return self.cancelled
        self.next_check = time.monotonic() + self.every_s
        try:
            with get_client(sync_client=True) as client:
                state = client.read_flow_run(self.run_id).state
        except Exception:  # Prefect unreachable for a moment: keep training
            return False
        self.cancelled = state is not None and state.type in (
            StateType.CANCELLING,
            StateType.CANCELLED,
        )
        return self.cancelled


def _attempt() -> int:
    """1 for the job's first run, n for its (n-1)th resume; 1 outside a flow run."""
    return max(1, int(flow_run.run_count or 1)) if FlowRunContext.get() else 1


def _job_id() -> str:
    """The flow run's id: the job id (a fresh one when called outside Prefect)."""
    return str(flow_run.id) if flow_run.id else str(uuid.uuid4())


@flow(name="train", log_prints=True, persist_result=False)
def train(
    dataset: str,
    name: str,
    conditional: bool = False,
    epochs: float | None = None,
    steps: int | None = None,
    latent_dim: int | None = None,
    loss: str | None = None,
    options: dict[str, str] | None = None,
) -> dict[str, Any] | State[Any]:
    """Train a GAN as a Train request describes it and register it as a version of ``name``.

    Options are ``latentgan train`` flags by name (``{"spectral_norm": "true"}``). Returns the
    registered model (NAME@VERSION) and its metrics.
    """
    from latentgan.pipeline import run_training_job

    logger = get_run_logger()
    attempt = _attempt()
    if attempt > MAX_ATTEMPTS:
        raise RuntimeError(f"gave up after {MAX_ATTEMPTS} attempts; see the earlier runs' logs")
    settings = get_flow_settings()
    request = TrainRequest.from_fields(
        dataset,
        options,
        name=name,
        conditional=conditional,
        epochs=epochs,
        steps=steps,
        latent_dim=latent_dim,
        loss=loss,
    )
    job = request.to_job(device=settings.device)
    store = flow_store(settings)
    job_id = _job_id()
    run_dir = job_run_dir(store.runs_dir, name, job_id)
    job = replace(job, run_dir=run_dir, resume=attempt > 1 or run_dir.exists())
    publisher = ProgressPublisher(settings.redis_url, job_id) if settings.redis_url else None
    reporter = _Reporter(publisher, attempt)
    logger.info("job %s, attempt %d, run directory %s", job_id, attempt, job.run_dir)
    try:
        outcome = run_training_job(
            job,
            store,
            on_progress=reporter.on_progress,
            should_stop=_CancelWatch(flow_run.id),
            on_status=logger.info,
        )
    finally:
        if publisher is not None:
            publisher.close()
    if outcome.manifest is None:
        step = outcome.result.step if outcome.result else 0
        return Cancelled(message=f"cancelled at step {step}; its checkpoint is kept")
    return _report(outcome, reporter, logger, store)


def _publish_directions(store: ArtifactStore, manifest: Manifest) -> None:
    """Each direction set of the new version as an artifact: its edit grid and scores."""
    from latentgan.artifacts import load_model_dir
    from latentgan.directions import list_sets
    from latentgan.directions.preview import preview
    from latentgan.images import encode_png

    model = load_model_dir(store.resolve(manifest.ref))
    for directions in list_sets(model.path):
        grid_png = encode_png(preview(model.generator, directions))
        publish_direction_set(manifest.ref, directions, grid_png)


def _report(
    outcome: JobOutcome,
    reporter: _Reporter,
    logger: logging.Logger | logging.LoggerAdapter[Any],
    store: ArtifactStore,
) -> dict[str, Any]:
    """Publish the registration and leave the sample grid and metrics as Prefect artifacts."""
    manifest = outcome.manifest
    assert manifest is not None
    metrics = {k: float(v) for k, v in (manifest.metrics or {}).items() if v is not None}
    steps = int(manifest.training.get("steps", 0))
    reporter.publish(
        TrainProgress(
            step=steps,
            total_steps=steps,
            metrics=metrics,
            attempt=reporter.attempt,
            model=manifest.ref,
        )
    )
    if outcome.already_registered:
        logger.info("this job already registered %s", manifest.ref)
    else:
        logger.info("registered %s", manifest.ref)
        _publish_directions(store, manifest)
    if reporter.last_grid is not None:
        encoded = base64.b64encode(reporter.last_grid).decode()
        create_markdown_artifact(
            f"### {manifest.ref}: samples at step {steps}\n\n"
            f"![samples](data:image/png;base64,{encoded})",
            description=f"sample grid of {manifest.ref}",
        )
    if metrics:
        create_table_artifact(
            [{"metric": k, "value": round(v, 4)} for k, v in metrics.items()],
            description=f"metrics of {manifest.ref}",
        )
    return {"model": manifest.ref, "metrics": metrics}
