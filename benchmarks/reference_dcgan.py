"""The classic pytorch/examples DCGAN recipe, as the baseline latentgan is measured against.

Radford et al.'s architecture as the PyTorch example builds it (64×64 images, ngf = ndf = 64,
BatchNorm, a sigmoid discriminator trained with BCE, Adam 2e-4 / beta1 0.5, batch 64) fed the way
the example feeds it: a DataLoader over a map-style data set whose ``__getitem__`` turns each
28×28 digit into a PIL image, resizes it to 64×64, converts it to a tensor and normalises it, with
the example's two loader workers. torchvision cannot be imported here, so its three transforms are
written out with Pillow and numpy.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset

from latentgan.data import ImageDataset

NZ, NGF, NDF, IMAGE_SIZE, BATCH = 100, 64, 64, 64, 64


class PerSampleImages(Dataset[Tensor]):
    """Resize(64) -> ToTensor -> Normalize((0.5,), (0.5,)), one image per call."""

    def __init__(self, data: ImageDataset) -> None:
        self.images = data.images.numpy()  # N×1×28×28 uint8

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> Tensor:
        pil = Image.fromarray(self.images[i, 0]).resize(
            (IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.BILINEAR
        )
        x = torch.from_numpy(np.asarray(pil, np.float32) / 255.0).unsqueeze(0)
        return (x - 0.5) / 0.5


def _weights_init(m: nn.Module) -> None:
    if isinstance(m, nn.Conv2d | nn.ConvTranspose2d):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def reference_generator() -> nn.Module:
    """netG: z (N×100×1×1) -> 1×64×64."""

    def up(c_in: int, c_out: int, stride: int = 2, pad: int = 1) -> list[nn.Module]:
        return [
            nn.ConvTranspose2d(c_in, c_out, 4, stride, pad, bias=False),
            nn.BatchNorm2d(c_out),
            nn.ReLU(True),
        ]

    net = nn.Sequential(
        *up(NZ, NGF * 8, 1, 0),
        *up(NGF * 8, NGF * 4),
        *up(NGF * 4, NGF * 2),
        *up(NGF * 2, NGF),
        nn.ConvTranspose2d(NGF, 1, 4, 2, 1, bias=False),
        nn.Tanh(),
    )
    net.apply(_weights_init)
    return net


def reference_discriminator() -> nn.Module:
    """netD: 1×64×64 -> probability of real."""

    def down(c_in: int, c_out: int) -> list[nn.Module]:
        return [
            nn.Conv2d(c_in, c_out, 4, 2, 1, bias=False),
            nn.BatchNorm2d(c_out),
            nn.LeakyReLU(0.2, inplace=True),
        ]

    net = nn.Sequential(
        nn.Conv2d(1, NDF, 4, 2, 1, bias=False),
        nn.LeakyReLU(0.2, inplace=True),
        *down(NDF, NDF * 2),
        *down(NDF * 2, NDF * 4),
        *down(NDF * 4, NDF * 8),
        nn.Conv2d(NDF * 8, 1, 4, 1, 0, bias=False),
        nn.Sigmoid(),
    )
    net.apply(_weights_init)
    return net


class ReferenceDCGAN:
    """The example's training loop, one batch per ``step``; ``sample`` gives images in [-1, 1]."""

    def __init__(self, data: ImageDataset, seed: int = 0, workers: int = 2) -> None:
        torch.manual_seed(seed)
        self.g, self.d = reference_generator(), reference_discriminator()
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.loader = DataLoader(
            PerSampleImages(data),
            batch_size=BATCH,
            shuffle=True,
            num_workers=workers,
            persistent_workers=workers > 0,
        )
        self.criterion = nn.BCELoss()
        self._batches = iter(self.loader)

    def _next_batch(self) -> Tensor:
        try:
            batch: Tensor = next(self._batches)
        except StopIteration:
            self._batches = iter(self.loader)
            batch = next(self._batches)
        return batch

    def step(self) -> int:
        """One D and one G update; returns the number of real images used."""
        real = self._next_batch()
        b = real.shape[0]
        self.d.zero_grad()
        label = torch.full((b,), 1.0)
        err_real = self.criterion(self.d(real).view(-1), label)
        err_real.backward()
        fake = self.g(torch.randn(b, NZ, 1, 1))
        label.fill_(0.0)
        err_fake = self.criterion(self.d(fake.detach()).view(-1), label)
        err_fake.backward()
        self.opt_d.step()
        self.g.zero_grad()
        label.fill_(1.0)
        err_g = self.criterion(self.d(fake).view(-1), label)
        err_g.backward()
        self.opt_g.step()
        return b

    @torch.no_grad()
    def sample(self, z: Tensor) -> Tensor:
        """Images for latents z (N×100) as the example makes its ``fake_samples`` grids.

        The example never switches netG to eval mode, so its images use batch statistics; this
        does the same (eval mode with the running averages is much worse this early).
        """
        out: Tensor = self.g(z.view(len(z), NZ, 1, 1))
        return out
