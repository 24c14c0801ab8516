"""Training jobs as the api sees them: Prefect states and flow runs read as jobs, no server."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prefect.client.schemas.objects import FlowRun, State, StateType

from flows.errors import JobNotFoundError
from flows.jobs import (
    MAX_ATTEMPTS,
    JobState,
    _parse_id,
    job_info,
    job_run_dir,
    job_state,
)

CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
STARTED = datetime(2026, 3, 1, 12, 5, tzinfo=UTC)
ENDED = datetime(2026, 3, 1, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("state_type", "expected"),
    [
        (StateType.SCHEDULED, "queued"),
        (StateType.PENDING, "queued"),
        (StateType.PAUSED, "queued"),
        (StateType.RUNNING, "running"),
        (StateType.COMPLETED, "succeeded"),
        (StateType.FAILED, "failed"),
        (StateType.CANCELLING, "cancelled"),
        (StateType.CANCELLED, "cancelled"),
        (None, "queued"),
    ],
)
def test_every_state_type_has_a_job_state(state_type: StateType | None, expected: JobState) -> None:
    assert job_state(state_type) == expected
    assert job_state(state_type, MAX_ATTEMPTS + 1) == expected  # attempts only matter on a crash


def test_every_prefect_state_type_is_mapped() -> None:
    states = {job_state(t, 1) for t in StateType}
    assert states == {"queued", "running", "succeeded", "failed", "cancelled"}


@pytest.mark.parametrize(
    ("run_count", "expected"),
    [(0, "queued"), (1, "queued"), (MAX_ATTEMPTS - 1, "queued"), (MAX_ATTEMPTS, "failed")],
)
def test_a_crashed_run_is_queued_while_attempts_are_left(
    run_count: int, expected: JobState
) -> None:
    assert job_state(StateType.CRASHED, run_count) == expected


def test_job_run_dir() -> None:
    assert job_run_dir(Path("/data/runs"), "tiny", "abc") == Path("/data/runs/tiny/job-abc")


def _run(state: State | None, run_count: int = 1, key: str | None = "req-1") -> FlowRun:
    """A flow run as the Prefect client builds it from the API's answer."""
    return FlowRun.model_validate(
        {
            "id": "12345678-1234-5678-1234-567812345678",
            "flow_id": str(uuid.uuid4()),
            "name": "brave-otter",
            "state": state,
            "idempotency_key": key,
            "parameters": {"name": "tiny", "dataset": "digits", "steps": 10},
            "run_count": run_count,
            "created": CREATED.isoformat(),
            "start_time": STARTED.isoformat(),
            "end_time": ENDED.isoformat(),
        }
    )


def test_a_failed_run_carries_its_message_and_end() -> None:
    job = job_info(_run(State(type=StateType.FAILED, message="out of memory"), run_count=2))
    assert job.id == "12345678-1234-5678-1234-567812345678"
    assert job.request_id == "req-1"
    assert job.state == "failed"
    assert (job.name, job.dataset) == ("tiny", "digits")
    assert job.parameters == {"name": "tiny", "dataset": "digits", "steps": 10}
    assert (job.created, job.started, job.ended) == (CREATED, STARTED, ENDED)
    assert job.message == "out of memory"
    assert job.attempts == 2


def test_a_running_run_has_no_end_and_no_message() -> None:
    job = job_info(_run(State(type=StateType.RUNNING, message="running on gpu-1")))
    assert job.state == "running"
    assert job.started == STARTED
    assert job.ended is None  # not final: Prefect's end_time is not the job's end
    assert job.message == ""


def test_a_completed_run_ends_without_a_message() -> None:
    job = job_info(_run(State(type=StateType.COMPLETED, message="All states completed.")))
    assert job.state == "succeeded" and job.ended == ENDED and job.message == ""


def test_a_crashed_run_with_attempts_left_keeps_its_message() -> None:
    job = job_info(_run(State(type=StateType.CRASHED, message="worker lost"), run_count=1))
    assert job.state == "queued" and job.message == "worker lost" and job.attempts == 1
    last = job_info(_run(State(type=StateType.CRASHED, message="worker lost"), MAX_ATTEMPTS))
    assert last.state == "failed" and last.message == "worker lost"


def test_a_run_without_state_or_key() -> None:
    job = job_info(_run(None, run_count=0, key=None))
    assert job.state == "queued" and job.request_id == "" and job.ended is None
    assert job.message == "" and job.attempts == 0


def test_a_job_without_name_parameters() -> None:
    run = _run(State(type=StateType.SCHEDULED))
    run.parameters = {}
    job = job_info(run)
    assert (job.name, job.dataset, job.state) == ("", "", "queued")


def test_parse_id() -> None:
    ident = "12345678-1234-5678-1234-567812345678"
    assert _parse_id(ident) == uuid.UUID(ident)
    with pytest.raises(JobNotFoundError) as caught:
        _parse_id("not-a-uuid")
    assert caught.value.field == "job_id"
    assert "not-a-uuid" in str(caught.value)
