"""Training jobs as the api sees them: Prefect flow runs of the ``train`` deployments.

A job *is* a flow run: its id is the flow run's id, the client's request id is the run's
idempotency key (a repeated Train returns the first run), and its state is the run's state type
mapped onto the five job states. A crashed run that the platform will resume (the automation that
``flows.deploy`` installs re-schedules it onto its checkpoint) reads as queued, not failed.

This is the only module the api imports to reach Prefect; the flows themselves never import it
except for the names below that both sides must agree on (pools, tags, the run directory).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import httpx
from prefect.client.orchestration import PrefectClient, get_client
from prefect.client.schemas.filters import (
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError
from prefect.settings import PREFECT_API_URL
from prefect.states import Cancelled, Cancelling

from flows.errors import (
    JobNotFoundError,
    OrchestratorNotConfiguredError,
    OrchestratorUnavailableError,
)
from latentgan.errors import shown

TRAIN_FLOW = "train"
POOLS = ("gpu", "cpu")  # work pools of training workers; their deployments are train/<pool>
JOB_TAG = "latentgan-job"  # every Train flow run carries it
MODEL_TAG_PREFIX = "model:"  # and "model:<name>", so jobs can be listed by model name
MAX_ATTEMPTS = 4  # a job runs at most this often: its first run and three resumes after crashes

JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]
_STATES: dict[StateType, JobState] = {
    StateType.SCHEDULED: "queued",
    StateType.PENDING: "queued",
    StateType.PAUSED: "queued",
    StateType.RUNNING: "running",
    StateType.COMPLETED: "succeeded",
    StateType.FAILED: "failed",
    StateType.CANCELLING: "cancelled",  # the worker is stopping it; it will not register
    StateType.CANCELLED: "cancelled",
}


def job_state(state_type: StateType | None, run_count: int = 0) -> JobState:
    """The job state of a flow run; a crashed run with attempts left is queued for its resume."""
    if state_type is None:
        return "queued"
    if state_type == StateType.CRASHED:
        return "queued" if run_count < MAX_ATTEMPTS else "failed"
    return _STATES[state_type]


def job_run_dir(runs_dir: Path, name: str, job_id: str) -> Path:
    """Where job ``job_id`` keeps its checkpoint, sample grids and its registration record."""
    return runs_dir / name / f"job-{job_id}"


@dataclass(frozen=True)
class JobInfo:
    """What Prefect knows about a training job."""

    id: str
    request_id: str
    state: JobState
    parameters: dict[str, Any] = field(default_factory=dict)
    created: datetime | None = None
    started: datetime | None = None
    ended: datetime | None = None
    message: str = ""  # the state's message: the error of a failed job
    attempts: int = 0

    @property
    def name(self) -> str:
        """The model name the job registers under."""
        return str(self.parameters.get("name") or "")

    @property
    def dataset(self) -> str:
        """The data set the job trains on."""
        return str(self.parameters.get("dataset") or "")


def job_info(run: FlowRun) -> JobInfo:
    """A flow run as a job."""
    state = run.state
    state_type = state.type if state is not None else None
    failed = state_type in (StateType.FAILED, StateType.CRASHED)
    job = job_state(state_type, run.run_count)
    return JobInfo(
        id=str(run.id),
        request_id=run.idempotency_key or "",
        state=job,
        parameters=dict(run.parameters),
        created=run.created,
        started=run.start_time,
        ended=run.end_time if job in ("succeeded", "failed", "cancelled") else None,
        message=(state.message or "") if failed and state is not None else "",
        attempts=run.run_count,
    )


@contextlib.asynccontextmanager
async def _prefect() -> AsyncIterator[PrefectClient]:
    """A Prefect client whose connection and server failures are OrchestratorUnavailableError.

    Without PREFECT_API_URL Prefect would quietly start a private server inside this process;
    an api must use the platform's, so that is refused instead.
    """
    if not PREFECT_API_URL.value():
        raise OrchestratorNotConfiguredError(
            "training is not configured on this server: set PREFECT_API_URL to the platform's "
            "Prefect API (`latentgan up` does)"
        )
    try:
        async with get_client() as client:
            yield client
    except httpx.TransportError as e:
        raise OrchestratorUnavailableError(f"the Prefect API cannot be reached: {e}") from e
    except PrefectHTTPStatusError as e:
        if e.response.status_code < 500:
            raise
        raise OrchestratorUnavailableError(f"the Prefect API failed: {e}") from e


def _parse_id(job_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(job_id)
    except ValueError:
        raise JobNotFoundError(f"no training job {shown(job_id)}", field="job_id") from None


async def choose_pool(client: PrefectClient, wanted: str = "auto") -> str:
    """``wanted``, or for ``auto`` the gpu pool when it has slots and a live worker, else cpu."""
    if wanted != "auto":
        return wanted
    try:
        pool = await client.read_work_pool("gpu")
        if pool.concurrency_limit == 0:
            return "cpu"
        workers = await client.read_workers_for_work_pool("gpu")
    except ObjectNotFound:
        return "cpu"
    return "gpu" if any(w.status.value == "ONLINE" for w in workers) else "cpu"


async def submit_job(
    parameters: dict[str, Any], request_id: str = "", pool: str = "auto"
) -> JobInfo:
    """Schedule a train flow run and return it at once; one run per request id."""
    async with _prefect() as client:
        deployment = f"{TRAIN_FLOW}/{await choose_pool(client, pool)}"
        try:
            run = await run_deployment(  # type: ignore[misc]
                deployment,
                client=client,
                parameters=parameters,
                timeout=0,
                idempotency_key=request_id or str(uuid.uuid4()),
                tags=[JOB_TAG, f"{MODEL_TAG_PREFIX}{parameters['name']}"],
                as_subflow=False,
            )
        except ObjectNotFound:
            raise OrchestratorNotConfiguredError(
                f"the Prefect server has no deployment {deployment}: run `latentgan deploy`"
            ) from None
        return job_info(run)


async def get_job(job_id: str) -> JobInfo:
    """The job with this id."""
    run_id = _parse_id(job_id)
    async with _prefect() as client:
        try:
            run = await client.read_flow_run(run_id)
        except ObjectNotFound:
            raise JobNotFoundError(f"no training job {job_id}", field="job_id") from None
    if JOB_TAG not in run.tags:
        raise JobNotFoundError(f"no training job {job_id}", field="job_id")
    return job_info(run)


async def cancel_job(job_id: str) -> JobInfo:
    """Ask the job's worker to stop it (a finished job is returned unchanged)."""
    job = await get_job(job_id)
    if job.state in ("succeeded", "failed", "cancelled"):
        return job
    # A run no worker holds yet is cancelled outright; a running one is stopped by its worker.
    state: Any = Cancelled() if job.state == "queued" else Cancelling()
    async with _prefect() as client:
        await client.set_flow_run_state(uuid.UUID(job_id), state, force=True)
    return await get_job(job_id)


async def list_jobs(name: str = "", limit: int = 20) -> list[JobInfo]:
    """Recent jobs, newest first, optionally of one model name."""
    tags = [JOB_TAG] + ([f"{MODEL_TAG_PREFIX}{name}"] if name else [])
    async with _prefect() as client:
        runs = await client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=[TRAIN_FLOW])),
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=tags)),
            sort=FlowRunSort.EXPECTED_START_TIME_DESC,
            limit=limit,
        )
    return [job_info(run) for run in runs]
