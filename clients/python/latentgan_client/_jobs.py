"""Live training jobs: Job (sync) and AsyncJob, snapshots that refresh, watch, wait and cancel.

A job is a JobInfo bound to the client that made it. Its methods go through that client's public
get_job, watch and cancel and copy each answer into the job itself, so `job.state` and
`job.step` are always the latest the client has seen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import fields
from typing import TYPE_CHECKING, Generic, TypeAlias, TypeVar

from latentgan_client._models import JobInfo, JobState, ProgressEvent
from latentgan_client.errors import (
    DeadlineExceeded,
    JobCancelled,
    JobFailed,
    LatentganError,
    Unavailable,
)

if TYPE_CHECKING:
    from latentgan_client._async_client import AsyncClient
    from latentgan_client._client import Client

DEFAULT_RETRY_PAUSE = 2.0
"""Seconds between a broken (or early-ended) progress stream and the next look at the job."""
_RETRYABLE = (DeadlineExceeded, Unavailable)  # while following: look again after a pause

JobT = TypeVar("JobT", bound=JobInfo)
EventsT = TypeVar("EventsT", Iterator[ProgressEvent], AsyncIterator[ProgressEvent])
OnRetry: TypeAlias = Callable[[LatentganError], None]
"""Called with the error when a reconnecting watch loses the server: once per outage."""


class _Reconnect:
    """The bookkeeping of a reconnecting watch, shared by Job and AsyncJob: the time left, the
    pause before looking again, and reporting each outage to `on_retry` once."""

    def __init__(self, timeout: float | None, retry_pause: float, on_retry: OnRetry | None) -> None:
        if retry_pause < 0:
            raise ValueError(f"retry_pause must be >= 0, got {retry_pause}")
        self.timeout = timeout
        self._end = None if timeout is None else time.monotonic() + timeout
        self._retry_pause = retry_pause
        self._on_retry = on_retry
        self._reported = False

    def remaining(self) -> float | None:
        """Seconds left to follow the job (None: no limit), the deadline of the next call."""
        return None if self._end is None else max(0.0, self._end - time.monotonic())

    def heard(self) -> None:
        """An event arrived: an outage from now on is a new one, reported again."""
        self._reported = False

    def lost(self, error: LatentganError) -> None:
        """The stream or the refresh failed with `error`: tell on_retry, unless this outage was
        told already or it is only our own time running out."""
        if self._reported or self.remaining() == 0:
            return
        self._reported = True
        if self._on_retry is not None:
            self._on_retry(error)

    def pause(self, job: JobInfo) -> float:
        """Seconds to sleep before the next look; TimeoutError once the time is up."""
        remaining = self.remaining()
        if remaining is None:
            return self._retry_pause
        if remaining <= 0:
            raise TimeoutError(f"job {job.id} still {job.state} after {self.timeout} s")
        return min(self._retry_pause, remaining)


class _LiveJob(JobInfo, Generic[EventsT]):
    """What Job and AsyncJob share: read-only attributes updated in place, identity equality,
    and watch, which picks one stream or a reconnecting follow of the subclass's kind (EventsT:
    an iterator or an async iterator of progress events)."""

    def watch(
        self,
        *,
        timeout: float | None = None,
        reconnect: bool = False,
        retry_pause: float = DEFAULT_RETRY_PAUSE,
        on_retry: OnRetry | None = None,
    ) -> EventsT:
        """Progress events as they happen until the job finishes, updating this object with each.

        Without `reconnect` this is one stream: it ends when the server ends it and raises what
        breaks it; `timeout` is its deadline. With `reconnect=True` it follows the job to the
        end across broken streams (the server restarted, a backend is briefly down): when a
        stream fails UNAVAILABLE or DEADLINE_EXCEEDED, or ends before the job is done, it
        refreshes the job and watches again after `retry_pause` seconds, calling
        `on_retry(error)` once per outage (again only after an event has come through); a lasting
        outage keeps it trying. `timeout` is then the time to follow the job in all: TimeoutError
        once it is spent. On an AsyncJob it is an async iterator (on_retry stays a plain
        function)."""
        if not reconnect:
            return self._watch_once(timeout)
        return self._follow(_Reconnect(timeout, retry_pause, on_retry))

    def _watch_once(self, timeout: float | None) -> EventsT:
        """One watch stream of the job, with `timeout` as its deadline."""
        raise NotImplementedError

    def _follow(self, follow: _Reconnect) -> EventsT:
        """Watch streams one after another until the job is done, as `follow` paces them."""
        raise NotImplementedError

    def _update(self, info: JobInfo) -> None:
        for field in fields(JobInfo):
            object.__setattr__(self, field.name, getattr(info, field.name))

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)


def outcome(job: JobT) -> JobT:
    """The job if it succeeded; JobFailed or JobCancelled if it did not."""
    if job.state == JobState.FAILED:
        raise JobFailed(job)
    if job.state == JobState.CANCELLED:
        raise JobCancelled(job)
    return job


class Job(_LiveJob[Iterator[ProgressEvent]]):
    """A training job of a Client: its latest state, and methods to follow or stop it."""

    _client: Client

    def __init__(self, client: Client, info: JobInfo) -> None:
        object.__setattr__(self, "_client", client)
        self._update(info)

    def refresh(self, *, timeout: float | None = None) -> Job:
        """Fetch the job's current state into this object; returns self."""
        self._update(self._client.get_job(self.id, timeout=timeout))
        return self

    def _watch_once(self, timeout: float | None) -> Iterator[ProgressEvent]:
        for event in self._client.watch(self.id, timeout=timeout):
            self._update(event.job)
            yield event

    def _follow(self, follow: _Reconnect) -> Iterator[ProgressEvent]:
        while not self.done:
            try:
                for event in self._watch_once(follow.remaining()):
                    follow.heard()
                    yield event
                if not self.done:
                    self.refresh(timeout=follow.remaining())
            except _RETRYABLE as error:
                follow.lost(error)
            if not self.done:
                time.sleep(follow.pause(self))

    def wait(
        self, timeout: float | None = None, *, poll_interval: float = DEFAULT_RETRY_PAUSE
    ) -> Job:
        """Block until the job finishes: self if it succeeded, else JobFailed or JobCancelled;
        TimeoutError after `timeout` seconds. Follows the job with watch(reconnect=True), so a
        broken stream is watched again after `poll_interval` seconds."""
        for _ in self.watch(timeout=timeout, reconnect=True, retry_pause=poll_interval):
            pass
        return outcome(self)

    def cancel(self, *, timeout: float | None = None) -> Job:
        """Ask the job to stop (it keeps its last checkpoint); returns self, updated."""
        self._update(self._client.cancel(self.id, timeout=timeout))
        return self


class AsyncJob(_LiveJob[AsyncIterator[ProgressEvent]]):
    """A training job of an AsyncClient: Job's methods as coroutines, watch as an async iterator."""

    _client: AsyncClient

    def __init__(self, client: AsyncClient, info: JobInfo) -> None:
        object.__setattr__(self, "_client", client)
        self._update(info)

    async def refresh(self, *, timeout: float | None = None) -> AsyncJob:
        """See Job.refresh."""
        self._update(await self._client.get_job(self.id, timeout=timeout))
        return self

    async def _watch_once(self, timeout: float | None) -> AsyncIterator[ProgressEvent]:
        async for event in self._client.watch(self.id, timeout=timeout):
            self._update(event.job)
            yield event

    async def _follow(self, follow: _Reconnect) -> AsyncIterator[ProgressEvent]:
        while not self.done:
            try:
                async for event in self._watch_once(follow.remaining()):
                    follow.heard()
                    yield event
                if not self.done:
                    await self.refresh(timeout=follow.remaining())
            except _RETRYABLE as error:
                follow.lost(error)
            if not self.done:
                await asyncio.sleep(follow.pause(self))

    async def wait(
        self, timeout: float | None = None, *, poll_interval: float = DEFAULT_RETRY_PAUSE
    ) -> AsyncJob:
        """See Job.wait."""
        async for _ in self.watch(timeout=timeout, reconnect=True, retry_pause=poll_interval):
            pass
        return outcome(self)

    async def cancel(self, *, timeout: float | None = None) -> AsyncJob:
        """See Job.cancel."""
        self._update(await self._client.cancel(self.id, timeout=timeout))
        return self
