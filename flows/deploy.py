"""The platform's Prefect objects: work pools, deployments and the crash-resume automation.

``deploy_platform`` is idempotent (``latentgan deploy`` and ``latentgan up`` call it on every
start). Work pools: ``gpu`` (concurrency = GPUs) and ``cpu``. Deployments run this source tree
from where it lies (``from_source``), so a worker needs the same tree at the same path: true on
one machine, and in the images of ``deploy/``, where the code sits at /app.

Prefect retries a flow run that *fails*, but a run whose process was killed is *crashed* and never
retried. The automation installed here re-schedules a crashed ``train`` run (the same run, so the
same job id and checkpoint directory); the flow then resumes from its last checkpoint, and gives up
after ``flows.jobs.MAX_ATTEMPTS`` runs.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from prefect import Flow
from prefect.automations import Automation
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
from prefect.client.schemas.objects import StateType
from prefect.events.actions import ChangeFlowRunState
from prefect.events.schemas.automations import EventTrigger, Posture
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
from prefect.workers.process import ProcessWorker

from flows.jobs import POOLS, TRAIN_FLOW

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESUME_AUTOMATION = "latentgan-resume-crashed-training"


@dataclass(frozen=True)
class Deployment:
    """One deployment: a flow of this tree on a work pool (named ``<flow>/<pool>``)."""

    flow: str
    entrypoint: str
    pool: str

    @property
    def name(self) -> str:
        """The deployment's full name, as ``run_deployment`` takes it."""
        return f"{self.flow}/{self.pool}"


DEPLOYMENTS = (
    *(Deployment(TRAIN_FLOW, "flows/train.py:train", pool) for pool in POOLS),
    Deployment("evaluate", "flows/evaluate.py:evaluate", "cpu"),
    Deployment("sweep", "flows/sweep.py:sweep", "cpu"),
)


def gpu_count() -> int:
    """CUDA devices on this machine (0 without torch's CUDA)."""
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def ensure_pools(gpu_slots: int, cpu_slots: int, pool_type: str = "process") -> None:
    """Create the work pools that are missing; on existing ones only set the concurrency.

    An existing pool keeps its type and job template (a Kubernetes ``gpu`` pool set up by
    ``deploy/kubernetes`` stays one).
    """
    template = ProcessWorker.get_default_base_job_template() if pool_type == "process" else None
    with get_client(sync_client=True) as client:
        for name, slots in (("gpu", gpu_slots), ("cpu", cpu_slots)):
            pool = WorkPoolCreate(name=name, type=pool_type, concurrency_limit=slots)
            if template is not None:
                pool.base_job_template = template
            try:
                client.create_work_pool(pool)
            except ObjectAlreadyExists:  # made earlier, or by a worker starting beside us
                client.update_work_pool(name, WorkPoolUpdate(concurrency_limit=slots))


def deploy_flows(source: Path = PROJECT_ROOT) -> dict[str, str]:
    """Register every deployment of ``DEPLOYMENTS``; returns their ids by name."""
    ids = {}
    for d in DEPLOYMENTS:
        loaded = cast(Flow[..., Any], Flow.from_source(source=str(source), entrypoint=d.entrypoint))
        ident = loaded.deploy(
            name=d.pool,
            work_pool_name=d.pool,
            build=False,
            push=False,
            print_next_steps=False,
            ignore_warnings=True,
        )
        ids[d.name] = str(ident)
    return ids


def ensure_resume_automation(train_deployment_ids: list[str]) -> None:
    """(Re)create the automation that re-schedules crashed runs of the train deployments."""
    automation = Automation(
        name=RESUME_AUTOMATION,
        description="Resume a crashed training run from its last checkpoint (latentgan).",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Crashed"},
            match_related={
                "prefect.resource.role": "deployment",
                "prefect.resource.id": [f"prefect.deployment.{i}" for i in train_deployment_ids],
            },
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.SCHEDULED,
                name="AwaitingRetry",
                message="resuming from the last checkpoint after a crash",
                force=True,
            )
        ],
    )
    with contextlib.suppress(ValueError, ObjectNotFound):
        cast(Automation, Automation.read(name=RESUME_AUTOMATION)).delete()
    automation.create()


def deploy_platform(
    gpu_slots: int | None = None, cpu_slots: int = 1, pool_type: str = "process"
) -> dict[str, str]:
    """Pools, deployments and the resume automation, as ``latentgan deploy`` makes them."""
    ensure_pools(gpu_count() if gpu_slots is None else gpu_slots, cpu_slots, pool_type)
    ids = deploy_flows()
    ensure_resume_automation([ids[f"{TRAIN_FLOW}/{pool}"] for pool in POOLS])
    return ids
