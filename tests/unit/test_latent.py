"""Tests for latentgan.latent: the seeded-latent contract, truncation, interpolation, arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from latentgan.errors import ConfigError
from latentgan.latent import (
    MAX_SEED,
    arithmetic,
    interpolate,
    lerp,
    seeded_latent,
    seeded_latents,
    slerp,
    truncate,
)

# --- the documented scheme, reimplemented here from the module docstring --------------------------


def documented_latent(seed: int, index: int, dim: int) -> np.ndarray:
    """The module docstring's steps 1-4, written independently of latentgan's code."""
    n_words = dim + (dim % 2)
    words = [int(w) for w in np.random.Philox(key=seed + (index << 64)).random_raw(n_words)]
    u = [((w >> 11) + 0.5) / 2.0**53 for w in words]
    out: list[float] = []
    for u1, u2 in zip(u[0::2], u[1::2], strict=True):
        r = math.sqrt(-2.0 * math.log(u1))
        out += [r * math.cos(2.0 * math.pi * u2), r * math.sin(2.0 * math.pi * u2)]
    return np.array(out[:dim], dtype=np.float64).astype(np.float32)


_MASK64 = 2**64 - 1


def philox4x64_10(counter: list[int], key: list[int]) -> list[int]:
    """Philox4x64-10 (Salmon et al. 2011) in plain Python, for checking NumPy's raw stream."""
    c, k = list(counter), list(key)
    for _ in range(10):
        p0, p1 = 0xD2E7470EE14C6C93 * c[0], 0xCA5A826395121157 * c[2]
        c = [(p1 >> 64) ^ c[1] ^ k[0], p1 & _MASK64, (p0 >> 64) ^ c[3] ^ k[1], p0 & _MASK64]
        k = [(k[0] + 0x9E3779B97F4A7C15) & _MASK64, (k[1] + 0xBB67AE8584CAA73B) & _MASK64]
    return c


# --- seeded sampling ------------------------------------------------------------------------------


def test_seeded_latent_is_deterministic_float32_of_requested_dim() -> None:
    a, b = seeded_latent(42, 5, 16), seeded_latent(42, 5, 16)
    assert a.dtype == np.float32
    assert a.shape == (16,)
    assert np.array_equal(a, b)


@pytest.mark.parametrize(("n", "start"), [(1, 3), (4, 0), (10, 1), (7, 3)])
def test_row_for_seed_and_index_does_not_depend_on_batch_size_or_start(n: int, start: int) -> None:
    batch = seeded_latents(11, n, 6, start=start)
    assert batch.shape == (n, 6)
    assert batch.dtype == torch.float32
    for i in range(n):
        assert np.array_equal(batch[i].numpy(), seeded_latent(11, start + i, 6))


def test_overlapping_batches_agree_on_shared_indices() -> None:
    first, second = seeded_latents(3, 8, 10, start=0), seeded_latents(3, 5, 10, start=5)
    assert torch.equal(first[5:], second[:3])


def test_seeded_latents_with_zero_rows_is_empty_float32() -> None:
    empty = seeded_latents(0, 0, 4)
    assert empty.shape == (0, 4)
    assert empty.dtype == torch.float32


def test_seeded_latents_negative_n_raises_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        seeded_latents(0, -1, 4)
    assert info.value.field == "n"


def test_different_seeds_and_indices_give_different_latents() -> None:
    base = seeded_latent(1, 0, 8)
    assert not np.array_equal(base, seeded_latent(2, 0, 8))
    assert not np.array_equal(base, seeded_latent(1, 1, 8))
    # seed and index are separate halves of the key: (seed=1, index=0) is not (seed=0, index=1)
    assert not np.array_equal(seeded_latent(0, 1, 8), base)
    rows = seeded_latents(1, 50, 8).numpy()
    assert len({row.tobytes() for row in rows}) == 50


def test_lower_dims_are_a_prefix_of_higher_dims() -> None:
    assert np.array_equal(seeded_latent(9, 2, 7), seeded_latent(9, 2, 8)[:7])
    assert np.array_equal(seeded_latent(9, 2, 1), seeded_latent(9, 2, 8)[:1])


@pytest.mark.parametrize("dim", [1, 3, 5, 9])
def test_odd_dims_have_the_right_length_and_match_the_documented_scheme(dim: int) -> None:
    z = seeded_latent(5, 1, dim)
    assert z.shape == (dim,)
    assert np.all(np.isfinite(z))
    assert np.array_equal(z, documented_latent(5, 1, dim))


def test_latents_are_approximately_standard_normal() -> None:
    # 400 × 50 = 20,000 draws: the standard error of the mean is 1/sqrt(20000) ≈ 0.0071 and of
    # the std about 1/sqrt(2·20000) ≈ 0.005, so ±0.03 is beyond 4 standard errors for both.
    z = seeded_latents(123, 400, 50).numpy().astype(np.float64).reshape(-1)
    assert abs(z.mean()) < 0.03
    assert abs(z.std() - 1.0) < 0.03
    # the normal's tails: about 4.55% of draws beyond 2 sigma (binomial s.e. ≈ 0.15%)
    assert abs(np.mean(np.abs(z) > 2.0) - 0.0455) < 0.008
    # no correlation between neighbouring coordinates (the two halves of a Box-Muller pair)
    pairs = z.reshape(-1, 2)
    assert abs(np.corrcoef(pairs[:, 0], pairs[:, 1])[0, 1]) < 0.05


GOLDEN = {
    (0, 0, 4): [0.15853384, 2.9828794, -1.925692, -0.82492554],
    (7, 3, 5): [-0.19543858, -1.192012, -0.9871625, 2.2375968, 0.2954235],
}


@pytest.mark.parametrize(("seed", "index", "dim"), list(GOLDEN))
def test_golden_values_are_pinned(seed: int, index: int, dim: int) -> None:
    expected = np.array(GOLDEN[(seed, index, dim)], dtype=np.float32)
    assert np.array_equal(seeded_latent(seed, index, dim), expected)


@pytest.mark.parametrize(("seed", "index", "dim"), list(GOLDEN))
def test_golden_values_follow_the_documented_scheme(seed: int, index: int, dim: int) -> None:
    expected = np.array(GOLDEN[(seed, index, dim)], dtype=np.float32)
    assert np.array_equal(documented_latent(seed, index, dim), expected)


def test_documented_scheme_matches_code_for_large_seeds_and_indices() -> None:
    for seed, index in [(MAX_SEED, 0), (0, MAX_SEED), (2**63 + 5, 2**40 + 1), (MAX_SEED, MAX_SEED)]:
        assert np.array_equal(seeded_latent(seed, index, 6), documented_latent(seed, index, 6))


def test_raw_words_are_philox4x64_10_blocks_keyed_seed_then_index() -> None:
    # Known-answer vector from Random123 (kat_vectors): philox4x64_10, counter 0 and key 0.
    assert philox4x64_10([0, 0, 0, 0], [0, 0]) == [
        0x16554D9ECA36314C,
        0xDB20FE9D672D0FDC,
        0xD7E772CEE186176B,
        0x7E68B68AEC7BA23B,
    ]
    # NumPy's Philox(key=seed + index·2**64) emits key words (seed, index) and — because NumPy
    # increments its counter before each block — the blocks at counters 1, 2, ... (not 0).
    seed, index = 7, 3
    raw = [int(w) for w in np.random.Philox(key=seed + (index << 64)).random_raw(8)]
    blocks = philox4x64_10([1, 0, 0, 0], [seed, index]) + philox4x64_10([2, 0, 0, 0], [seed, index])
    assert raw == blocks


@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1, 2**70])
def test_out_of_range_seed_raises_config_error_naming_seed(seed: int) -> None:
    with pytest.raises(ConfigError) as info:
        seeded_latent(seed, 0, 4)
    assert info.value.field == "seed"
    with pytest.raises(ConfigError) as info_batch:
        seeded_latents(seed, 2, 4)
    assert info_batch.value.field == "seed"


def test_out_of_range_index_raises_config_error_naming_index() -> None:
    with pytest.raises(ConfigError) as info:
        seeded_latent(0, -1, 4)
    assert info.value.field == "index"
    with pytest.raises(ConfigError) as info_batch:
        seeded_latents(0, 2, 4, start=MAX_SEED)  # the second row would be index 2**64
    assert info_batch.value.field == "index"


def test_extreme_in_range_seeds_are_accepted() -> None:
    assert np.all(np.isfinite(seeded_latent(0, 0, 4)))
    assert np.all(np.isfinite(seeded_latent(MAX_SEED, MAX_SEED, 4)))


# --- truncation -----------------------------------------------------------------------------------


def test_truncate_scales_by_psi() -> None:
    z = seeded_latents(0, 3, 8)
    assert torch.equal(truncate(z, 1.0), z)
    assert torch.equal(truncate(z, 0.0), torch.zeros_like(z))
    assert torch.allclose(truncate(z, 0.5), z / 2)
    assert torch.allclose(truncate(z, 0.7).norm(dim=1), 0.7 * z.norm(dim=1))


@pytest.mark.parametrize("psi", [-0.1, 1.01, 2.0])
def test_truncate_out_of_range_raises_config_error(psi: float) -> None:
    with pytest.raises(ConfigError) as info:
        truncate(torch.ones(2, 4), psi)
    assert info.value.field == "truncation"


# --- interpolation --------------------------------------------------------------------------------


def _pair(dim: int = 16) -> tuple[torch.Tensor, torch.Tensor]:
    z = seeded_latents(4, 2, dim)
    return z[0], z[1]


def test_lerp_endpoints_are_exact_and_midpoint_is_the_average() -> None:
    a, b = _pair()
    path = lerp(a, b, torch.tensor([0.0, 0.5, 1.0]))
    assert path.shape == (3, 16)
    assert torch.equal(path[0], a)
    assert torch.equal(path[2], b)
    assert torch.allclose(path[1], (a + b) / 2, atol=1e-6)


def test_slerp_endpoints_are_exact() -> None:
    a, b = _pair()
    path = slerp(a, b, torch.tensor([0.0, 1.0]))
    assert path.dtype == a.dtype
    assert torch.equal(path[0], a)
    assert torch.equal(path[1], b)


def test_slerp_keeps_the_norm_for_equal_norm_endpoints_where_lerp_does_not() -> None:
    a, b = _pair(32)
    b = b * (a.norm() / b.norm())
    t = torch.linspace(0, 1, 11)
    spherical, straight = slerp(a, b, t), lerp(a, b, t)
    assert torch.allclose(spherical.norm(dim=1), a.norm().expand(11), rtol=1e-5)
    # the straight line cuts inside the sphere: its midpoint is clearly shorter
    assert straight[5].norm() < 0.9 * a.norm()


def test_slerp_keeps_norm_between_endpoint_norms_and_stays_on_the_plane() -> None:
    a = torch.tensor([3.0, 0.0, 0.0])
    b = torch.tensor([0.0, 3.0, 0.0])
    path = slerp(a, b, torch.linspace(0, 1, 5))
    assert torch.allclose(path.norm(dim=1), torch.full((5,), 3.0))
    assert torch.equal(path[:, 2], torch.zeros(5))
    # a quarter circle: t=0.5 is at 45 degrees
    s = 3.0 / math.sqrt(2.0)
    assert torch.allclose(path[2], torch.tensor([s, s, 0.0]))


@pytest.mark.parametrize("scale", [2.0, -1.0])
def test_slerp_falls_back_to_lerp_for_parallel_vectors_without_nan(scale: float) -> None:
    a = torch.tensor([1.0, 2.0, -0.5, 0.25])
    b = scale * a
    t = torch.linspace(0, 1, 7)
    path = slerp(a, b, t)
    assert not torch.isnan(path).any()
    assert torch.allclose(path, lerp(a, b, t))


def test_interpolate_gives_steps_rows_with_exact_endpoints() -> None:
    a, b = _pair()
    for method in ("lerp", "slerp"):
        path = interpolate(a, b, 6, method)
        assert path.shape == (6, 16)
        assert torch.equal(path[0], a)
        assert torch.equal(path[-1], b)
    assert torch.allclose(interpolate(a, b, 3, "lerp")[1], (a + b) / 2, atol=1e-6)


def test_interpolate_defaults_to_slerp() -> None:
    a, b = _pair()
    assert torch.equal(interpolate(a, b, 5), interpolate(a, b, 5, "slerp"))
    assert not torch.allclose(interpolate(a, b, 5), interpolate(a, b, 5, "lerp"))


@pytest.mark.parametrize("steps", [1, 0, -3])
def test_interpolate_with_fewer_than_two_steps_raises_config_error(steps: int) -> None:
    a, b = _pair()
    with pytest.raises(ConfigError) as info:
        interpolate(a, b, steps)
    assert info.value.field == "steps"


def test_interpolate_with_unknown_method_raises_config_error() -> None:
    a, b = _pair()
    with pytest.raises(ConfigError) as info:
        interpolate(a, b, 4, "cubic")  # type: ignore[arg-type]
    assert info.value.field == "method"


# --- arithmetic -----------------------------------------------------------------------------------


def test_arithmetic_is_a_minus_b_plus_c() -> None:
    a = torch.tensor([1.0, 2.0, 3.0])
    b = torch.tensor([0.5, -1.0, 3.0])
    c = torch.tensor([10.0, 0.0, -2.0])
    assert torch.equal(arithmetic(a, b, c), torch.tensor([10.5, 3.0, -2.0]))
    assert torch.equal(arithmetic(a, a, c), c)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**64 - 1),
    start=st.integers(0, 2**40),
    n=st.integers(1, 300),
    dim=st.integers(1, 200),
)
def test_a_batch_of_rows_is_the_scheme_row_by_row(seed: int, start: int, n: int, dim: int) -> None:
    # seeded_latents transforms all rows in one array; each row must still be the scheme's own
    batch = seeded_latents(seed, n, dim, start=start).numpy()
    for i in sorted({0, n // 2, n - 1}):
        assert np.array_equal(batch[i], documented_latent(seed, start + i, dim))
