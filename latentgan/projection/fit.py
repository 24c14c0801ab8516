"""Real images made into a model's input: one rule for every front end.

An image may come at any size, grey or colour, as a uint8 array (H×W, H×W×1, H×W×3, H×W×4), a
PIL image, or a file path. The rule, in this order:

1. Colour to the model's channels by PIL: ``L`` (ITU-R 601-2 luma) for a grey model, ``RGB`` for
   a colour one; an alpha channel is composited onto black first (black is MNIST's background).
2. A non-square image is padded to a square with black, centred, so that nothing is cropped and
   the digit keeps its aspect ratio.
3. Resized to the model's ``image_size`` with PIL's ``BOX`` filter when shrinking (each output
   pixel the mean of the input pixels it covers, as the data sets are prepared) and ``BILINEAR``
   when enlarging.
4. Scaled from 0..255 to [-1, 1], the generator's output range (``evaluator.as_model_input``).

The same image always gives the same tensor, whatever else is fitted with it. A mask image
(``fit_mask``) follows the same rule as a grey image; a pixel is known where it is at least 128.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeAlias

import numpy as np
import torch
from PIL import Image
from torch import Tensor

from latentgan.config import ModelConfig
from latentgan.errors import ConfigError
from latentgan.evaluator import as_model_input
from latentgan.projection.complete import preset_mask

ImageLike: TypeAlias = np.ndarray | Image.Image | str | Path


def _pil(image: ImageLike, index: int, field: str) -> Image.Image:
    if isinstance(image, str | Path):
        try:
            with Image.open(image) as opened:
                opened.load()
                return opened.copy()
        except (OSError, ValueError) as e:
            raise ConfigError(f"{image} is not an image Pillow can read: {e}", field=field) from e
    if isinstance(image, Image.Image):
        return image
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise ConfigError(f"image {index} must be uint8, got {array.dtype}", field=field)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
        raise ConfigError(
            f"image {index} must be H×W, H×W×1, H×W×3 or H×W×4, got {array.shape}", field=field
        )
    if min(array.shape[:2]) < 1:
        raise ConfigError(f"image {index} is empty: {array.shape}", field=field)
    return Image.fromarray(array)


def fit_image(
    image: ImageLike, cfg: ModelConfig, index: int = 0, field: str = "images"
) -> np.ndarray:
    """One image by the module's rule, as uint8 H×W×C at the model's size and channels."""
    pil = _pil(image, index, field)
    if pil.mode in ("RGBA", "LA", "PA") or (pil.mode == "P" and "transparency" in pil.info):
        rgba = pil.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
        pil = Image.alpha_composite(background, rgba)
    pil = pil.convert("L" if cfg.channels == 1 else "RGB")
    side = max(pil.size)
    if pil.size != (side, side):
        square = Image.new(pil.mode, (side, side), 0)
        square.paste(pil, ((side - pil.width) // 2, (side - pil.height) // 2))
        pil = square
    size = cfg.image_size
    if side != size:
        resample = Image.Resampling.BOX if side > size else Image.Resampling.BILINEAR
        pil = pil.resize((size, size), resample)
    out = np.asarray(pil, dtype=np.uint8)
    return out[..., None] if out.ndim == 2 else out


def fit_images(
    images: Sequence[ImageLike] | np.ndarray, cfg: ModelConfig, field: str = "images"
) -> Tensor:
    """Images by the module's rule, as the model's input: N×C×H×W float in [-1, 1].

    A 4-D uint8 array is N images; any other array is one image."""
    if isinstance(images, np.ndarray) and images.ndim != 4:
        images = [images]
    if len(images) == 0:
        raise ConfigError("give at least one image", field=field)
    fitted = np.stack([fit_image(image, cfg, i, field) for i, image in enumerate(images)])
    return as_model_input(torch.from_numpy(fitted).permute(0, 3, 1, 2))


def fit_mask(spec: str | Path | np.ndarray, cfg: ModelConfig, seed: int = 0) -> np.ndarray:
    """Known pixels (bool H×W at the model's size): a preset name of
    ``projection.complete.preset_mask`` (``center``, ``left``, ..., ``random:P``; any string that
    is not a file is taken for one), or a mask image or boolean array by the module's rule
    (white, >= 128, is known)."""
    if isinstance(spec, str) and not Path(spec).is_file():  # a name: unknown ones are named
        return preset_mask(spec, cfg.image_size, seed)
    if isinstance(spec, np.ndarray) and spec.dtype == bool:
        spec = spec.astype(np.uint8) * 255
    grey = fit_image(spec, replace(cfg, channels=1), field="mask")[..., 0]
    return grey >= 128
