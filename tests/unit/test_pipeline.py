"""The training job's glue: names, run directories, and registering exactly once."""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from latentgan.artifacts import ArtifactStore
from latentgan.config import ModelConfig, TrainConfig
from latentgan.errors import ConfigError
from latentgan.pipeline import REGISTERED, TrainJob, default_name, run_lock, run_training_job

TINY = ModelConfig(latent_dim=8, g_width=8, d_width=8, class_embed_dim=4)


@pytest.mark.parametrize(
    ("dataset", "conditional", "name"),
    [
        ("mnist5k", False, "mnist5k"),
        ("mnist5k", True, "mnist5k-cond"),
        ("/data/my pics/", False, "my-pics"),
        ("./faces.npz", False, "faces"),
        ("/", False, "model"),
    ],
)
def test_default_names_are_valid_model_names(dataset: str, conditional: bool, name: str) -> None:
    assert default_name(dataset, conditional) == name


def test_job_registers_once_and_a_finished_run_is_not_registered_again(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path / "store")
    job = TrainJob(
        dataset="digits",
        model=TINY,
        train=TrainConfig(batch_size=32, steps=3),
        name="once",
        run_dir=tmp_path / "run",
        evaluate=False,
        device="cpu",
    )
    first = run_training_job(job, store)
    assert first.manifest is not None and first.manifest.ref == "once@1"
    assert (tmp_path / "run" / REGISTERED).exists()
    assert first.manifest.model_config.image_size == 32  # taken from the data
    again = run_training_job(replace(job, resume=True), store)
    assert again.already_registered and again.manifest == first.manifest
    assert store.versions("once") == [1]
    with pytest.raises(ConfigError, match="--resume"):
        run_training_job(job, store)  # same run dir, not resuming: refused, nothing lost
    assert store.versions("once") == [1]


def test_a_run_killed_before_recording_its_registration_is_not_registered_again(
    tmp_path: Path,
) -> None:
    store = ArtifactStore(tmp_path / "store")
    job = TrainJob(
        dataset="digits",
        model=TINY,
        train=TrainConfig(batch_size=32, steps=3),
        name="window",
        run_dir=tmp_path / "run",
        evaluate=False,
        device="cpu",
    )
    first = run_training_job(job, store)
    (tmp_path / "run" / REGISTERED).unlink()  # as if killed between registering and recording
    again = run_training_job(replace(job, resume=True), store)
    assert again.manifest == first.manifest and store.versions("window") == [1]
    assert (tmp_path / "run" / REGISTERED).exists()


def test_a_second_process_on_a_run_waits_for_the_first(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    holding, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_run_lock, args=(tmp_path, holding, release))
    holder.start()
    try:
        assert holding.wait(30)
        waited: list[str] = []
        acquired = threading.Event()

        def second() -> None:
            with run_lock(tmp_path, waited.append):
                acquired.set()

        thread = threading.Thread(target=second)
        thread.start()
        assert not acquired.wait(0.5), "the lock is held by the other process"
        assert waited and "in use" in waited[0]
        release.set()
        assert acquired.wait(30), "and is taken once that process lets go"
        thread.join()
    finally:
        release.set()
        holder.join(30)


def _hold_run_lock(run_dir: Path, holding: Any, release: Any) -> None:
    with run_lock(run_dir, lambda _msg: None):
        holding.set()
        release.wait(30)


def test_resume_without_out_continues_the_newest_unfinished_run(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    job = TrainJob(
        dataset="digits",
        model=TINY,
        train=TrainConfig(batch_size=32, steps=6),
        name="later",
        evaluate=False,
        device="cpu",
    )
    stop_after = iter(range(10))
    stopped = run_training_job(job, store, should_stop=lambda: next(stop_after) >= 2)
    assert stopped.manifest is None and stopped.result is not None and stopped.result.step == 2
    resumed = run_training_job(replace(job, resume=True), store)
    assert resumed.run_dir == stopped.run_dir and resumed.resumed_from == 2
    assert resumed.manifest is not None and resumed.manifest.training["steps"] == 6


def test_conditional_job_on_unlabelled_data_is_refused(tmp_path: Path) -> None:
    import numpy as np

    np.savez(tmp_path / "plain.npz", images=np.zeros((40, 28, 28), np.uint8))
    job = TrainJob(
        dataset=str(tmp_path / "plain.npz"),
        model=replace(TINY, num_classes=1),
        train=TrainConfig(steps=1),
        device="cpu",
    )
    with pytest.raises(ConfigError) as bad:
        run_training_job(job, ArtifactStore(tmp_path / "store"))
    assert bad.value.field == "conditional"
