"""Tests for latentgan_client.images: grid layout, and PNG and GIF files that read back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence

from latentgan_client.images import grid, save_gif, save_grid, save_png


def _batch(count: int, channels: int = 1, size: int = 4) -> np.ndarray:
    """count images, image i filled with the value 10 * (i + 1), so each is distinct."""
    values = 10 * (np.arange(count, dtype=np.uint8) + 1)
    return np.broadcast_to(values[:, None, None, None], (count, size, size, channels)).copy()


def test_grid_is_squarest_by_default_with_padding_around_and_between() -> None:
    out = grid(_batch(5), padding=2)  # 3 columns, 2 rows
    assert out.shape == (2 * 4 + 3 * 2, 3 * 4 + 4 * 2, 1)
    assert out.dtype == np.uint8
    assert out[2, 2, 0] == 10 and out[2, 8, 0] == 20  # first row: images 1, 2
    assert out[8, 2, 0] == 40  # second row starts with image 4
    assert out[8, 14, 0] == 0  # the missing sixth tile stays black
    assert out[0].max() == 0 and out[:, 0].max() == 0  # the border is padding


def test_grid_columns_and_grey_batches() -> None:
    grey = _batch(6)[..., 0]  # N x H x W
    assert grid(grey, columns=6, padding=0).shape == (4, 24, 1)
    assert grid(_batch(4, channels=3), columns=1, padding=1).shape == (4 * 5 + 1, 6, 3)


@pytest.mark.parametrize(
    "images", [np.zeros((2, 4, 4, 1), np.float32), np.zeros((0, 4, 4, 1), np.uint8)]
)
def test_grid_refuses_what_is_not_a_uint8_batch(images: np.ndarray) -> None:
    with pytest.raises(ValueError, match=r"uint8|non-empty"):
        grid(images)


@pytest.mark.parametrize("channels", [1, 3])
def test_save_png_reads_back(tmp_path: Path, channels: int) -> None:
    image = _batch(1, channels)[0]
    save_png(image, tmp_path / "one.png")
    with Image.open(tmp_path / "one.png") as read:
        pixels = np.asarray(read)
    np.testing.assert_array_equal(pixels.reshape(image.shape), image)


def test_save_grid_writes_the_grid(tmp_path: Path) -> None:
    images = _batch(4, channels=3)
    save_grid(images, tmp_path / "grid.png", columns=2)
    with Image.open(tmp_path / "grid.png") as read:
        assert read.size == (2 * 4 + 3 * 2, 2 * 4 + 3 * 2)
        assert read.mode == "RGB"


# Bouncing plays 5 frames forwards and 3 back, repeating neither end.
@pytest.mark.parametrize(("bounce", "frames"), [(True, 8), (False, 5)])
def test_save_gif_frame_count(tmp_path: Path, bounce: bool, frames: int) -> None:
    path = tmp_path / "walk.gif"
    save_gif(_batch(5, channels=3), path, frame_ms=50, bounce=bounce)
    with Image.open(path) as read:
        assert sum(1 for _ in ImageSequence.Iterator(read)) == frames
        assert read.info["duration"] == 50
        assert read.info["loop"] == 0
