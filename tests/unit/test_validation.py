"""Validation of generation requests: each bad field is named, good requests pass unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from latentgan.artifacts import Manifest
from latentgan.config import ModelConfig, TrainConfig
from latentgan.schemas.generation import InterpolateParams, SampleParams
from latentgan_client.v1 import latentgan_pb2 as pb
from services.settings import ServingSettings
from services.validation import (
    Checker,
    InvalidRequestError,
    check_against_model,
    interpolate_params,
    model_ref,
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
