"""Train -> sample -> interpolate -> evaluate through the real command, on real data."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from latentgan.checkpoint import load_tensor_file
from latentgan.train import CHECKPOINT_FILE
from services.probe import wait_for
from services.processes import spawn

from .conftest import TINY_TRAIN, run_cli


def test_sample_is_the_same_image_at_any_n(
    store_dir: Path, conditional_model: str, tmp_path: Path
) -> None:
    one, many = tmp_path / "one.npy", tmp_path / "many.npy"
    run_cli(
        ["sample", "--model", conditional_model, "--n", "1", "--seed", "7", "--out", str(one)],
        store_dir,
    )
    run_cli(
        ["sample", "--model", conditional_model, "--n", "64", "--seed", "7", "--out", str(many)],
        store_dir,
    )
    a, b = np.load(one), np.load(many)
    assert a.shape == (1, 28, 28, 1) and b.shape == (64, 28, 28, 1) and a.dtype == np.uint8
    assert np.array_equal(a[0], b[0])
    assert len({b[i].tobytes() for i in range(64)}) == 64  # every index its own latent


def test_directions_are_listed_and_an_edit_at_strength_zero_is_the_sample(
    store_dir: Path, conditional_model: str, tmp_path: Path
) -> None:
    listed = run_cli(["directions", "--model", conditional_model, "--json"], store_dir)
    rows = json.loads(listed.stdout)
    ids = [d["id"] for d in rows["directions"]]
    assert rows["model"] == f"{conditional_model}@1"
    assert ids[:10] == [f"sefa:{i}" for i in range(10)] and "attribute:thickness" in ids
    assert all(d["score"]["changes"] for d in rows["directions"])
    edited, plain = tmp_path / "edit.npy", tmp_path / "plain.npy"
    common = ["--model", conditional_model, "--seed", "7", "--n", "3", "--labels", "4"]
    run_cli(
        ["edit", *common, "--direction", "sefa:0", "--strengths=-3,0,3", "--out", str(edited)],
        store_dir,
    )
    run_cli(["sample", *common, "--out", str(plain)], store_dir)
    grid = np.load(edited)
    assert grid.shape == (3, 3, 28, 28, 1)
    assert np.array_equal(grid[:, 1], np.load(plain))
    assert not np.array_equal(grid[:, 0], grid[:, 2])
    gif = tmp_path / "edit.gif"
    done = run_cli(
        ["edit", *common, "--direction", "sefa:0=1,attribute:thickness=0.5", "--out", str(gif)],
        store_dir,
    )
    assert "3×5 edit grid" in done.stdout
    with Image.open(gif) as animation:
        assert getattr(animation, "n_frames", 1) == 8  # five strengths, there and back


def test_interpolation_starts_and_ends_on_the_sampled_images(
    store_dir: Path, conditional_model: str, tmp_path: Path
) -> None:
    frames_path = tmp_path / "walk.npy"
    run_cli(
        [
            "interpolate",
            "--model",
            conditional_model,
            "--seed-a",
            "1",
            "--seed-b",
            "2",
            "--steps",
            "6",
            "--label-a",
            "3",
            "--label-b",
            "8",
            "--out",
            str(frames_path),
        ],
        store_dir,
    )
    frames = np.load(frames_path)
    assert frames.shape == (6, 28, 28, 1)
    for seed, label, frame in ((1, 3, frames[0]), (2, 8, frames[-1])):
        out = tmp_path / f"s{seed}.npy"
        run_cli(
            [
                "sample",
                "--model",
                conditional_model,
                "--n",
                "1",
                "--seed",
                str(seed),
                "--labels",
                str(label),
                "--out",
                str(out),
            ],
            store_dir,
        )
        assert np.array_equal(np.load(out)[0], frame)
    gif = tmp_path / "walk.gif"
    run_cli(
        [
            "interpolate",
            "--model",
            conditional_model,
            "--steps",
            "5",
            "--method",
            "lerp",
            "--out",
            str(gif),
        ],
        store_dir,
    )
    with Image.open(gif) as im:
        assert getattr(im, "n_frames", 1) == 8  # 5 frames forward and 3 back: a seamless loop


def test_unconditional_interpolation_starts_at_sample_of_seed_a(
    store_dir: Path, unconditional_model: str, tmp_path: Path
) -> None:
    run_cli(
        [
            "interpolate",
            "--model",
            unconditional_model,
            "--seed-a",
            "1",
            "--seed-b",
            "5",
            "--out",
            str(tmp_path / "w.npy"),
        ],
        store_dir,
    )
    run_cli(
        [
            "sample",
            "--model",
            unconditional_model,
            "--n",
            "1",
            "--seed",
            "1",
            "--out",
            str(tmp_path / "s.npy"),
        ],
        store_dir,
    )
    frames = np.load(tmp_path / "w.npy")
    assert frames.shape == (8, 32, 32, 1)
    assert np.array_equal(frames[0], np.load(tmp_path / "s.npy")[0])


def test_train_evaluates_registers_and_versions(store_dir: Path, tmp_path: Path) -> None:
    """A full train with evaluation: the evaluator is real (>= 97% on mnist5k held out)."""
    args = [
        "train",
        "--dataset",
        "mnist5k",
        "--conditional",
        "--steps",
        "20",
        "--name",
        "e2e",
        "--eval-samples",
        "500",
        "--json",
        *TINY_TRAIN,
    ]
    first = json.loads(run_cli(args, store_dir).stdout)
    assert first["model"] == "e2e@1"
    metrics = first["metrics"]
    assert metrics["evaluator_accuracy"] >= 0.97
    assert metrics["num_classes"] == 10 and 0 <= metrics["classes_covered"] <= 10
    assert metrics["fd"] > 0 and metrics["kl_to_prior"] >= 0
    assert 0 <= metrics["conditional_accuracy"] <= 1
    second = json.loads(run_cli(args, store_dir).stdout)
    assert second["model"] == "e2e@2"

    evaluated = json.loads(
        run_cli(["evaluate", "--model", "e2e@1", "--n", "500", "--json"], store_dir).stdout
    )
    assert evaluated["model"] == "e2e@1"
    assert evaluated["fd"] == metrics["fd"]  # same fixed evaluation latents, same evaluator

    listing = json.loads(run_cli(["models", "--json"], store_dir).stdout)
    refs = {f"{m['name']}@{m['version']}" for m in listing}
    assert {"e2e@1", "e2e@2"} <= refs
    grid = tmp_path / "grid.png"
    run_cli(
        [
            "sample",
            "--model",
            "e2e",
            "--n",
            "10",
            "--labels",
            "0,1,2,3,4,5,6,7,8,9",
            "--out",
            str(grid),
        ],
        store_dir,
    )
    with Image.open(grid) as im:
        assert im.size == (4 * 30 + 2, 3 * 30 + 2)  # 10 images in a 4-column grid, 2px padding


def _checkpoint_step(run_dir: Path) -> int:
    try:
        return int(load_tensor_file(run_dir / CHECKPOINT_FILE)[1]["step"])
    except Exception:
        return -1


def test_killed_training_resumes_to_identical_weights(store_dir: Path, tmp_path: Path) -> None:
    """SIGKILL mid-run, then ``--resume``: the same final state as a run never interrupted."""
    common = [
        "train",
        "--dataset",
        "digits",
        "--steps",
        "300",
        "--checkpoint-every",
        "10",
        "--no-eval",
        "--name",
        "resume-test",
        *TINY_TRAIN,
    ]
    run_cli([*common, "--out", str(tmp_path / "whole")], store_dir)

    killed = tmp_path / "killed"
    env = {**os.environ, "LATENTGAN_DATA_DIR": str(store_dir)}
    training = spawn(
        [sys.executable, "-m", "latentgan.cli", *common, "--out", str(killed)],
        env,
        log=tmp_path / "killed.log",
    )
    try:
        wait_for(
            lambda: _checkpoint_step(killed) >= 20 or training.poll() is not None,
            300,
            "a checkpoint at step 20",
        )
    finally:
        training.process.send_signal(signal.SIGKILL)  # mid-run (and never left running)
    assert training.process.wait() == -signal.SIGKILL, "training finished before it could be killed"
    step_at_kill = _checkpoint_step(killed)
    assert 20 <= step_at_kill < 300

    resumed = run_cli([*common, "--out", str(killed), "--resume"], store_dir)
    assert f"resuming {killed} from step {step_at_kill}" in resumed.stderr
    a, meta_a = load_tensor_file(tmp_path / "whole" / CHECKPOINT_FILE)
    b, meta_b = load_tensor_file(killed / CHECKPOINT_FILE)
    assert meta_a["step"] == meta_b["step"] == 300
    assert all(torch.equal(a[k], b[k]) for k in a)
    again = run_cli([*common, "--out", str(killed), "--resume"], store_dir)
    assert "already finished and registered resume-test@" in again.stdout  # registered once
