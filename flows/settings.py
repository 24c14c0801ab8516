"""Settings of the orchestration layer: what a flow run needs beyond the core's (``LATENTGAN_``).

Prefect's own settings (``PREFECT_API_URL`` and the rest) are Prefect's; these are latentgan's:
the Redis that progress events go to. A flow reads them once when its run starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from latentgan.settings import Settings

if TYPE_CHECKING:  # torch loads inside a run, after the run is reported running
    from latentgan.artifacts import ArtifactStore


class FlowSettings(Settings):
    """The environment of a flow run."""

    redis_url: str | None = Field(
        default=None,
        description="Redis for training progress events (WatchTrainJob); unset: none are sent.",
    )


def get_flow_settings() -> FlowSettings:
    """The flow settings as the environment says now."""
    return FlowSettings()


def flow_store(settings: FlowSettings) -> ArtifactStore:
    """The artifact store a flow run works on."""
    from latentgan.artifacts import ArtifactStore

    return ArtifactStore(settings.data_dir, settings.offline)
