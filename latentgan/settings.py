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

    # Training over the api: Prefect work pools (flows/); PREFECT_API_URL says where Prefect is.
    train_pool: str = Field(
        default="auto",
        pattern=r"^(auto|gpu|cpu)$",
        description="Work pool of Train jobs: auto (gpu when it has a live worker), gpu or cpu.",
    )

    # Serving: the gRPC api and the generation workers (services/).
    redis_url: str | None = Field(
        default=None,
        description="Redis for the generation queue; unset: `serve` starts an embedded one.",
    )
    api_host: str = Field(default="127.0.0.1", description="Address the gRPC api listens on.")
    api_port: int = Field(default=50051, ge=0, le=65535, description="Port of the gRPC api.")
    metrics_port: int = Field(
        default=0, ge=0, le=65535, description="Port of the api's Prometheus /metrics; 0: off."
    )
    auth_token: str | None = Field(
        default=None,
        description="When set, every RPC but health and reflection needs `authorization: Bearer`.",
    )
    tls_cert: Path | None = Field(default=None, description="PEM certificate: serve over TLS.")
    tls_key: Path | None = Field(default=None, description="PEM private key of tls_cert.")
    max_samples: int = Field(default=256, ge=1, description="Most images one Sample may ask for.")
    max_steps: int = Field(default=256, ge=2, description="Most frames per Interpolate.")
    max_message_bytes: int = Field(
        default=64 * 1024 * 1024, ge=1024, description="Largest gRPC message in or out."
    )
    request_timeout: float = Field(
        default=30.0, gt=0, description="Deadline (s) of a generation request without its own."
    )
    queue_max_len: int = Field(
        default=1024, ge=1, description="Queued generation requests before RESOURCE_EXHAUSTED."
    )
    batch_max_images: int = Field(
        default=256, ge=1, description="Most images a worker merges into one forward pass."
    )
    batch_wait_ms: float = Field(
        default=1.0, ge=0, description="How long a worker waits for more requests to batch."
    )
    claim_idle_ms: int = Field(
        default=3000, ge=100, description="Idle time after which a dead worker's entry is taken."
    )
    torch_threads: int = Field(
        default=0, ge=0, description="Torch threads of a generation worker; 0: torch's default."
    )
    model_cache_size: int = Field(
        default=4, ge=1, description="Model versions a generation worker keeps loaded."
    )


def get_settings() -> Settings:
    """The settings as the environment says now (cheap; read afresh so tests can change them)."""
    return Settings()
