"""Train requests: options read as `latentgan train` flags; jobs read as TrainJob messages."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from flows.jobs import JobInfo, JobState, job_run_dir
from flows.progress import TrainProgress
from latentgan.artifacts import ArtifactStore
from latentgan.cli import (
    build_parser,
    train_job_from_args,
    train_job_from_request,
    train_request_options,
)
from latentgan.errors import ConfigError
from latentgan.pipeline import REGISTERED, default_name
from latentgan_client.v1 import latentgan_pb2 as pb
from services.training import grid_batch, job_message, train_parameters

JOB_ID = "12345678-1234-5678-1234-567812345678"
CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
STARTED = datetime(2026, 3, 1, 12, 5, 30, tzinfo=UTC)
ENDED = datetime(2026, 3, 1, 13, 0, tzinfo=UTC)


def _from_flags(*flags: str) -> object:
    return train_job_from_args(build_parser().parse_args(["train", *flags]))


def _field(excinfo: pytest.ExceptionInfo[ConfigError]) -> str | None:
    return excinfo.value.field


# --- latentgan.cli: train_job_from_request ------------------------------------------------------


def test_fields_and_options_give_the_same_job_as_flags() -> None:
    job = train_job_from_request(
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
    job = train_job_from_request("mnist5k")
    assert job == _from_flags("--dataset", "mnist5k")
    assert job.name is None and job.train.loss == "ns" and job.model.latent_dim == 100
    assert job.run_dir is None and not job.resume


def test_epochs_travel_as_a_float() -> None:
    job = train_job_from_request("digits", epochs=2.5)
    assert job.train.epochs == 2.5 and job.train.steps is None
    assert job == _from_flags("--dataset", "digits", "--epochs", "2.5")


def test_false_leaves_a_flag_off() -> None:
    for value in ("false", "0", "no", "", " False "):
        job = train_job_from_request("digits", options={"spectral_norm": value, "vdb": value})
        assert not job.model.spectral_norm and job.model.vdb_dim == 0
    assert train_job_from_request("digits", options={"vdb": "true"}).model.vdb_dim == 32


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
        train_job_from_request("digits", **kwargs)  # type: ignore[arg-type]
    assert _field(caught) == field


def test_request_options_are_the_non_default_non_field_flags() -> None:
    args = build_parser().parse_args(
        ["train", "--dataset", "digits", "--name", "tiny", "--steps", "40", "--loss", "wgan-gp",
         "--latent-dim", "8", "--spectral-norm", "--batch-size", "16", "--lr-d", "0.0002",
         "--ssl-rotation-g", "0.1", "--no-eval", "--seed", "7", "--batch-size", "16"]
    )  # fmt: skip
    assert train_request_options(args) == {
        "spectral_norm": "true",
        "batch_size": "16",
        "lr_d": "0.0002",
        "ssl_rotation_g": "0.1",
        "no_eval": "true",
        "seed": "7",
    }
    bare = build_parser().parse_args(["train", "--dataset", "digits", "--device", "cpu"])
    assert train_request_options(bare) == {}


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
    job = train_job_from_request(
        args.dataset,
        name=args.name,
        conditional=args.conditional,
        epochs=args.epochs,
        steps=args.steps,
        latent_dim=args.latent_dim,
        loss=args.loss,
        options=train_request_options(args),
    )
    assert job == train_job_from_args(args)


# --- services.training: train_parameters ---------------------------------------------------------


def test_train_parameters_of_a_full_request() -> None:
    request = pb.TrainRequest(
        dataset=" digits ",
        name="tiny",
        conditional=True,
        steps=20,
        latent_dim=16,
        loss=pb.LOSS_HINGE,
        options={"batch_size": "32"},
    )
    assert train_parameters(request) == {
        "dataset": "digits",
        "name": "tiny",
        "conditional": True,
        "epochs": None,
        "steps": 20,
        "latent_dim": 16,
        "loss": "hinge",
        "options": {"batch_size": "32"},
    }


def test_unset_optionals_are_none_and_the_name_comes_from_the_data_set() -> None:
    parameters = train_parameters(pb.TrainRequest(dataset="mnist5k", conditional=True))
    assert parameters["name"] == default_name("mnist5k", True) == "mnist5k-cond"
    assert parameters["epochs"] is None and parameters["steps"] is None
    assert parameters["latent_dim"] is None and parameters["loss"] is None
    assert parameters["options"] == {}
    assert train_parameters(pb.TrainRequest(dataset="digits"))["name"] == "digits"


def test_epochs_are_a_float() -> None:
    parameters = train_parameters(pb.TrainRequest(dataset="digits", epochs=3))
    assert parameters["epochs"] == 3.0 and isinstance(parameters["epochs"], float)


@pytest.mark.parametrize(
    ("loss", "name"),
    [(pb.LOSS_NS, "ns"), (pb.LOSS_HINGE, "hinge"), (pb.LOSS_WGAN_GP, "wgan-gp")],
)
def test_loss_enum(loss: pb.Loss.ValueType, name: str) -> None:
    assert train_parameters(pb.TrainRequest(dataset="digits", loss=loss))["loss"] == name


def test_a_path_data_set_is_accepted() -> None:
    parameters = train_parameters(pb.TrainRequest(dataset="data/x.npz"))
    assert parameters["dataset"] == "data/x.npz"
    assert parameters["name"] == default_name("data/x.npz", False) == "x"


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (pb.TrainRequest(), "dataset"),
        (pb.TrainRequest(dataset="   "), "dataset"),
        (pb.TrainRequest(dataset="nope"), "dataset"),
        (pb.TrainRequest(dataset="digits", name="bad name"), "name"),
        (pb.TrainRequest(dataset="digits", name="-x"), "name"),
        (pb.TrainRequest(dataset="digits", loss=99), "loss"),  # type: ignore[arg-type]
        (pb.TrainRequest(dataset="digits", options={"warp": "1"}), "options.warp"),
        (pb.TrainRequest(dataset="digits", options={"lr_g": "3"}), "options.lr_g"),
        (pb.TrainRequest(dataset="digits", latent_dim=0), "latent_dim"),
    ],
)
def test_train_parameters_name_the_bad_field(request_: pb.TrainRequest, field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        train_parameters(request_)
    assert _field(caught) == field


# --- services.training: job_message and grid_batch -----------------------------------------------


def _job(state: JobState, **kwargs: object) -> JobInfo:
    return JobInfo(
        id=JOB_ID,
        request_id="req-1",
        state=state,
        parameters={"name": "tiny", "dataset": "digits"},
        message="CUDA out of memory",
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("queued", pb.JOB_STATE_QUEUED),
        ("running", pb.JOB_STATE_RUNNING),
        ("succeeded", pb.JOB_STATE_SUCCEEDED),
        ("failed", pb.JOB_STATE_FAILED),
        ("cancelled", pb.JOB_STATE_CANCELLED),
    ],
)
def test_job_message_states(
    state: JobState, expected: pb.JobState.ValueType, tmp_path: Path
) -> None:
    message = job_message(_job(state), None, ArtifactStore(tmp_path))
    assert message.state == expected
    assert (message.id, message.request_id, message.name, message.dataset) == (
        JOB_ID,
        "req-1",
        "tiny",
        "digits",
    )
    assert message.error == ("CUDA out of memory" if state == "failed" else "")
    assert message.step == 0 and message.total_steps == 0 and message.model == ""
    assert not message.HasField("create_time") and not message.HasField("end_time")


def test_job_message_copies_progress_and_times(tmp_path: Path) -> None:
    job = _job("running", created=CREATED, started=STARTED)
    progress = TrainProgress(step=120, total_steps=500, losses={"d": 0.7})
    message = job_message(job, progress, ArtifactStore(tmp_path))
    assert (message.step, message.total_steps) == (120, 500)
    assert message.create_time.ToDatetime(tzinfo=UTC) == CREATED
    assert message.start_time.ToDatetime(tzinfo=UTC) == STARTED
    assert message.start_time.seconds == int(STARTED.timestamp())
    assert not message.HasField("end_time")
    ended = job_message(_job("failed", ended=ENDED), progress, ArtifactStore(tmp_path))
    assert ended.end_time.ToDatetime(tzinfo=UTC) == ENDED


def test_a_succeeded_job_without_registration_has_no_model(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    run_dir = job_run_dir(store.runs_dir, "tiny", JOB_ID)
    run_dir.mkdir(parents=True)  # the run happened, but registered nothing
    message = job_message(_job("succeeded", ended=ENDED), None, store)
    assert message.state == pb.JOB_STATE_SUCCEEDED
    assert message.model == "" and dict(message.metrics) == {}
    assert message.error == ""


def test_a_succeeded_job_whose_version_was_deleted_has_no_model(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    run_dir = job_run_dir(store.runs_dir, "tiny", JOB_ID)
    run_dir.mkdir(parents=True)
    (run_dir / REGISTERED).write_text(json.dumps({"ref": "tiny@3"}))
    message = job_message(_job("succeeded"), None, store)
    assert message.model == "" and dict(message.metrics) == {}


def _png(mode: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(("mode", "channels"), [("L", 1), ("RGB", 3)])
def test_grid_batch_shape(mode: str, channels: int) -> None:
    png = _png(mode, (30, 20))  # width 30, height 20
    batch = grid_batch(png)
    assert list(batch.shape) == [1, 20, 30, channels]
    assert batch.encoding == pb.IMAGE_ENCODING_PNG
    assert list(batch.png) == [png]
