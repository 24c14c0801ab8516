"""Tests for latentgan_client Job and AsyncJob: following, waiting for and cancelling jobs.

The jobs talk to a scripted stand-in for the client, so these check the waiting logic alone:
finishing on the watch stream, falling back to refresh, pausing on UNAVAILABLE, reporting each
outage of a reconnecting watch once, timing out.
Listing jobs goes through a real Client whose stub is a stand-in, so no server is needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import grpc
import pytest

from latentgan_client import (
    AsyncClient,
    AsyncJob,
    Client,
    Job,
    JobInfo,
    JobState,
    LatentganError,
    ProgressEvent,
)
from latentgan_client._convert import job_info, progress_event
from latentgan_client.errors import DeadlineExceeded, JobCancelled, JobFailed, Unavailable
from latentgan_client.v1 import latentgan_pb2 as pb


def _info(state: pb.JobState.ValueType, step: int = 0, error: str = "") -> JobInfo:
    return job_info(pb.TrainJob(id="j1", state=state, step=step, total_steps=3, error=error))


def _event(state: pb.JobState.ValueType, step: int) -> ProgressEvent:
    job = pb.TrainJob(id="j1", state=state, step=step, total_steps=3)
    return progress_event(pb.WatchTrainJobResponse(job=job, step=step))


class _Script:
    """The script of a stand-in client: each watch plays the next entry (events, or an error)."""

    def __init__(
        self, watches: list[list[ProgressEvent] | Exception], refreshed: JobInfo | None = None
    ) -> None:
        self.watches = watches
        self.refreshed = refreshed or _info(pb.JOB_STATE_RUNNING)
        self.calls: list[str] = []

    def play(self, call: str) -> list[ProgressEvent]:
        self.calls.append(call)
        if call != "watch":
            return []
        entry = self.watches.pop(0) if self.watches else []
        if isinstance(entry, Exception):
            raise entry
        return entry


class _SyncClient(_Script):
    def get_job(self, job_id: str, *, timeout: float | None = None) -> JobInfo:
        self.play("get_job")
        return self.refreshed

    def cancel(self, job_id: str, *, timeout: float | None = None) -> JobInfo:
        self.play("cancel")
        return _info(pb.JOB_STATE_CANCELLED)

    def watch(self, job_id: str, *, timeout: float | None = None) -> Iterator[ProgressEvent]:
        yield from self.play("watch")


class _AsyncClient(_Script):
    async def get_job(self, job_id: str, *, timeout: float | None = None) -> JobInfo:
        self.play("get_job")
        return self.refreshed

    async def cancel(self, job_id: str, *, timeout: float | None = None) -> JobInfo:
        self.play("cancel")
        return _info(pb.JOB_STATE_CANCELLED)

    async def watch(
        self, job_id: str, *, timeout: float | None = None
    ) -> AsyncIterator[ProgressEvent]:
        for event in self.play("watch"):
            yield event


def _job(script: _SyncClient) -> Job:
    return Job(cast(Client, script), _info(pb.JOB_STATE_QUEUED))


def _running(*steps: int) -> list[ProgressEvent]:
    return [_event(pb.JOB_STATE_RUNNING, step) for step in steps]


def test_watch_updates_the_job_with_each_event() -> None:
    job = _job(_SyncClient([_running(1, 2)]))
    steps = [(event.step, job.step) for event in job.watch()]
    assert steps == [(1, 1), (2, 2)]
    assert job.state == "running" and not job.done


def test_wait_returns_the_job_when_the_stream_ends_in_success() -> None:
    script = _SyncClient([[*_running(1, 2), _event(pb.JOB_STATE_SUCCEEDED, 3)]])
    job = _job(script)
    assert job.wait(timeout=5) is job
    assert (job.state, job.step, job.done) == ("succeeded", 3, True)
    assert script.calls == ["watch"]


@pytest.mark.parametrize(
    ("state", "error"),
    [(pb.JOB_STATE_FAILED, JobFailed), (pb.JOB_STATE_CANCELLED, JobCancelled)],
)
def test_wait_raises_when_the_job_ends_without_a_model(
    state: pb.JobState.ValueType, error: type[Exception]
) -> None:
    job = _job(_SyncClient([[_event(state, 2)]]))
    with pytest.raises(error) as caught:
        job.wait(timeout=5)
    assert isinstance(caught.value, JobFailed | JobCancelled)
    assert caught.value.job is job


def test_wait_refreshes_when_the_stream_ends_early() -> None:
    script = _SyncClient([_running(1)], refreshed=_info(pb.JOB_STATE_SUCCEEDED, step=3))
    job = _job(script)
    job.wait(timeout=5, poll_interval=0.01)
    assert script.calls == ["watch", "get_job"]
    assert job.state == "succeeded"


def test_wait_watches_again_after_unavailable() -> None:
    down = Unavailable(grpc.StatusCode.UNAVAILABLE, "redis is down")
    script = _SyncClient([down, [_event(pb.JOB_STATE_SUCCEEDED, 3)]])
    job = _job(script)
    job.wait(timeout=5, poll_interval=0.01)
    assert script.calls == ["watch", "watch"]


def test_wait_times_out() -> None:
    job = _job(_SyncClient([]))  # every watch ends at once; the job stays running
    with pytest.raises(TimeoutError, match="job j1 still running"):
        job.wait(timeout=0.05, poll_interval=0.01)


def _down(message: str = "redis is down") -> Unavailable:
    return Unavailable(grpc.StatusCode.UNAVAILABLE, message)


def test_reconnecting_watch_follows_the_job_across_outages_reporting_each_once() -> None:
    late = DeadlineExceeded(grpc.StatusCode.DEADLINE_EXCEEDED, "slow")
    first, second = _down("first"), _down("second")
    script = _SyncClient(
        [_running(1), first, late, _running(2), second, [_event(pb.JOB_STATE_SUCCEEDED, 3)]]
    )
    job = _job(script)
    lost: list[LatentganError] = []
    events = job.watch(reconnect=True, retry_pause=0, on_retry=lost.append)
    assert [event.step for event in events] == [1, 2, 3]
    assert lost == [first, second]  # the DeadlineExceeded was the same outage as `first`
    assert script.calls == [
        *("watch", "get_job"),  # ended early: refresh (still running), then watch again
        *("watch", "watch"),  # first outage: reported once
        *("watch", "get_job"),  # an event came through, then the stream ended early
        *("watch", "watch"),  # second outage, then the final event
    ]
    assert job.state == JobState.SUCCEEDED


def test_reconnecting_watch_of_a_finished_job_makes_no_call() -> None:
    script = _SyncClient([_running(1)])
    job = Job(cast(Client, script), _info(pb.JOB_STATE_FAILED))
    assert list(job.watch(reconnect=True)) == []
    assert script.calls == []


def test_plain_watch_raises_what_breaks_the_stream() -> None:
    lost: list[LatentganError] = []
    job = _job(_SyncClient([_down()]))
    with pytest.raises(Unavailable, match="redis is down"):
        list(job.watch(on_retry=lost.append))
    assert lost == []


def test_reconnecting_watch_times_out_reporting_a_lasting_outage_once() -> None:
    lost: list[LatentganError] = []
    job = _job(_SyncClient([_down() for _ in range(1000)]))
    with pytest.raises(TimeoutError, match=r"job j1 still queued after 0\.05 s"):
        list(job.watch(timeout=0.05, reconnect=True, retry_pause=0.005, on_retry=lost.append))
    assert len(lost) == 1


def test_reconnecting_watch_refuses_a_negative_pause_at_once() -> None:
    with pytest.raises(ValueError, match="retry_pause"):
        _job(_SyncClient([])).watch(reconnect=True, retry_pause=-1)


def test_async_reconnecting_watch_reports_the_outage_and_finishes() -> None:
    down = _down()
    script = _AsyncClient([down, down, [_event(pb.JOB_STATE_SUCCEEDED, 3)]])
    job = AsyncJob(cast(AsyncClient, script), _info(pb.JOB_STATE_QUEUED))
    lost: list[LatentganError] = []

    async def steps() -> list[int]:
        events = job.watch(reconnect=True, retry_pause=0, on_retry=lost.append)
        return [event.step async for event in events]

    assert asyncio.run(steps()) == [3]
    assert (lost, script.calls) == ([down], ["watch"] * 3)
    assert job.done


def test_cancel_updates_the_job() -> None:
    job = _job(_SyncClient([]))
    assert job.cancel() is job
    assert job.state == "cancelled" and job.done


def test_jobs_are_read_only_and_compare_by_identity() -> None:
    job = _job(_SyncClient([]))
    with pytest.raises(AttributeError):
        job.state = JobState.SUCCEEDED  # type: ignore[misc]
    assert job != _job(_SyncClient([]))
    assert len({job, job}) == 1


def test_async_job_watch_updates_the_job() -> None:
    job = AsyncJob(cast(AsyncClient, _AsyncClient([_running(1, 2)])), _info(pb.JOB_STATE_QUEUED))

    async def steps() -> list[int]:
        return [event.step async for event in job.watch()]

    assert asyncio.run(steps()) == [1, 2]
    assert job.step == 2


def test_async_job_wait_raises_job_failed() -> None:
    script = _AsyncClient(
        [Unavailable(grpc.StatusCode.UNAVAILABLE, "down"), _running(1)],
        refreshed=_info(pb.JOB_STATE_FAILED, step=2, error="boom"),
    )
    job = AsyncJob(cast(AsyncClient, script), _info(pb.JOB_STATE_QUEUED))
    with pytest.raises(JobFailed, match="job j1 failed: boom"):
        asyncio.run(job.wait(timeout=5, poll_interval=0.01))
    assert (job.state, job.step) == ("failed", 2)


def test_async_job_cancel_and_timeout() -> None:
    job = AsyncJob(cast(AsyncClient, _AsyncClient([])), _info(pb.JOB_STATE_RUNNING))
    with pytest.raises(TimeoutError):
        asyncio.run(job.wait(timeout=0.05, poll_interval=0.01))
    asyncio.run(job.cancel())
    assert job.state == "cancelled"


# --- list_jobs: a real client over a stand-in stub -------------------------------------------


_LISTED = pb.ListTrainJobsResponse(
    jobs=[
        pb.TrainJob(id="j2", state=pb.JOB_STATE_RUNNING, name="digits", step=1, total_steps=3),
        pb.TrainJob(id="j1", state=pb.JOB_STATE_SUCCEEDED, name="digits", model="digits@1"),
    ]
)


class _Stub:
    """The ListTrainJobs and GetTrainJob methods of a LatentGanStub, recording each request."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    def ListTrainJobs(self, request: pb.ListTrainJobsRequest, **_: Any) -> Any:  # noqa: N802
        self.requests.append(request)
        return _LISTED

    def GetTrainJob(self, request: pb.GetTrainJobRequest, **_: Any) -> Any:  # noqa: N802
        self.requests.append(request)
        return pb.GetTrainJobResponse(job=pb.TrainJob(id=request.job_id, state=pb.JOB_STATE_FAILED))


class _AsyncStub(_Stub):
    async def ListTrainJobs(self, request: pb.ListTrainJobsRequest, **_: Any) -> Any:  # noqa: N802
        return super().ListTrainJobs(request)


def test_list_jobs_sends_name_and_limit_and_binds_the_jobs_to_the_client() -> None:
    stub = _Stub()
    with Client("127.0.0.1:1", retries=0) as client:  # nothing listens: the stub answers
        client._stub = stub  # type: ignore[assignment]
        jobs = client.list_jobs("digits", limit=5)
        assert [(r.name, r.limit) for r in stub.requests] == [("digits", 5)]
        assert [(j.id, j.state) for j in jobs] == [("j2", "running"), ("j1", "succeeded")]
        assert all(isinstance(j, Job) for j in jobs)
        assert jobs[0].refresh() is jobs[0]  # a live job of this client
        assert jobs[0].state == "failed"
        client.list_jobs()
        assert (stub.requests[-1].name, stub.requests[-1].limit) == ("", 20)


def test_async_list_jobs() -> None:
    stub = _AsyncStub()

    async def listed() -> list[AsyncJob]:
        async with AsyncClient("127.0.0.1:1", retries=0) as client:
            client._stub = stub  # type: ignore[assignment]
            return await client.list_jobs(limit=0)

    jobs = asyncio.run(listed())
    assert [(j.id, j.model) for j in jobs] == [("j2", ""), ("j1", "digits@1")]
    assert all(isinstance(j, AsyncJob) for j in jobs)
    assert (stub.requests[0].name, stub.requests[0].limit) == ("", 0)
