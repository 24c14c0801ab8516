"""services.training: Train requests to flow parameters; jobs read as TrainJob messages."""

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
from latentgan.errors import ConfigError
from latentgan.pipeline import REGISTERED, default_name
from latentgan_client.v1 import latentgan_pb2 as pb
from services.training import grid_batch, job_message, train_parameters

JOB_ID = "12345678-1234-5678-1234-567812345678"
CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
STARTED = datetime(2026, 3, 1, 12, 5, 30, tzinfo=UTC)
ENDED = datetime(2026, 3, 1, 13, 0, tzinfo=UTC)


def _field(excinfo: pytest.ExceptionInfo[ConfigError]) -> str | None:
    return excinfo.value.field


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


def test_a_path_data_set_is_accepted_inside_a_configured_root(tmp_path: Path) -> None:
    root = tmp_path / "sets"
    (root / "data").mkdir(parents=True)
    path = root / "data" / "x.npz"
    parameters = train_parameters(pb.TrainRequest(dataset=str(path)), roots=(root,))
    assert parameters["dataset"] == str(path.resolve())
    assert parameters["name"] == default_name(str(path), False) == "x"


@pytest.mark.parametrize(
    "dataset",
    [
        "/etc/passwd",  # outside every root
        "{root}/../outside.npz",  # climbs out
        "{root}/link/x.npz",  # a link inside that points outside
        "sets/x.npz",  # relative: the training worker's folder is not the caller's business
        "~/x.npz",
    ],
)
def test_a_remote_train_may_not_name_paths_outside_the_roots(tmp_path: Path, dataset: str) -> None:
    root = tmp_path / "sets"
    root.mkdir()
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(ConfigError, match="data set roots") as caught:
        train_parameters(pb.TrainRequest(dataset=dataset.format(root=root)), roots=(root,))
    assert _field(caught) == "dataset"


def test_without_roots_a_remote_train_names_built_in_sets_only(tmp_path: Path) -> None:
    assert train_parameters(pb.TrainRequest(dataset="MNIST5K"))["dataset"] == "MNIST5K"
    with pytest.raises(ConfigError, match="LATENTGAN_DATASET_ROOTS is not set") as caught:
        train_parameters(pb.TrainRequest(dataset=str(tmp_path / "x.npz")))
    assert _field(caught) == "dataset"


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
        (pb.TrainRequest(dataset="d" * 5000), "dataset"),
        (pb.TrainRequest(dataset="digits", request_id="r" * 129), "request_id"),
        (pb.TrainRequest(dataset="digits", options={f"k{i}": "1" for i in range(65)}), "options"),
        (pb.TrainRequest(dataset="digits", options={"lr_g": "1" * 300}), "options"),
        (pb.TrainRequest(dataset="digits", name="n" * 5000), "name"),
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
