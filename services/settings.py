"""Settings of the serving layer: the gRPC api and the generation workers (prefix ``LATENTGAN_``).

The core's settings (data dir, offline, device, threads) plus what only serving needs: where Redis
is, where the api listens and how it is secured, per-call limits and batching. ``serve``,
``worker`` and ``up`` read them once at start and pass them to what they run.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from latentgan.settings import Settings

GENERATION_WORKERS = 2
"""Generation workers `serve` and `up` start by default. Two by measurement (benchmarks.hot_path,
2 cores): two one-thread workers served ~15x the images/s of one two-thread worker whenever
anything else wanted a core (its OpenMP threads then wait for one at every layer), at +0.3 ms on
a lone Sample(n=1)."""


class ServingSettings(Settings):
    """The environment of an api or generation-worker process."""

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
    tls_client_ca: Path | None = Field(
        default=None,
        description="PEM CA bundle: with tls_cert, every client must show a certificate it signed "
        "(mutual TLS).",
    )
    insecure: bool = Field(
        default=False,
        description="Allow listening on a non-loopback address with neither auth_token nor mutual "
        "TLS (`--insecure`).",
    )
    max_samples: int = Field(default=256, ge=1, description="Most images one Sample may ask for.")
    max_steps: int = Field(default=256, ge=2, description="Most frames per Interpolate.")
    max_message_bytes: int = Field(
        default=64 * 1024 * 1024, ge=1024, description="Largest gRPC message in or out."
    )
    request_timeout: float = Field(
        default=30.0, gt=0, description="Deadline (s) of a generation request without its own."
    )
    max_project_images: int = Field(
        default=64, ge=1, description="Most images one Project may send."
    )
    max_projection_steps: int = Field(
        default=1000, ge=1, le=5000, description="Most optimiser steps per Project or Complete."
    )
    max_completions: int = Field(default=16, ge=1, le=64, description="Largest k of a Complete.")
    max_image_side: int = Field(
        default=1024, ge=8, description="Longest side of an image sent to Project or Complete."
    )
    projection_timeout: float = Field(
        default=120.0, gt=0, description="Longest deadline (s) of a Project or Complete."
    )
    projection_step_ms: float = Field(
        default=0.5,
        ge=0,
        description="Least time (ms) one optimiser step takes: a Project or Complete whose "
        "deadline leaves less than steps × this is refused at once (DEADLINE_EXCEEDED).",
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
    worker_nice: int = Field(
        default=5,
        ge=0,
        le=19,
        description="CPU niceness a generation worker gives itself, so that on a shared machine "
        "the api (admission, refusals, health) runs first when the cores are busy "
        "(benchmarks.overload: refusals p99 46 ms, against 69 ms at 0).",
    )
    model_cache_size: int = Field(
        default=4, ge=1, description="Model versions a generation worker keeps loaded."
    )
    max_inflight_images: int = Field(
        default=4096,
        ge=1,
        description="Images the requests this api process has queued or running may ask for "
        "together; beyond, a request is refused at once (RESOURCE_EXHAUSTED).",
    )
    client_max_inflight_images: int = Field(
        default=512,
        ge=1,
        description="The same bound for one client (one connection), so that one client's "
        "flood cannot starve the others; a client with nothing in flight is always admitted. "
        "By default a full forward pass (batch_max_images) for each of the default two "
        "workers: one client can keep both busy, and a second one waits behind at most that "
        "much of the first one's work (benchmarks.overload, fairness).",
    )
    dataset_roots: str = Field(
        default="",
        description="Folders (separated by ':') under which a remote Train may name a data set "
        "path; empty: built-in names only. The local CLI is not limited.",
    )
    # Training over the api: where Train jobs go (flows.jobs submits them; PREFECT_API_URL says
    # where Prefect is).
    train_pool: str = Field(
        default="auto",
        pattern=r"^(auto|gpu|cpu)$",
        description="Work pool of Train jobs: auto (gpu when it has a live worker), gpu or cpu.",
    )

    @property
    def dataset_root_paths(self) -> tuple[Path, ...]:
        """``dataset_roots`` as paths (empty entries left out)."""
        return tuple(Path(p).expanduser() for p in self.dataset_roots.split(":") if p.strip())


def get_serving_settings() -> ServingSettings:
    """The serving settings as the environment says now (read once by each entry point)."""
    return ServingSettings()
