"""The generation queue: Redis key names, the message schema, and the operations of both sides.

The api (producer) and the generation workers (consumers) share this module and nothing else about
Redis, so the layout is defined once:

    latentgan:gen:requests        stream of GenerationRequest entries; consumer group GROUP
    latentgan:gen:reply:<id>      list the worker pushes the GenerationReply onto; the api BLPOPs it
    latentgan:gen:done:<id>       marker that request <id> was answered (a re-delivery is skipped)
    latentgan:gen:stats           hash of counters: served, batches, dropped_expired, reclaimed, ...
    latentgan:gen:worker:<name>   a live worker's heartbeat (expires HEARTBEAT_TTL_S after the last)
    latentgan:gen:workers         set of the names that have sent one (pruned of expired ones), so
                                  that counting the live workers never scans the keyspace

Semantics (docs/architecture.md, decision 4): at-least-once delivery; a worker XACKs and deletes
an entry only after its reply is written, so a worker that dies mid-batch leaves its entries
pending for another worker to reclaim with XAUTOCLAIM. A reply is a pure function of the request,
so computing one twice is harmless. The stream's length (waiting plus in-flight entries) is
bounded: ``submit`` refuses a request when it is full.

An entry's fields: id, model, version, deadline, ``kind`` (the name of the request's class in
``latentgan.schemas.generation`` or ``latentgan.schemas.projection``, e.g. "sample", "project")
and ``params`` (that object's fields as JSON, a numpy array as base64 float32 with its shape). A
reply is one JSON header line (latents as base64 float32, like the parameters), then the images.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field, fields
from typing import Any, TypeAlias, cast, get_args

import numpy as np
import redis
import redis.asyncio as aioredis

from latentgan.errors import LatentganError
from latentgan.schemas.generation import GenerationParams
from latentgan.schemas.projection import ProjectionParams

STREAM = "latentgan:gen:requests"
GROUP = "latentgan:generators"
STATS = "latentgan:gen:stats"
REPLY_TTL_S = 60  # a reply nobody collected (the caller gave up) disappears after this
DONE_TTL_S = 600  # how long a re-delivered request is recognised as already answered
HEARTBEAT_TTL_S = 5
WORKER_PREFIX = "latentgan:gen:worker:"
WORKERS = "latentgan:gen:workers"

# XADD only while the stream holds fewer than ARGV[1] entries; returns the id, or false if full.
_SUBMIT_SCRIPT = """
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return false end
return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
"""


# A worker's answers to a batch, in one atomic step: the counters, then each reply pushed (with its
# expiry) and its request marked answered, then the entries acknowledged and deleted.
# KEYS: the stats hash, the stream, then each answer's reply key and done key.
# ARGV: errors, served, images, reply TTL, done TTL, group, n, the n replies, the n entry ids.
_REPLY_SCRIPT = """
local errors, served, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[7])
if errors > 0 then redis.call('HINCRBY', KEYS[1], 'errors', errors) end
if served > 0 then
  redis.call('HINCRBY', KEYS[1], 'served', served)
  redis.call('HINCRBY', KEYS[1], 'batches', 1)
  redis.call('HINCRBY', KEYS[1], 'images', ARGV[3])
end
for i = 1, n do
  redis.call('RPUSH', KEYS[1 + 2 * i], ARGV[7 + i])
  redis.call('EXPIRE', KEYS[1 + 2 * i], ARGV[4])
  redis.call('SET', KEYS[2 + 2 * i], 1, 'EX', ARGV[5])
end
redis.call('XACK', KEYS[2], ARGV[6], unpack(ARGV, 8 + n))
redis.call('XDEL', KEYS[2], unpack(ARGV, 8 + n))
return n
"""
REPLY_CHUNK = 512  # answers per call of _REPLY_SCRIPT (Lua unpacks at most ~8000 values)

# The names in the set KEYS[1] whose heartbeat key (ARGV[1] .. name) has not expired; the others
# leave the set. One round trip whatever the size of the keyspace (a SCAN would walk all of it).
_LIVE_SCRIPT = """
local live = {}
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. name) == 1 then
    live[#live + 1] = name
  else
    redis.call('SREM', KEYS[1], name)
  end
end
return live
"""


QueuedParams: TypeAlias = GenerationParams | ProjectionParams
"""Any request the queue carries: generation, projection or completion."""
KINDS: dict[str, type[QueuedParams]] = {
    cls.kind: cls for cls in (*get_args(GenerationParams), *get_args(ProjectionParams))
}
"""Each request kind's class by its name, as an entry's ``kind`` field names it."""


def reply_key(request_id: str) -> str:
    """The list a request's reply is pushed onto."""
    return f"latentgan:gen:reply:{request_id}"


def done_key(request_id: str) -> str:
    """The marker set once a request has been answered."""
    return f"latentgan:gen:done:{request_id}"


class QueueFullError(Exception):
    """The stream holds as many requests as it may; the caller should back off."""


def _encode_value(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        data = base64.b64encode(np.ascontiguousarray(value, np.float32).tobytes()).decode()
        return {"float32": data, "shape": list(value.shape)}
    return list(value) if isinstance(value, tuple) else value


def _fields(obj: Any) -> dict[str, Any]:
    """A dataclass's fields by name, values as they are (``asdict`` would deep-copy arrays)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        raw = np.frombuffer(base64.b64decode(value["float32"]), np.float32)
        return raw.reshape(value["shape"])
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class GenerationRequest:
    """One queued generation request: who asked, for which model version, by when, for what."""

    request_id: str
    model: str  # model name
    version: int
    deadline: float  # Unix time after which nobody waits for the answer
    params: QueuedParams

    @property
    def kind(self) -> str:
        """The request kind's name ("sample", "interpolate", ...): the entry's ``kind`` field."""
        return self.params.kind

    @property
    def images(self) -> int:
        """How many images the request makes."""
        return self.params.images

    def expired(self, now: float | None = None) -> bool:
        """True once the deadline has passed: the answer would reach nobody."""
        return (time.time() if now is None else now) >= self.deadline

    def encode(self) -> dict[str, str]:
        """The stream entry's fields."""
        params = {k: _encode_value(v) for k, v in _fields(self.params).items()}
        return {
            "id": self.request_id,
            "model": self.model,
            "version": str(self.version),
            "deadline": repr(self.deadline),
            "kind": self.kind,
            "params": json.dumps(params),
        }

    @classmethod
    def decode(cls, fields: dict[bytes, bytes]) -> GenerationRequest:
        """Parse a stream entry; ValueError (or KeyError, or the ConfigError of parameters out of
        range) for an entry that is not one."""
        f = {k.decode(): v.decode() for k, v in fields.items()}
        kind = KINDS[f["kind"]]
        params = {k: _decode_value(v) for k, v in json.loads(f["params"]).items()}
        return cls(f["id"], f["model"], int(f["version"]), float(f["deadline"]), kind(**params))


@dataclass(frozen=True)
class GenerationReply:
    """A worker's answer: images, or an error for the api to turn into a gRPC status."""

    images: np.ndarray | None = None  # uint8 N×H×W×C
    error_code: str | None = None  # a grpc.StatusCode name, as services.errors decides it
    error_message: str = ""
    error_field: str | None = None
    labels: tuple[int, ...] = ()  # the class of each image, for a conditional model
    batch_images: int = 0  # size of the forward pass that served it
    batch_requests: int = 0  # requests merged into that forward pass
    latents: np.ndarray | None = None  # Project and Complete: the latent of each image
    values: dict[str, list[float]] = field(default_factory=dict)  # per image: distances, losses
    method: str = ""  # Project: the method that ran

    def encode(self) -> bytes:
        """One JSON header line, then the raw image bytes."""
        header = {k: v for k, v in _fields(self).items() if k not in ("images", "latents")}
        if self.latents is not None:
            header["latents"] = _encode_value(self.latents)
        if self.images is not None:
            header["shape"] = list(self.images.shape)
        body = b"" if self.images is None else np.ascontiguousarray(self.images).tobytes()
        return json.dumps(header).encode() + b"\n" + body

    @classmethod
    def decode(cls, data: bytes) -> GenerationReply:
        """Parse ``encode``'s bytes."""
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        shape = header.pop("shape", None)
        images = None if shape is None else np.frombuffer(body, np.uint8).reshape(shape)
        header["labels"] = tuple(header.get("labels", ()))
        if "latents" in header:
            header["latents"] = _decode_value(header["latents"])
        return cls(images=images, **header)


# --- producer side (the api, asyncio) ---------------------------------------------------------


class Producer:
    """The api's side: submit requests, wait for replies, report the queue's depth."""

    def __init__(self, client: aioredis.Redis, max_len: int) -> None:
        self.redis = client
        self.max_len = max_len
        self._submit = client.register_script(_SUBMIT_SCRIPT)
        self._live = client.register_script(_LIVE_SCRIPT)

    async def submit(self, request: GenerationRequest) -> None:
        """Queue ``request``; QueueFullError if the stream is at its bound."""
        flat = [x for kv in request.encode().items() for x in kv]
        if not await self._submit(keys=[STREAM], args=[self.max_len, *flat]):
            raise QueueFullError(f"the generation queue holds {self.max_len} requests")

    async def wait_reply(self, request_id: str, timeout_s: float) -> GenerationReply | None:
        """The reply to ``request_id``, or None if none came within ``timeout_s``."""
        # BLPOP's timeout 0 means "forever": never pass less than a millisecond.
        got = await self.redis.blpop([reply_key(request_id)], timeout=max(timeout_s, 0.001))
        return None if got is None else GenerationReply.decode(cast(bytes, got[1]))

    async def depth(self) -> int:
        """Entries in the stream: waiting plus being computed."""
        return int(await self.redis.xlen(STREAM))

    async def live_workers(self) -> list[str]:
        """Names of the generation workers with a live heartbeat."""
        return _names(await self._live(keys=[WORKERS], args=[WORKER_PREFIX]))


# --- consumer side (generation workers, blocking) ----------------------------------------------

Entry: TypeAlias = tuple[str, GenerationRequest | None]  # (entry id, None if undecodable)


def _entries(raw: list[Any]) -> list[Entry]:
    out: list[Entry] = []
    for item in raw:
        if item is None:
            continue
        entry_id, fields = item
        eid = entry_id.decode() if isinstance(entry_id, bytes) else str(entry_id)
        if not fields:  # an entry deleted while pending (Redis 6.2 XAUTOCLAIM returns it empty)
            out.append((eid, None))
            continue
        try:
            out.append((eid, GenerationRequest.decode(fields)))
        except (KeyError, ValueError, TypeError, LatentganError):
            out.append((eid, None))
    return out


class Consumer:
    """A generation worker's side: read, reclaim, answer, drop."""

    def __init__(self, client: redis.Redis, name: str) -> None:
        self.redis = client
        self.name = name
        self._reply = client.register_script(_REPLY_SCRIPT)

    def ensure_group(self) -> None:
        """Create the stream and the consumer group if they do not exist (after a Redis restart)."""
        try:
            self.redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except redis.ResponseError as e:
            if "BUSYGROUP" not in str(e):
                raise

    def heartbeat(self) -> None:
        """Announce that this worker is alive (for ``live_workers``)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(f"{WORKER_PREFIX}{self.name}", 1, ex=HEARTBEAT_TTL_S)
        pipe.sadd(WORKERS, self.name)
        pipe.execute()

    def touch(self, entry_ids: list[str]) -> None:
        """Claim this worker's pending ``entry_ids`` afresh (their idle time back to zero), so
        that an answer still being computed is not reclaimed as if this worker had died."""
        ids: list[Any] = list(entry_ids)  # redis-py's stub wants its own union of id types
        self.redis.xclaim(STREAM, GROUP, self.name, 0, ids, justid=True)

    def read(self, count: int, block_ms: int | None) -> list[Entry]:
        """Up to ``count`` new entries, waiting up to ``block_ms`` (None: do not wait)."""
        got: Any = self.redis.xreadgroup(
            GROUP, self.name, {STREAM: ">"}, count=count, block=block_ms
        )
        return _entries(got[0][1]) if got else []

    def reclaim(self, min_idle_ms: int, count: int) -> list[Entry]:
        """Entries another consumer took and has not answered for ``min_idle_ms`` (it died)."""
        got = self.redis.xautoclaim(STREAM, GROUP, self.name, min_idle_ms, "0-0", count=count)
        entries = _entries(got[1])
        if entries:
            self.redis.hincrby(STATS, "reclaimed", len(entries))
        return entries

    def answered(self, request_ids: list[str]) -> set[str]:
        """Which of these requests already have a reply (re-deliveries to skip)."""
        if not request_ids:
            return set()
        flags = self.redis.mget([done_key(r) for r in request_ids])
        return {r for r, flag in zip(request_ids, flags, strict=True) if flag}

    def reply(self, answers: list[tuple[str, GenerationRequest, GenerationReply]]) -> None:
        """Count, deliver replies, mark their requests answered, then acknowledge and delete.

        One round trip for a whole batch (``_REPLY_SCRIPT``; a batch of more than REPLY_CHUNK
        answers takes one per chunk). The counters come first, so whoever holds a reply sees it
        counted. If the worker dies between delivering and acknowledging, the entry is
        re-delivered and skipped as answered.
        """
        failed = sum(1 for _, _, reply in answers if reply.error_code is not None)
        served = len(answers) - failed
        images = max((r.batch_images for _, _, r in answers if r.error_code is None), default=0)
        for start in range(0, len(answers), REPLY_CHUNK):
            chunk = answers[start : start + REPLY_CHUNK]
            keys = [STATS, STREAM]
            for _, request, _ in chunk:
                keys += (reply_key(request.request_id), done_key(request.request_id))
            counts = (failed, served, images) if start == 0 else (0, 0, 0)
            args: list[Any] = [*counts, REPLY_TTL_S, DONE_TTL_S, GROUP, len(chunk)]
            args += [reply.encode() for _, _, reply in chunk]
            args += [entry_id for entry_id, _, _ in chunk]
            self._reply(keys=keys, args=args)

    def drop(self, entry_ids: list[str], reason: str) -> None:
        """Acknowledge and delete entries without answering (expired, duplicate, malformed)."""
        if not entry_ids:
            return
        pipe = self.redis.pipeline(transaction=True)
        pipe.xack(STREAM, GROUP, *entry_ids)
        pipe.xdel(STREAM, *entry_ids)
        pipe.hincrby(STATS, f"dropped_{reason}", len(entry_ids))
        pipe.execute()


def _names(raw: Any) -> list[str]:
    return sorted(n.decode() if isinstance(n, bytes) else str(n) for n in raw)


def live_workers(client: redis.Redis) -> list[str]:
    """Names of the workers that sent a heartbeat in the last HEARTBEAT_TTL_S seconds."""
    return _names(client.register_script(_LIVE_SCRIPT)(keys=[WORKERS], args=[WORKER_PREFIX]))


def read_stats(client: redis.Redis) -> dict[str, int]:
    """The queue's counters (for tests, benchmarks and operators)."""
    raw: dict[Any, Any] = client.hgetall(STATS)
    return {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in raw.items()}
