"""The core's settings, read once from the environment (prefix ``LATENTGAN_``) by an entry point.

Only what the core itself needs lives here: where the store is, whether the network may be used,
which device computes and with how many threads. Each layer adds its own settings on top
(``services.settings`` for serving, ``flows.settings`` for orchestration), so a deployment still
sets a variable once and every process that needs it agrees. A process reads its settings at its
entry point and passes them in; core functions never read the environment in the middle of their
work (docs/architecture.md, "Settings").
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """latentgan's core environment: where data lives and what the process may do."""

    model_config = SettingsConfigDict(env_prefix="LATENTGAN_", extra="ignore")

    data_dir: Path = Field(
        default_factory=lambda: Path.home() / ".latentgan",
        description="Root of the artifact store: models, evaluators, runs, downloaded data.",
    )
    offline: bool = Field(
        default=False,
        description="Never touch the network: asking for a download fails at once.",
    )
    device: str = Field(
        default="auto", description="Torch device for training and generation: auto, cpu, cuda[:N]."
    )
    torch_threads: int = Field(
        default=0, ge=0, description="Torch threads of a compute process; 0: torch's default."
    )


def get_settings() -> Settings:
    """The core settings as the environment says now (for entry points and tests)."""
    return Settings()
