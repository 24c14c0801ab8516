"""Hostile requests to every RPC of a real `latentgan serve`: only documented statuses, nothing
restarted, memory flat, and the same images for a seed afterwards (``benchmarks.fuzzing``).

Also the single hostile inputs that were found by hand before the fuzzer existed, each with the
exact answer a client must get.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest

from benchmarks.fuzzing import (
    FUZZ_ENV,
    SERVICE,
    Fuzzed,
    Targets,
    fuzz,
    send,
    snapshot,
    table,
)
from latentgan_client import Client
from latentgan_client.errors import FailedPrecondition, InvalidArgument
from tests.integration.stack import Api, start_api

EXAMPLES = 3000  # the benchmark sends 10,000
RSS_GROWTH_MIB = 32.0  # allowance for the allocator; a leak of even 10 KiB per request would
# pass it over 3,000 requests


@pytest.fixture(scope="module")
def fuzzed_api(
    store_dir: Path, redis_url: str, unconditional_model: str, conditional_model: str
) -> Iterator[Api]:
    """`latentgan serve` with one worker and the fuzzing limits, over the session's tiny models."""
    running = start_api(store_dir, redis_url, workers=1, extra_env=FUZZ_ENV)
    yield running
    running.stop()


def test_only_documented_statuses_and_the_stack_holds(
    fuzzed_api: Api, unconditional_model: str, conditional_model: str
) -> None:
    models = (unconditional_model, conditional_model)
    # The same requests twice: the first round brings the stack to its high-water mark (models
    # loaded, caches full, the allocator's arenas grown to the largest messages), so that any
    # growth in the second is a leak.
    fuzz(fuzzed_api.address, Targets(models=models), EXAMPLES, random_seed=2)
    before = snapshot(fuzzed_api.process.pid, fuzzed_api.address, models)
    report = fuzz(fuzzed_api.address, Targets(models=models), EXAMPLES, random_seed=2)
    after = snapshot(fuzzed_api.process.pid, fuzzed_api.address, models)
    print(table(report), after.report(before), sep="\n")
    assert report.sent == EXAMPLES
    assert not report.findings, [(f.rpc, f.code, f.message) for f in report.findings[:10]]
    assert {rpc for rpc, _ in report.counts} == {m.name for m in SERVICE.methods}
    assert report.counts[("Sample", "OK")] > 0 and report.counts[("Project", "OK")] > 0
    assert after.pids() == before.pids(), "a process was restarted"
    for pid, rss in before.rss_mib.items():
        assert after.rss_mib[pid] - rss < RSS_GROWTH_MIB, after.report(before)
    for model, images in before.images.items():
        assert (after.images[model] == images).all(), f"{model}'s images changed"


def test_bytes_that_do_not_parse_are_invalid_argument(fuzzed_api: Api) -> None:
    with grpc.insecure_channel(fuzzed_api.address) as channel:
        for rpc in ("Sample", "WatchTrainJob", "ListModels"):
            code, message = send(channel, Fuzzed(rpc, b"\xff\xff\xff\xff", False))
            assert code == grpc.StatusCode.INVALID_ARGUMENT, (rpc, code, message)
            assert f"not a valid {rpc} request" in message


def test_a_5000_character_model_name_is_invalid_argument_naming_model(fuzzed_api: Api) -> None:
    with Client(fuzzed_api.address) as client, pytest.raises(InvalidArgument) as caught:
        client.sample("m" * 5000, n=1)
    assert caught.value.field == "model"
    assert len(str(caught.value)) < 400


def test_a_broken_version_is_marked_and_answered_without_server_paths(
    fuzzed_api: Api, store_dir: Path, unconditional_model: str
) -> None:
    from tests.integration.conftest import copy_version

    broken = copy_version(store_dir, unconditional_model, "broken", leave_out="directions")
    (broken / "manifest.json").write_text("{not json")
    try:
        _broken_version_is_answered(fuzzed_api.address, store_dir, unconditional_model)
    finally:  # the session's store is shared: no other test should list a broken version
        shutil.rmtree(broken.parent)


def _broken_version_is_answered(address: str, store_dir: Path, healthy: str) -> None:
    with Client(address) as client:
        listed = {m.ref: m for m in client.list_models()}
        problem = listed["broken@1"].problem
        assert problem is not None and "not a valid latentgan manifest" in problem
        assert str(store_dir) not in problem
        assert listed[f"{healthy}@1"].problem is None
        for call in (lambda: client.get_model("broken"), lambda: client.sample("broken", n=1)):
            with pytest.raises(FailedPrecondition) as caught:
                call()
            assert caught.value.field == "model"
            assert str(store_dir) not in str(caught.value) and "broken@1 is broken" in str(
                caught.value
            )
