"""Projection and completion requests: real images into the latent space, defined once.

The queue carries these to the generation workers beside the generation kinds
(``latentgan.schemas.generation``), and ``latentgan.projection.requests`` serves them. Unlike a
generation request they carry images, already fitted to the model's shape by the one rule of
``latentgan.projection.fit`` (the api fits them once it knows the version), as float32 in
[-1, 1]; a mask travels as float32 0/1 because the queue carries float32 arrays only.

Each class checks what needs no model (counts, ranges, finite values); what depends on the model
(the image shape, classes, whether the version has an encoder) is checked when served.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal, TypeAlias, get_args

import numpy as np

from latentgan.errors import ConfigError, shown

ProjectionMethod = Literal["auto", "optimize", "encoder"]
METHODS: tuple[str, ...] = get_args(ProjectionMethod)
MAX_STEPS = 5000  # most optimiser steps any front end may ask for
MAX_COMPLETIONS = 64  # most completions one Complete may return


def _check_steps(steps: int | None) -> None:
    if steps is not None and not 0 <= steps <= MAX_STEPS:
        raise ConfigError(f"steps must be in [0, {MAX_STEPS}], got {steps}", field="steps")


def _check_images(field: str, images: np.ndarray, ndim: int) -> None:
    if images.ndim != ndim or len(images) == 0:
        raise ConfigError(f"{field} must be a non-empty {ndim}-d array", field=field)
    if not np.isfinite(images).all():
        raise ConfigError(f"{field} must be finite: found NaN or infinity", field=field)


@dataclass(frozen=True)
class ProjectParams:
    """A Project request: latents that reproduce ``targets`` (N×C×H×W float32 in [-1, 1], at the
    model's shape). ``labels`` are none (the evaluator's prediction), one for all, or one per
    image; ``steps`` None is the method's default (``latentgan.projection.project``)."""

    kind: ClassVar[str] = "project"

    targets: np.ndarray
    labels: tuple[int, ...] = ()
    method: ProjectionMethod = "auto"
    steps: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        _check_images("images", self.targets, 4)
        if self.method not in METHODS:
            raise ConfigError(
                f"unknown method {shown(self.method)}: use one of {', '.join(METHODS)}",
                field="method",
            )
        _check_steps(self.steps)

    @property
    def images(self) -> int:
        """How many images the request projects."""
        return len(self.targets)


@dataclass(frozen=True)
class CompleteParams:
    """A Complete request: the ``k`` best completions of ``target`` (1×C×H×W float32 in [-1, 1]
    at the model's shape) where ``known`` (H×W, 1 known, 0 unknown) is 0. ``label`` None is the
    evaluator's prediction for the masked input (conditional models); ``steps`` None: 200."""

    kind: ClassVar[str] = "complete"

    target: np.ndarray
    known: np.ndarray
    k: int = 4
    steps: int | None = None
    label: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        _check_images("image", self.target, 4)
        if len(self.target) != 1:
            raise ConfigError(f"give exactly one image, got {len(self.target)}", field="image")
        if self.known.ndim != 2 or not np.isin(self.known, (0.0, 1.0)).all():
            raise ConfigError("the mask must be one H×W array of 0 and 1", field="mask")
        if not self.known.any():
            raise ConfigError("the mask has no known pixel: nothing to complete from", field="mask")
        if self.known.all():
            raise ConfigError("the mask has no unknown pixel: nothing to complete", field="mask")
        if not 1 <= self.k <= MAX_COMPLETIONS:
            raise ConfigError(f"k must be in [1, {MAX_COMPLETIONS}], got {self.k}", field="k")
        _check_steps(self.steps)

    @property
    def images(self) -> int:
        """How many images the request returns."""
        return self.k


ProjectionParams: TypeAlias = ProjectParams | CompleteParams
"""Any request answered by optimising latents against images."""
