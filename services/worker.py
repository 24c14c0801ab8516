"""Generation worker: takes requests off the Redis stream, batches them per model, answers them.

One loop, one process (torch uses the cores for the forward pass). Once a second it reclaims
entries that a dead worker left pending; otherwise it reads everything queued and, when several
requests are arriving together, waits up to ``batch_wait_ms`` for more, so that requests for the
same model version share one forward pass (``latentgan.generate.render_many``, which keeps every
request's images independent of its batch-mates); a pass of a few images runs on one torch thread
(``torch_threads_for``), a larger one on the worker's. Expired requests are dropped unanswered;
re-deliveries of answered requests are skipped. Project and Complete requests are served by
optimising latents (``latentgan.projection.requests``) with the version's encoder, evaluator and
discriminator, loaded once per version. A request it cannot serve (a broken model, inputs
that do not fit it, a bug) is answered with the status ``services.errors`` gives that error, and
the worker carries on. When Redis goes away the worker retries with backoff and carries on where
it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from itertools import groupby
from pathlib import Path

import redis
import torch

from latentgan.artifacts import ArtifactStore, LoadedModel, load_model_dir, manifest_stamp
from latentgan.errors import ModelNotFoundError
from latentgan.generate import (
    MIN_ROWS,
    GenerationInputs,
    generation_inputs,
    inference_graph,
    render_many,
)
from latentgan.models import Generator
from latentgan.projection.requests import (
    PreparedProjection,
    complete_request,
    prepare_projection,
    project_prepared,
)
from latentgan.projection.versions import ProjectionKit, kit_of
from latentgan.schemas.projection import CompleteParams, ProjectionParams, ProjectParams
from latentgan.train import resolve_device
from services.errors import answer_for
from services.queue import HEARTBEAT_TTL_S, Consumer, Entry, GenerationReply, GenerationRequest
from services.settings import ServingSettings

log = logging.getLogger("latentgan.worker")

BLOCK_MS = 250  # longest a read blocks, so that a stop request is seen promptly
CLAIM_EVERY_S = 1.0
POLL_S = 0.0002  # pause between polls while gathering a batch
DIRECTORY_CACHE = 1024  # resolved version directories kept (a path each)


class ModelCache:
    """The last ``size`` model versions used, loaded and in eval mode (least recently used out),
    with what projection needs of each (its kit) once a projection asks for it."""

    def __init__(self, store: ArtifactStore, size: int, device: str) -> None:
        self.store = store
        self.size = size
        self.device = device
        self._models: OrderedDict[tuple[str, int, int], LoadedModel] = OrderedDict()
        self._kits: dict[tuple[str, int, int], ProjectionKit] = {}
        self._directories: dict[tuple[str, int], Path] = {}  # NAME@VERSION's, once resolved

    def kit(self, model: LoadedModel) -> ProjectionKit:
        """The projection kit of a model this cache holds (evaluator, encoder, discriminator)."""
        key = next(k for k, m in self._models.items() if m is model)
        if key not in self._kits:
            self._kits[key] = kit_of(self.store, model, self.device)
        return self._kits[key]

    def get(self, name: str, version: int) -> LoadedModel:
        """The model version, loading it (and evicting the oldest) if it is not loaded.

        A version's directory is resolved once (listing the name's versions each time cost more
        than the rest of a one-image request's bookkeeping); its manifest's stamp is read every
        time, so a removed version is refused and a re-registered one reloaded.
        """
        directory = self._directories.get((name, version))
        if directory is None:
            directory = self.store.resolve(f"{name}@{version}")
        try:
            key = (name, version, manifest_stamp(directory))
        except FileNotFoundError as e:  # deleted since it was resolved
            self._directories.pop((name, version), None)
            raise ModelNotFoundError(f"model {name}@{version} was removed", field="model") from e
        if len(self._directories) >= DIRECTORY_CACHE:
            self._directories.clear()
        self._directories[(name, version)] = directory
        if key in self._models:
            self._models.move_to_end(key)
            return self._models[key]
        model = load_model_dir(directory, device=self.device)
        self._models[key] = model
        while len(self._models) > self.size:
            evicted, _ = self._models.popitem(last=False)
            self._kits.pop(evicted, None)
        return model


@contextlib.contextmanager
def torch_threads_for(g: Generator, rows: int) -> Iterator[None]:
    """One torch thread for a forward pass of at most MIN_ROWS rows, the worker's own otherwise.

    A second thread saves a few hundredths of a millisecond on a one-image pass, and then spins
    waiting for the next parallel region on a core that the api and Redis need to answer that very
    request (measured on 2 cores, one worker of two threads: ~25 ms of worker CPU per Sample(n=1),
    ~1 ms with this; benchmarks.hot_path). Only with ``latentgan.generate.InferenceGraph``, whose
    rows are the same at any thread count; the module's are not known to be, so it keeps the
    worker's setting.
    """
    threads = torch.get_num_threads()
    if threads == 1 or rows > MIN_ROWS or inference_graph(g) is None:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _error_reply(error: Exception, what: str) -> GenerationReply:
    """The reply for a request the worker cannot serve, with the status the table gives it (the
    api answers exactly that); a bug is logged here, with its traceback."""
    answer = answer_for(error, log, what)
    return GenerationReply(
        error_code=answer.code.name, error_message=answer.message, error_field=answer.field
    )


class GenerationWorker:
    """Serves the generation stream until ``stop`` is set."""

    def __init__(
        self, client: redis.Redis, settings: ServingSettings, name: str | None = None
    ) -> None:
        self.consumer = Consumer(client, name or f"{socket.gethostname()}-{os.getpid()}")
        self.settings = settings
        if settings.torch_threads:
            torch.set_num_threads(settings.torch_threads)
        device = str(resolve_device(settings.device))
        store = ArtifactStore(settings.data_dir)
        self.models = ModelCache(store, settings.model_cache_size, device)
        self._next_claim = 0.0
        self._held: list[str] = []  # the entries of the turn being answered, for the keeper
        self._held_since = 0.0

    def run(self, stop: threading.Event, on_ready: Callable[[], None] | None = None) -> None:
        """Serve until ``stop`` is set, riding out Redis outages."""
        backoff = 0.0
        ready = False
        keeper = threading.Thread(target=self._keep_claimed, args=(stop,), daemon=True)
        keeper.start()
        while not stop.is_set():
            try:
                if not ready or backoff:
                    self.consumer.ensure_group()
                    if backoff:
                        log.info("redis is back; serving again")
                    backoff = 0.0
                    if not ready and on_ready:
                        on_ready()
                    ready = True
                self.serve_once()
            except (redis.ConnectionError, redis.TimeoutError) as e:
                if not backoff:
                    log.warning("redis unreachable (%s); retrying", e)
                backoff = min(max(backoff * 2, 0.05), 1.0)
                stop.wait(backoff)
            except redis.ResponseError as e:
                if "NOGROUP" not in str(e):
                    raise
                self.consumer.ensure_group()  # Redis restarted empty: the group is gone

    def _keep_claimed(self, stop: threading.Event) -> None:
        """While one turn runs longer than a third of claim_idle_ms (a long Project or Complete,
        a slow device): its entries claimed afresh and the heartbeat renewed, again and again,
        so that no other worker reclaims them and computes them twice, and the worker is not
        counted dead. Redis errors are left to the main loop, which rides out outages."""
        period = min(self.settings.claim_idle_ms / 3000, HEARTBEAT_TTL_S / 3)
        while not stop.wait(period):
            held = self._held
            if not held or time.monotonic() - self._held_since < period:
                continue
            try:
                self.consumer.touch(held)
                self.consumer.heartbeat()
            except redis.RedisError as e:
                log.debug("could not keep entries claimed: %s", e)

    def serve_once(self) -> int:
        """One turn: reclaim or read a batch and answer it; returns the entries handled."""
        limit = self.settings.batch_max_images
        if time.monotonic() >= self._next_claim:
            self._next_claim = time.monotonic() + CLAIM_EVERY_S
            self.consumer.heartbeat()
            reclaimed = self.consumer.reclaim(self.settings.claim_idle_ms, limit)
            if reclaimed:
                log.info("reclaimed %d entries from a stalled worker", len(reclaimed))
                self.handle(reclaimed, reclaimed=True)
                return len(reclaimed)
        entries = self.consumer.read(limit, BLOCK_MS)
        if entries and self.settings.batch_wait_ms > 0:
            entries += self._gather(entries, limit)
        if entries:
            self.handle(entries)
        return len(entries)

    def _gather(self, entries: list[Entry], limit: int) -> list[Entry]:
        """More entries for up to batch_wait_ms, until ``limit`` images are waiting.

        Waits only under load: the first read takes everything queued, so a lone request means
        light load and goes at once, with no added latency. Polls without blocking: Redis checks
        a blocked client's timeout only every 1/hz seconds (100 ms by default), far coarser than
        this wait.
        """
        images = sum(r.images for _, r in entries if r)
        if len(entries) < 2 or images >= limit:
            return []  # one request alone: no sign of load, so no reason to wait
        more: list[Entry] = []
        until = time.monotonic() + self.settings.batch_wait_ms / 1000
        while images < limit and time.monotonic() < until:
            got = self.consumer.read(limit, None)
            if not got:
                time.sleep(POLL_S)
                continue
            more += got
            images += sum(r.images for _, r in got if r)
        return more

    def handle(self, entries: list[Entry], reclaimed: bool = False) -> None:
        """Drop what is expired, answered or malformed; answer the rest, batched per model.

        Only reclaimed entries can already have been answered (by a worker that was slow, not
        dead), so only they are checked against the answered markers.
        """
        self._held_since = time.monotonic()
        self._held = [e for e, _ in entries]
        try:
            self._handle(entries, reclaimed)
        finally:
            self._held = []

    def _handle(self, entries: list[Entry], reclaimed: bool) -> None:
        now = time.time()
        self.consumer.drop([e for e, r in entries if r is None], "malformed")
        live = [(e, r) for e, r in entries if r is not None]
        self.consumer.drop([e for e, r in live if r.expired(now)], "expired")
        live = [(e, r) for e, r in live if not r.expired(now)]
        if reclaimed:
            done = self.consumer.answered([r.request_id for _, r in live])
            self.consumer.drop([e for e, r in live if r.request_id in done], "duplicate")
            live = [(e, r) for e, r in live if r.request_id not in done]
        live.sort(key=lambda er: (er[1].model, er[1].version))
        for (name, version), group in groupby(live, key=lambda er: (er[1].model, er[1].version)):
            self.consumer.reply(self._answer(name, version, list(group)))

    def _answer(
        self, name: str, version: int, group: list[tuple[str, GenerationRequest]]
    ) -> list[tuple[str, GenerationRequest, GenerationReply]]:
        """Replies for requests to one model version, computed in one forward pass."""
        try:
            model = self.models.get(name, version)
        except Exception as e:  # a broken model must not crash-loop the worker on its entries
            failure = _error_reply(e, f"loading {name}@{version}")
            return [(entry_id, request, failure) for entry_id, request in group]
        optimising = [(e, r) for e, r in group if isinstance(r.params, ProjectionParams)]
        group = [(e, r) for e, r in group if not isinstance(r.params, ProjectionParams)]
        answers = self._optimise(model, optimising) if optimising else []
        batch: list[tuple[str, GenerationRequest, GenerationInputs]] = []
        for entry_id, request in group:
            try:
                assert not isinstance(request.params, ProjectionParams)
                inputs = generation_inputs(model.generator, request.params)
                batch.append((entry_id, request, inputs))
            except Exception as e:
                answers.append((entry_id, request, _error_reply(e, f"a {request.kind} request")))
        if not batch:
            return answers
        try:
            rows = sum(len(inputs) for _, _, inputs in batch)
            with torch_threads_for(model.generator, rows):
                images = render_many(model.generator, [inputs for _, _, inputs in batch])
        except Exception as e:  # a bug or an exhausted device: answer, never die
            failure = _error_reply(e, f"the forward pass for {name}@{version}")
            return answers + [(entry_id, request, failure) for entry_id, request, _ in batch]
        total = sum(len(x) for x in images)
        for (entry_id, request, inputs), result in zip(batch, images, strict=True):
            labels = () if inputs.labels is None else tuple(inputs.labels.tolist())
            reply = GenerationReply(
                images=result, labels=labels, batch_images=total, batch_requests=len(batch)
            )
            answers.append((entry_id, request, reply))
        return answers

    def _optimise(
        self, model: LoadedModel, group: list[tuple[str, GenerationRequest]]
    ) -> list[tuple[str, GenerationRequest, GenerationReply]]:
        """Replies to Project and Complete requests for one version: the Project requests that
        ask for the same method, steps and seed share one optimisation
        (``latentgan.projection.requests``); each Complete is its own."""
        try:
            kit = self.models.kit(model)
        except Exception as e:  # a broken encoder or evaluator: answer every request with it
            failure = _error_reply(e, f"loading the projection kit of {model.manifest.ref}")
            return [(entry_id, request, failure) for entry_id, request in group]
        answers: list[tuple[str, GenerationRequest, GenerationReply]] = []
        prepared: list[tuple[str, GenerationRequest, PreparedProjection]] = []
        for entry_id, request in group:
            try:
                if isinstance(request.params, CompleteParams):
                    done, label = complete_request(kit, request.params)
                    reply = GenerationReply(
                        images=done.images,
                        labels=() if label is None else (label,),
                        latents=done.latents,
                        values={"losses": done.losses.tolist()},
                        batch_images=len(done.images),
                        batch_requests=1,
                    )
                    answers.append((entry_id, request, reply))
                else:
                    assert isinstance(request.params, ProjectParams)
                    prepared.append((entry_id, request, prepare_projection(kit, request.params)))
            except Exception as e:
                answers.append((entry_id, request, _error_reply(e, f"a {request.kind} request")))
        if not prepared:
            return answers
        try:
            runs = project_prepared(kit, [p for _, _, p in prepared])
        except Exception as e:  # a bug or an exhausted device: answer, never die
            failure = _error_reply(e, f"projecting into {model.manifest.ref}")
            return answers + [(entry_id, request, failure) for entry_id, request, _ in prepared]
        total = sum(len(p.targets) for _, _, p in prepared)
        for (entry_id, request, _), run in zip(prepared, runs, strict=True):
            found = run.projection
            reply = GenerationReply(
                images=found.images,
                labels=() if found.labels is None else tuple(int(y) for y in found.labels),
                latents=found.latents,
                values={
                    "pixel_distance": found.pixel_distance.tolist(),
                    "feature_distance": found.feature_distance.tolist(),
                    "steps": found.steps.astype(float).tolist(),
                },
                method=run.method,
                batch_images=total,
                batch_requests=len(prepared),
            )
            answers.append((entry_id, request, reply))
        return answers
