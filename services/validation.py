"""Validation of generation requests: every field checked, every problem named.

Turns the protobuf requests of Sample and Interpolate into the core's parameter objects
(``latentgan.schemas.generation``, which the queue carries to the workers), or raises
InvalidRequestError listing each offending field by its path in the request (``n``,
``latents.values``, ``start.label``, ...) — the api sends these as google.rpc.BadRequest details.
Checks that need the model (latent size, classes) run after the model is resolved, in
``check_against_model``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import assert_never

import numpy as np

from latentgan.artifacts import Manifest
from latentgan.schemas.generation import GenerationParams, InterpolateParams, SampleParams
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
ENCODINGS = (pb.IMAGE_ENCODING_UNSPECIFIED, pb.IMAGE_ENCODING_RAW, pb.IMAGE_ENCODING_PNG)
MAX_LABEL = 1_000_000


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


def model_ref(check: Checker, model: str, version: int) -> str:
    """``NAME`` or ``NAME@VERSION`` for the artifact store, from the request's two fields."""
    match = MODEL_REF.match(model)
    if not model:
        check.fail("model", "required: the model's name, or NAME@VERSION")
        return ""
    if not match:
        check.fail("model", f"{model!r} is not NAME or NAME@VERSION (letters, digits, . _ -)")
        return ""
    named = match["version"]
    if version and named not in (None, "latest") and int(named) != version:
        check.fail("version", f"{version} contradicts the version in model {model!r}")
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


def sample_params(request: pb.SampleRequest, settings: ServingSettings) -> tuple[str, SampleParams]:
    """The model reference and parameters of a Sample request; InvalidRequestError if bad."""
    check = Checker()
    ref = model_ref(check, request.model, request.version)
    limit = settings.max_samples
    latents = None
    n = request.n
    if request.WhichOneof("source") == "latents":
        latents = _latents(check, "latents", request.latents, limit)
        if n and len(latents) and n != len(latents):
            check.fail("n", f"is {n} but latents has {len(latents)} rows: give 0 or the row count")
        n = len(latents)
    elif not 1 <= n <= limit:
        check.fail("n", f"must be in [1, {limit}], got {n}")
    labels = tuple(request.labels)
    if len(labels) not in (0, 1, n) and n:
        check.fail("labels", f"got {len(labels)} labels for {n} images: give none, 1 or {n}")
    for label in labels:
        if not 0 <= label <= MAX_LABEL:
            check.fail("labels", f"label {label} is not a class number")
            break
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


def check_against_model(manifest: Manifest, params: GenerationParams) -> None:
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

    if isinstance(params, SampleParams):
        latent("latents.dim", params.latents)
        for y in params.labels:
            label("labels", y)
            if check.violations:
                break
    elif isinstance(params, InterpolateParams):
        latent("start.latent.dim", params.latent_a)
        latent("end.latent.dim", params.latent_b)
        label("start.label", params.label_a)
        label("end.label", params.label_b)
    else:
        assert_never(params)
    check.raise_if_any()
