"""Shared pieces of the benchmarks: a timed training run that pauses to be evaluated."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from latentgan.config import ModelConfig, TrainConfig
from latentgan.data import ImageDataset
from latentgan.models import Generator
from latentgan.pipeline import fit_model_config
from latentgan.schemas.training import TrainRequest, is_flag
from latentgan.train import train


def cli_configs(flags: list[str], data: ImageDataset) -> tuple[ModelConfig, TrainConfig]:
    """The model and training configs ``latentgan train --dataset ... FLAGS`` would use on data."""
    values: dict[str, object] = {"dataset": data.spec}
    words = iter(flags)
    for word in words:
        name = word.removeprefix("--").replace("-", "_")
        values[name] = True if is_flag(TrainRequest.model_fields[name]) else next(words)
    request = TrainRequest.parse(values)
    return fit_model_config(request.model(), data), request.train()


def time_limit(seconds: float) -> Callable[[], bool]:
    """A ``should_stop`` that answers True once ``seconds`` have passed since it was made."""
    start = time.perf_counter()
    return lambda: time.perf_counter() - start >= seconds


@dataclass
class Checkpoint:
    """A point on a quality-versus-time curve."""

    train_seconds: float
    images_seen: int
    fd: float


def train_for(
    data: ImageDataset,
    model: ModelConfig,
    cfg: TrainConfig,
    run_dir: Path,
    *,
    budget_s: float,
    every_s: float,
    score: Callable[[Generator], float],
    stop_at_fd: float | None = None,
) -> list[Checkpoint]:
    """Train for ``budget_s`` seconds of training time, scoring the generator every ``every_s``.

    Training stops (checkpointing) at each scoring point and resumes exactly, so the time spent
    scoring is not training time. Ends early once the FD reaches ``stop_at_fd``.
    """
    curve: list[Checkpoint] = []
    trained = 0.0
    resume = False
    while trained < budget_s:
        result = train(
            data,
            model,
            cfg,
            run_dir,
            resume=resume,
            should_stop=time_limit(min(every_s, budget_s - trained)),
        )
        resume = True
        trained = result.wall_s
        batch_images = cfg.batch_size * cfg.d_steps
        curve.append(Checkpoint(trained, result.step * batch_images, score(result.generator)))
        if result.finished or (stop_at_fd is not None and curve[-1].fd <= stop_at_fd):
            break
    return curve
