"""Validation of generation and direction requests: each bad field is named, good requests pass
unchanged."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from latentgan.artifacts import Manifest
from latentgan.config import ModelConfig, TrainConfig
from latentgan.schemas.directions import DirectionRequest
from latentgan.schemas.generation import EditParams, InterpolateParams, SampleParams
from latentgan.schemas.projection import CompleteParams, ProjectParams
from latentgan_client.v1 import latentgan_pb2 as pb
from services.settings import ServingSettings
from services.validation import (
    Checker,
    DirectionSpec,
    InvalidRequestError,
    check_against_model,
    complete_request,
    compute_directions_request,
    edit_params,
    interpolate_params,
    model_ref,
    name_filter,
    project_request,
    sample_params,
)

SETTINGS = ServingSettings(max_samples=32, max_steps=16)


def _fields(excinfo: pytest.ExceptionInfo[InvalidRequestError]) -> list[str]:
    return [v.field for v in excinfo.value.violations]


def test_a_good_sample_request():
    ref, params = sample_params(
        pb.SampleRequest(model="m", n=4, seed=9, labels=[2], truncation=0.5), SETTINGS
    )
    assert ref == "m" and params == SampleParams(4, 9, (2,), 0.5, None)


def test_unset_truncation_means_none():
    _, params = sample_params(pb.SampleRequest(model="m", n=1), SETTINGS)
    assert params.truncation == 1.0 and params.seed == 0


def test_every_bad_field_is_named_at_once():
    request = pb.SampleRequest(model="bad name", n=99, labels=[1, 2], truncation=2.0, encoding=5)  # type: ignore[arg-type]
    with pytest.raises(InvalidRequestError) as caught:
        sample_params(request, SETTINGS)
    assert _fields(caught) == ["model", "n", "labels", "truncation", "encoding"]


def test_long_values_are_refused_without_being_echoed_whole():
    request = pb.SampleRequest(model="m" * 5000 + "漢", n=0, labels=[1] * 100_000)
    with pytest.raises(InvalidRequestError) as caught:
        sample_params(request, SETTINGS)
    assert _fields(caught) == ["model", "n", "labels"]
    assert all(len(v.description) < 200 for v in caught.value.violations)
    assert "(5001 characters)" in caught.value.violations[0].description


def test_name_filters_are_bounded():
    assert name_filter("") == "" and name_filter("tiny") == "tiny"
    with pytest.raises(InvalidRequestError) as caught:
        name_filter("n" * 65)
    assert _fields(caught) == ["name"]


def test_latents_give_the_count():
    z = np.arange(32, dtype=np.float32)
    _, params = sample_params(
        pb.SampleRequest(model="m", latents=pb.LatentBatch(dim=16, values=z)), SETTINGS
    )
    assert params.n == 2 and params.latents is not None and params.latents.shape == (2, 16)


@pytest.mark.parametrize(
    ("model", "version", "expected", "bad"),
    [
        ("m", 0, "m", None),
        ("m@3", 0, "m@3", None),
        ("m@latest", 0, "m@latest", None),
        ("m", 4, "m@4", None),
        ("m@4", 4, "m@4", None),
        ("m@3", 4, None, "version"),
        ("", 0, None, "model"),
        ("/etc/passwd", 0, None, "model"),
        ("a" * 65, 0, None, "model"),
    ],
)
def test_model_references(model: str, version: int, expected: str | None, bad: str | None):
    check = Checker()
    ref = model_ref(check, model, version)
    assert [v.field for v in check.violations] == ([bad] if bad else [])
    if expected:
        assert ref == expected


def test_interpolation_defaults_and_errors():
    _, params = interpolate_params(pb.InterpolateRequest(model="m", steps=3), SETTINGS)
    assert params == InterpolateParams(
        steps=3, method="slerp", seed_a=0, seed_b=0
    )  # proto: unset 0
    bad = pb.InterpolateRequest(
        model="m",
        steps=17,
        method=7,  # type: ignore[arg-type]
        start=pb.InterpolationEndpoint(label=-2),
    )
    with pytest.raises(InvalidRequestError) as caught:
        interpolate_params(bad, SETTINGS)
    assert _fields(caught) == ["steps", "method", "start.label"]


def _manifest(num_classes: int) -> Manifest:
    return Manifest(
        name="m", version=1, created="2026-01-01T00:00:00+00:00",
        model_config=ModelConfig(latent_dim=16, num_classes=num_classes),
        train_config=TrainConfig(), dataset={"spec": "digits"},
        class_names=tuple(str(i) for i in range(num_classes)),
    )  # fmt: skip


def test_checks_against_the_model():
    check_against_model(_manifest(10), SampleParams(2, labels=(9,)))
    with pytest.raises(InvalidRequestError) as caught:
        check_against_model(_manifest(10), SampleParams(2, labels=(10,)))
    assert _fields(caught) == ["labels"]
    with pytest.raises(InvalidRequestError) as caught:
        check_against_model(_manifest(0), SampleParams(1, labels=(0,)))
    assert _fields(caught) == ["labels"]
    wrong = np.zeros((1, 8), np.float32)
    with pytest.raises(InvalidRequestError) as caught:
        check_against_model(_manifest(0), SampleParams(1, latents=wrong))
    assert _fields(caught) == ["latents.dim"]
    with pytest.raises(InvalidRequestError) as caught:
        check_against_model(_manifest(3), InterpolateParams(4, latent_b=wrong[0], label_a=3))
    assert _fields(caught) == ["end.latent.dim", "start.label"]


# --- Edit and ComputeDirections -------------------------------------------------------------

Ed, Mix, L, Ar = pb.EditRequest, pb.DirectionMix, pb.LatentBatch, pb.LatentArithmetic
NAN = float("nan")


def test_a_good_edit_request_keeps_its_direction_for_the_api():
    ref, plan = edit_params(Ed(model="m@2", n=3, seed=4, direction_id="sefa:0"), SETTINGS)
    assert ref == "m@2"
    assert plan.direction == DirectionSpec("direction_id", weights={"sefa:0": 1.0})
    assert plan.strengths == (-3.0, -1.5, 0.0, 1.5, 3.0)  # the core's defaults
    direction = np.ones(16, np.float32)
    params = plan.params(direction)
    assert (params.n, params.seed, params.rows, params.images) == (3, 4, 3, 15)
    assert params.direction is direction


def test_edit_directions_by_mix_and_vector_and_rows_by_latents_and_arithmetic():
    mix = Ed(model="m", n=1, mix=Mix(weights={"sefa:0": 1.0, "pca:1": -0.5}), strengths=[2.0])
    _, plan = edit_params(mix, SETTINGS)
    assert plan.direction.path == "mix.weights"
    assert dict(plan.direction.weights) == {"sefa:0": 1.0, "pca:1": -0.5}
    assert plan.strengths == (2.0,)
    vector = Ed(model="m", latents=L(dim=2, values=[1, 2, 3, 4]), vector=L(dim=2, values=[0, 5]))
    _, plan = edit_params(vector, SETTINGS)
    assert plan.direction.path == "vector" and plan.direction.vector is not None
    assert plan.direction.vector.tolist() == [0.0, 5.0]
    assert plan.latents is not None and plan.latents.shape == (2, 2) and plan.n == 2
    arithmetic = Ed(model="m", arithmetic=Ar(seed_a=1, seed_b=2, seed_c=3), direction_id="x")
    _, plan = edit_params(arithmetic, SETTINGS)
    assert (plan.arithmetic, plan.n) == ((1, 2, 3), 1)
    assert plan.params(np.zeros(4, np.float32)).rows == 1


def _edit(**fields: Any) -> pb.EditRequest:
    return Ed(**{"model": "m", "n": 1, "direction_id": "sefa:0", **fields})


@pytest.mark.parametrize(
    ("request_", "fields"),
    [
        (_edit(direction_id=""), ["direction_id"]),
        (Ed(model="m", n=1), ["direction_id"]),  # no direction at all
        (_edit(direction_id="x" * 300), ["direction_id"]),
        (Ed(model="m", n=1, mix=Mix()), ["mix.weights"]),
        (Ed(model="m", n=1, mix=Mix(weights={"sefa:0": NAN})), ["mix.weights"]),
        (Ed(model="m", n=1, mix=Mix(weights={"sefa:0": 1e9})), ["mix.weights"]),
        (Ed(model="m", n=1, mix=Mix(weights={"": 1.0})), ["mix.weights"]),
        (Ed(model="m", n=1, vector=L(dim=0, values=[1.0])), ["vector.dim"]),
        (Ed(model="m", n=1, vector=L(dim=3, values=[1.0, 2.0])), ["vector.values"]),
        (Ed(model="m", n=1, vector=L(dim=2, values=[1.0, NAN])), ["vector.values"]),
        (Ed(model="m", n=1, vector=L(dim=1, values=[1.0, 2.0])), ["vector"]),  # two rows
        (_edit(strengths=[0.0] * 65), ["strengths"]),
        (_edit(strengths=[NAN]), ["strengths"]),
        (_edit(strengths=[101.0]), ["strengths"]),
        (_edit(n=0), ["n"]),
        (_edit(n=33), ["n"]),
        (_edit(n=8, strengths=[0.0, 1.0, 2.0, 3.0, 4.0]), ["n"]),  # 40 images > 32
        (_edit(n=1, strengths=[0.0] * 33), ["strengths"]),  # one row, 33 images
        (_edit(n=0, latents=L(dim=2, values=[0.0] * 20), strengths=[0.0] * 4), ["latents"]),
        (_edit(n=3, latents=L(dim=2, values=[0.0] * 4)), ["n"]),
        (_edit(n=2, arithmetic=Ar(seed_a=1)), ["n"]),
        (_edit(n=2, labels=[1, 2, 3]), ["labels"]),
        (_edit(labels=[-1]), ["labels"]),
        (_edit(truncation=1.5), ["truncation"]),
        (_edit(encoding=9), ["encoding"]),
        (
            Ed(model="", n=0, strengths=[NAN], truncation=-1, mix=Mix()),
            ["model", "n", "strengths", "truncation", "mix.weights"],
        ),
    ],
)
def test_each_bad_edit_field_is_named(request_: pb.EditRequest, fields: list[str]):
    with pytest.raises(InvalidRequestError) as caught:
        edit_params(request_, SETTINGS)
    assert _fields(caught) == fields


def test_edit_checks_against_the_model():
    direction = np.zeros(16, np.float32)
    check_against_model(_manifest(10), EditParams(direction, labels=(9,)))
    with pytest.raises(InvalidRequestError) as caught:
        check_against_model(_manifest(0), EditParams(np.zeros(8, np.float32), labels=(0,)))
    assert _fields(caught) == ["vector.dim", "labels"]
    rows = np.zeros((2, 4), np.float32)
    with pytest.raises(InvalidRequestError) as caught:
        check_against_model(_manifest(3), EditParams(direction, latents=rows, labels=(3,)))
    assert _fields(caught) == ["latents.dim", "labels"]


CD = pb.ComputeDirectionsRequest


def test_compute_directions_defaults_and_methods():
    ref, wanted = compute_directions_request(CD(model="m"))
    assert ref == "m" and wanted == DirectionRequest("sefa", k=10)
    _, wanted = compute_directions_request(CD(model="m", method=pb.DIRECTION_METHOD_PCA, k=3))
    assert (wanted.method, wanted.k, wanted.samples) == ("pca", 3, 5000)
    attribute = CD(
        model="m",
        method=pb.DIRECTION_METHOD_ATTRIBUTE,
        attribute="thickness",
        samples=500,
        seed=2,
        orthogonal_to=["attribute:class:3"],
    )
    _, wanted = compute_directions_request(attribute)
    assert wanted == DirectionRequest(
        "attribute",
        samples=500,
        seed=2,
        attribute="thickness",
        orthogonal_to=("attribute:class:3",),
    )


@pytest.mark.parametrize(
    ("request_", "fields"),
    [
        (CD(model="m", method=pb.DIRECTION_METHOD_ATTRIBUTE), ["attribute"]),
        (CD(model="m", attribute="thickness"), ["attribute"]),  # sefa takes none
        (CD(model="m", k=1000), ["k"]),
        (CD(model="m", method=pb.DIRECTION_METHOD_PCA, samples=5), ["samples"]),
        (CD(model="m", method=pb.DIRECTION_METHOD_RANDOM, seed=2**63), ["seed"]),
        (CD(model="m", method=9), ["method"]),  # type: ignore[arg-type]
        (CD(model="", k=1000), ["model", "k"]),
        (CD(model="m", method=pb.DIRECTION_METHOD_ATTRIBUTE, attribute="a" * 65), ["attribute"]),
        (CD(model="m", orthogonal_to=["sefa:0"] * 65), ["orthogonal_to"]),
        (CD(model="m", orthogonal_to=["x" * 257]), ["orthogonal_to"]),
    ],
)
def test_each_bad_compute_directions_field_is_named(
    request_: pb.ComputeDirectionsRequest, fields: list[str]
):
    with pytest.raises(InvalidRequestError) as caught:
        compute_directions_request(request_)
    assert _fields(caught) == fields


# --- Project and Complete -------------------------------------------------------------------

Pr, Co, IB = pb.ProjectRequest, pb.CompleteRequest, pb.ImageBatch
GREY = ModelConfig(latent_dim=16, image_size=28, channels=1)


def _raw(images: np.ndarray) -> pb.ImageBatch:
    return IB(shape=list(images.shape), encoding=pb.IMAGE_ENCODING_RAW, data=images.tobytes())


def _png(*images: np.ndarray) -> pb.ImageBatch:
    from latentgan.images import encode_png

    return IB(
        shape=[len(images)], encoding=pb.IMAGE_ENCODING_PNG, png=[encode_png(x) for x in images]
    )


def test_a_good_project_request_is_fitted_to_the_model():
    digits = np.full((2, 56, 56, 3), 255, np.uint8)
    ref, plan = project_request(
        Pr(model="m", images=_raw(digits), labels=[3], method=pb.PROJECTION_METHOD_OPTIMIZE,
           steps=7, seed=5),
        SETTINGS,
    )  # fmt: skip
    assert ref == "m" and plan.least_steps == 7
    params = plan.params(GREY)
    assert params.targets.shape == (2, 1, 28, 28) and params.targets.dtype == np.float32
    assert float(params.targets.min()) == 1.0  # white stays white through the one rule
    assert (params.labels, params.method, params.steps, params.seed) == ((3,), "optimize", 7, 5)


def test_project_defaults_and_png_images_of_their_own_sizes():
    images = _png(np.zeros((28, 28), np.uint8), np.zeros((40, 30, 3), np.uint8))
    _, plan = project_request(Pr(model="m", images=images), SETTINGS)
    assert plan.method == "auto" and plan.steps is None and plan.least_steps == 100
    assert [x.shape for x in plan.images] == [(28, 28, 1), (40, 30, 3)]
    assert plan.params(GREY).targets.shape == (2, 1, 28, 28)


BIG = ServingSettings(max_project_images=2, max_projection_steps=50, max_image_side=64)
ONE = np.zeros((1, 8, 8, 1), np.uint8)


@pytest.mark.parametrize(
    ("request_", "fields"),
    [
        (Pr(images=_raw(ONE)), ["model"]),
        (Pr(model="m"), ["images.shape"]),
        (Pr(model="m", images=_raw(np.zeros((3, 8, 8, 1), np.uint8))), ["images.shape"]),
        (Pr(model="m", images=_raw(np.zeros((1, 8, 8, 2), np.uint8))), ["images.shape"]),
        (Pr(model="m", images=_raw(np.zeros((1, 65, 8, 1), np.uint8))), ["images.shape"]),
        (Pr(model="m", images=IB(shape=[1, 8, 8, 1], data=b"xx")), ["images.data"]),
        (Pr(model="m", images=IB(encoding=pb.IMAGE_ENCODING_PNG)), ["images.png"]),
        (Pr(model="m", images=IB(encoding=pb.IMAGE_ENCODING_PNG, png=[b"not a png"])),
         ["images.png[0]"]),
        (Pr(model="m", images=_png(np.zeros((80, 8), np.uint8))), ["images.png[0]"]),
        (Pr(model="m", images=_raw(ONE), labels=[1, 2]), ["labels"]),
        (Pr(model="m", images=_raw(ONE), method=9), ["method"]),  # type: ignore[arg-type]
        (Pr(model="m", images=_raw(ONE), steps=51), ["steps"]),
        (Pr(model="m", images=_raw(ONE), encoding=7), ["encoding"]),  # type: ignore[arg-type]
    ],
)  # fmt: skip
def test_each_bad_project_field_is_named(request_: pb.ProjectRequest, fields: list[str]):
    with pytest.raises(InvalidRequestError) as caught:
        project_request(request_, BIG)
    assert _fields(caught) == fields


def test_a_good_complete_request_and_its_mask():
    image = np.zeros((1, 28, 28, 1), np.uint8)
    ref, plan = complete_request(
        Co(model="m", image=_raw(image), mask_preset="left", k=2, label=4, seed=1), SETTINGS
    )
    params = plan.params(GREY)
    assert ref == "m" and (params.k, params.label, params.steps, plan.least_steps) == (
        2,
        4,
        None,
        200,
    )
    assert params.known[:, :14].sum() == 0 and params.known[:, 14:].all()
    white_right = np.zeros((28, 28), np.uint8)
    white_right[:, 20:] = 255
    _, plan = complete_request(
        Co(model="m", image=_raw(image), mask_image=_png(white_right)), SETTINGS
    )
    known = plan.params(GREY).known
    assert plan.k == 4 and known[:, 20:].all() and not known[:, :20].any()


@pytest.mark.parametrize(
    ("request_", "fields"),
    [
        (Co(model="m", mask_preset="left"), ["image.shape"]),
        (Co(model="m", image=_raw(np.zeros((2, 8, 8, 1), np.uint8)), mask_preset="left"),
         ["image.shape"]),
        (Co(model="m", image=_raw(ONE)), ["mask_preset"]),
        (Co(model="m", image=_raw(ONE), mask_preset="middle"), ["mask_preset"]),
        (Co(model="m", image=_raw(ONE), mask_image=IB()), ["mask_image.shape"]),
        (Co(model="m", image=_raw(ONE), mask_preset="left", k=17), ["k"]),
        (Co(model="m", image=_raw(ONE), mask_preset="left", steps=0), ["steps"]),
        (Co(model="m", image=_raw(ONE), mask_preset="left", label=-1), ["label"]),
    ],
)  # fmt: skip
def test_each_bad_complete_field_is_named(request_: pb.CompleteRequest, fields: list[str]):
    with pytest.raises(InvalidRequestError) as caught:
        complete_request(request_, SETTINGS)
    assert _fields(caught) == fields


@pytest.mark.parametrize(
    ("mask", "field"),
    [(np.zeros((28, 28), np.uint8), "mask_image"), (np.full((28, 28), 255, np.uint8), "mask_image"),
     ("random:1.5", "mask_preset")],
)  # fmt: skip
def test_masks_without_known_or_unknown_pixels_are_named_once_fitted(
    mask: str | np.ndarray, field: str
):
    image = _raw(np.zeros((1, 28, 28, 1), np.uint8))
    which = {"mask_preset": mask} if isinstance(mask, str) else {"mask_image": _png(mask)}
    _, plan = complete_request(Co(model="m", image=image, **which), SETTINGS)
    with pytest.raises(InvalidRequestError) as caught:
        plan.params(GREY)
    assert _fields(caught) == [field]


def test_projection_labels_are_checked_against_the_model():
    targets = np.zeros((1, 1, 28, 28), np.float32)
    check_against_model(_manifest(10), ProjectParams(targets, labels=(9,)))
    with pytest.raises(InvalidRequestError) as caught:
        check_against_model(_manifest(0), ProjectParams(targets, labels=(0,)))
    assert _fields(caught) == ["labels"]
    known = np.zeros((28, 28), np.float32)
    known[:, 14:] = 1
    with pytest.raises(InvalidRequestError) as caught:
        check_against_model(_manifest(3), CompleteParams(targets, known, label=3))
    assert _fields(caught) == ["label"]
