"""Training progress events: the Redis key names, the event schema, and both sides' operations.

The train flow (writer) and the api's WatchTrainJob / GetTrainJob (readers) share this module and
nothing else about training in Redis, so the layout is defined once:

    latentgan:train:events:<job id>   stream of TrainProgress entries (capped, expiring)

Events are transient (docs/architecture.md, decision 1): losing Redis loses the live view, never its
checkpoints or model. A writer that cannot reach Redis keeps training and says so once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import redis
import redis.asyncio as aioredis

EVENTS_MAXLEN = 2000  # about the last few thousand events of a run are kept
EVENTS_TTL_S = 7 * 24 * 3600  # a run's events outlive it by a week

log = logging.getLogger(__name__)


def events_key(job_id: str) -> str:
    """The stream a job's progress events are appended to."""
    return f"latentgan:train:events:{job_id}"


@dataclass(frozen=True)
class TrainProgress:
    """One progress event of a training job."""

    step: int
    total_steps: int
    images_per_second: float = 0.0
    losses: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)  # set on the evaluation's event
    sample_grid: bytes | None = None  # a PNG, on the events that carry the latest grid
    attempt: int = 1  # 1 for the first run of the job, 2 after its first resume, ...
    model: str = ""  # NAME@VERSION, on the event of the registration

    def to_fields(self) -> dict[str, bytes | str]:
        """The event as the flat field map of a stream entry."""
        fields: dict[str, bytes | str] = {
            "step": str(self.step),
            "total_steps": str(self.total_steps),
            "images_per_second": repr(self.images_per_second),
            "losses": json.dumps(self.losses),
            "metrics": json.dumps(self.metrics),
            "attempt": str(self.attempt),
            "model": self.model,
        }
        if self.sample_grid is not None:
            fields["sample_grid"] = self.sample_grid
        return fields

    @classmethod
    def from_fields(cls, fields: dict[Any, Any]) -> TrainProgress:
        """Read a stream entry written by ``to_fields`` (keys and values as bytes or str)."""

        def text(name: str, default: str = "") -> str:
            value = fields.get(name, fields.get(name.encode(), default))
            return value.decode() if isinstance(value, bytes) else str(value)

        grid = fields.get("sample_grid", fields.get(b"sample_grid"))
        return cls(
            step=int(text("step", "0")),
            total_steps=int(text("total_steps", "0")),
            images_per_second=float(text("images_per_second", "0")),
            losses={k: float(v) for k, v in json.loads(text("losses", "{}")).items()},
            metrics={k: float(v) for k, v in json.loads(text("metrics", "{}")).items()},
            sample_grid=grid.encode() if isinstance(grid, str) else grid,
            attempt=int(text("attempt", "1")),
            model=text("model"),
        )


class ProgressPublisher:
    """Appends a job's progress events to its stream; a Redis outage costs events, not the run."""

    def __init__(self, redis_url: str, job_id: str) -> None:
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=5)
        self._key = events_key(job_id)
        self._warned = False

    def publish(self, event: TrainProgress) -> None:
        """Append ``event`` (trimming the stream and refreshing its expiry)."""
        try:
            pipe = self._redis.pipeline(transaction=False)
            pipe.xadd(
                self._key,
                event.to_fields(),  # type: ignore[arg-type]
                maxlen=EVENTS_MAXLEN,
                approximate=True,
            )
            pipe.expire(self._key, EVENTS_TTL_S)
            pipe.execute()
            self._warned = False
        except redis.RedisError as e:
            if not self._warned:
                log.warning("progress events not published (Redis: %s); training goes on", e)
                self._warned = True

    def close(self) -> None:
        """Release the connection."""
        self._redis.close()


async def read_events(
    client: aioredis.Redis, job_id: str, after: str = "0-0", block_ms: int = 1000
) -> list[tuple[str, TrainProgress]]:
    """Events after stream id ``after`` (waiting up to ``block_ms`` for one), with their ids."""
    reply: Any = await client.xread({events_key(job_id): after}, block=block_ms)
    events: list[tuple[str, TrainProgress]] = []
    for _key, entries in reply or []:
        for entry_id, fields in entries:
            ident = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
            events.append((ident, TrainProgress.from_fields(fields)))
    return events


async def newest_entry(client: aioredis.Redis, job_id: str) -> tuple[str, TrainProgress] | None:
    """The newest event of a job with its stream id (to read on from), or None before its first."""
    entries: Any = await client.xrevrange(events_key(job_id), count=1)
    if not entries:
        return None
    entry_id, fields = entries[0]
    ident = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
    return ident, TrainProgress.from_fields(fields)


async def last_event(client: aioredis.Redis, job_id: str) -> TrainProgress | None:
    """The newest event of a job, or None before its first."""
    newest = await newest_entry(client, job_id)
    return newest[1] if newest else None
