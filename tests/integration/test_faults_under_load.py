"""Faults under load on a whole platform (``benchmarks.faults`` at CI scale): SDK clients in a
loop across Sample, Interpolate, Edit and Project while a generation worker is SIGKILLed, the api
is SIGKILLed and restarted, Redis is stopped and restarted empty, and the Prefect server is
restarted during a training job. Nothing is lost, no image is wrong, every fault is recovered
from, and the training job registers its version exactly once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.faults import faulted_stack, print_rows, under_faults

CLIENTS = 8  # the benchmark runs 32


def test_nothing_is_lost_and_no_image_is_wrong_under_faults(
    store_dir: Path, unconditional_model: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "platform"  # a store of its own: the training job registers into it
    shutil.copytree(store_dir / "models" / unconditional_model, data_dir / "models" / "tiny")
    shutil.copytree(store_dir / "evaluators", data_dir / "evaluators", dirs_exist_ok=True)
    with faulted_stack(data_dir) as stack:
        rows, training = under_faults(stack, CLIENTS, settle_s=2.0, train_steps=200)
    print_rows(rows, training)
    assert [r.fault.split()[0] for r in rows] == ["generation", "api", "Redis", "Prefect"]
    for row in rows:
        assert row.recovered, f"{row.fault}: not recovered"
        assert row.tally.count("right") > 0, row.fault
        assert row.tally.count("lost") == 0, (row.fault, row.tally.details("lost"))
        assert row.tally.count("wrong") == 0, (row.fault, row.tally.details("wrong"))
    assert rows[1].tally.count("retryable") > 0  # the api really was down
    assert (training.state, training.versions) == ("succeeded", 1)
