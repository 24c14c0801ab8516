"""Training as a platform job, end to end: `latentgan up`, Train over gRPC, Prefect, Redis.

One `latentgan up` (embedded Redis, its own Prefect server on SQLite, a Prefect process worker per
pool, the api with one generation worker) serves the whole module, as a user would start it. The
last test stops it with Ctrl-C and checks that no process it started is left.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import redis
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.settings import PREFECT_API_URL, PREFECT_LOGGING_TO_API_ENABLED, temporary_settings
from safetensors.numpy import load_file

from flows.progress import TrainProgress, events_key
from latentgan_client import Client, InvalidArgument, JobCancelled, NotFound
from services.embedded_redis import free_port
from services.probe import health_status, wait_for
from services.processes import Child, kill, processes_with_env, spawn, stop

TEST_MARKER = "LATENTGAN_TEST_PLATFORM"
BIN = Path(sys.executable).parent
# Small and quick: an 8-wide conditional DCGAN on the 32x32 digits, a checkpoint every 20 steps.
TINY: dict[str, Any] = {
    "g_width": 8,
    "d_width": 8,
    "batch_size": 32,
    "checkpoint_every": 20,
    "no_eval": True,
}


@dataclass
class Platform:
    """A running `latentgan up` and how to reach it."""

    up: Child
    address: str
    prefect_url: str
    data_dir: Path
    marker: str
    log: Path

    def redis_url(self) -> str:
        """The embedded Redis that `latentgan up` reported."""
        found = re.search(r"Redis\s+(redis://\S+)", self.output())
        assert found, self.output()
        return found.group(1)

    def output(self) -> str:
        """What `latentgan up` printed so far."""
        return self.log.read_text(errors="replace")

    def processes(self) -> list[int]:
        """Pids of the processes this `latentgan up` started (they carry the test's marker)."""
        return [p.pid for p in processes_with_env(TEST_MARKER, self.marker)]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """`latentgan up` on free ports with its own data directory."""
    data_dir = tmp_path_factory.mktemp("platform")
    api_port, prefect_port = free_port(), free_port()
    marker = uuid.uuid4().hex
    env = {
        **os.environ,
        "LATENTGAN_DATA_DIR": str(data_dir),
        "LATENTGAN_OFFLINE": "1",
        TEST_MARKER: marker,
    }
    for inherited in ("LATENTGAN_REDIS_URL", "PREFECT_API_URL", "LATENTGAN_AUTH_TOKEN"):
        env.pop(inherited, None)
    log = data_dir / "up.log"
    more = ["--prefect-port", str(prefect_port), "--gpu-slots", "0"]
    argv = [str(BIN / "latentgan"), "up", "--port", str(api_port), *more]
    process = spawn(argv, env, log=log, restore_sigint=True, grace_s=30)  # SIGINT stops it
    address = f"127.0.0.1:{api_port}"
    up = Platform(process, address, f"http://127.0.0.1:{prefect_port}/api", data_dir, marker, log)
    try:
        wait_for(
            lambda: (
                process.poll() is not None
                or health_status(address, service="latentgan.v1.LatentGan") == "SERVING"
            ),
            240,
            "latentgan up",
        )
        assert process.poll() is None, f"latentgan up exited:\n{up.output()}"
        # In-process flows (the sweep) talk to this server; their logs stay here, so none is
        # shipped to the server after the module stops it.
        quiet = {PREFECT_API_URL: up.prefect_url, PREFECT_LOGGING_TO_API_ENABLED: False}
        with temporary_settings(updates=quiet):
            yield up
    finally:
        stop(process, sig=signal.SIGINT)  # Ctrl-C; killed, with its tree, after 30 s
        kill(processes_with_env(TEST_MARKER, marker))  # never leave a straggler behind


@pytest.fixture
def client(platform: Platform) -> Iterator[Client]:
    """An SDK client of the platform's api."""
    with Client(platform.address, timeout=30) as c:
        yield c


def _weights(data_dir: Path, ref: str) -> dict[str, np.ndarray]:
    name, version = ref.split("@")
    folder = data_dir / "models" / name / version
    tensors: dict[str, np.ndarray] = {}
    for path in sorted(folder.glob("*.safetensors")):
        tensors |= {f"{path.name}:{k}": v for k, v in load_file(path).items()}
    return tensors


def test_train_watch_succeeds_and_new_model_samples(client: Client, platform: Platform) -> None:
    request_id = f"req-{uuid.uuid4().hex}"
    job = client.train(
        "digits", "watched", conditional=True, steps=40, request_id=request_id, **TINY
    )
    again = client.train(
        "digits", "watched", conditional=True, steps=40, request_id=request_id, **TINY
    )
    assert again.id == job.id, "one request id must give one job"
    assert job.state in ("queued", "running")

    events = list(job.watch(timeout=240))
    steps = [e.step for e in events if e.step]
    assert steps == sorted(steps) and steps[-1] == 40, steps
    assert any(e.losses for e in events), "progress events carry the losses"
    assert any(e.sample_grid is not None for e in events), "and the latest sample grid"
    assert events[-1].state == "succeeded", events[-1]
    finished = job.wait(timeout=30)
    assert finished.model == "watched@1" and finished.step == finished.total_steps == 40

    listed = client.list_models(name="watched")  # the api reads the store: no restart needed
    assert [m.version for m in listed] == [1]
    images = client.sample("watched", n=10, seed=3, labels=list(range(10)))
    assert images.shape == (10, 32, 32, 1) and images.std() > 0
    assert [j.id for j in client.list_jobs(name="watched")] == [job.id]

    # Each direction set the version was registered with is an artifact of the job's flow run,
    # and a set that ComputeDirections adds later is one too.
    keys = {d.set_key for d in client.directions("watched")}
    assert {"sefa", "pca", "random", "attribute:thickness"} <= keys
    added = client.compute_directions("watched", method="random", k=2, seed=5)
    assert added.created_now
    with get_client(sync_client=True) as prefect:
        of_run = prefect.read_artifacts(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[uuid.UUID(job.id)]))
        )
        every = prefect.read_artifacts(limit=200)
    assert {f"directions {k} of watched@1" for k in keys} <= {a.description for a in of_run}
    assert f"directions {added.key} of watched@1" in {a.description for a in every}


@pytest.mark.parametrize(
    ("dataset", "name", "options", "field"),
    [
        ("", "x", {}, "dataset"),
        ("no-such-set", "x", {}, "dataset"),
        ("digits", "bad name!", {}, "name"),
        ("digits", "x", {"no_such_option": 1}, "options.no_such_option"),
        ("digits", "x", {"batch_size": "many"}, "options.batch_size"),
        ("digits", "x", {"lr_g": 3}, "options.lr_g"),
    ],
)
def test_bad_train_request_names_the_field(
    client: Client, dataset: str, name: str, options: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidArgument) as caught:
        client.train(dataset, name, **options)
    assert caught.value.field == field, caught.value
    assert client.list_jobs(name=name) == [], "nothing was scheduled"


def test_unknown_job_is_not_found(client: Client) -> None:
    for job_id in ("not-a-job-id", str(uuid.uuid4())):
        with pytest.raises(NotFound) as caught:
            client.get_job(job_id)
        assert caught.value.field == "job_id"


def test_cancel_stops_a_running_job(client: Client, platform: Platform) -> None:
    job = client.train("digits", "cancelled", conditional=True, steps=100_000, **TINY)
    for event in job.watch(timeout=240):
        if event.step >= 20:
            break
    job.cancel()
    assert job.state == "cancelled"
    with pytest.raises(JobCancelled):
        job.wait(timeout=60)
    wait_for(
        lambda: not processes_with_env("PREFECT__FLOW_RUN_ID", job.id),
        30,
        "the run's process to end",
    )
    assert client.list_models(name="cancelled") == []


def test_killed_training_resumes_to_the_same_weights(client: Client, platform: Platform) -> None:
    settings: dict[str, Any] = {"conditional": True, "steps": 80, **TINY}
    job = client.train("digits", "resumed", **settings)
    killed_at = 0
    for event in job.watch(timeout=240):
        if event.step >= 50:
            runs = processes_with_env("PREFECT__FLOW_RUN_ID", job.id)
            assert runs, "the run's process is found by its flow run id"
            kill(runs)
            killed_at = event.step
            break
    assert killed_at >= 50
    finished = job.wait(timeout=300)  # Crashed -> the platform re-schedules it -> it resumes
    assert finished.model == "resumed@1" and finished.step == 80

    # The resumed run went on from a checkpoint (every 20 steps), not from zero: its first
    # event (they come every 10 steps) is past step 20. The job's events are in Redis.
    entries: Any = redis.Redis.from_url(platform.redis_url()).xrange(events_key(job.id))
    events = [TrainProgress.from_fields(fields) for _, fields in entries]
    resumed_steps = [e.step for e in events if e.attempt > 1]
    assert resumed_steps and resumed_steps[0] > 20 and resumed_steps[-1] == 80, resumed_steps
    assert [m.version for m in client.list_models(name="resumed")] == [1], "registered once"

    # The same job without the kill, through `latentgan remote train --watch`.
    done = subprocess.run(
        [
            *(str(BIN / "latentgan"), "remote", "train", "--address", platform.address),
            *("--dataset", "digits", "--name", "uninterrupted", "--conditional", "--steps", "80"),
            *("--g-width", "8", "--d-width", "8", "--batch-size", "32"),
            *("--checkpoint-every", "20", "--no-eval", "--watch"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "uninterrupted@1" in done.stdout
    resumed, straight = (
        _weights(platform.data_dir, "resumed@1"),
        _weights(platform.data_dir, "uninterrupted@1"),
    )
    assert resumed.keys() == straight.keys() and resumed
    for key in resumed:
        np.testing.assert_array_equal(resumed[key], straight[key], err_msg=key)


def test_sweep_ranks_two_latent_dims(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.sweep import sweep

    monkeypatch.setenv("LATENTGAN_DATA_DIR", str(platform.data_dir))
    rows = sweep(
        dataset="digits",
        latent_dims=[8, 32],
        steps=30,
        options={"g_width": "8", "d_width": "8", "eval_samples": "300"},
        name="swept",
    )
    assert [r["rank"] for r in rows] == [1, 2]
    assert sorted(r["latent_dim"] for r in rows) == [8, 32]
    assert {r["model"] for r in rows} == {"swept-z8-ns@1", "swept-z32-ns@1"}
    first, second = rows
    assert (-first["coverage"], first["fd"]) <= (-second["coverage"], second["fd"])
    assert all(r["fd"] > 0 and 0 < r["coverage"] <= 1 for r in rows)


def test_evaluate_flow_reproduces_the_metrics_training_registered(
    platform: Platform, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.evaluate import evaluate

    monkeypatch.setenv("LATENTGAN_DATA_DIR", str(platform.data_dir))
    metrics = evaluate(model="swept-z8-ns@1", n=300)  # as the sweep's training evaluated it
    registered = client.get_model("swept-z8-ns").metrics
    assert metrics["fd"] > 0 and metrics["samples"] == 300
    assert metrics["fd"] == pytest.approx(registered["fd"], rel=1e-6)
    assert metrics["classes_covered"] == registered["classes_covered"]


def test_ctrl_c_stops_everything(platform: Platform) -> None:
    assert platform.processes(), "the platform's processes are found"
    started = time.monotonic()
    platform.up.process.send_signal(signal.SIGINT)
    assert platform.up.process.wait(30) == 0, platform.output()
    assert time.monotonic() - started < 20
    assert platform.processes() == [], platform.output()
    assert "stopped" in platform.output()
