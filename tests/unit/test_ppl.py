"""Perceptual path length: the distance it is built on, its determinism, its stability in eps."""

from __future__ import annotations

import copy
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from latentgan.config import ModelConfig, TrainConfig
from latentgan.data import ImageDataset, load_dataset, split_dataset
from latentgan.evaluate import evaluate_generator
from latentgan.evaluator import Evaluator, as_model_input, load_or_train_evaluator
from latentgan.latent import seeded_latents, slerp
from latentgan.models import Generator
from latentgan.ppl import (
    batched_slerp,
    filtered_mean,
    path_lengths,
    perceptual_distance,
    perceptual_path_length,
)
from latentgan.train import train

TINY = ModelConfig(image_size=32, latent_dim=8, g_width=8, d_width=8, class_embed_dim=4)
EPS_TOLERANCE = 0.15  # PPL at eps=1e-3 within 15% of eps=1e-4 (measured: within 1%)


@pytest.fixture(scope="module")
def digits() -> ImageDataset:
    return load_dataset("digits")


@pytest.fixture(scope="module")
def evaluator(digits: ImageDataset, tmp_path_factory: pytest.TempPathFactory) -> Evaluator:
    return load_or_train_evaluator(
        digits, tmp_path_factory.mktemp("evaluators"), epochs=3, progress=False
    )


def _trained(digits: ImageDataset, model: ModelConfig, run_dir: Path) -> Generator:
    train_split, _ = split_dataset(digits)
    cfg = TrainConfig(batch_size=32, steps=150, sample_every=10**6, checkpoint_every=10**6)
    return train(train_split, model, cfg, run_dir).generator


@pytest.fixture(scope="module")
def trained(digits: ImageDataset, tmp_path_factory: pytest.TempPathFactory) -> Generator:
    """An unconditional generator after 150 steps on digits (about a second)."""
    return _trained(digits, TINY, tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def trained_conditional(
    digits: ImageDataset, tmp_path_factory: pytest.TempPathFactory
) -> Generator:
    return _trained(digits, replace(TINY, num_classes=10), tmp_path_factory.mktemp("run-cond"))


def _real(digits: ImageDataset, n: int = 64) -> torch.Tensor:
    return as_model_input(digits.images[:n])


def test_distance_is_zero_for_identical_images_positive_otherwise_and_symmetric(
    digits: ImageDataset, evaluator: Evaluator
) -> None:
    a = _real(digits)
    b = a.roll(1, dims=0)  # each image against another digit
    assert np.array_equal(perceptual_distance(evaluator, a, a), np.zeros(len(a)))
    ab, ba = perceptual_distance(evaluator, a, b), perceptual_distance(evaluator, b, a)
    assert ab.shape == (len(a),) and ab.dtype == np.float64
    assert np.all(ab > 0)
    np.testing.assert_allclose(ab, ba, rtol=1e-6)
    assert np.all(ab <= 4 * 3)  # two unit vectors are at most 2 apart, on each of three layers


def test_distance_grows_with_the_perturbation(digits: ImageDataset, evaluator: Evaluator) -> None:
    a = _real(digits)
    noise = torch.randn(a.shape, generator=torch.Generator().manual_seed(0))
    small = perceptual_distance(evaluator, a, (a + 0.05 * noise).clamp(-1, 1))
    large = perceptual_distance(evaluator, a, (a + 0.3 * noise).clamp(-1, 1))
    assert np.all(small > 0) and np.all(large > small)


def test_batched_slerp_is_latent_slerp_row_by_row() -> None:
    a, b = seeded_latents(1, 6, 8), seeded_latents(2, 6, 8)
    b[0] = 3 * a[0]  # parallel ends: the straight-line fallback
    b[1] = -a[1]  # antiparallel
    t = torch.tensor([0.0, 0.25, 0.5, 0.7, 1.0, 1.0001])
    rows = batched_slerp(a, b, t)
    assert rows.dtype == torch.float32 and rows.shape == (6, 8)
    for i in range(6):
        torch.testing.assert_close(
            rows[i], slerp(a[i], b[i], t[i : i + 1])[0], rtol=1e-6, atol=1e-6
        )


def test_the_filter_drops_the_tails_and_keeps_its_bounds() -> None:
    values = np.concatenate([np.arange(1000.0), [1e9, -1e9]])
    lo, hi = np.percentile(values, 1, method="lower"), np.percentile(values, 99, method="higher")
    kept = values[(values >= lo) & (values <= hi)]
    assert filtered_mean(values) == pytest.approx(kept.mean())
    assert 1e9 not in kept and -1e9 not in kept and filtered_mean(values) == pytest.approx(499.5)
    assert kept.min() == 9 and kept.max() == 990  # the bounds are observed values, kept
    assert filtered_mean(np.zeros(5)) == 0.0


def test_ppl_is_deterministic_finite_and_positive(trained: Generator, evaluator: Evaluator) -> None:
    first = perceptual_path_length(trained, evaluator, n=200)
    assert math.isfinite(first) and first > 0
    assert perceptual_path_length(trained, evaluator, n=200) == first
    other_seed = perceptual_path_length(trained, evaluator, n=200, seed=7)
    assert other_seed != first and other_seed == pytest.approx(first, rel=0.5)
    # the pairs of a prefix do not depend on n: the same first 100 values
    np.testing.assert_array_equal(
        path_lengths(trained, evaluator, n=100), path_lengths(trained, evaluator, n=200)[:100]
    )


def test_ppl_leaves_the_generator_as_it_found_it(trained: Generator, evaluator: Evaluator) -> None:
    g = copy.deepcopy(trained).train()
    tf32 = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    perceptual_path_length(g, evaluator, n=10)
    assert g.training
    assert (torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32) == tf32


@pytest.mark.parametrize("conditional", [False, True])
def test_a_generator_that_ignores_z_has_no_path_length(
    conditional: bool,
    trained: Generator,
    trained_conditional: Generator,
    evaluator: Evaluator,
) -> None:
    g = trained_conditional if conditional else trained
    normal = perceptual_path_length(g, evaluator, n=200)
    deaf = copy.deepcopy(g)
    with torch.no_grad():
        first = deaf.project[0]
        assert isinstance(first, torch.nn.Linear)
        first.weight[:, : g.cfg.latent_dim] = 0.0  # the label (if any) still counts
    if conditional:  # its images still differ from class to class
        images = deaf(seeded_latents(0, 2, g.cfg.latent_dim), torch.tensor([0, 1]))
        assert not torch.equal(images[0], images[1])
    assert normal > 0.1
    assert perceptual_path_length(deaf, evaluator, n=200) <= 1e-6 * normal


def test_ppl_is_stable_in_epsilon(trained_conditional: Generator, evaluator: Evaluator) -> None:
    """The finite difference measures the derivative: a 10x larger eps barely moves it."""
    at_1e4 = perceptual_path_length(trained_conditional, evaluator, n=300, epsilon=1e-4)
    at_1e3 = perceptual_path_length(trained_conditional, evaluator, n=300, epsilon=1e-3)
    assert at_1e3 / at_1e4 == pytest.approx(1.0, abs=EPS_TOLERANCE)


def test_evaluation_reports_ppl_unless_turned_off(
    digits: ImageDataset, trained: Generator, evaluator: Evaluator
) -> None:
    with_ppl = evaluate_generator(trained, digits, evaluator, n=200, ppl_samples=100)
    without = evaluate_generator(trained, digits, evaluator, n=200, ppl_samples=0)
    assert without.ppl is None and without.as_dict()["ppl"] is None
    assert with_ppl.ppl == perceptual_path_length(trained, evaluator, n=100)
    assert replace(with_ppl, ppl=None) == without  # the other metrics are untouched
