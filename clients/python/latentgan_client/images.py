"""Image helpers: tile a batch into a grid, save PNGs and GIFs, load an image file as an array.

Images are uint8 arrays laid out as the API sends them: a batch N x H x W x C (N x H x W for
grey) and one image H x W x C (or H x W). numpy and Pillow only.
"""

from __future__ import annotations

import math
import os

import numpy as np
import numpy.typing as npt
from PIL import Image

from latentgan_client._models import ImageArray

__all__ = ["grid", "load", "save_gif", "save_grid", "save_png"]

_MODES = {1: "L", 3: "RGB", 4: "RGBA"}


def _batch(images: npt.ArrayLike) -> ImageArray:
    """A uint8 batch as N x H x W x C, a grey N x H x W batch gaining C = 1."""
    array = np.asarray(images)
    if array.dtype != np.uint8:
        raise ValueError(f"images must be uint8; got {array.dtype}")
    if array.ndim == 3:
        array = array[..., np.newaxis]
    if array.ndim != 4 or array.shape[0] == 0:
        raise ValueError(f"images must be a non-empty N x H x W x C batch; got {array.shape}")
    return array


def _pil(image: npt.ArrayLike) -> Image.Image:
    """One uint8 H x W x C (C in 1, 3, 4) or H x W image as a Pillow image."""
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise ValueError(f"image must be uint8; got {array.dtype}")
    if array.ndim == 2:
        array = array[..., np.newaxis]
    if array.ndim != 3 or array.shape[2] not in _MODES:
        raise ValueError(f"image must be H x W x C with C in 1, 3, 4; got {array.shape}")
    channels = array.shape[2]
    return Image.fromarray(array[..., 0] if channels == 1 else array, _MODES[channels])


def _pixels(image: Image.Image) -> ImageArray:
    """A Pillow image's pixels as uint8 H x W x C with C in 1, 3, 4: grey (and bilevel) as L,
    anything with alpha (or a transparent palette) as RGBA, other colour modes as RGB.

    Images with more than 8 bits a channel (I;16, I, F) are a ValueError: narrowing them would
    be a guess."""
    mode = image.mode
    if mode.startswith("I") or mode == "F":
        raise ValueError(f"only 8-bit images are supported; got a {mode} image (convert it first)")
    if mode not in _MODES.values():
        if mode == "1":
            target = "L"
        elif "A" in mode or "a" in mode or (mode == "P" and "transparency" in image.info):
            target = "RGBA"
        else:
            target = "RGB"
        image = image.convert(target)
    array = np.asarray(image, dtype=np.uint8)
    return array.reshape(array.shape[0], array.shape[1], -1)


def load(path: str | os.PathLike[str]) -> ImageArray:
    """Read an image file (any format Pillow reads; the first frame of an animation) as uint8
    H x W x C: grey as C = 1, with alpha as 4, other colour as 3. An unreadable file, or one with
    more than 8 bits a channel, is a ValueError naming it."""
    try:
        image = Image.open(path)
        image.load()
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValueError(f"cannot read {os.fspath(path)!r} as an image: {error}") from None
    with image:
        try:
            return _pixels(image)
        except ValueError as error:
            raise ValueError(f"cannot read {os.fspath(path)!r}: {error}") from None


def grid(images: npt.ArrayLike, columns: int | None = None, padding: int = 2) -> ImageArray:
    """Tile a batch into one image, row by row, `padding` black pixels around and between tiles.

    `columns` defaults to ceil(sqrt(N)), the squarest grid; the last row may be short."""
    batch = _batch(images)
    count, height, width, channels = batch.shape
    columns = columns or math.ceil(math.sqrt(count))
    if columns <= 0 or padding < 0:
        raise ValueError(
            f"columns must be positive and padding not negative; got {columns}, {padding}"
        )
    rows = math.ceil(count / columns)
    step_y, step_x = height + padding, width + padding
    out = np.zeros((rows * step_y + padding, columns * step_x + padding, channels), np.uint8)
    for index, image in enumerate(batch):
        y = padding + (index // columns) * step_y
        x = padding + (index % columns) * step_x
        out[y : y + height, x : x + width] = image
    return out


def save_png(image: npt.ArrayLike, path: str | os.PathLike[str]) -> None:
    """Write one uint8 image (H x W x C, or H x W) as a PNG file."""
    _pil(image).save(path, format="PNG")


def save_grid(
    images: npt.ArrayLike, path: str | os.PathLike[str], columns: int | None = None
) -> None:
    """Write a batch as one PNG grid (see grid())."""
    save_png(grid(images, columns), path)


def save_gif(
    frames: npt.ArrayLike, path: str | os.PathLike[str], frame_ms: int = 120, bounce: bool = True
) -> None:
    """Write frames (an interpolation, say) as a looping GIF, `frame_ms` milliseconds each.

    With `bounce` the animation plays forwards then backwards (without repeating either end
    frame), so a walk between two latent points loops without a jump."""
    batch = _batch(frames)
    if bounce and len(batch) > 2:
        batch = np.concatenate([batch, batch[-2:0:-1]])
    first, *rest = [_pil(frame) for frame in batch]
    first.save(path, format="GIF", save_all=True, append_images=rest, duration=frame_ms, loop=0)
