"""The orchestration layer's errors, apart from Prefect so that raising or mapping them is cheap.

``flows.jobs`` raises them; ``services.errors`` maps them to gRPC statuses — generation workers
use that table too, and must not pay Prefect's import for it.
"""

from __future__ import annotations

from latentgan.errors import LatentganError


class JobNotFoundError(LatentganError):
    """No training job by that id."""


class OrchestratorUnavailableError(LatentganError):
    """The Prefect API cannot be reached or answered with a server error."""


class OrchestratorNotConfiguredError(LatentganError):
    """No Prefect API is configured (PREFECT_API_URL), so no training can be scheduled."""
