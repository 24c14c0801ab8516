"""Live training jobs: Job (sync) and AsyncJob, snapshots that refresh, watch, wait and cancel.

A job is a JobInfo bound to the client that made it. Its methods go through that client's public
get_job, watch and cancel and copy each answer into the job itself, so `job.state` and
`job.step` are always the latest the client has seen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import suppress
from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

from latentgan_client._models import JobInfo, ProgressEvent
from latentgan_client.errors import DeadlineExceeded, JobCancelled, JobFailed, Unavailable

if TYPE_CHECKING:
    from latentgan_client._async_client import AsyncClient
    from latentgan_client._client import Client

DEFAULT_POLL_INTERVAL = 2.0
_RETRYABLE = (DeadlineExceeded, Unavailable)  # while waiting: look again after a pause

JobT = TypeVar("JobT", bound=JobInfo)


class _LiveJob(JobInfo):
    """What Job and AsyncJob share: read-only attributes updated in place, identity equality."""

    def _update(self, info: JobInfo) -> None:
        for field in fields(JobInfo):
            object.__setattr__(self, field.name, getattr(info, field.name))

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)


class _Deadline:
    """The time left to wait() for a job, and how long to pause before looking again."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self._end = None if timeout is None else time.monotonic() + timeout

    def remaining(self) -> float | None:
        return None if self._end is None else max(0.0, self._end - time.monotonic())

    def pause(self, job: JobInfo, poll_interval: float) -> float:
        """Seconds to sleep before the next look; TimeoutError once the time is up."""
        remaining = self.remaining()
        if remaining is None:
            return poll_interval
        if remaining <= 0:
            raise TimeoutError(f"job {job.id} still {job.state} after {self.timeout} s")
        return min(poll_interval, remaining)


def outcome(job: JobT) -> JobT:
    """The job if it succeeded; JobFailed or JobCancelled if it did not."""
    if job.state == "failed":
        raise JobFailed(job)
    if job.state == "cancelled":
        raise JobCancelled(job)
    return job


class Job(_LiveJob):
    """A training job of a Client: its latest state, and methods to follow or stop it."""

    _client: Client

    def __init__(self, client: Client, info: JobInfo) -> None:
        object.__setattr__(self, "_client", client)
        self._update(info)

    def refresh(self, *, timeout: float | None = None) -> Job:
        """Fetch the job's current state into this object; returns self."""
        self._update(self._client.get_job(self.id, timeout=timeout))
        return self

    def watch(self, *, timeout: float | None = None) -> Iterator[ProgressEvent]:
        """Progress events as they happen until the job finishes, updating this object with each."""
        for event in self._client.watch(self.id, timeout=timeout):
            self._update(event.job)
            yield event

    def wait(
        self, timeout: float | None = None, *, poll_interval: float = DEFAULT_POLL_INTERVAL
    ) -> Job:
        """Block until the job finishes: self if it succeeded, else JobFailed or JobCancelled;
        TimeoutError after `timeout` seconds. Watches the job, and looks again after a pause when
        the stream breaks (the server restarted, a backend is briefly down)."""
        deadline = _Deadline(timeout)
        while not self.done:
            with suppress(*_RETRYABLE):
                for _ in self.watch(timeout=deadline.remaining()):
                    pass
                if not self.done:
                    self.refresh(timeout=deadline.remaining())
            if not self.done:
                time.sleep(deadline.pause(self, poll_interval))
        return outcome(self)

    def cancel(self, *, timeout: float | None = None) -> Job:
        """Ask the job to stop (it keeps its last checkpoint); returns self, updated."""
        self._update(self._client.cancel(self.id, timeout=timeout))
        return self


class AsyncJob(_LiveJob):
    """A training job of an AsyncClient: Job's methods as coroutines, watch as an async iterator."""

    _client: AsyncClient

    def __init__(self, client: AsyncClient, info: JobInfo) -> None:
        object.__setattr__(self, "_client", client)
        self._update(info)

    async def refresh(self, *, timeout: float | None = None) -> AsyncJob:
        """See Job.refresh."""
        self._update(await self._client.get_job(self.id, timeout=timeout))
        return self

    async def watch(self, *, timeout: float | None = None) -> AsyncIterator[ProgressEvent]:
        """See Job.watch."""
        async for event in self._client.watch(self.id, timeout=timeout):
            self._update(event.job)
            yield event

    async def wait(
        self, timeout: float | None = None, *, poll_interval: float = DEFAULT_POLL_INTERVAL
    ) -> AsyncJob:
        """See Job.wait."""
        deadline = _Deadline(timeout)
        while not self.done:
            with suppress(*_RETRYABLE):
                async for _ in self.watch(timeout=deadline.remaining()):
                    pass
                if not self.done:
                    await self.refresh(timeout=deadline.remaining())
            if not self.done:
                await asyncio.sleep(deadline.pause(self, poll_interval))
        return outcome(self)

    async def cancel(self, *, timeout: float | None = None) -> AsyncJob:
        """See Job.cancel."""
        self._update(await self._client.cancel(self.id, timeout=timeout))
        return self
