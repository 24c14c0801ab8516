"""Process-wide settings, read once from the environment (prefix ``LATENTGAN_``).

Every latentgan process — CLI, api, workers, flows — configures itself from this one object, so a
deployment sets a variable once and every part agrees.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """latentgan's environment: where data lives and what the process may do."""

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


def get_settings() -> Settings:
    """The settings as the environment says now (cheap; read afresh so tests can change them)."""
    return Settings()
