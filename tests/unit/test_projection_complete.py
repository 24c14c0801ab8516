"""Completion (inpainting): preset masks, known pixels kept exactly, the k best sorted, better
than chance at the unknown pixels, with and without a discriminator, and every error's field."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from latentgan.config import ModelConfig, TrainConfig
from latentgan.data import load_dataset, split_dataset
from latentgan.errors import ConfigError
from latentgan.images import to_uint8
from latentgan.latent import seeded_latents
from latentgan.models import Discriminator, Generator, build_models
from latentgan.projection.complete import MASKS, complete, context_weights, preset_mask
from latentgan.train import train

SMALL = ModelConfig(image_size=32, latent_dim=16, g_width=8, d_width=8, class_embed_dim=4)
DIM, SIZE = SMALL.latent_dim, SMALL.image_size


@pytest.fixture(scope="module")
def g(tmp_path_factory: pytest.TempPathFactory) -> Generator:
    """The small model of tests/unit/test_directions.py after 60 steps on digits (seconds)."""
    train_split, _ = split_dataset(load_dataset("digits"))
    cfg = TrainConfig(batch_size=32, steps=60, sample_every=10**6, checkpoint_every=10**6)
    result = train(train_split, SMALL, cfg, tmp_path_factory.mktemp("run"))
    return result.generator.eval().requires_grad_(False)


@pytest.fixture(scope="module")
def d() -> Discriminator:
    _, discriminator = build_models(SMALL, seed=1)
    return discriminator.eval()


def _target(g: Generator, seed: int = 321, index: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    z = seeded_latents(seed, index + 1, DIM)[index : index + 1]
    with torch.no_grad():
        return z, g(z)


# --- masks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "unknown_share"),
    [("center", 0.25), ("left", 0.5), ("right", 0.5), ("top", 0.5), ("bottom", 0.5)],
)
def test_preset_masks_have_their_shape_and_share(name: str, unknown_share: float) -> None:
    known = preset_mask(name, SIZE)
    assert known.shape == (SIZE, SIZE) and known.dtype == np.bool_
    assert (~known).mean() == unknown_share
    assert name in MASKS


def test_the_named_region_is_the_unknown_one() -> None:
    assert not preset_mask("left", 8)[:, :4].any() and preset_mask("left", 8)[:, 4:].all()
    assert not preset_mask("right", 8)[:, 4:].any() and preset_mask("right", 8)[:, :4].all()
    assert not preset_mask("top", 8)[:4].any() and preset_mask("bottom", 8)[:4].all()
    center = preset_mask("center", 8)
    assert not center[2:6, 2:6].any() and center.sum() == 64 - 16
    odd = preset_mask("center", 28)
    assert (~odd).sum() == 14 * 14 and not odd[7:21, 7:21].any()


def test_random_masks_hide_their_share_by_seed() -> None:
    known = preset_mask("random:0.3", SIZE, seed=5)
    assert (~known).sum() == round(0.3 * SIZE * SIZE)
    np.testing.assert_array_equal(known, preset_mask("random:0.3", SIZE, seed=5))
    assert not np.array_equal(known, preset_mask("random:0.3", SIZE, seed=6))
    assert (~preset_mask("random:0.0001", 8)).sum() == 1  # at least one pixel unknown
    assert preset_mask("random:0.9999", 8).sum() == 1  # and at least one known


@pytest.mark.parametrize("name", ["middle", "random:0", "random:1", "random:1.5", "random:x", ""])
def test_bad_mask_names_name_the_mask(name: str) -> None:
    with pytest.raises(ConfigError) as bad:
        preset_mask(name, SIZE)
    assert bad.value.field == "mask"


def test_context_weights_follow_the_paper() -> None:
    known = torch.from_numpy(preset_mask("center", 16)).float()[None, None]
    w = context_weights(known)[0, 0]
    assert bool((w[~known[0, 0].bool()] == 0).all())  # unknown pixels weigh nothing
    assert w[0, 0] == 0 and w[3, 3] > 0  # far from the hole: nothing; next to it: something
    assert w[3, 8] > w[1, 8] > 0  # the nearer the hole, the more
    assert w[3, 8] == pytest.approx(3 * 7 / 49)  # 3 rows of the 7×7 window are unknown


# --- completion ----------------------------------------------------------------------------


@pytest.mark.parametrize("mask", ["center", "left", "random:0.5"])
def test_known_pixels_are_kept_exactly_and_results_sorted(g: Generator, mask: str) -> None:
    _, target = _target(g)
    known = preset_mask(mask, SIZE, seed=2)
    done = complete(g, target, known, k=3, steps=40, starts=6)
    assert done.images.shape == (3, SIZE, SIZE, 1) and done.images.dtype == np.uint8
    assert done.latents.shape == (3, DIM) and done.latents.dtype == np.float32
    assert done.losses.dtype == np.float64 and np.all(np.diff(done.losses) >= 0)
    original = to_uint8(target)[0]
    for image in done.images:
        np.testing.assert_array_equal(image[known], original[known])


def test_completions_beat_chance_at_the_unknown_pixels(g: Generator) -> None:
    """Measured (4 targets, the default 200 steps and 16 starts): mean unknown-pixel MSE of the
    best completion 5e-5 (center) and 1e-4 (left), 0.003 and 0.008 of a random latent's (0.015
    and 0.012). With 8 starts the left half came to 0.17: one target of the four ended on
    another digit, the 3-pixel context band of Yeh's weights being all it sees of the image."""
    chance_z = seeded_latents(999, 50, DIM)
    with torch.no_grad():
        chance = g(chance_z)
    for mask in ("center", "left"):
        known = preset_mask(mask, SIZE)
        hole = torch.from_numpy(~known)
        errors, baselines = [], []
        for i in range(4):
            _, target = _target(g, index=i)
            done = complete(g, target, known, k=1)
            with torch.no_grad():
                best = g(torch.from_numpy(done.latents).expand(4, DIM))[:1]
            errors.append(float((best - target)[..., hole].square().mean()))
            baselines.append(float((chance - target)[..., hole].square().mean()))
        assert np.mean(errors) < 0.1 * np.mean(baselines), mask
        assert np.all(np.array(errors) < np.array(baselines)), mask


def test_deep_in_the_hole_the_pixels_are_the_generators(g: Generator) -> None:
    _, target = _target(g)
    known = preset_mask("center", SIZE)
    done = complete(g, target, known, k=1, steps=10, starts=4)
    with torch.no_grad():
        fake = to_uint8(g(torch.from_numpy(done.latents).expand(4, DIM)))[0]
    deep = np.zeros_like(known)
    deep[11:21, 11:21] = True  # 3 pixels or more from the seam (the hole is 8..23)
    np.testing.assert_array_equal(done.images[0][deep], fake[deep])


def test_with_and_without_a_discriminator(g: Generator, d: Discriminator) -> None:
    _, target = _target(g)
    known = preset_mask("bottom", SIZE)
    plain = complete(g, target, known, k=2, steps=30, starts=4)
    judged = complete(g, target, known, k=2, steps=30, starts=4, discriminator=d)
    assert not np.array_equal(plain.latents, judged.latents)  # the prior differs
    original = to_uint8(target)[0]
    for done in (plain, judged):
        assert np.all(np.diff(done.losses) >= 0)
        np.testing.assert_array_equal(done.images[:, known], np.stack([original[known]] * 2))
    assert all(p.grad is None for p in d.parameters())
    assert all(p.requires_grad for p in d.parameters())  # as it was found
    # a discriminator that compares the images of its batch scores each candidate alone
    _, batchwise = build_models(replace(SMALL, minibatch_std=True), seed=1)
    first = complete(g, target, known, k=2, steps=5, starts=4, discriminator=batchwise.eval())
    again = complete(g, target, known, k=2, steps=5, starts=4, discriminator=batchwise)
    np.testing.assert_array_equal(first.latents, again.latents)


def test_completion_is_deterministic_and_init_is_a_start(g: Generator) -> None:
    z_true, target = _target(g)
    known = preset_mask("top", SIZE)
    first = complete(g, target, known, k=2, steps=10, starts=4, seed=3)
    again = complete(g, target, known, k=2, steps=10, starts=4, seed=3)
    np.testing.assert_array_equal(first.images, again.images)
    np.testing.assert_array_equal(first.latents, again.latents)
    exact = complete(g, target, known, k=1, steps=0, starts=4, init=z_true)
    np.testing.assert_array_equal(exact.latents[0], z_true[0].numpy())  # its loss is ~0
    assert exact.losses[0] < 1e-3


def test_conditional_models_need_a_label() -> None:
    model, _ = build_models(replace(SMALL, num_classes=10), seed=1)
    model.eval()
    with torch.no_grad():
        target = model(seeded_latents(4, 1, DIM), torch.tensor([6]))
    known = preset_mask("right", SIZE)
    done = complete(model, target, known, k=1, steps=3, starts=2, label=6)
    assert len(done) == 1
    for label in (None, 10, -1):
        with pytest.raises(ConfigError) as bad:
            complete(model, target, known, steps=1, label=label)
        assert bad.value.field == "labels"


def _all_known() -> np.ndarray:
    return np.ones((SIZE, SIZE), dtype=bool)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"known": np.zeros((SIZE, SIZE), dtype=bool)}, "mask"),  # nothing known
        ({"known": _all_known()}, "mask"),  # nothing to complete
        ({"known": np.ones((28, 28), dtype=bool)}, "mask"),  # not the image's shape
        ({"known": np.ones((SIZE, SIZE), dtype=np.uint8)}, "mask"),  # not boolean
        ({"k": 0}, "k"),
        ({"k": 5}, "k"),  # more than the starts
        ({"label": 3}, "labels"),  # an unconditional model
        ({"target": torch.zeros(1, 1, 28, 28)}, "target"),
        ({"target": torch.zeros(2, 1, SIZE, SIZE)}, "target"),
        ({"steps": -1}, "steps"),
        ({"starts": 0}, "starts"),
        ({"init": torch.zeros(DIM + 1)}, "init"),
        ({"prior_weight": -0.1}, "prior_weight"),
    ],
)
def test_bad_inputs_name_their_field(g: Generator, change: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "target": torch.zeros(1, 1, SIZE, SIZE),
        "known": preset_mask("center", SIZE),
        "k": 2,
        "starts": 4,
        "steps": 1,
        **change,
    }
    with pytest.raises(ConfigError) as bad:
        complete(g, **args)  # type: ignore[arg-type]
    assert bad.value.field == field
