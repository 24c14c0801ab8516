"""The `latentgan project`, `complete` and `encoder` commands, run as a user runs them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.integration.conftest import copy_version, run_cli

DIGITS = Path(__file__).parents[2] / "examples" / "digits"


@pytest.fixture(scope="module")
def plain(store_dir: Path, conditional_model: str) -> Iterator[str]:
    """tiny-cond@1 copied as ``tiny-old`` without its encoder: a version from before encoders."""
    copy = copy_version(store_dir, "tiny-cond", "tiny-old", leave_out="encoder.*")
    yield "tiny-old"
    shutil.rmtree(copy.parent)


def test_project_writes_latents_reconstructions_and_an_edit(store_dir: Path, tmp_path: Path):
    images = [str(DIGITS / "3.png"), str(DIGITS / "7.png")]
    args = ["project", "--model", "tiny-cond", "--image", images[0], "--image", images[1]]
    args += ["--out", str(tmp_path / "z.npy"), "--reconstruction", str(tmp_path / "recon.png")]
    args += ["--then-edit", "sefa:0", "--edit-out", str(tmp_path / "edit.npy"), "--json"]
    report = json.loads(run_cli(args, store_dir).stdout)
    assert report["model"] == "tiny-cond@1" and report["method"] == "auto"
    assert [row["image"] for row in report["images"]] == images
    assert all(isinstance(row["label"], int) for row in report["images"])  # predicted
    latents = np.load(tmp_path / "z.npy")
    assert latents.shape == (2, 16) and latents.dtype == np.float32
    with Image.open(tmp_path / "recon.png") as grid:
        assert grid.height > grid.width / 2  # originals over reconstructions: two rows
    assert np.load(tmp_path / "edit.npy").shape[:2] == (2, 5)  # rows × the default strengths


def test_complete_writes_the_masked_input_completions_and_original(store_dir: Path, tmp_path: Path):
    out = tmp_path / "fill.npy"
    args = ["complete", "--model", "tiny-cond", "--image", str(DIGITS / "2.png")]
    args += ["--mask", "top", "--k", "3", "--steps", "10", "--out", str(out)]
    done = run_cli(args, store_dir)
    assert "wrote 3 completions" in done.stdout
    fills = np.load(out)
    with Image.open(DIGITS / "2.png") as image:
        original = np.asarray(image.convert("L"))
    assert fills.shape == (3, 28, 28, 1)
    assert (fills[:, 14:, :, 0] == original[14:]).all()  # the known bottom half, exactly


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["project", "--model", "tiny-cond", "--image", "missing.png"], "missing.png"),
        (["project", "--model", "tiny", "--image", str(DIGITS / "1.png"), "--label", "3"],
         "unconditional"),
        (["project", "--model", "tiny-cond", "--image", str(DIGITS / "1.png"), "--then-edit",
          "sefa:0"], "--edit-out"),
        (["complete", "--model", "tiny-cond", "--image", str(DIGITS / "1.png"), "--mask",
          "middle", "--out", "x.png"], "unknown mask"),
        (["encoder", "--model", "tiny-cond"], "has an encoder already"),
    ],
)  # fmt: skip
def test_mistakes_are_one_line(
    store_dir: Path, unconditional_model: str, args: list[str], message: str
):
    done = run_cli(args, store_dir, check=False)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in done.stderr


def test_an_older_version_gets_an_encoder_with_one_command(store_dir: Path, plain: str):
    before = run_cli(["project", "--model", plain, "--image", str(DIGITS / "4.png"), "--json"],
                     store_dir)  # fmt: skip
    assert json.loads(before.stdout)["method"] == "optimize"  # auto without an encoder
    done = run_cli(["encoder", "--model", plain, "--steps", "20"], store_dir)
    assert f"trained the encoder of {plain}@1: 20 steps" in done.stdout
    assert (store_dir / "models" / plain / "1" / "encoder.json").is_file()
    after = run_cli(["project", "--model", plain, "--image", str(DIGITS / "4.png"), "--json"],
                    store_dir)  # fmt: skip
    assert json.loads(after.stdout)["method"] == "auto"
