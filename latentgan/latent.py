"""The latent space: seeded sampling, truncation, interpolation and arithmetic.

Seeds are a contract (docs/architecture.md, decision 3). The latent vector of ``(seed, index)`` does
not depend on the batch it is drawn in, the machine, or the library versions:

1. A Philox4x64-10 counter-based generator (Salmon et al. 2011) with key words
   ``(k0, k1) = (seed, index)`` produces the blocks at counters ``(1, 0, 0, 0)``, ``(2, 0, 0, 0)``,
   ...; the four 64-bit words of each block, in order, form the raw stream. (This is NumPy's
   ``Philox(key=seed + index * 2**64)``, which increments its counter before each block and keeps
   its raw stream stable across releases.)
2. Each word ``w`` becomes a uniform ``u = ((w >> 11) + 0.5) / 2**53`` in the open interval (0, 1).
3. Consecutive pairs ``(u1, u2)`` become two standard normals by Box-Muller in float64:
   ``r = sqrt(-2 ln u1)``, ``(r cos 2*pi*u2, r sin 2*pi*u2)``; an odd dimension drops the last.
4. The float64 vector is rounded to float32.

Truncation with ``psi`` pulls every latent towards the mean of the prior (zero): ``z' = psi * z``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import torch
from torch import Tensor

from latentgan.errors import ConfigError

InterpolationMethod = Literal["lerp", "slerp"]
MAX_SEED = 2**64 - 1


def _check_key(seed: int, index: int) -> None:
    """ConfigError naming ``seed`` or ``index`` if either is outside [0, 2**64)."""
    if not 0 <= seed <= MAX_SEED:
        raise ConfigError(f"seed must be in [0, 2**64), got {seed}", field="seed")
    if not 0 <= index <= MAX_SEED:
        raise ConfigError(f"index must be in [0, 2**64), got {index}", field="index")


def _raw_words(seed: int, index: int, dim: int) -> np.ndarray:
    """Step 1 of the scheme: the raw 64-bit words of (seed, index), an even count >= dim."""
    return np.random.Philox(key=seed + (index << 64)).random_raw((dim + 1) // 2 * 2)


def _normals(words: np.ndarray, dim: int) -> np.ndarray:
    """Steps 2-4 of the scheme on rows of raw words (rows × an even count): rows × dim float32.

    Elementwise in float64 on the whole array at once, so a row's values do not depend on the
    rows beside it (tests/unit/test_latent.py checks them against the scheme row by row)."""
    u = ((words >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0**53
    u1, u2 = u[:, 0::2], u[:, 1::2]
    r = np.sqrt(-2.0 * np.log(u1))
    theta = 2.0 * np.pi * u2
    z = np.stack([r * np.cos(theta), r * np.sin(theta)], axis=2).reshape(len(words), -1)
    return z[:, :dim].astype(np.float32)


def seeded_latent(seed: int, index: int, dim: int) -> np.ndarray:
    """The latent vector for (seed, index): float32, shape (dim,); see the module's scheme."""
    _check_key(seed, index)
    row: np.ndarray = _normals(_raw_words(seed, index, dim)[None], dim)[0]
    return row


def seeded_latents(seed: int, n: int, dim: int, start: int = 0) -> Tensor:
    """Latents for indices ``start .. start+n-1`` of ``seed``, as an n×dim float32 tensor."""
    if n < 0:
        raise ConfigError(f"n must be >= 0, got {n}", field="n")
    if not n:
        return torch.empty(0, dim)
    _check_key(seed, start)
    _check_key(seed, start + n - 1)
    words = np.stack([_raw_words(seed, start + i, dim) for i in range(n)])
    return torch.from_numpy(_normals(words, dim))


def cycle_labels(n: int, num_classes: int) -> Tensor:
    """0, 1, ..., K-1, 0, 1, ...: the labels of conditional images when none are asked for."""
    return torch.arange(n) % num_classes


def truncate(z: Tensor, psi: float) -> Tensor:
    """Pull latents towards the prior's mean: psi=1 leaves them, psi=0 gives the mean image."""
    if not 0.0 <= psi <= 1.0:
        raise ConfigError(f"truncation must be in [0, 1], got {psi}", field="truncation")
    return z * psi


def lerp(a: Tensor, b: Tensor, t: Tensor) -> Tensor:
    """Straight-line interpolation; t (shape (T,)) in [0, 1] gives T rows."""
    t = t.to(a.dtype).unsqueeze(-1)
    return a.unsqueeze(0) * (1 - t) + b.unsqueeze(0) * t


def slerp(a: Tensor, b: Tensor, t: Tensor) -> Tensor:
    """Spherical interpolation (Shoemake 1985) — the path a Gaussian latent's norm expects.

    Falls back to lerp when a and b are (anti)parallel, where the great circle is undefined.
    """
    a64, b64, t64 = a.double(), b.double(), t.double().unsqueeze(-1)
    cos = torch.dot(a64, b64) / (a64.norm() * b64.norm()).clamp_min(1e-12)
    omega = torch.arccos(cos.clamp(-1.0, 1.0))
    if omega.abs() < 1e-6 or (torch.pi - omega).abs() < 1e-6:
        return lerp(a, b, t)
    s = torch.sin(omega)
    out = (torch.sin((1 - t64) * omega) / s) * a64 + (torch.sin(t64 * omega) / s) * b64
    return out.to(a.dtype)


def interpolate(a: Tensor, b: Tensor, steps: int, method: InterpolationMethod = "slerp") -> Tensor:
    """``steps`` points from a to b inclusive (steps×dim); the first is exactly a, the last b."""
    if steps < 2:
        raise ConfigError(f"steps must be >= 2, got {steps}", field="steps")
    t = torch.linspace(0.0, 1.0, steps, dtype=torch.float64)
    if method == "lerp":
        path = lerp(a, b, t)
    elif method == "slerp":
        path = slerp(a, b, t)
    else:
        raise ConfigError(f"method must be lerp or slerp, got {method!r}", field="method")
    path[0], path[-1] = a, b  # exact endpoints, whatever the rounding on the way
    return path


def arithmetic(z_a: Tensor, z_b: Tensor, z_c: Tensor) -> Tensor:
    """Latent arithmetic ``z_a - z_b + z_c`` (e.g. "smiling woman - woman + man")."""
    return z_a - z_b + z_c
