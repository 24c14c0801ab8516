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
MAX_STRENGTHS = 64  # most columns one Edit may ask for
MAX_STRENGTH = 100.0  # largest |strength| of an Edit, in prior standard deviations


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


@dataclass(frozen=True)
class EditParams:
    """An Edit request: latents moved along a direction, a row per latent, a column per strength.

    The latents (rows) are those of ``SampleParams`` — seeded (``seed``, i) for i < ``n``, or
    explicit ``latents`` — or the single latent of ``arithmetic`` = (seed a, seed b, seed c),
    z(a, 0) − z(b, 0) + z(c, 0). Truncation applies to the rows before the edit, so strength 0 is
    the plain sample. Image (row r, column j) is made from ``row_r + strengths[j] · direction``:
    for a unit direction (a stored one) a strength is in standard deviations of the prior along
    it (docs/architecture.md, decision 13). ``labels`` are per row, as for Sample.
    """

    kind: ClassVar[str] = "edit"

    direction: np.ndarray  # (latent_dim,) float32: what one unit of strength adds to a latent
    strengths: tuple[float, ...] = (-3.0, -1.5, 0.0, 1.5, 3.0)
    n: int = 1
    seed: int = 0
    labels: tuple[int, ...] = ()
    truncation: float = 1.0
    latents: np.ndarray | None = None  # rows × latent_dim float32
    arithmetic: tuple[int, int, int] | None = None  # seeds (a, b, c): one row, z_a − z_b + z_c

    def __post_init__(self) -> None:
        if self.latents is None and self.arithmetic is None and not 1 <= self.n <= MAX_IMAGES:
            raise ConfigError(f"n must be in [1, {MAX_IMAGES}], got {self.n}", field="n")
        if self.arithmetic is not None and len(self.arithmetic) != 3:
            raise ConfigError("arithmetic takes three seeds: a − b + c", field="arithmetic")
        if not 1 <= len(self.strengths) <= MAX_STRENGTHS:
            raise ConfigError(
                f"give 1 to {MAX_STRENGTHS} strengths, got {len(self.strengths)}",
                field="strengths",
            )
        bad = [s for s in self.strengths if not abs(s) <= MAX_STRENGTH]  # also catches NaN
        if bad:
            raise ConfigError(
                f"strength {bad[0]} is not a number in [-{MAX_STRENGTH:g}, {MAX_STRENGTH:g}]",
                field="strengths",
            )
        if self.direction.ndim != 1:
            raise ConfigError("direction must be one vector", field="direction")
        _check_finite("direction", self.direction)
        _check_finite("latents", self.latents)
        if self.rows * len(self.strengths) > MAX_IMAGES:
            raise ConfigError(f"an edit may make at most {MAX_IMAGES} images", field="n")

    @property
    def rows(self) -> int:
        """How many latents are edited (the grid's rows)."""
        if self.latents is not None:
            return len(self.latents)
        return 1 if self.arithmetic is not None else self.n

    @property
    def images(self) -> int:
        """How many images the request makes: rows × strengths."""
        return self.rows * len(self.strengths)


GenerationParams: TypeAlias = SampleParams | InterpolateParams | EditParams
"""Any generation request: what the queue carries and a worker serves."""

KINDS: dict[str, type[GenerationParams]] = {cls.kind: cls for cls in get_args(GenerationParams)}
"""Each request kind's class by its name (``"sample"``, ...), as the queue names it."""
