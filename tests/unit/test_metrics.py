"""Tests for latentgan.metrics: Fréchet distance, class coverage and KL, k-NN precision/recall."""

from __future__ import annotations

import math

import numpy as np
import pytest

from latentgan.metrics import (
    class_histogram,
    classes_covered,
    conditional_accuracy,
    frechet_distance,
    kl_divergence,
    precision_recall,
)


def _gaussian(seed: int, n: int, mean: list[float], std: list[float]) -> np.ndarray:
    return np.random.default_rng(seed).normal(mean, std, size=(n, len(mean)))


# --- Fréchet distance -----------------------------------------------------------------------------


def test_frechet_distance_of_a_sample_with_itself_is_zero() -> None:
    a = _gaussian(0, 500, [0.0, 1.0, -2.0], [1.0, 0.5, 2.0])
    assert abs(frechet_distance(a, a)) < 1e-8


def test_frechet_distance_matches_the_closed_form_for_diagonal_gaussians() -> None:
    # For diagonal covariances the formula is ||mu_a - mu_b||^2 + sum_i (s_a,i - s_b,i)^2:
    # here 1 + 4 = 5 from the means and 1 + 0.25 = 1.25 from the scales, 6.25 in all.
    mean_a, std_a = [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]
    mean_b, std_b = [1.0, 2.0, 0.0, 0.0], [2.0, 1.0, 0.5, 1.0]
    a, b = _gaussian(1, 20_000, mean_a, std_a), _gaussian(2, 20_000, mean_b, std_b)
    expected = sum((x - y) ** 2 for x, y in zip(mean_a, mean_b, strict=True)) + sum(
        (x - y) ** 2 for x, y in zip(std_a, std_b, strict=True)
    )
    assert expected == pytest.approx(6.25)
    # measured over 20 seeds: standard deviation 0.05, bias +0.016 at this sample size
    assert frechet_distance(a, b) == pytest.approx(expected, abs=0.2)


def test_frechet_distance_between_two_samples_of_one_distribution_is_small() -> None:
    a = _gaussian(3, 5_000, [0.0] * 4, [1.0] * 4)
    b = _gaussian(4, 5_000, [0.0] * 4, [1.0] * 4)
    assert 0.0 <= frechet_distance(a, b) < 0.05


def test_frechet_distance_is_symmetric() -> None:
    a = _gaussian(5, 300, [0.0, 1.0, 2.0], [1.0, 2.0, 0.5])
    b = _gaussian(6, 300, [1.0, 0.0, 2.0], [0.7, 1.0, 1.5])
    assert frechet_distance(a, b) == pytest.approx(frechet_distance(b, a), rel=1e-9)


def test_frechet_distance_grows_with_mean_shift_as_its_square() -> None:
    a = _gaussian(7, 400, [0.0, 0.0, 0.0], [1.0, 1.0, 1.0])
    shifts = [0.0, 0.5, 1.0, 2.0, 4.0]
    distances = [frechet_distance(a, a + s) for s in shifts]
    assert distances == sorted(distances)
    assert distances[0] < distances[1]
    for s, d in zip(shifts, distances, strict=True):
        assert d == pytest.approx(3 * s * s, abs=1e-6)  # same covariance: only ||shift||^2 is left


def test_frechet_distance_accepts_float32_features() -> None:
    a = _gaussian(8, 200, [0.0, 0.0], [1.0, 1.0]).astype(np.float32)
    assert frechet_distance(a, a + 1) == pytest.approx(2.0, abs=1e-4)


# --- class histogram, coverage, KL ----------------------------------------------------------------


def test_class_histogram_counts_shares_including_empty_classes() -> None:
    hist = class_histogram(np.array([0, 0, 1, 3]), 4)
    assert np.allclose(hist, [0.5, 0.25, 0.0, 0.25])
    assert hist.sum() == pytest.approx(1.0)
    assert class_histogram(np.array([2, 2]), 5).tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]


def test_class_histogram_of_no_predictions_is_all_zero() -> None:
    assert class_histogram(np.array([], dtype=np.int64), 3).tolist() == [0.0, 0.0, 0.0]


def test_classes_covered_uses_ten_percent_of_the_prior_share() -> None:
    prior = np.full(4, 0.25)
    assert classes_covered(np.array([0.5, 0.25, 0.0, 0.25]), prior) == 3
    # 0.025 is exactly 10% of 0.25 (covered); 0.024 is not
    assert classes_covered(np.array([0.951, 0.025, 0.024, 0.0]), prior) == 2
    assert classes_covered(np.full(4, 0.25), prior) == 4
    assert classes_covered(np.array([1.0, 0.0, 0.0, 0.0]), prior) == 1


def test_kl_divergence_of_equal_distributions_is_zero() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.4])
    assert kl_divergence(p, p) == pytest.approx(0.0, abs=1e-12)


def test_kl_divergence_has_the_known_value_for_a_simple_case() -> None:
    p, q = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    expected = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)
    assert kl_divergence(p, q) == pytest.approx(expected, abs=1e-5)
    assert kl_divergence(q, p) != pytest.approx(expected, abs=1e-3)  # KL is not symmetric


def test_kl_divergence_is_finite_with_an_empty_class() -> None:
    uniform = np.array([0.5, 0.5])
    collapsed = np.array([1.0, 0.0])
    # an empty class in p: KL(p || q) tends to log 2
    assert kl_divergence(collapsed, uniform) == pytest.approx(math.log(2), abs=1e-4)
    # an empty class in q: infinite without smoothing, finite (and large) with it
    large = kl_divergence(uniform, collapsed)
    assert math.isfinite(large)
    assert large > 5.0


# --- conditional accuracy -------------------------------------------------------------------------


def test_conditional_accuracy_is_the_share_of_matching_predictions() -> None:
    assert conditional_accuracy(np.array([0, 1, 2, 2]), np.array([0, 1, 1, 2])) == 0.75
    assert conditional_accuracy(np.array([3, 3]), np.array([3, 3])) == 1.0
    assert conditional_accuracy(np.array([0, 1]), np.array([1, 0])) == 0.0


# --- precision and recall -------------------------------------------------------------------------


def test_precision_recall_of_identical_sets_is_one_and_one() -> None:
    real = _gaussian(10, 200, [0.0, 0.0], [1.0, 1.0])
    precision, recall = precision_recall(real, real.copy())
    assert precision == pytest.approx(1.0)
    assert recall == pytest.approx(1.0)


def test_precision_recall_of_a_far_away_fake_set_is_zero_and_zero() -> None:
    real = _gaussian(11, 200, [0.0, 0.0], [1.0, 1.0])
    fake = _gaussian(12, 200, [100.0, 100.0], [1.0, 1.0])
    assert precision_recall(real, fake) == (0.0, 0.0)


def test_precision_recall_of_a_collapsed_fake_set_is_high_precision_low_recall() -> None:
    real = _gaussian(13, 200, [0.0, 0.0], [1.0, 1.0])
    fake = real[0] + 1e-3 * np.random.default_rng(14).normal(size=(200, 2))
    precision, recall = precision_recall(real, fake)
    assert precision >= 0.95
    assert recall <= 0.02


def test_precision_recall_of_a_fresh_sample_of_the_same_distribution_is_high() -> None:
    real = _gaussian(15, 300, [0.0, 0.0], [1.0, 1.0])
    fake = _gaussian(16, 300, [0.0, 0.0], [1.0, 1.0])
    precision, recall = precision_recall(real, fake)
    assert precision > 0.8
    assert recall > 0.8


def test_precision_recall_of_a_narrow_fake_set_is_high_precision_low_recall() -> None:
    real = _gaussian(17, 300, [0.0, 0.0], [1.0, 1.0])
    narrow = _gaussian(18, 300, [0.0, 0.0], [0.2, 0.2])
    precision, recall = precision_recall(real, narrow)
    assert precision > 0.95
    assert recall < 0.5
