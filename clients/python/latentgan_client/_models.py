"""The plain result types of latentgan_client: model versions, job snapshots, progress events,
latent directions, projections of real images and their completions.

They are frozen dataclasses built from the wire messages by `_convert`, so callers deal in
Python values (JobState words, datetimes, tuples, numpy arrays) and never in protobuf.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

ImageArray: TypeAlias = npt.NDArray[np.uint8]
"""uint8 images, N x H x W x C (or one H x W x C image)."""

Encoding: TypeAlias = Literal["raw", "png"]
"""How images travel: raw pixels (the default, fastest) or one PNG file each (smaller)."""

Method: TypeAlias = Literal["lerp", "slerp"]
"""The path of an interpolation: a straight line, or the great circle (keeps typical norms)."""

LossName: TypeAlias = Literal["ns", "hinge", "wgan-gp"]
"""The training loss: non-saturating, hinge, or Wasserstein with gradient penalty."""

DirectionMethod: TypeAlias = Literal["sefa", "pca", "attribute", "random"]
"""How directions are found: SeFa (closed form, from the generator's first layer), PCA of the
first block's activations (GANSpace), a linear boundary for a measured attribute (InterFaceGAN),
or seeded random unit vectors (the baseline)."""

ProjectionMethodName: TypeAlias = Literal["auto", "optimize", "encoder"]
"""How project() finds the latents of an image: the version's encoder refined by a few optimiser
steps when it has one, else the optimiser ("auto"); the optimiser alone from the best of several
seeded starts ("optimize"); or one pass of the version's learned encoder ("encoder")."""


class JobState(StrEnum):
    """The state of a training job, as the TypeScript client names it too. A StrEnum, so a state
    is also its lowercase word: `job.state == "succeeded"` and f"{job.state}" keep working."""

    UNSPECIFIED = "unspecified"
    """Only from a broken server (the wire's zero value)."""
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


JOB_STATES = (
    JobState.QUEUED,
    JobState.RUNNING,
    JobState.SUCCEEDED,
    JobState.FAILED,
    JobState.CANCELLED,
)
"""The states a job goes through; the last three are final."""

FINAL_STATES = frozenset(JOB_STATES[2:])


@dataclass(frozen=True)
class ModelInfo:
    """A registered model version: what it is, how it was made, how good it is."""

    name: str
    version: int
    ref: str
    """NAME@VERSION, accepted wherever a model is named."""
    created: datetime
    dataset: str
    image_shape: tuple[int, ...]
    """(H, W, C)."""
    latent_dim: int
    class_names: tuple[str, ...]
    """Empty for an unconditional model."""
    loss: str
    metrics: dict[str, float]
    manifest: dict[str, Any]
    """The version's full manifest.json, for anything not given its own attribute."""
    versions: tuple[int, ...] = ()
    """Every version registered under the name (from get_model; empty from list_models)."""
    problem: str | None = None
    """Set when the version cannot be served (a corrupt manifest, say): what is wrong with it.
    list_models shows such a version with only its name and version beside this; get_model and
    the generation calls of it raise FailedPrecondition."""


@dataclass(frozen=True)
class JobInfo:
    """A snapshot of a training job. `Job` is a live one that can refresh itself."""

    id: str
    request_id: str
    state: JobState
    """One of JOB_STATES (JobState.UNSPECIFIED only from a broken server)."""
    name: str
    dataset: str
    step: int
    total_steps: int
    error: str
    """Why it failed (state "failed" only)."""
    model: str
    """The registered model version, NAME@VERSION (state "succeeded" only)."""
    metrics: dict[str, float]
    created: datetime | None
    started: datetime | None
    finished: datetime | None

    @property
    def done(self) -> bool:
        """Whether the job has reached a final state (succeeded, failed or cancelled)."""
        return self.state in FINAL_STATES


@dataclass(frozen=True)
class ProgressEvent:
    """One event of a watched training job: where it is and, for a progress report, its numbers."""

    state: JobState
    step: int
    total_steps: int
    losses: dict[str, float]
    """Latest losses by name (d, g, gp, ...)."""
    images_per_second: float
    metrics: dict[str, float]
    """Evaluation metrics, when this event reports an evaluation; else empty."""
    sample_grid: ImageArray | None = field(compare=False)
    """The latest sample grid as one H x W x C image, when this event carries one."""
    job: JobInfo
    """The whole job as of this event."""


@dataclass(frozen=True)
class AttributeChangeInfo:
    """How one measured attribute of the images changes along a direction."""

    attribute: str
    """thickness, slant, width, height, area, or class:K (the evaluator's logit for class K)."""
    slope: float
    """Change per standard deviation of the prior along the direction, in the attribute's units."""
    r2: float
    """R² of that straight-line fit."""
    standardized: float
    """The slope in standard deviations of the attribute over unedited samples."""


@dataclass(frozen=True)
class DirectionScoreInfo:
    """A direction's quality, measured on fixed seeded latents when its set was computed."""

    changes: tuple[AttributeChangeInfo, ...]
    top_attribute: str
    """The attribute it moves most (standardized)."""
    entanglement: float
    """RMS standardized change of the other morphology attributes: how much else moves."""
    class_kept: float | None
    """Share of samples that keep their class at -2 and +2 sigma; None without an evaluator."""
    samples: int


@dataclass(frozen=True)
class DirectionInfo:
    """One stored unit direction of a model version's latent space."""

    id: str
    """What edit() takes: KEY:INDEX (sefa:0) for ranked sets, the key for an attribute
    (attribute:thickness)."""
    set_key: str
    """The key of the set it belongs to."""
    method: str
    """sefa, pca, attribute or random."""
    vector: npt.NDArray[np.float32] = field(compare=False)
    """The unit vector, latent_dim float32 values."""
    value: float
    """What its method says of it (see DirectionSetInfo.value_name); NaN for random ones."""
    score: DirectionScoreInfo | None
    """How it scores; None if the server sent no score."""


@dataclass(frozen=True)
class DirectionSetInfo:
    """The directions one method with one set of parameters found for a model version."""

    key: str
    """The method (or attribute:NAME), with its non-default parameters in brackets."""
    method: str
    parameters: dict[str, Any]
    """The parameters that made it (k, samples, seed, attribute, orthogonal_to)."""
    directions: list[DirectionInfo]
    """The most important first."""
    value_name: str
    """What DirectionInfo.value means for this method."""
    created: datetime
    compute_seconds: float
    """Seconds spent finding the directions."""
    score_seconds: float
    """Seconds spent scoring them."""
    created_now: bool = False
    """True if the call that returned it computed it; False if it was stored already."""


@dataclass(frozen=True)
class ProjectionDistances:
    """How close each reconstruction of a projection is to its (fitted) input image."""

    pixel: npt.NDArray[np.float64] = field(compare=False)
    """Per image: mean squared difference of reconstruction and input, in [-1, 1] units."""
    feature: npt.NDArray[np.float64] = field(compare=False)
    """Per image: the distance on the evaluator's feature maps (the offline LPIPS)."""


@dataclass(frozen=True)
class Projection:
    """Real images projected into a model version's latent space: one latent per image, ready to
    pass as `latents` (with `labels`) to sample, interpolate or edit."""

    model: str
    """The version projected into, NAME@VERSION."""
    method: str
    """The method that ran: auto, optimize or encoder ("optimize" when auto found no encoder)."""
    latents: npt.NDArray[np.float32] = field(compare=False)
    """N x latent_dim: row i reproduces image i."""
    labels: npt.NDArray[np.int64] | None = field(compare=False)
    """The class of each image (given, or the evaluator's prediction); None for an unconditional
    model."""
    images: ImageArray = field(compare=False)
    """The reconstructions G(latent), uint8 N x H x W x C at the model's shape."""
    distances: ProjectionDistances
    steps: npt.NDArray[np.int64] = field(compare=False)
    """Per image: the optimiser steps its latent took (0: the encoder's guess as it was)."""


@dataclass(frozen=True)
class Completion:
    """An image's unknown pixels filled in from the latent space (inpainting): k completions,
    best (lowest loss) first, the known pixels exactly those of the fitted input."""

    model: str
    """The version that completed it, NAME@VERSION."""
    images: ImageArray = field(compare=False)
    """The completions, uint8 k x H x W x C at the model's shape."""
    losses: npt.NDArray[np.float64] = field(compare=False)
    """Each completion's loss (context loss plus the discriminator prior), ascending."""
    latents: npt.NDArray[np.float32] = field(compare=False)
    """k x latent_dim: each completion's latent."""
    mask: npt.NDArray[np.bool_] = field(compare=False)
    """The mask used, H x W at the model's size: True where the pixel was known."""
    label: int | None
    """The class completed with (conditional models); None otherwise."""
