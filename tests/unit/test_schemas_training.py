"""The training request schema: CLI flags, Train fields and options all map to one TrainRequest."""

from __future__ import annotations

from typing import Any

import pytest

from latentgan.cli import build_parser
from latentgan.cli.flags import train_request
from latentgan.errors import ConfigError
from latentgan.pipeline import TrainJob
from latentgan.schemas.training import TrainRequest


def _job(request: TrainRequest) -> TrainJob:
    return request.to_job(device="auto")


def _from_flags(*flags: str) -> TrainJob:
    return _job(train_request(build_parser().parse_args(["train", *flags])))


def _from_request(dataset: str, **fields: Any) -> TrainJob:
    return _job(TrainRequest.from_fields(dataset, **fields))


def _field(excinfo: pytest.ExceptionInfo[ConfigError]) -> str | None:
    return excinfo.value.field


# --- TrainRequest.from_fields: a Train call read as `latentgan train` reads its flags ----------


def test_fields_and_options_give_the_same_job_as_flags() -> None:
    job = _from_request(
        "digits",
        name="tiny",
        conditional=True,
        steps=30,
        latent_dim=16,
        loss="hinge",
        options={
            "batch_size": "32",
            "spectral_norm": "true",
            "minibatch_std": "YES",
            "lr_g": "0.0001",
            "ema_decay": "0",
            "ssl_rotation": "0.5",
            "image_size": "32",
            "no_eval": "1",
            "g_width": "8",
        },
    )
    expected = _from_flags(
        "--dataset", "digits", "--name", "tiny", "--conditional", "--steps", "30",
        "--latent-dim", "16", "--loss", "hinge", "--batch-size", "32", "--spectral-norm",
        "--minibatch-std", "--lr-g", "0.0001", "--ema-decay", "0", "--ssl-rotation", "0.5",
        "--image-size", "32", "--no-eval", "--g-width", "8",
    )  # fmt: skip
    assert job == expected
    assert job.train.batch_size == 32 and job.model.spectral_norm and job.model.minibatch_std
    assert job.train.lr_g == 0.0001 and job.train.steps == 30 and not job.evaluate
    assert job.image_size == 32 and job.model.g_width == 8 and job.model.rotation_head


def test_defaults_match_a_bare_train_command() -> None:
    job = _from_request("mnist5k")
    assert job == _from_flags("--dataset", "mnist5k")
    assert job.name is None and job.train.loss == "ns" and job.model.latent_dim == 100
    assert job.run_dir is None and not job.resume


def test_epochs_travel_as_a_float() -> None:
    job = _from_request("digits", epochs=2.5)
    assert job.train.epochs == 2.5 and job.train.steps is None
    assert job == _from_flags("--dataset", "digits", "--epochs", "2.5")


def test_false_leaves_a_flag_off() -> None:
    for value in ("false", "0", "no", "", " False "):
        job = _from_request("digits", options={"spectral_norm": value, "vdb": value})
        assert not job.model.spectral_norm and job.model.vdb_dim == 0
    assert _from_request("digits", options={"vdb": "true"}).model.vdb_dim == 32


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"options": {"warp_drive": "1"}}, "options.warp_drive"),
        ({"options": {"device": "cuda"}}, "options.device"),  # local-only flags are not options
        ({"options": {"name": "x"}}, "options.name"),  # request fields are not options
        ({"options": {"batch_size": "x"}}, "options.batch_size"),
        ({"options": {"batch_size": "0"}}, "options.batch_size"),
        ({"options": {"spectral_norm": "maybe"}}, "options.spectral_norm"),
        ({"options": {"image_size": "48"}}, "options.image_size"),
        ({"options": {"lr_g": "3"}}, "options.lr_g"),  # argparse takes it, TrainConfig refuses it
        ({"options": {"ema_decay": "1.5"}}, "options.ema_decay"),
        ({"steps": 10, "epochs": 2.0}, "steps"),
        ({"loss": "l2"}, "loss"),
        ({"latent_dim": 0}, "latent_dim"),
        ({"epochs": -1.0}, "epochs"),
    ],
)
def test_a_bad_field_or_option_is_named(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _from_request("digits", **kwargs)
    assert _field(caught) == field


def test_request_options_are_the_non_default_non_field_flags() -> None:
    args = build_parser().parse_args(
        ["train", "--dataset", "digits", "--name", "tiny", "--steps", "40", "--loss", "wgan-gp",
         "--latent-dim", "8", "--spectral-norm", "--batch-size", "16", "--lr-d", "0.0002",
         "--ssl-rotation-g", "0.1", "--no-eval", "--seed", "7", "--batch-size", "16"]
    )  # fmt: skip
    assert train_request(args).options() == {
        "spectral_norm": "true",
        "batch_size": "16",
        "lr_d": "0.0002",
        "ssl_rotation_g": "0.1",
        "no_eval": "true",
        "seed": "7",
    }
    bare = build_parser().parse_args(["train", "--dataset", "digits", "--device", "cpu"])
    assert train_request(bare).options() == {}


@pytest.mark.parametrize(
    "flags",
    [
        ["--dataset", "digits"],
        ["--dataset", "mnist5k", "--conditional", "--epochs", "3", "--vdb", "--vdb-ic", "0.25",
         "--ema-decay", "0.99", "--d-steps", "3", "--base-convs", "2", "--eval-samples", "100"],
        ["--dataset", "data/x.npz", "--name", "x", "--steps", "5", "--loss", "wgan-gp",
         "--latent-dim", "32", "--minibatch-std", "--ssl-rotation", "1", "--ssl-rotation-g", "0",
         "--lr-g", "1e-05", "--checkpoint-every", "7", "--sample-every", "3", "--seed", "123"],
    ],
)  # fmt: skip
def test_request_options_roundtrip(flags: list[str]) -> None:
    args = build_parser().parse_args(["train", *flags])
    job = _from_request(
        args.dataset,
        name=args.name,
        conditional=args.conditional,
        epochs=args.epochs,
        steps=args.steps,
        latent_dim=args.latent_dim,
        loss=args.loss,
        options=train_request(args).options(),
    )
    assert job == _job(train_request(args))
