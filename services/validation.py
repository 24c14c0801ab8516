"""Validation of generation and direction requests: every field checked, every problem named.

Turns the protobuf requests of Sample, Interpolate and Edit into the core's parameter objects
(``latentgan.schemas.generation``, which the queue carries to the workers), those of Project and
Complete into plans that make ``latentgan.schemas.projection`` parameters once the model's shape
is known (images decoded here, with their sizes bounded before any pixel is decoded, then fitted
by ``latentgan.projection.fit``), and those of ComputeDirections into a ``DirectionRequest``, or
raises InvalidRequestError listing each offending field by its path in the request (``n``,
``latents.values``, ``start.label``, ``images.png[2]``, ...) — the api sends these as
google.rpc.BadRequest details. Checks that need the model (latent size, classes) run after the
model is resolved, in ``check_against_model``. An Edit's direction may
name directions stored with the model, so validation returns it as a ``DirectionSpec`` that the
api resolves to a vector once it knows the version (``EditPlan.params``).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import assert_never, cast

import numpy as np
from PIL import Image

from latentgan.artifacts import Manifest
from latentgan.config import ModelConfig
from latentgan.errors import ConfigError, shown
from latentgan.projection.complete import DEFAULT_STEPS as COMPLETE_STEPS
from latentgan.projection.complete import MASKS, preset_mask
from latentgan.projection.fit import fit_images, fit_mask
from latentgan.projection.project import least_steps
from latentgan.schemas.directions import DEFAULT_K, DirectionRequest
from latentgan.schemas.generation import (
    MAX_STRENGTH,
    MAX_STRENGTHS,
    EditParams,
    GenerationParams,
    InterpolateParams,
    SampleParams,
)
from latentgan.schemas.projection import (
    CompleteParams,
    ProjectionMethod,
    ProjectionParams,
    ProjectParams,
)
from latentgan_client.v1 import latentgan_pb2 as pb
from services.settings import ServingSettings

MODEL_REF = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]{0,63})(@(?P<version>\d{1,9}|latest))?$"
)
METHODS = {
    pb.INTERPOLATION_METHOD_UNSPECIFIED: "slerp",
    pb.INTERPOLATION_METHOD_SLERP: "slerp",
    pb.INTERPOLATION_METHOD_LERP: "lerp",
}
DIRECTION_METHODS = {
    pb.DIRECTION_METHOD_UNSPECIFIED: "sefa",
    pb.DIRECTION_METHOD_SEFA: "sefa",
    pb.DIRECTION_METHOD_PCA: "pca",
    pb.DIRECTION_METHOD_ATTRIBUTE: "attribute",
    pb.DIRECTION_METHOD_RANDOM: "random",
}
PROJECTION_METHODS: dict[pb.ProjectionMethod.ValueType, ProjectionMethod] = {
    pb.PROJECTION_METHOD_UNSPECIFIED: "auto",
    pb.PROJECTION_METHOD_AUTO: "auto",
    pb.PROJECTION_METHOD_OPTIMIZE: "optimize",
    pb.PROJECTION_METHOD_ENCODER: "encoder",
}
PROJECTION_METHOD_NUMBERS: dict[str, pb.ProjectionMethod.ValueType] = {
    name: number for number, name in PROJECTION_METHODS.items() if number
}
ENCODINGS = (pb.IMAGE_ENCODING_UNSPECIFIED, pb.IMAGE_ENCODING_RAW, pb.IMAGE_ENCODING_PNG)
MAX_LABEL = 1_000_000
MAX_LABELS = 1024  # labels of a request whose row count is itself invalid: beyond, not read
MAX_MIX = 64  # most directions one Edit's mix may weigh
MAX_ID = 256  # longest direction id accepted
MAX_NAME = 64  # longest model name (as latentgan.artifacts.NAME_PATTERN allows), in filters too
MAX_ORTHOGONAL = 64  # most direction ids a ComputeDirections may be made orthogonal to
MAX_PRESET = 64  # longest mask preset name (random:P included)
DEFAULT_STRENGTHS: tuple[float, ...] = EditParams.strengths  # the core's default, defined there
_RANGE = f"[-{MAX_STRENGTH:g}, {MAX_STRENGTH:g}]"


@dataclass(frozen=True)
class FieldViolation:
    """One bad field: its path in the request and what is wrong with it."""

    field: str
    description: str


class InvalidRequestError(Exception):
    """A request with one or more bad fields."""

    def __init__(self, violations: list[FieldViolation]) -> None:
        super().__init__("; ".join(f"{v.field}: {v.description}" for v in violations))
        self.violations = violations


@dataclass
class Checker:
    """Collects violations so that one answer names every bad field, not just the first."""

    violations: list[FieldViolation] = field(default_factory=list)

    def fail(self, path: str, description: str) -> None:
        """Record that ``path`` is invalid."""
        self.violations.append(FieldViolation(path, description))

    def raise_if_any(self) -> None:
        """InvalidRequestError if anything failed."""
        if self.violations:
            raise InvalidRequestError(self.violations)


def bounded_text(check: Checker, path: str, value: str, limit: int) -> bool:
    """Whether ``value`` has at most ``limit`` characters; a violation naming ``path`` if not."""
    if len(value) <= limit:
        return True
    check.fail(path, f"has at most {limit} characters, got {len(value)}")
    return False


def name_filter(name: str) -> str:
    """A model-name filter (ListModels, ListTrainJobs): empty or at most MAX_NAME characters;
    InvalidRequestError naming ``name`` otherwise."""
    check = Checker()
    bounded_text(check, "name", name, MAX_NAME)
    check.raise_if_any()
    return name


def model_ref(check: Checker, model: str, version: int) -> str:
    """``NAME`` or ``NAME@VERSION`` for the artifact store, from the request's two fields."""
    match = MODEL_REF.match(model)
    if not model:
        check.fail("model", "required: the model's name, or NAME@VERSION")
        return ""
    if not match:
        check.fail("model", f"{shown(model)} is not NAME or NAME@VERSION (letters, digits, . _ -)")
        return ""
    named = match["version"]
    if version and named not in (None, "latest") and int(named) != version:
        check.fail("version", f"{version} contradicts the version in model {shown(model)}")
    if version:
        return f"{match['name']}@{version}"
    return model


def _truncation(check: Checker, path: str, present: bool, value: float) -> float:
    if not present:
        return 1.0
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        check.fail(path, f"must be in [0, 1], got {value}")
        return 1.0
    return float(value)


def _encoding(check: Checker, value: int) -> None:
    if value not in ENCODINGS:
        check.fail("encoding", f"unknown image encoding {value}")


def _latents(check: Checker, path: str, batch: pb.LatentBatch, max_rows: int) -> np.ndarray:
    """The rows × dim float32 matrix of a LatentBatch (empty on error)."""
    values = np.asarray(batch.values, dtype=np.float32)
    if batch.dim == 0:
        check.fail(f"{path}.dim", "required: the length of each latent vector")
    elif len(values) == 0 or len(values) % batch.dim:
        check.fail(f"{path}.values", f"need rows × {batch.dim} values, got {len(values)}")
    elif len(values) // batch.dim > max_rows:
        check.fail(path, f"at most {max_rows} vectors per call, got {len(values) // batch.dim}")
    elif not np.isfinite(values).all():
        check.fail(f"{path}.values", "contains NaN or infinity")
    else:
        return values.reshape(-1, batch.dim)
    return np.zeros((0, max(batch.dim, 1)), np.float32)


def _labels(check: Checker, labels: Sequence[int], rows: int) -> tuple[int, ...]:
    """The labels of ``rows`` latents: none, one for all, or one each, each a class number."""
    if len(labels) not in (0, 1, rows) and (rows or len(labels) > MAX_LABELS):
        check.fail("labels", f"got {len(labels)} labels for {rows} latents: give none, 1 or {rows}")
        return ()
    for label in labels:
        if not 0 <= label <= MAX_LABEL:
            check.fail("labels", f"label {label} is not a class number")
            break
    return tuple(labels)


def _rows(
    check: Checker, request: pb.SampleRequest | pb.EditRequest, limit: int
) -> tuple[int, np.ndarray | None, tuple[int, ...]]:
    """The row count, explicit latents (or None) and labels of a request whose rows come from a
    seed (``n`` of them), from ``latents``, or (Edit) from one latent ``arithmetic``."""
    latents = None
    n = request.n
    source = request.WhichOneof("source")
    if source == "latents":
        latents = _latents(check, "latents", request.latents, limit)
        if n and len(latents) and n != len(latents):
            check.fail("n", f"is {n} but latents has {len(latents)} rows: give 0 or the row count")
        n = len(latents)
    elif source == "arithmetic":
        if n > 1:
            check.fail("n", f"is {n} but arithmetic makes one row: give 0 or 1")
        n = 1
    elif not 1 <= n <= limit:
        check.fail("n", f"must be in [1, {limit}], got {n}")
    return n, latents, _labels(check, request.labels, n)


def sample_params(request: pb.SampleRequest, settings: ServingSettings) -> tuple[str, SampleParams]:
    """The model reference and parameters of a Sample request; InvalidRequestError if bad."""
    check = Checker()
    ref = model_ref(check, request.model, request.version)
    n, latents, labels = _rows(check, request, settings.max_samples)
    truncation = _truncation(
        check, "truncation", request.HasField("truncation"), request.truncation
    )
    _encoding(check, request.encoding)
    check.raise_if_any()
    return ref, SampleParams(n, request.seed, labels, truncation, latents)


def _endpoint(
    check: Checker, path: str, end: pb.InterpolationEndpoint
) -> tuple[int, np.ndarray | None, int | None]:
    latent = None
    if end.WhichOneof("point") == "latent":
        rows = _latents(check, f"{path}.latent", end.latent, 1)
        latent = rows[0] if len(rows) else None
    label = end.label if end.HasField("label") else None
    if label is not None and not 0 <= label <= MAX_LABEL:
        check.fail(f"{path}.label", f"label {label} is not a class number")
    return end.seed, latent, label


def interpolate_params(
    request: pb.InterpolateRequest, settings: ServingSettings
) -> tuple[str, InterpolateParams]:
    """The model reference and parameters of an Interpolate request; InvalidRequestError if bad."""
    check = Checker()
    ref = model_ref(check, request.model, request.version)
    if not 2 <= request.steps <= settings.max_steps:
        check.fail("steps", f"must be in [2, {settings.max_steps}], got {request.steps}")
    method = METHODS.get(request.method)
    if method is None:
        check.fail("method", f"unknown interpolation method {request.method}")
    seed_a, latent_a, label_a = _endpoint(check, "start", request.start)
    seed_b, latent_b, label_b = _endpoint(check, "end", request.end)
    truncation = _truncation(
        check, "truncation", request.HasField("truncation"), request.truncation
    )
    _encoding(check, request.encoding)
    check.raise_if_any()
    params = InterpolateParams(
        steps=request.steps,
        method="lerp" if method == "lerp" else "slerp",
        seed_a=seed_a,
        seed_b=seed_b,
        latent_a=latent_a,
        latent_b=latent_b,
        label_a=label_a,
        label_b=label_b,
        truncation=truncation,
    )
    return ref, params


@dataclass(frozen=True)
class DirectionSpec:
    """What an Edit moves along, as the request says it: stored directions by id with weights
    (one id is weight 1), resolved by the api against the version's sets, or an explicit vector.
    ``path`` is the request field to name when an id is not found."""

    path: str  # "direction_id", "mix.weights" or "vector"
    weights: Mapping[str, float] = field(default_factory=dict)
    vector: np.ndarray | None = None  # (dim,) float32, used as given


@dataclass(frozen=True)
class EditPlan:
    """A valid Edit request but for its direction: ``params`` makes the EditParams once the api
    has resolved ``direction`` to a vector."""

    direction: DirectionSpec
    strengths: tuple[float, ...]
    n: int
    seed: int
    labels: tuple[int, ...]
    truncation: float
    latents: np.ndarray | None
    arithmetic: tuple[int, int, int] | None

    def params(self, direction: np.ndarray) -> EditParams:
        """The Edit's parameters, moving along ``direction`` ((latent_dim,) float32)."""
        return EditParams(
            direction=direction,
            strengths=self.strengths,
            n=self.n,
            seed=self.seed,
            labels=self.labels,
            truncation=self.truncation,
            latents=self.latents,
            arithmetic=self.arithmetic,
        )


def _strengths(check: Checker, values: Sequence[float]) -> tuple[float, ...]:
    if not values:
        return DEFAULT_STRENGTHS
    if len(values) > MAX_STRENGTHS:
        check.fail("strengths", f"at most {MAX_STRENGTHS} strengths, got {len(values)}")
    bad = [s for s in values if not abs(s) <= MAX_STRENGTH]  # also catches NaN
    if bad:
        check.fail("strengths", f"strength {bad[0]} is not a number in {_RANGE}")
    return tuple(float(s) for s in values)


def _direction(check: Checker, request: pb.EditRequest) -> DirectionSpec:
    which = request.WhichOneof("direction")
    if which == "vector":
        rows = _latents(check, "vector", request.vector, 1)
        return DirectionSpec("vector", vector=rows[0] if len(rows) else None)
    if which == "mix":
        weights = dict(request.mix.weights)
        if not weights:
            check.fail("mix.weights", "required: direction ids and their weights")
        elif len(weights) > MAX_MIX:
            check.fail("mix.weights", f"at most {MAX_MIX} directions, got {len(weights)}")
        elif not all(0 < len(i) <= MAX_ID for i in weights):
            check.fail("mix.weights", f"a direction id must have 1 to {MAX_ID} characters")
        elif not all(abs(w) <= MAX_STRENGTH for w in weights.values()):
            check.fail("mix.weights", f"each weight must be a number in {_RANGE}")
        return DirectionSpec("mix.weights", weights=weights)
    if which is None:
        check.fail("direction_id", "required: a direction id, a mix or a vector")
    elif not request.direction_id:
        check.fail("direction_id", "required: a direction id, e.g. sefa:0")
    elif len(request.direction_id) > MAX_ID:
        check.fail("direction_id", f"a direction id has at most {MAX_ID} characters")
    return DirectionSpec("direction_id", weights={request.direction_id: 1.0})


def edit_params(request: pb.EditRequest, settings: ServingSettings) -> tuple[str, EditPlan]:
    """The model reference and the parameters of an Edit request, its direction still to be
    resolved against the model's sets; InvalidRequestError if bad."""
    check = Checker()
    ref = model_ref(check, request.model, request.version)
    limit = settings.max_samples
    rows, latents, labels = _rows(check, request, limit)
    arithmetic = None
    if request.WhichOneof("source") == "arithmetic":
        a = request.arithmetic
        arithmetic = (a.seed_a, a.seed_b, a.seed_c)
    strengths = _strengths(check, request.strengths)
    images = rows * len(strengths)
    if 0 < rows <= limit and len(strengths) <= MAX_STRENGTHS and images > limit:
        path = "strengths" if rows == 1 else "latents" if latents is not None else "n"
        check.fail(path, f"{rows} rows × {len(strengths)} strengths: {images} images, over {limit}")
    truncation = _truncation(
        check, "truncation", request.HasField("truncation"), request.truncation
    )
    _encoding(check, request.encoding)
    spec = _direction(check, request)
    check.raise_if_any()
    plan = EditPlan(spec, strengths, rows, request.seed, labels, truncation, latents, arithmetic)
    return ref, plan


def _image_array(image: Image.Image) -> np.ndarray:
    """A decoded image as uint8 H×W×C with the channels ``projection.fit`` takes (1, 3 or 4)."""
    if "A" in image.mode or "transparency" in image.info:
        image = image.convert("RGBA")
    elif image.mode not in ("L", "RGB"):
        image = image.convert("L" if image.mode in ("1", "I", "I;16", "F") else "RGB")
    pixels = np.asarray(image, dtype=np.uint8)
    return pixels[..., None] if pixels.ndim == 2 else pixels


def _png(check: Checker, path: str, data: bytes, max_side: int) -> np.ndarray | None:
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            if max(image.size) > max_side or min(image.size) < 1:
                check.fail(path, f"is {image.size[0]}×{image.size[1]}: sides must be 1..{max_side}")
                return None
            image.load()
            return _image_array(image)
    except (OSError, ValueError, Image.DecompressionBombError):
        check.fail(path, "is not a readable PNG file")
        return None


def _images(
    check: Checker, path: str, batch: pb.ImageBatch, limit: int, max_side: int
) -> list[np.ndarray]:
    """The images of an ImageBatch sent to the api, each uint8 H×W×C (C in 1, 3, 4): raw with one
    shape for all, or PNG files each of its own size (``shape`` [N] or [N, 0, 0, 0] or exact)."""
    shape = list(batch.shape)
    if batch.encoding == pb.IMAGE_ENCODING_PNG:
        n = len(batch.png)
        if n == 0:
            check.fail(f"{path}.png", "required: at least one PNG file")
        elif n > limit:
            check.fail(path, f"at most {limit} images per call, got {n}")
        elif shape and shape[0] != n:
            check.fail(f"{path}.shape", f"says {shape[0]} images but png has {n}")
        else:
            decoded = [
                _png(check, f"{path}.png[{i}]", d, max_side) for i, d in enumerate(batch.png)
            ]
            return [x for x in decoded if x is not None]
        return []
    if batch.encoding not in ENCODINGS:
        check.fail(f"{path}.encoding", f"unknown image encoding {batch.encoding}")
        return []
    if len(shape) != 4:
        check.fail(f"{path}.shape", f"required: [N, H, W, C] of the raw pixels, got {shape}")
    elif not 1 <= shape[0] <= limit:
        check.fail(f"{path}.shape", f"N must be in [1, {limit}], got {shape[0]}")
    elif not (1 <= shape[1] <= max_side and 1 <= shape[2] <= max_side):
        check.fail(f"{path}.shape", f"H and W must be in [1, {max_side}], got {shape[1:3]}")
    elif shape[3] not in (1, 3, 4):
        check.fail(f"{path}.shape", f"C must be 1, 3 or 4 channels, got {shape[3]}")
    elif len(batch.data) != math.prod(shape):
        check.fail(
            f"{path}.data",
            f"need {math.prod(shape)} bytes for shape {shape}, got {len(batch.data)}",
        )
    else:
        return list(np.frombuffer(batch.data, np.uint8).reshape(shape))
    return []


def _steps(check: Checker, present: bool, value: int, limit: int, low: int = 0) -> int | None:
    if not present:
        return None
    if not low <= value <= limit:
        check.fail("steps", f"must be in [{low}, {limit}], got {value}")
    return int(value)


def _fitted(fields: Mapping[str, str], make: Callable[[], ProjectionParams]) -> ProjectionParams:
    """``make()``, its ConfigError as InvalidRequestError naming the request's field."""
    try:
        return make()
    except ConfigError as e:
        path = fields.get(e.field or "", e.field or "images")
        raise InvalidRequestError([FieldViolation(path, str(e))]) from e


@dataclass(frozen=True)
class ProjectPlan:
    """A valid Project request, its images decoded; ``params`` fits them to the model."""

    images: list[np.ndarray]
    labels: tuple[int, ...]
    method: ProjectionMethod
    steps: int | None
    seed: int

    @property
    def least_steps(self) -> int:
        """The fewest optimiser steps serving it takes (for the deadline)."""
        return least_steps(self.method, self.steps)

    def params(self, cfg: ModelConfig) -> ProjectParams:
        """The queued parameters for a model of config ``cfg``."""

        def make() -> ProjectParams:
            targets = fit_images(self.images, cfg, field="images").numpy()
            return ProjectParams(targets, self.labels, self.method, self.steps, self.seed)

        return cast(ProjectParams, _fitted({}, make))


def project_request(
    request: pb.ProjectRequest, settings: ServingSettings
) -> tuple[str, ProjectPlan]:
    """The model reference and plan of a Project request; InvalidRequestError naming every bad
    field."""
    check = Checker()
    ref = model_ref(check, request.model, request.version)
    images = _images(
        check, "images", request.images, settings.max_project_images, settings.max_image_side
    )
    labels = _labels(check, request.labels, len(images) or len(request.labels))
    method = PROJECTION_METHODS.get(request.method)
    if method is None:
        check.fail("method", f"unknown projection method {request.method}")
    steps = _steps(check, request.HasField("steps"), request.steps, settings.max_projection_steps)
    _encoding(check, request.encoding)
    check.raise_if_any()
    assert method is not None
    return ref, ProjectPlan(images, labels, method, steps, request.seed)


@dataclass(frozen=True)
class CompletePlan:
    """A valid Complete request, its image (and mask image) decoded; ``params`` fits them."""

    image: np.ndarray
    mask: str | np.ndarray  # a preset's name, or a mask image
    k: int
    steps: int | None
    label: int | None
    seed: int

    @property
    def least_steps(self) -> int:
        """The optimiser steps serving it takes (for the deadline)."""
        return COMPLETE_STEPS if self.steps is None else self.steps

    def params(self, cfg: ModelConfig) -> CompleteParams:
        """The queued parameters for a model of config ``cfg``."""
        mask_field = "mask_preset" if isinstance(self.mask, str) else "mask_image"

        def make() -> CompleteParams:
            target = fit_images([self.image], cfg, field="image").numpy()
            if isinstance(self.mask, str):  # a preset, never a path on this machine
                known = preset_mask(self.mask, cfg.image_size, self.seed)
            else:
                known = fit_mask(self.mask, cfg, self.seed)
            known = known.astype(np.float32)
            return CompleteParams(target, known, self.k, self.steps, self.label, self.seed)

        return cast(CompleteParams, _fitted({"mask": mask_field}, make))


def complete_request(
    request: pb.CompleteRequest, settings: ServingSettings
) -> tuple[str, CompletePlan]:
    """The model reference and plan of a Complete request; InvalidRequestError naming every bad
    field."""
    check = Checker()
    ref = model_ref(check, request.model, request.version)
    images = _images(check, "image", request.image, 1, settings.max_image_side)
    mask: str | np.ndarray = ""
    which = request.WhichOneof("mask")
    if which == "mask_preset":
        mask = request.mask_preset
        known = mask in MASKS or mask.startswith("random:")
        if bounded_text(check, "mask_preset", mask, MAX_PRESET) and not known:
            names = ", ".join([*MASKS, "random:P"])
            check.fail("mask_preset", f"unknown mask {shown(mask)}: use one of {names}")
    elif which == "mask_image":
        masks = _images(check, "mask_image", request.mask_image, 1, settings.max_image_side)
        mask = masks[0] if masks else ""
    else:
        check.fail("mask_preset", "required: a mask preset (center, left, ...) or a mask_image")
    k = request.k or 4
    if not 1 <= k <= settings.max_completions:
        check.fail("k", f"must be in [1, {settings.max_completions}], got {k}")
    steps = _steps(
        check, request.HasField("steps"), request.steps, settings.max_projection_steps, low=1
    )
    label = request.label if request.HasField("label") else None
    if label is not None and not 0 <= label <= MAX_LABEL:
        check.fail("label", f"label {label} is not a class number")
    _encoding(check, request.encoding)
    check.raise_if_any()
    plan = CompletePlan(images[0], mask, k, steps, label, request.seed)
    return ref, plan


def compute_directions_request(
    request: pb.ComputeDirectionsRequest,
) -> tuple[str, DirectionRequest]:
    """The model reference and the DirectionRequest of a ComputeDirections request (0 means the
    default of k and samples); InvalidRequestError naming each bad field."""
    check = Checker()
    ref = model_ref(check, request.model, request.version)
    method = DIRECTION_METHODS.get(request.method)
    wanted = None
    bounds = Checker()
    bounded_text(bounds, "attribute", request.attribute, MAX_NAME)
    if len(request.orthogonal_to) > MAX_ORTHOGONAL:
        bounds.fail(
            "orthogonal_to", f"at most {MAX_ORTHOGONAL} ids, got {len(request.orthogonal_to)}"
        )
    elif not all(0 < len(i) <= MAX_ID for i in request.orthogonal_to):
        bounds.fail("orthogonal_to", f"a direction id must have 1 to {MAX_ID} characters")
    check.violations += bounds.violations
    if method is None:
        check.fail("method", f"unknown direction method {request.method}")
    elif not bounds.violations:
        try:
            wanted = DirectionRequest(
                method,
                k=request.k or DEFAULT_K,
                samples=request.samples or None,
                seed=request.seed,
                attribute=request.attribute or None,
                orthogonal_to=tuple(request.orthogonal_to),
            )
        except ConfigError as e:
            check.fail(e.field or "method", str(e))
    check.raise_if_any()
    assert wanted is not None
    return ref, wanted


def check_against_model(manifest: Manifest, params: GenerationParams | ProjectionParams) -> None:
    """InvalidRequestError if the parameters do not fit this model (latent size, classes)."""
    check = Checker()
    dim = manifest.model_config.latent_dim
    k = manifest.model_config.num_classes

    def latent(path: str, z: np.ndarray | None) -> None:
        if z is not None and z.shape[-1] != dim:
            check.fail(path, f"model {manifest.ref} has latent size {dim}, got {z.shape[-1]}")

    def label(path: str, y: int | None) -> None:
        if y is None:
            return
        if k == 0:
            check.fail(path, f"model {manifest.ref} is unconditional: it takes no labels")
        elif y >= k:
            check.fail(path, f"label {y} out of range: model {manifest.ref} has classes 0..{k - 1}")

    if isinstance(params, SampleParams | EditParams):
        latent("latents.dim", params.latents)
        if isinstance(params, EditParams):
            latent("vector.dim", params.direction)
        for y in params.labels:
            label("labels", y)
            if check.violations:
                break
    elif isinstance(params, ProjectParams):
        for y in params.labels:
            label("labels", y)
            if check.violations:
                break
    elif isinstance(params, CompleteParams):
        label("label", params.label)
    elif isinstance(params, InterpolateParams):
        latent("start.latent.dim", params.latent_a)
        latent("end.latent.dim", params.latent_b)
        label("start.label", params.label_a)
        label("end.label", params.label_b)
    else:
        assert_never(params)
    check.raise_if_any()
