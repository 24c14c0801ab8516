"""Generation requests: what each kind of request asks a generator for, defined once.

Every front end builds these objects and nothing else: the CLI and the library through
``latentgan.generate.sample``/``interpolate_images``, the gRPC api through ``services.validation``
(from the protobuf request); the generation queue carries them to the workers
(``services.queue``) and ``latentgan.generate.generation_inputs`` turns them into generator
inputs. A new request kind is one more frozen class here, added to ``GenerationParams``, plus its
handling in ``latentgan.generate`` (mypy points at every place that must handle it).

Each class checks its own values when it is built (a ConfigError naming the field), the checks
that need no model: image and frame counts in range, finite latents. What depends on the model
(latent size, classes) is checked against the generator in ``latentgan.generate``; seeds,
truncation and the interpolation method by the functions of ``latentgan.latent`` that use them.
The api checks its requests first (its per-call limits, every bad field at once, protobuf field
paths), then builds these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, TypeAlias, get_args

import numpy as np

from latentgan.errors import ConfigError
from latentgan.latent import InterpolationMethod

MAX_IMAGES = 1_000_000  # most images one Sample may ask for, whatever the front end
MAX_STEPS = 10_000  # most frames one Interpolate may ask for


def _check_finite(field: str, latents: np.ndarray | None) -> None:
    if latents is not None and not np.isfinite(latents).all():
        raise ConfigError(f"{field} must be finite: found NaN or infinity", field=field)


@dataclass(frozen=True)
class SampleParams:
    """A Sample request: image i is the seeded latent (``seed``, i) for i < ``n``, or row i of
    explicit ``latents`` (then ``n`` is ignored); ``labels`` are none (cycle the classes), one
    for every image, or one per image."""

    kind: ClassVar[str] = "sample"

    n: int = 1
    seed: int = 0
    labels: tuple[int, ...] = ()
    truncation: float = 1.0
    latents: np.ndarray | None = None  # rows × latent_dim float32

    def __post_init__(self) -> None:
        if self.latents is None and not 1 <= self.n <= MAX_IMAGES:
            raise ConfigError(f"n must be in [1, {MAX_IMAGES}], got {self.n}", field="n")
        _check_finite("latents", self.latents)

    @property
    def images(self) -> int:
        """How many images the request makes."""
        return len(self.latents) if self.latents is not None else self.n


@dataclass(frozen=True)
class InterpolateParams:
    """An Interpolate request: ``steps`` frames walking from endpoint a to endpoint b.

    An endpoint is the seeded latent (seed, 0), the image ``SampleParams(1, seed)`` gives, or an
    explicit latent (latent_dim float32). For a conditional model the class embedding walks from
    ``label_a`` to ``label_b`` (both default to 0, and ``label_b`` to ``label_a``).
    """

    kind: ClassVar[str] = "interpolate"

    steps: int = 8
    method: InterpolationMethod = "slerp"
    seed_a: int = 0
    seed_b: int = 1
    latent_a: np.ndarray | None = None
    latent_b: np.ndarray | None = None
    label_a: int | None = None
    label_b: int | None = None
    truncation: float = 1.0

    def __post_init__(self) -> None:
        if not 2 <= self.steps <= MAX_STEPS:
            raise ConfigError(f"steps must be in [2, {MAX_STEPS}], got {self.steps}", field="steps")
        _check_finite("latent_a", self.latent_a)
        _check_finite("latent_b", self.latent_b)

    @property
    def images(self) -> int:
        """How many images (frames) the request makes."""
        return self.steps


GenerationParams: TypeAlias = SampleParams | InterpolateParams
"""Any generation request: what the queue carries and a worker serves."""

KINDS: dict[str, type[GenerationParams]] = {cls.kind: cls for cls in get_args(GenerationParams)}
"""Each request kind's class by its name (``"sample"``, ...), as the queue names it."""
