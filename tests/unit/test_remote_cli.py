"""Tests for `latentgan remote train|jobs|job|cancel` (the core CLI's commands on the remote
backend, services/cli/remote.py) and their output (latentgan/cli/output.py), without a server.

The command line is parsed for real; the SDK's Client is replaced by a scripted stand-in, so these
check what the commands send, print and exit with. The end-to-end test against a real platform
lives with the integration tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, ClassVar, cast

import grpc
import pytest

import latentgan_client
from latentgan.cli import build_parser, main
from latentgan.cli.flags import train_request
from latentgan.cli.output import Progress, TrainProgress, format_job, format_jobs
from latentgan_client import Client, Job, JobInfo, ProgressEvent, _convert
from latentgan_client.errors import NotFound, Unavailable
from latentgan_client.v1 import latentgan_pb2 as pb
from services.cli import remote

CREATED = datetime(2026, 11, 27, 9, 30, 5, tzinfo=UTC)


def _pb_job(
    state: pb.JobState.ValueType = pb.JOB_STATE_QUEUED, step: int = 0, **fields: Any
) -> pb.TrainJob:
    job = pb.TrainJob(
        id="job-1", request_id="r1", state=state, name="digits", dataset="mnist5k", step=step
    )
    job.total_steps = 100
    job.create_time.FromDatetime(CREATED)
    for key, value in fields.items():
        if key == "metrics":
            job.metrics.update(value)
        else:
            setattr(job, key, value)
    return job


def _info(state: pb.JobState.ValueType = pb.JOB_STATE_QUEUED, step: int = 0, **f: Any) -> JobInfo:
    return _convert.job_info(_pb_job(state, step, **f))


def _event(state: pb.JobState.ValueType, step: int, **fields: Any) -> ProgressEvent:
    message = pb.WatchTrainJobResponse(
        job=_pb_job(state, step, **fields),
        step=step,
        losses={"d": 0.5, "g": 1.25},
        images_per_second=480.0,
    )
    return _convert.progress_event(message)


class FakeClient:
    """Client's job methods, scripted: `watches` are played one per watch() call."""

    last: ClassVar[FakeClient | None] = None
    watches: ClassVar[list[list[ProgressEvent | BaseException]]] = []
    listed: ClassVar[list[JobInfo]] = []

    def __init__(self, address: str, token: str | None = None, **_: Any) -> None:
        self.address, self.token = address, token
        self.calls: list[tuple[str, Any]] = []
        FakeClient.last = self

    def __enter__(self) -> FakeClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        pass

    def _job(self, info: JobInfo) -> Job:
        return Job(cast(Client, self), info)

    def train(self, **kwargs: Any) -> Job:
        self.calls.append(("train", kwargs))
        return self._job(_info())

    def watch(self, job_id: str, *, timeout: float | None = None) -> Iterator[ProgressEvent]:
        self.calls.append(("watch", job_id))
        for item in FakeClient.watches.pop(0) if FakeClient.watches else []:
            if isinstance(item, BaseException):
                raise item
            yield item

    def get_job(self, job_id: str, *, timeout: float | None = None) -> Job:
        self.calls.append(("get_job", job_id))
        if job_id != "job-1":
            raise NotFound(grpc.StatusCode.NOT_FOUND, f"no training job {job_id}")
        return self._job(_info(pb.JOB_STATE_RUNNING, 40))

    def cancel(self, job_id: str, *, timeout: float | None = None) -> Job:
        self.calls.append(("cancel", job_id))
        return self._job(_info(pb.JOB_STATE_CANCELLED, 40))

    def list_jobs(self, name: str | None = None, limit: int = 20) -> list[Job]:
        self.calls.append(("list_jobs", (name, limit)))
        return [self._job(info) for info in FakeClient.listed]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeClient]:
    monkeypatch.setattr(latentgan_client, "Client", FakeClient)
    monkeypatch.setattr(remote, "RETRY_PAUSE_S", 0.0)
    FakeClient.watches, FakeClient.listed, FakeClient.last = [], [], None
    return FakeClient


def _calls() -> list[tuple[str, Any]]:
    assert FakeClient.last is not None
    return FakeClient.last.calls


def _train_kwargs(*argv: str) -> dict[str, Any]:
    args = build_parser().parse_args(["remote", "train", "--dataset", "mnist5k", *argv])
    return remote.train_arguments(train_request(args), args.request_id)


# --- what `remote train` sends ---------------------------------------------------------------


def test_remote_train_defaults_send_no_options() -> None:
    assert _train_kwargs() == {
        "dataset": "mnist5k",
        "name": "",
        "conditional": False,
        "epochs": None,
        "steps": None,
        "latent_dim": 100,
        "loss": "ns",
        "request_id": None,
    }


def test_remote_train_sends_non_default_flags_as_options_exactly() -> None:
    kwargs = _train_kwargs(
        "--name=digits",
        "--conditional",
        "--steps=500",
        "--loss=hinge",
        "--latent-dim=64",
        "--spectral-norm",
        "--batch-size=128",
        "--lr-g=0.0001",
        "--ssl-rotation=0.5",
        "--request-id=abc",
    )
    fields = ("name", "conditional", "steps", "loss", "latent_dim", "request_id")
    assert [kwargs.pop(f) for f in fields] == ["digits", True, 500, "hinge", 64, "abc"]
    options = {k: v for k, v in kwargs.items() if k not in ("dataset", "epochs")}
    assert options == {
        "spectral_norm": "true",
        "batch_size": "128",
        "lr_g": "0.0001",
        "ssl_rotation": "0.5",
    }
    request = _convert.train(
        "mnist5k", "digits", True, None, 500, 64, "hinge", "abc", options
    ).request
    assert dict(request.options) == options


@pytest.mark.parametrize(("text", "epochs"), [("3", 3), ("4.0", 4)])
def test_remote_train_takes_whole_epochs(text: str, epochs: int) -> None:
    assert _train_kwargs("--epochs", text)["epochs"] == epochs


def test_remote_train_refuses_fractional_epochs_and_local_flags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["--epochs", "2.5"], ["--out", "run"], ["--device", "cpu"]):
        with pytest.raises(SystemExit) as caught:
            _train_kwargs(*argv)
        assert caught.value.code == 2
    assert "whole number of epochs" in capsys.readouterr().err


# --- `remote train` end to end against the stand-in ---------------------------------------------


def test_remote_train_prints_the_job_and_returns(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remote", "train", "--dataset", "mnist5k", "--spectral-norm"]) == 0
    assert capsys.readouterr().out == "job job-1 queued\n"
    [(call, kwargs)] = _calls()
    assert call == "train" and kwargs["spectral_norm"] == "true"


def test_remote_train_watch_follows_to_success(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    done = {"model": "digits@2", "metrics": {"fd": 12.345, "classes_covered": 10.0}}
    fake.watches = [
        [
            _event(pb.JOB_STATE_RUNNING, 50),
            Unavailable(grpc.StatusCode.UNAVAILABLE, "api restarting"),
        ],
        [_event(pb.JOB_STATE_SUCCEEDED, 100, **done)],
    ]
    assert main(["remote", "train", "--dataset", "mnist5k", "--watch"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "job job-1 queued",
        "job job-1 succeeded: registered digits@2",
        "  FD (lower is better)   12.35",
        "  classes covered        10",
    ]
    assert "job job-1 running" in err and "step 50/100 d=0.500 g=1.250 480 img/s" in err
    assert "lost the job's progress stream (UNAVAILABLE: api restarting)" in err
    assert [c for c, _ in _calls()] == ["train", "watch", "watch"]


@pytest.mark.parametrize(
    ("state", "fields", "message"),
    [
        (pb.JOB_STATE_FAILED, {"error": "out of\nmemory"}, "job job-1 failed: out of memory"),
        (pb.JOB_STATE_CANCELLED, {}, "job job-1 was cancelled"),
    ],
)
def test_remote_train_watch_fails_in_one_line(
    fake: type[FakeClient],
    capsys: pytest.CaptureFixture[str],
    state: pb.JobState.ValueType,
    fields: dict[str, Any],
    message: str,
) -> None:
    fake.watches = [[_event(state, 7, **fields)]]
    assert main(["remote", "train", "--dataset", "mnist5k", "--watch"]) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == f"latentgan remote: error: {message}"


def test_remote_train_watch_falls_back_to_refresh(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    fake.watches = [[]]  # the stream ends at once; get_job says running; then it succeeds
    fake.watches.append([_event(pb.JOB_STATE_SUCCEEDED, 100, model="digits@1")])
    assert main(["remote", "train", "--dataset", "mnist5k", "--watch"]) == 0
    assert [c for c, _ in _calls()] == ["train", "watch", "get_job", "watch"]
    assert "registered digits@1" in capsys.readouterr().out


def test_ctrl_c_stops_watching_but_not_the_job(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    fake.watches = [[_event(pb.JOB_STATE_RUNNING, 10), KeyboardInterrupt()]]
    argv = ["remote", "train", "--dataset", "mnist5k", "--watch", "--address", "gpu:50051"]
    assert main(argv) == 130
    err = capsys.readouterr().err
    assert "stopped watching; job job-1 goes on (running)" in err
    assert "`latentgan remote cancel job-1 --address gpu:50051`" in err
    assert "cancel" not in [c for c, _ in _calls()]


# --- jobs, job, cancel ---------------------------------------------------------------------


def test_format_jobs_aligns_columns() -> None:
    jobs = [
        _info(pb.JOB_STATE_RUNNING, 40),
        _info(pb.JOB_STATE_SUCCEEDED, 100, id="a-much-longer-id", model="digits@12"),
    ]
    assert format_jobs(jobs) == [
        "ID                STATE      NAME    DATASET  STEP     MODEL      CREATED",
        "job-1             running    digits  mnist5k  40/100   -          2026-11-27 09:30:05Z",
        "a-much-longer-id  succeeded  digits  mnist5k  100/100  digits@12  2026-11-27 09:30:05Z",
    ]


def test_remote_jobs_table_json_and_empty(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remote", "jobs", "--name", "digits"]) == 0
    assert capsys.readouterr().out.startswith("no training jobs of digits")
    assert _calls() == [("list_jobs", ("digits", 20))]
    fake.listed = [_info(pb.JOB_STATE_QUEUED)]
    assert main(["remote", "jobs", "--limit", "5", "--json"]) == 0
    [job] = json.loads(capsys.readouterr().out)
    assert (job["id"], job["state"], job["total_steps"]) == ("job-1", "queued", 100)
    assert job["created"] == "2026-11-27T09:30:05+00:00" and job["started"] is None
    assert _calls() == [("list_jobs", (None, 5))]
    assert main(["remote", "jobs"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("job-1  queued")


def test_remote_job_and_cancel_print_the_job(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remote", "job", "job-1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["job        job-1", "state      running"]
    assert "progress   40/100 steps (40%)" in out
    assert main(["remote", "cancel", "job-1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "cancelled"
    assert _calls() == [("cancel", "job-1")]


def test_remote_job_not_found_is_one_line(
    fake: type[FakeClient], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["remote", "job", "nope"]) == 1
    assert capsys.readouterr().err == ("latentgan remote: error: NOT_FOUND: no training job nope\n")


def test_format_job_of_a_failed_and_a_finished_job() -> None:
    failed = format_job(_info(pb.JOB_STATE_FAILED, 3, error="boom\n  at line 2"))
    assert "error      boom at line 2" in failed
    metrics = {"fd": 9.0, "kl_to_prior": 0.01, "conditional_accuracy": 0.975, "samples": 5000}
    done = format_job(_info(pb.JOB_STATE_SUCCEEDED, 100, model="d@1", metrics=metrics))
    assert done[done.index("metrics") + 1 :] == [
        "  FD (lower is better)   9.00",
        "  KL to class prior      0.0100",
        "  conditional accuracy   97.50%",
        "  samples                5000",
    ]


def test_progress_bar_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    progress = TrainProgress("queued", log_lines=False)
    progress(Progress.of_job_event(_event(pb.JOB_STATE_QUEUED, 0)))  # nothing to show yet
    assert progress._bar is None
    progress(Progress.of_job_event(_event(pb.JOB_STATE_RUNNING, 30)))
    progress(Progress.of_job_event(_event(pb.JOB_STATE_RUNNING, 60)))
    bar = cast(Any, progress)._bar  # (mypy still holds the None asserted above)
    assert (bar.n, bar.total) == (60, 100)
    assert bar.postfix == "d=0.500, g=1.250, img/s=480"
    progress.close()
    err = capsys.readouterr().err
    assert "job job-1 running" in err and "60/100" in err
