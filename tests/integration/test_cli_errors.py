"""Every CLI command answers a user's mistake with one clear line and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest

from latentgan.cli import main

BAD_INPUTS: list[tuple[list[str], int, str]] = [
    # train
    (["train"], 2, "--dataset"),
    (["train", "--dataset", "no-such-set"], 1, "unknown data set"),
    (["train", "--dataset", "mnist", "--steps", "1"], 1, "LATENTGAN_OFFLINE"),
    (["train", "--dataset", "mnist5k", "--loss", "bce"], 2, "--loss"),
    (["train", "--dataset", "mnist5k", "--steps", "0"], 2, "--steps"),
    (["train", "--dataset", "mnist5k", "--steps", "x"], 2, "--steps"),
    (["train", "--dataset", "mnist5k", "--steps", "5", "--epochs", "1"], 2, "not allowed"),
    (["train", "--dataset", "mnist5k", "--epochs", "-1"], 1, "epochs"),
    (["train", "--dataset", "mnist5k", "--name", "bad name!"], 1, "invalid model name"),
    (["train", "--dataset", "mnist5k", "--batch-size", "100000", "--steps", "1"], 1, "batch_size"),
    (["train", "--dataset", "mnist5k", "--batch-size", "4600", "--steps", "1"], 1, "exceeds"),
    (["train", "--dataset", "mnist5k", "--image-size", "30"], 2, "--image-size"),
    (["train", "--dataset", "mnist5k", "--ssl-rotation", "-1"], 2, "--ssl-rotation"),
    (["train", "--dataset", "mnist5k", "--lr-g", "3"], 1, "lr_g"),
    (["train", "--dataset", "mnist5k", "--device", "cuda", "--steps", "1"], 1, "no CUDA"),
    (["train", "--dataset", "mnist5k", "--device", "tpu9", "--steps", "1"], 1, "device"),
    (["train", "--dataset", "digits", "--steps", "1", "--out", "/dev/null"], 1, "is a file"),
    # sample
    (["sample", "--model", "tiny", "--out", "x.png", "--n", "0"], 2, "--n"),
    (["sample", "--model", "nope", "--out", "x.png"], 1, "no model named 'nope'"),
    (["sample", "--model", "tiny@7", "--out", "x.png"], 1, "no version '7'"),
    (["sample", "--model", "./missing-dir", "--out", "x.png"], 1, "no model directory"),
    (["sample", "--model", "tiny", "--out", "x.jpg"], 1, "--out must end in"),
    (["sample", "--model", "tiny", "--out", "x.png", "--labels", "3"], 1, "unconditional"),
    (["sample", "--model", "tiny-cond", "--out", "x.png", "--labels", "a,b"], 2, "--labels"),
    (["sample", "--model", "tiny-cond", "--out", "x.png", "--labels", "12"], 1, "out of range"),
    (
        ["sample", "--model", "tiny-cond", "--out", "x.png", "--n", "3", "--labels", "1,2"],
        1,
        "labels",
    ),
    (["sample", "--model", "tiny", "--out", "x.png", "--truncation", "2"], 1, "truncation"),
    (["sample", "--model", "tiny", "--out", "x.png", "--seed", "-3"], 2, "--seed"),
    (["sample", "--out", "x.png"], 2, "--model"),
    (["sample", "--model", "tiny", "--out", "/proc/no/x.png"], 1, "/proc/no"),
    # interpolate
    (["interpolate", "--model", "tiny", "--out", "x.gif", "--steps", "1"], 1, "steps"),
    (["interpolate", "--model", "tiny", "--out", "x.gif", "--method", "cubic"], 2, "--method"),
    (["interpolate", "--model", "tiny", "--out", "x.txt"], 1, "--out must end in"),
    (["interpolate", "--model", "tiny", "--out", "x.gif", "--label-a", "1"], 1, "unconditional"),
    (
        ["interpolate", "--model", "tiny-cond", "--out", "x.gif", "--label-b", "10"],
        1,
        "out of range",
    ),
    (["interpolate", "--model", "nope", "--out", "x.gif"], 1, "no model named"),
    # directions and edit
    (["directions", "--model", "tiny", "--method", "ica"], 2, "--method"),
    (["directions", "--model", "tiny", "--method", "attribute"], 1, "needs an attribute"),
    (["directions", "--model", "tiny", "--method", "sefa", "--k", "99"], 1, "latent size"),
    (["directions", "--model", "tiny", "--k", "0"], 2, "--k"),
    (["directions", "--model", "nope"], 1, "no model named"),
    (["edit", "--model", "tiny", "--direction", "sefa:99", "--out", "x.png"], 1, "'sefa:99'"),
    (["edit", "--model", "tiny", "--direction", "=3", "--out", "x.png"], 2, "--direction"),
    (["edit", "--model", "tiny", "--direction", "sefa:0", "--out", "x.jpg"], 1, "must end in"),
    (
        ["edit", "--model", "tiny", "--direction", "sefa:0", "--strengths=a", "--out", "x.png"],
        2,
        "--strengths",
    ),
    (
        ["edit", "--model", "tiny", "--direction", "sefa:0", "--strengths=200", "--out", "x.png"],
        1,
        "strength",
    ),
    (
        ["edit", "--model", "tiny", "--direction", "sefa:0", "--labels", "2", "--out", "x.png"],
        1,
        "unconditional",
    ),
    (["edit", "--model", "nope", "--direction", "sefa:0", "--out", "x.png"], 1, "no model named"),
    # evaluate and models
    (["evaluate", "--model", "nope"], 1, "no model named"),
    (["evaluate", "--model", "tiny", "--n", "0"], 2, "--n"),
    (["evaluate"], 2, "--model"),
    (["models", "--bogus"], 2, "unrecognized"),
    ([], 2, "required"),
    (["fly"], 2, "invalid choice"),
    # serve and up: a non-loopback address needs a token or mutual TLS (or --insecure), and is
    # refused before anything starts
    (["serve", "--host", "0.0.0.0", "--port", "0"], 1, "LATENTGAN_AUTH_TOKEN"),
    (["serve", "--host", "::", "--workers", "0"], 1, "refusing to listen on :::50051"),
    (["up", "--host", "0.0.0.0"], 1, "--insecure"),
    (["serve", "--insecure", "--workers", "x"], 2, "--workers"),
]


@pytest.mark.parametrize(("argv", "code", "message"), BAD_INPUTS, ids=lambda v: str(v))
def test_bad_input_is_one_line_and_a_nonzero_exit(
    argv: list[str],
    code: int,
    message: str,
    store_dir: Path,
    unconditional_model: str,
    conditional_model: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("LATENTGAN_DATA_DIR", str(store_dir))
    monkeypatch.setenv("LATENTGAN_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)
    models_before = sorted((store_dir / "models").rglob("manifest.json"))
    try:
        status = main(argv)
    except SystemExit as e:  # argparse exits on its own
        status = int(e.code or 0)
    err = capsys.readouterr().err
    assert status == code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "error" in lines[0] and message in lines[0]
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing written for a refused request
    assert sorted((store_dir / "models").rglob("manifest.json")) == models_before


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for command in ("train", "sample", "interpolate", "directions", "edit", "evaluate", "models"):
        assert command in out


def test_existing_run_without_resume_is_refused(
    store_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("LATENTGAN_DATA_DIR", str(store_dir))
    args = [
        "train",
        "--dataset",
        "digits",
        "--steps",
        "2",
        "--no-eval",
        "--out",
        str(tmp_path),
        "--g-width",
        "8",
        "--d-width",
        "8",
        "--name",
        "refuse-test",
    ]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "already holds a checkpoint" in err and "--resume" in err
