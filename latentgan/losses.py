"""GAN objectives and the stabilisers' loss terms, as pure functions of logits and images.

- ``ns``: the non-saturating BCE objective of Goodfellow et al. 2014 / DCGAN.
- ``hinge``: Lim & Ye 2017, Miyato et al. 2018.
- ``wgan-gp``: Gulrajani et al. 2017 — critic difference plus a gradient penalty at random
  interpolates of real and fake.
- rotation: SS-GAN's 4-way cross-entropy on rotated images (Chen et al. 2019).
- VDB: the dual update of beta towards the information constraint I_c (Peng et al. 2018).
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor

from latentgan.config import Loss


def discriminator_loss(kind: Loss, real: Tensor, fake: Tensor) -> Tensor:
    """The discriminator's (critic's) loss from its logits on real and fake images."""
    if kind == "ns":
        return F.softplus(-real).mean() + F.softplus(fake).mean()
    if kind == "hinge":
        return F.relu(1.0 - real).mean() + F.relu(1.0 + fake).mean()
    if kind == "wgan-gp":
        return fake.mean() - real.mean()  # the gradient penalty is added by the caller
    raise ValueError(f"unknown loss {kind!r}")


def generator_loss(kind: Loss, fake: Tensor) -> Tensor:
    """The generator's loss from the discriminator's logits on its images."""
    if kind == "ns":
        return F.softplus(-fake).mean()
    if kind in ("hinge", "wgan-gp"):
        return -fake.mean()
    raise ValueError(f"unknown loss {kind!r}")


def gradient_penalty(
    critic: Callable[[Tensor], Tensor], real: Tensor, fake: Tensor, noise: torch.Generator | None
) -> Tensor:
    """WGAN-GP's (||grad critic(x_hat)|| - 1)^2 at random points between real and fake images."""
    alpha = torch.rand(
        (real.shape[0], 1, 1, 1), generator=noise, device=real.device, dtype=real.dtype
    )
    x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    grad: Tensor = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)[0]
    penalty: Tensor = (grad.flatten(1).norm(dim=1) - 1).square().mean()
    return penalty


def rotate_quarter_turns(images: Tensor) -> tuple[Tensor, Tensor]:
    """Each image at 0, 90, 180 and 270 degrees (4N images) and the rotation index of each."""
    rotated = torch.cat([torch.rot90(images, k, dims=(2, 3)) for k in range(4)])
    targets = torch.arange(4, device=images.device).repeat_interleave(images.shape[0])
    return rotated, targets


def rotation_loss(rotation_logits: Tensor, targets: Tensor) -> Tensor:
    """Cross-entropy of the rotation head against the true quarter turns."""
    return F.cross_entropy(rotation_logits.float(), targets)


def vdb_beta_update(
    beta: float, kl: float, information_constraint: float, step_size: float
) -> float:
    """VDB's dual ascent: beta grows while the bottleneck carries more than I_c nats."""
    return max(0.0, beta + step_size * (kl - information_constraint))
