"""Turning generator output into pixels and files: uint8 arrays, PNG grids and strips, GIFs, .npy.

Images move between latentgan's parts as uint8 numpy arrays N×H×W×C (C = 1 or 3): the layout
image libraries, gRPC messages and users expect.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import Tensor

from latentgan.errors import ConfigError

IMAGE_SUFFIXES = (".png", ".npy")
ANIMATION_SUFFIXES = (".gif", ".png", ".npy")


def to_uint8(images: Tensor) -> np.ndarray:
    """Generator output in [-1, 1] (N×C×H×W) -> uint8 N×H×W×C, rounding to the nearest level."""
    x = torch.nan_to_num(images.detach().float().cpu(), nan=0.0)
    levels = ((x + 1.0) * 127.5).round().clamp(0, 255)
    return levels.to(torch.uint8).permute(0, 2, 3, 1).contiguous().numpy()


def grid(images: np.ndarray, columns: int | None = None, padding: int = 2) -> np.ndarray:
    """Tile N×H×W×C images into one (rows·H)×(columns·W)×C image with ``padding`` black pixels."""
    n, h, w, c = images.shape
    columns = columns or max(1, math.ceil(math.sqrt(n)))
    rows = math.ceil(n / columns)
    out = np.zeros((rows * (h + padding) + padding, columns * (w + padding) + padding, c), np.uint8)
    for i, image in enumerate(images):
        r, col = divmod(i, columns)
        y, x = padding + r * (h + padding), padding + col * (w + padding)
        out[y : y + h, x : x + w] = image
    return out


def _pil(image: np.ndarray) -> Image.Image:
    return Image.fromarray(image[..., 0] if image.shape[-1] == 1 else image)


def encode_png(image: np.ndarray) -> bytes:
    """One H×W×C uint8 image as the bytes of a PNG file."""
    out = io.BytesIO()
    _pil(image).save(out, format="PNG")
    return out.getvalue()


def save_png(image: np.ndarray, path: Path) -> None:
    """One H×W×C uint8 image to a PNG file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _pil(image).save(path)


def save_gif(frames: np.ndarray, path: Path, frame_ms: int = 120, bounce: bool = True) -> None:
    """Frames (T×H×W×C uint8) as a looping GIF; ``bounce`` plays the walk back and forth."""
    sequence = list(frames) + (list(frames[-2:0:-1]) if bounce else [])
    pil_frames = [_pil(f) for f in sequence]
    path.parent.mkdir(parents=True, exist_ok=True)
    pil_frames[0].save(path, save_all=True, append_images=pil_frames[1:], duration=frame_ms, loop=0)


def check_output(path: Path, allowed: tuple[str, ...]) -> str:
    """The output's lower-cased suffix, or a ConfigError if it is not one of ``allowed``.

    Callers check before doing any work, so a bad name costs nothing.
    """
    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise ConfigError(f"--out must end in {', '.join(allowed)}, got {path}", field="out")
    return suffix


def write_samples(images: np.ndarray, path: Path) -> None:
    """Samples to ``path``: a PNG grid, or the raw N×H×W×C uint8 array as .npy."""
    if check_output(path, IMAGE_SUFFIXES) == ".png":
        save_png(grid(images), path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, images)


def write_frames(frames: np.ndarray, path: Path) -> None:
    """Interpolation frames to ``path``: a GIF, a one-row PNG strip, or a .npy array."""
    suffix = check_output(path, ANIMATION_SUFFIXES)
    if suffix == ".gif":
        save_gif(frames, path)
    elif suffix == ".png":
        save_png(grid(frames, columns=len(frames)), path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, frames)


def write_edit_grid(images: np.ndarray, path: Path) -> None:
    """An edit grid (rows × strengths × H×W×C uint8) to ``path``: a PNG with a row per latent and
    a column per strength, a GIF whose frames step through the strengths (each frame the rows
    side by side), or the .npy array."""
    suffix = check_output(path, ANIMATION_SUFFIXES)
    rows, strengths = images.shape[:2]
    if suffix == ".png":
        save_png(grid(images.reshape(-1, *images.shape[2:]), columns=strengths), path)
    elif suffix == ".gif":
        save_gif(np.stack([grid(images[:, j], columns=rows) for j in range(strengths)]), path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, images)
