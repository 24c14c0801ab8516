"""Tests for latentgan.images: uint8 conversion, grids, sample and frame files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import GifImagePlugin, Image

from latentgan.errors import ConfigError
from latentgan.images import grid, to_uint8, write_frames, write_samples


def _numbered(n: int, h: int = 4, w: int = 3, c: int = 1) -> np.ndarray:
    """n images, image i filled with the value 10 + 20·i (distinct, non-zero, non-padding)."""
    return np.stack([np.full((h, w, c), 10 + 20 * i, np.uint8) for i in range(n)])


# --- to_uint8 -------------------------------------------------------------------------------------


def test_to_uint8_maps_the_ends_and_the_middle_of_the_range() -> None:
    out = to_uint8(torch.tensor([-1.0, 0.0, 1.0]).reshape(1, 1, 1, 3))
    assert out.dtype == np.uint8
    assert out.reshape(-1).tolist() == [0, 128, 255]


def test_to_uint8_rounds_to_the_nearest_level() -> None:
    x = torch.linspace(-1, 1, 1001, dtype=torch.float32)
    expected = np.clip(np.rint((x.numpy() + np.float32(1.0)) * np.float32(127.5)), 0, 255)
    out = to_uint8(x.reshape(1, 1, 1, -1)).reshape(-1)
    assert np.array_equal(out, expected.astype(np.uint8))
    # a few by hand: 0.5 -> 191.25 -> 191; -0.5 -> 63.75 -> 64; 0.99 -> 253.7 -> 254
    hand = to_uint8(torch.tensor([0.5, -0.5, 0.99]).reshape(1, 1, 1, 3)).reshape(-1)
    assert hand.tolist() == [191, 64, 254]


def test_to_uint8_clamps_out_of_range_values() -> None:
    out = to_uint8(torch.tensor([-5.0, -1.001, 1.001, 7.0]).reshape(1, 1, 1, 4))
    assert out.reshape(-1).tolist() == [0, 0, 255, 255]


def test_to_uint8_moves_channels_last() -> None:
    images = torch.zeros(2, 3, 4, 5)
    images[:, 1] = 1.0  # green channel full
    images[1, 2] = -1.0
    out = to_uint8(images)
    assert out.shape == (2, 4, 5, 3)
    assert out.flags["C_CONTIGUOUS"]
    assert np.all(out[..., 1] == 255)
    assert np.all(out[0, ..., 0] == 128)
    assert np.all(out[1, ..., 2] == 0)


def test_to_uint8_accepts_tensors_that_require_grad_and_other_dtypes() -> None:
    x = torch.zeros(1, 1, 2, 2, requires_grad=True)
    assert np.all(to_uint8(x) == 128)
    assert np.all(to_uint8(torch.ones(1, 1, 2, 2, dtype=torch.float64)) == 255)


# --- grid -----------------------------------------------------------------------------------------


def test_grid_of_five_uses_three_columns_two_rows_and_two_pixel_padding() -> None:
    images = _numbered(5)  # 4×3 each
    out = grid(images)
    # rows·(h + pad) + pad = 2·6 + 2; columns·(w + pad) + pad = 3·5 + 2
    assert out.shape == (14, 17, 1)
    assert out.dtype == np.uint8
    for i in range(5):
        r, c = divmod(i, 3)
        y, x = 2 + r * 6, 2 + c * 5
        assert np.all(out[y : y + 4, x : x + 3] == 10 + 20 * i), i
    # everything else is black padding (and the empty sixth cell)
    mask = np.ones(out.shape[:2], bool)
    for i in range(5):
        r, c = divmod(i, 3)
        mask[2 + r * 6 : 6 + r * 6, 2 + c * 5 : 5 + c * 5] = False
    assert np.all(out[mask] == 0)


def test_grid_honours_columns_and_padding() -> None:
    out = grid(_numbered(5, c=3), columns=5, padding=0)
    assert out.shape == (4, 15, 3)
    assert np.array_equal(out[:, 3:6], _numbered(5, c=3)[1])
    assert grid(_numbered(4), columns=1, padding=1).shape == (4 * 5 + 1, 3 + 2, 1)


def test_grid_of_a_perfect_square_is_square_in_cells() -> None:
    assert grid(_numbered(9, h=2, w=2)).shape == (3 * 4 + 2, 3 * 4 + 2, 1)
    assert grid(_numbered(1, h=2, w=2)).shape == (6, 6, 1)


# --- write_samples --------------------------------------------------------------------------------


@pytest.mark.parametrize(("channels", "mode"), [(1, "L"), (3, "RGB")])
def test_write_samples_png_is_the_grid(tmp_path: Path, channels: int, mode: str) -> None:
    images = _numbered(5, c=channels)
    path = tmp_path / "sub" / "samples.png"
    write_samples(images, path)
    with Image.open(path) as im:
        assert im.size == (17, 14)  # (width, height)
        assert im.mode == mode
        pixels = np.asarray(im)
    assert np.array_equal(pixels.reshape(14, 17, channels), grid(images))


def test_write_samples_npy_round_trips_exactly(tmp_path: Path) -> None:
    images = np.random.default_rng(0).integers(0, 256, (3, 4, 5, 3), dtype=np.uint8)
    path = tmp_path / "deep" / "samples.npy"
    write_samples(images, path)
    back = np.load(path)
    assert back.dtype == np.uint8
    assert np.array_equal(back, images)


def test_write_samples_accepts_upper_case_suffix(tmp_path: Path) -> None:
    write_samples(_numbered(2), tmp_path / "SAMPLES.PNG")
    with Image.open(tmp_path / "SAMPLES.PNG") as im:
        assert im.format == "PNG"


@pytest.mark.parametrize("name", ["samples.jpg", "samples.gif", "samples"])
def test_write_samples_bad_suffix_raises_config_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError) as info:
        write_samples(_numbered(2), tmp_path / name)
    assert info.value.field == "out"
    assert not (tmp_path / name).exists()


# --- write_frames ---------------------------------------------------------------------------------


def test_write_frames_gif_bounces_back_and_forth(tmp_path: Path) -> None:
    frames = _numbered(4)  # T = 4 distinct frames
    path = tmp_path / "walk.gif"
    write_frames(frames, path)
    with Image.open(path) as im:
        assert isinstance(im, GifImagePlugin.GifImageFile)
        assert im.n_frames == 2 * 4 - 2
        assert im.size == (3, 4)
        values = []
        for i in range(im.n_frames):
            im.seek(i)
            values.append(int(np.asarray(im.convert("L")).mean()))
    assert values == [10, 30, 50, 70, 50, 30]


def test_write_frames_gif_of_rgb_frames_is_readable(tmp_path: Path) -> None:
    path = tmp_path / "walk.gif"
    write_frames(_numbered(3, c=3), path)
    with Image.open(path) as im:
        assert isinstance(im, GifImagePlugin.GifImageFile)
        assert im.n_frames == 2 * 3 - 2
        assert im.info.get("loop") == 0


def test_write_frames_png_is_a_one_row_strip(tmp_path: Path) -> None:
    frames = _numbered(6)
    path = tmp_path / "strip.png"
    write_frames(frames, path)
    with Image.open(path) as im:
        assert im.size == (6 * (3 + 2) + 2, 4 + 2 * 2)
        pixels = np.asarray(im)
    assert np.array_equal(pixels[:, :, None], grid(frames, columns=6))


def test_write_frames_npy_round_trips_exactly(tmp_path: Path) -> None:
    frames = np.random.default_rng(1).integers(0, 256, (5, 4, 4, 1), dtype=np.uint8)
    path = tmp_path / "frames.npy"
    write_frames(frames, path)
    assert np.array_equal(np.load(path), frames)


def test_write_frames_bad_suffix_raises_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        write_frames(_numbered(3), tmp_path / "walk.mp4")
    assert info.value.field == "out"
