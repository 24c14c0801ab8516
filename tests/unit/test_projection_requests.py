"""Serving projection requests: merged requests give what each gives alone, labels are settled
per request, Complete keeps the known pixels and picks a conditional model's label, and what does
not fit the version is a ConfigError naming the field."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from latentgan.artifacts import ArtifactStore
from latentgan.config import ModelConfig, TrainConfig
from latentgan.data import load_dataset, split_dataset
from latentgan.errors import ConfigError
from latentgan.evaluator import as_model_input
from latentgan.images import to_uint8
from latentgan.pipeline import TrainJob, run_training_job
from latentgan.projection.complete import preset_mask
from latentgan.projection.requests import (
    complete_request,
    completion_label,
    prepare_projection,
    project_prepared,
)
from latentgan.projection.versions import ProjectionKit, projection_kit
from latentgan.schemas.projection import CompleteParams, ProjectParams

COND = ModelConfig(latent_dim=16, g_width=8, d_width=8, class_embed_dim=4, num_classes=10)


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> ProjectionKit:
    """A small conditional model of digits with a short-trained encoder, as a worker loads it."""
    store = ArtifactStore(tmp_path_factory.mktemp("store") / "store")
    job = TrainJob(
        "digits",
        COND,
        TrainConfig(batch_size=32, steps=60, sample_every=10**6, checkpoint_every=10**6),
        name="small-cond",
        run_dir=store.root.parent / "run",
        evaluate=False,
        directions=False,
        encoder_steps=50,
        device="cpu",
    )
    run_training_job(job, store)
    return projection_kit(store, "small-cond")


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    _, held_out = split_dataset(load_dataset("digits"))
    return as_model_input(held_out.images[:5]).numpy()


def test_the_version_has_what_serving_needs(kit: ProjectionKit) -> None:
    assert kit.encoder is not None and kit.discriminator is not None


def test_merged_requests_give_what_each_gives_alone(kit: ProjectionKit, digits: np.ndarray):
    requests = [
        ProjectParams(digits[:2], labels=(1, 2), method="auto", steps=8),
        ProjectParams(digits[2:3], method="optimize", steps=5),  # another group, in between
        ProjectParams(digits[3:5], labels=(7,), method="auto", steps=8),
    ]
    together = project_prepared(kit, [prepare_projection(kit, r) for r in requests])
    assert [run.method for run in together] == ["auto", "optimize", "auto"]
    for request, merged in zip(requests, together, strict=True):
        (alone,) = project_prepared(kit, [prepare_projection(kit, request)])
        assert len(merged.projection) == len(request.targets)
        np.testing.assert_allclose(
            merged.projection.latents, alone.projection.latents, rtol=0, atol=1e-5
        )
        np.testing.assert_array_equal(merged.projection.steps, alone.projection.steps)
    labels = [run.projection.labels for run in together]
    assert labels[0] is not None and labels[0].tolist() == [1, 2]
    assert labels[2] is not None and labels[2].tolist() == [7, 7]  # one label for all


def test_missing_labels_are_the_evaluators_prediction(kit: ProjectionKit, digits: np.ndarray):
    prepared = prepare_projection(kit, ProjectParams(digits[:3], steps=0))
    predicted = kit.evaluator.logits(torch.from_numpy(digits[:3])).argmax(axis=1)
    assert prepared.labels == tuple(int(y) for y in predicted)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (ProjectParams(np.zeros((1, 1, 16, 16), np.float32)), "images"),
        (ProjectParams(np.zeros((1, 1, 32, 32), np.float32), labels=(10,)), "labels"),
        (ProjectParams(np.zeros((2, 1, 32, 32), np.float32), labels=(1, 2, 3)), "labels"),
    ],
)
def test_what_does_not_fit_the_version_is_named(
    kit: ProjectionKit, params: ProjectParams, field: str
) -> None:
    with pytest.raises(ConfigError) as bad:
        prepare_projection(kit, params)
    assert bad.value.field == field


def test_the_encoder_method_needs_an_encoder(kit: ProjectionKit, digits: np.ndarray) -> None:
    with pytest.raises(ConfigError) as bad:
        prepare_projection(replace(kit, encoder=None), ProjectParams(digits[:1], method="encoder"))
    assert bad.value.field == "method" and "latentgan encoder" in str(bad.value)


def test_complete_keeps_the_known_pixels_and_chooses_the_label(
    kit: ProjectionKit, digits: np.ndarray
) -> None:
    known = preset_mask("left", kit.model.manifest.model_config.image_size)
    params = CompleteParams(digits[:1], known.astype(np.float32), k=2, steps=5)
    done, label = complete_request(kit, params)
    original = to_uint8(torch.from_numpy(digits[:1]))[0]
    assert done.images.shape == (2, *original.shape) and (np.diff(done.losses) >= 0).all()
    for image in done.images:
        np.testing.assert_array_equal(image[known], original[known])
    assert label == completion_label(kit, torch.from_numpy(digits[:1]), known)
    masked = np.where(known, digits[0, 0], -1.0)[None, None].astype(np.float32)
    assert label == int(kit.evaluator.logits(torch.from_numpy(masked)).argmax(axis=1)[0])
    _, given = complete_request(kit, replace(params, label=3))
    assert given == 3


def test_a_mask_of_another_size_is_named(kit: ProjectionKit, digits: np.ndarray) -> None:
    known = preset_mask("left", 16).astype(np.float32)
    with pytest.raises(ConfigError) as bad:
        complete_request(kit, CompleteParams(digits[:1], known))
    assert bad.value.field == "mask"
