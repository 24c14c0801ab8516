"""Write the example digits: the first held-out mnist5k digit of each class, as PNG files.

``examples/digits/D.png`` is a real digit D that no default model trained on (the held-out split
of ``latentgan.data.split_dataset``, which is the same on every machine): the main job projects
and completes them, and they are ready for ``latentgan project --image examples/digits/3.png``.

    python tools/export_digits.py [--out examples/digits]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from latentgan.data import load_dataset, split_dataset
from latentgan.images import save_png


def main() -> None:
    """Write one PNG per class."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("examples/digits"))
    args = parser.parse_args()
    _, held_out = split_dataset(load_dataset("mnist5k"))
    labels = np.asarray(held_out.labels)
    args.out.mkdir(parents=True, exist_ok=True)
    for digit in range(10):
        index = int(np.flatnonzero(labels == digit)[0])
        save_png(held_out.images[index].permute(1, 2, 0).numpy(), args.out / f"{digit}.png")
    print(f"wrote 10 held-out digits to {args.out}")


if __name__ == "__main__":
    main()
