"""DCGAN generator and discriminator, unconditional or class-conditional, with the stabilisers.

References: Radford et al. 2015 (DCGAN); Miyato et al. 2018 (spectral normalization) and Miyato &
Koyama 2018 (projection discriminator); Chen et al. 2019 (SS-GAN rotation head); Peng et al. 2018
(variational discriminator bottleneck, VDB).

Both networks start (G) or end (D) at a small square ``base`` resolution — 7×7 for 28×28 images,
4×4 for 32×32 and 64×64 — and double or halve it with stride-2 4×4 (transposed) convolutions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import torch
from torch import Tensor, nn
from torch.nn.utils.parametrizations import spectral_norm

from latentgan.config import ModelConfig


def _layout(image_size: int) -> tuple[int, int]:
    """(base resolution, number of stride-2 stages) for a supported image size."""
    base = 7 if image_size == 28 else 4
    stages = {28: 2, 32: 3, 64: 4}[image_size]
    return base, stages


class Generator(nn.Module):
    """z (and optionally a class label) -> image in [-1, 1], N×C×H×W."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        base, stages = _layout(cfg.image_size)
        self.base = base
        widths = [cfg.g_width * 2 ** (stages - 1 - i) for i in range(stages)]  # e.g. 128, 64
        self.embed = nn.Embedding(cfg.num_classes, cfg.class_embed_dim) if cfg.conditional else None
        in_dim = cfg.latent_dim + (cfg.class_embed_dim if cfg.conditional else 0)
        self.project = nn.Sequential(
            nn.Linear(in_dim, widths[0] * base * base, bias=False),
            nn.BatchNorm1d(widths[0] * base * base),
            nn.ReLU(inplace=True),
        )
        layers: list[nn.Module] = []
        for _ in range(cfg.base_convs):
            layers += [
                nn.Conv2d(widths[0], widths[0], 3, 1, 1, bias=False),
                nn.BatchNorm2d(widths[0]),
                nn.ReLU(inplace=True),
            ]
        for c_in, c_out in pairwise(widths):
            layers += [
                nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False),
                nn.BatchNorm2d(c_out),
                nn.ReLU(inplace=True),
            ]
        layers += [nn.ConvTranspose2d(widths[-1], cfg.channels, 4, 2, 1), nn.Tanh()]
        self.body = nn.Sequential(*layers)
        self.apply(_dcgan_init)

    def class_embedding(self, labels: Tensor) -> Tensor:
        """The label embeddings G is conditioned on (N×class_embed_dim); interpolate these."""
        if self.embed is None:
            raise ValueError("an unconditional generator has no class embedding")
        out: Tensor = self.embed(labels)
        return out

    def forward(
        self, z: Tensor, labels: Tensor | None = None, class_embedding: Tensor | None = None
    ) -> Tensor:
        """Images for latents z (N×latent_dim); conditional models need labels or embeddings."""
        if self.embed is not None:
            if class_embedding is None:
                if labels is None:
                    raise ValueError("a conditional generator needs labels")
                class_embedding = self.class_embedding(labels)
            z = torch.cat([z, class_embedding.to(z.dtype)], dim=1)
        h = self.project(z).view(z.shape[0], -1, self.base, self.base)  # N×C0×base×base
        out: Tensor = self.body(h)
        return out


@dataclass
class DiscriminatorOutput:
    """What one discriminator pass yields; optional parts are None when the head is off."""

    logits: Tensor  # (N,) real/fake score
    rotation_logits: Tensor | None = None  # (N, 4) SS-GAN head
    kl: Tensor | None = None  # scalar mean KL of the VDB posterior to N(0, I)


class Discriminator(nn.Module):
    """Image (and optionally a class label) -> real/fake logit, plus the stabilisers' heads."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        base, stages = _layout(cfg.image_size)
        widths = [cfg.d_width * 2**i for i in range(stages)]  # e.g. 64, 128
        layers: list[nn.Module] = [nn.Conv2d(cfg.channels, widths[0], 4, 2, 1), _lrelu()]
        shapes = [(c_in, c_out, 4, 2) for c_in, c_out in pairwise(widths)]
        shapes += [(widths[-1], widths[-1], 3, 1)] * cfg.base_convs
        for c_in, c_out, kernel, stride in shapes:
            layers.append(nn.Conv2d(c_in, c_out, kernel, stride, 1, bias=cfg.d_norm == "none"))
            if cfg.d_norm == "batch":
                layers.append(nn.BatchNorm2d(c_out))
            layers.append(_lrelu())
        self.body = nn.Sequential(*layers)
        self.minibatch_std = cfg.minibatch_std
        feat_dim = (widths[-1] + int(cfg.minibatch_std)) * base * base
        self.bottleneck = nn.Linear(feat_dim, 2 * cfg.vdb_dim) if cfg.vdb_dim else None
        head_dim = cfg.vdb_dim or feat_dim
        self.head = nn.Linear(head_dim, 1)
        self.project = nn.Embedding(cfg.num_classes, head_dim) if cfg.conditional else None
        self.rotation = nn.Linear(head_dim, 4) if cfg.rotation_head else None
        self.apply(_dcgan_init)
        if cfg.spectral_norm:
            for m in list(self.modules()):
                if isinstance(m, nn.Conv2d | nn.Linear | nn.Embedding):
                    spectral_norm(m)

    def forward(
        self, x: Tensor, labels: Tensor | None = None, noise: torch.Generator | None = None
    ) -> DiscriminatorOutput:
        """Score images; ``noise`` seeds the VDB's reparameterised sample (training only)."""
        h: Tensor = self.body(x)  # N×C×base×base
        if self.minibatch_std:
            h = torch.cat([h, _minibatch_std(h)], dim=1)
        h = h.flatten(1)  # N×feat_dim
        kl = None
        if self.bottleneck is not None:
            mu, log_var = self.bottleneck(h).chunk(2, dim=1)
            kl = 0.5 * (mu.square() + log_var.exp() - 1 - log_var).sum(dim=1).mean()
            if self.training:
                eps = torch.randn(mu.shape, generator=noise, device=mu.device, dtype=mu.dtype)
                h = mu + (0.5 * log_var).exp() * eps
            else:
                h = mu
        logits = self.head(h).squeeze(1)
        if self.project is not None:
            if labels is None:
                raise ValueError("a conditional discriminator needs labels")
            logits = logits + (self.project(labels) * h).sum(dim=1)  # projection term <e_y, phi(x)>
        rotation = self.rotation(h) if self.rotation is not None else None
        return DiscriminatorOutput(logits, rotation, kl)


def _minibatch_std(h: Tensor, group: int = 4) -> Tensor:
    """One extra channel: the feature spread within groups of ``group`` images (ProGAN).

    A collapsed generator makes batches whose images agree; this lets D see that directly.
    """
    n, _, height, width = h.shape
    g = group if n % group == 0 else 1 if n == 1 else math.gcd(n, group)
    if g == 1:
        return h.new_zeros(n, 1, height, width)
    spread = h.view(g, n // g, *h.shape[1:]).float().var(dim=0, unbiased=False)
    spread = (spread + 1e-8).sqrt().mean(dim=(1, 2, 3))  # (n // g,)
    return spread.to(h.dtype).repeat(g).view(n, 1, 1, 1).expand(n, 1, height, width)


def _lrelu() -> nn.Module:
    return nn.LeakyReLU(0.2, inplace=True)


def _dcgan_init(m: nn.Module) -> None:
    """DCGAN's initialisation: N(0, 0.02) weights, N(1, 0.02) BatchNorm scales."""
    if isinstance(m, nn.Conv2d | nn.ConvTranspose2d | nn.Linear | nn.Embedding):
        nn.init.normal_(m.weight, 0.0, 0.02)
        bias = getattr(m, "bias", None)
        if isinstance(bias, Tensor):
            nn.init.zeros_(bias)
    elif isinstance(m, nn.BatchNorm1d | nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def build_models(cfg: ModelConfig, seed: int = 0) -> tuple[Generator, Discriminator]:
    """A freshly initialised (G, D) pair; the same seed gives the same weights everywhere."""
    cfg.validate()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return Generator(cfg), Discriminator(cfg)
