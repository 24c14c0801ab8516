"""The gRPC api: latentgan.v1.LatentGan over the artifact store and the generation queue.

Stateless (but for the in-flight counts of admission control, ``services.admission``), so any
number of replicas can serve behind a load balancer. Model and direction RPCs
read the artifact store directly (ComputeDirections computes a set in a thread, one at a time per
process, and stores it beside the version); Sample, Interpolate and Edit are validated, resolved
to a concrete model version (an Edit's direction ids to a vector, so that the queued request is
self-contained and any worker can serve it; Project's and Complete's images fitted to the
version's shape), queued in Redis with the caller's deadline, and
answered from the worker's reply. Every failure is a gRPC status with rich details
(``services.status``): an exception in a handler is answered by the one table of
``services.errors`` (the decorators ``handles_errors`` and ``streams_errors``), a worker's error
reply with the status the worker took from the same table, and DEADLINE_EXCEEDED when no worker
answers in time.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import grpc
import numpy as np
from google.protobuf.timestamp_pb2 import Timestamp

from flows.directions import apublish_direction_set
from flows.jobs import cancel_job, list_jobs, submit_job
from flows.progress import last_event
from latentgan.artifacts import (
    ArtifactStore,
    BrokenVersion,
    Manifest,
    load_model_dir,
    manifest_stamp,
    read_manifest,
)
from latentgan.directions import (
    DirectionRequest,
    DirectionSet,
    combine,
    ensure_direction_set,
    list_sets,
)
from latentgan.directions.preview import preview
from latentgan.directions.store import FOLDER as DIRECTIONS_FOLDER
from latentgan.errors import ArtifactError, ModelNotFoundError
from latentgan.images import encode_png
from latentgan.schemas.projection import ProjectionParams
from latentgan_client.v1 import latentgan_pb2 as pb
from latentgan_client.v1 import latentgan_pb2_grpc
from services import metrics, training
from services.admission import Admission
from services.errors import answer_for
from services.queue import GenerationReply, GenerationRequest, Producer, QueuedParams
from services.settings import ServingSettings
from services.status import abort
from services.validation import (
    PROJECTION_METHOD_NUMBERS,
    Checker,
    DirectionSpec,
    FieldViolation,
    check_against_model,
    complete_request,
    compute_directions_request,
    edit_params,
    interpolate_params,
    model_ref,
    name_filter,
    project_request,
    sample_params,
)

log = logging.getLogger("latentgan.api")

Context = grpc.aio.ServicerContext[Any, Any]
Req = TypeVar("Req")
Resp = TypeVar("Resp")
MANIFEST_CACHE = 1024  # parsed manifests kept (keyed by directory and write time)
DIRECTIONS_CACHE = 64  # versions whose parsed direction sets are kept (keyed by their files)
DEADLINE_MARGIN_S = 0.005  # answer DEADLINE_EXCEEDED ourselves just before the client gives up


def handles_errors(
    method: Callable[[Any, Req, Context], Awaitable[Resp]],
) -> Callable[[Any, Req, Context], Awaitable[Resp]]:
    """Answer whatever a unary handler raises with its gRPC status (``services.errors``)."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Req, context: Context) -> Resp:
        try:
            return await method(self, request, context)
        except grpc.aio.AbortError:  # the handler has set its status already
            raise
        except Exception as e:
            answer = answer_for(e, log, method.__name__)
        # Aborted outside the except block, so that the abort does not carry the error (and
        # through its traceback the request, up to max_message_bytes) as its __context__.
        await abort(context, answer.code, answer.message, answer.violations)

    return wrapper


def streams_errors(
    method: Callable[[Any, Req, Context], AsyncIterator[Resp]],
) -> Callable[[Any, Req, Context], AsyncIterator[Resp]]:
    """Answer whatever a server-streaming handler raises with its gRPC status."""

    @functools.wraps(method)
    async def wrapper(self: Any, request: Req, context: Context) -> AsyncIterator[Resp]:
        try:
            async for response in method(self, request, context):
                yield response
            return
        except grpc.aio.AbortError:
            raise
        except Exception as e:
            answer = answer_for(e, log, method.__name__)
        await abort(context, answer.code, answer.message, answer.violations)

    return wrapper


def timestamp(iso: str) -> Timestamp:
    """A protobuf Timestamp from an ISO 8601 string."""
    ts = Timestamp()
    ts.FromDatetime(datetime.fromisoformat(iso))
    return ts


def model_version(manifest: Manifest | BrokenVersion) -> pb.ModelVersion:
    """The ModelVersion message of a manifest, or of a broken version (its problem said)."""
    if isinstance(manifest, BrokenVersion):
        return pb.ModelVersion(
            name=manifest.name, version=manifest.version, problem=manifest.problem
        )
    numbers = {
        k: float(v)
        for k, v in (manifest.metrics or {}).items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    }
    return pb.ModelVersion(
        name=manifest.name,
        version=manifest.version,
        create_time=timestamp(manifest.created),
        dataset=str(manifest.dataset.get("spec", "")),
        image_shape=list(manifest.image_shape),
        latent_dim=manifest.model_config.latent_dim,
        class_names=list(manifest.class_names),
        loss=manifest.train_config.loss,
        metrics=numbers,
        manifest_json=manifest.to_json(),
    )


def image_batch(images: np.ndarray, encoding: int) -> pb.ImageBatch:
    """Images as an ImageBatch: raw bytes, or one PNG per image."""
    batch = pb.ImageBatch(shape=list(images.shape))
    if encoding == pb.IMAGE_ENCODING_PNG:
        batch.encoding = pb.IMAGE_ENCODING_PNG
        batch.png.extend(encode_png(image) for image in images)
    else:
        batch.encoding = pb.IMAGE_ENCODING_RAW
        batch.data = np.ascontiguousarray(images).tobytes()
    return batch


def latent_batch(latents: np.ndarray) -> pb.LatentBatch:
    """Latents (rows × dim float32) as a LatentBatch."""
    return pb.LatentBatch(dim=latents.shape[1], values=latents.reshape(-1).tolist())


def direction_set_message(directions: DirectionSet) -> pb.DirectionSet:
    """The DirectionSet message of a stored set: vectors, values, scores; parameters as JSON."""
    message = pb.DirectionSet(
        key=directions.key,
        method=directions.method,
        parameters={k: json.dumps(v) for k, v in directions.parameters.items()},
        value_name=directions.value_name,
        create_time=timestamp(directions.created),
        compute_seconds=directions.compute_seconds,
        score_seconds=directions.score_seconds,
    )
    for d in directions.directions:
        direction = message.directions.add(id=d.id, vector=d.vector.tolist(), value=d.value)
        if d.score is not None:
            direction.score.CopyFrom(
                pb.DirectionScore(
                    changes=[
                        pb.AttributeChange(
                            attribute=c.attribute,
                            slope=c.slope,
                            r2=c.r2,
                            standardized=c.standardized,
                        )
                        for c in d.score.changes
                    ],
                    top_attribute=d.score.top_attribute,
                    entanglement=d.score.entanglement,
                    class_kept=d.score.class_kept,
                    samples=d.score.samples,
                )
            )
    return message


def computed_with_preview(
    store: ArtifactStore, ref: str, request: DirectionRequest
) -> tuple[DirectionSet, bool, bytes | None]:
    """``ensure_direction_set``, plus the new set's edit grid as PNG (None if it was stored)."""
    model = load_model_dir(store.resolve(ref))
    found, created = ensure_direction_set(store, ref, request, model=model)
    return found, created, encode_png(preview(model.generator, found)) if created else None


class LatentGanService(latentgan_pb2_grpc.LatentGanServicer):
    """The servicer: one instance per api process."""

    def __init__(self, settings: ServingSettings, producer: Producer) -> None:
        self.settings = settings
        self.store = ArtifactStore(settings.data_dir)
        self.producer = producer
        self._manifests: dict[tuple[str, int], Manifest] = {}
        self._direction_sets: dict[tuple[str, tuple[str, ...]], list[DirectionSet]] = {}
        self._computing = asyncio.Lock()  # one ComputeDirections at a time in this process
        self.admission = Admission(
            settings.max_inflight_images, settings.client_max_inflight_images
        )

    def _manifest(self, ref: str, version: int) -> Manifest:
        """The manifest ``ref`` names; NOT_FOUND names ``version`` if only the version is wrong,
        FAILED_PRECONDITION (ArtifactError) if the version is broken."""
        try:
            directory = self.store.resolve(ref)
            key = (str(directory), manifest_stamp(directory))
            if key not in self._manifests:
                if len(self._manifests) >= MANIFEST_CACHE:
                    self._manifests.clear()
                self._manifests[key] = read_manifest(directory)
            return self._manifests[key]
        except ArtifactError as e:
            broken = f"{directory.parent.name}@{directory.name}"
            raise ArtifactError(
                f"model {broken} is broken ({e}): repair or remove it", field="model"
            ) from e
        except ModelNotFoundError as e:
            if version and self.store.versions(ref.partition("@")[0]):
                raise ModelNotFoundError(str(e), field="version") from e
            raise

    def _sets(self, manifest: Manifest) -> list[DirectionSet]:
        """The version's direction sets, parsed once: a set is never rewritten and is listed only
        once complete, so the names of the stored sets' files say whether the cache is current."""
        directory = self.store.resolve(manifest.ref)
        names = tuple(sorted(p.name for p in (directory / DIRECTIONS_FOLDER).glob("*.json")))
        key = (str(directory), names)
        if key not in self._direction_sets:
            if len(self._direction_sets) >= DIRECTIONS_CACHE:
                self._direction_sets.clear()
            self._direction_sets[key] = list_sets(directory)
        return self._direction_sets[key]

    def _direction(self, manifest: Manifest, spec: DirectionSpec) -> np.ndarray:
        """The vector an Edit moves along: the explicit one as given, or the weighted sum of the
        stored directions named (DirectionNotFoundError naming the request's field)."""
        if spec.vector is not None:
            return spec.vector
        return combine(self._sets(manifest), spec.weights, field=spec.path)

    async def _compute(
        self, manifest: Manifest, request: DirectionRequest
    ) -> tuple[DirectionSet, bool]:
        """The stored set for ``request``, else ``ensure_direction_set`` in a thread, one at a
        time. A caller that gives up does not free the lock before the computation ends: the set
        is stored, and a retry finds it."""
        stored = next((s for s in self._sets(manifest) if s.key == request.key), None)
        if stored is not None:  # no waiting behind another computation
            return stored, False
        ref = manifest.ref
        async with self._computing:
            started = time.perf_counter()
            job = asyncio.get_running_loop().run_in_executor(
                None, computed_with_preview, self.store, ref, request
            )
            try:
                found, created, grid_png = await asyncio.shield(job)
            finally:
                if not job.done():
                    await asyncio.wait([job])
        if grid_png is not None:  # a new set: shown in the Prefect UI, as training's are
            await apublish_direction_set(ref, found, grid_png)
        seconds = time.perf_counter() - started
        log.info(
            "directions %s of %s: %s in %.1f s",
            found.key,
            ref,
            "computed" if created else "stored already",
            seconds,
        )
        return found, created

    async def _generate(
        self,
        manifest: Manifest,
        params: QueuedParams,
        context: Context,
        method: str,
        least_steps: int = 0,
    ) -> GenerationReply:
        """Queue a request for the manifest's version and wait for its reply, within deadline.

        A Project or Complete (``least_steps`` optimiser steps at the least) may run up to
        ``projection_timeout``; one whose deadline leaves less than ``least_steps`` ×
        ``projection_step_ms`` is answered DEADLINE_EXCEEDED at once, never queued."""
        check_against_model(manifest, params)
        optimising = isinstance(params, ProjectionParams)
        limit = self.settings.projection_timeout if optimising else self.settings.request_timeout
        remaining = context.time_remaining()
        budget = min(limit if remaining is None else remaining, limit)
        if budget <= DEADLINE_MARGIN_S:
            await abort(context, grpc.StatusCode.DEADLINE_EXCEEDED, "the deadline has passed")
        least_s = least_steps * self.settings.projection_step_ms / 1000
        if budget < least_s:
            await abort(
                context,
                grpc.StatusCode.DEADLINE_EXCEEDED,
                f"{least_steps} optimiser steps take at least {least_s:.2f} s; the deadline "
                f"leaves {budget:.2f} s: ask for fewer steps or allow more time",
            )
        request = GenerationRequest(
            request_id=uuid.uuid4().hex,
            model=manifest.name,
            version=manifest.version,
            deadline=time.time() + budget,
            params=params,
        )
        with self.admission.admit(context.peer(), params.images):
            await self.producer.submit(request)
            reply = await self.producer.wait_reply(request.request_id, budget - DEADLINE_MARGIN_S)
        if reply is None:
            await abort(
                context,
                grpc.StatusCode.DEADLINE_EXCEEDED,
                f"no generation worker answered within {budget:.3f} s",
            )
        metrics.observe_batch(method, reply.batch_images, reply.batch_requests)
        if reply.error_code is not None:
            code = grpc.StatusCode[reply.error_code]
            where = reply.error_field
            violations = [FieldViolation(where, reply.error_message)] if where else []
            await abort(context, code, reply.error_message, violations)
        return reply

    @handles_errors
    async def Sample(self, request: pb.SampleRequest, context: Context) -> pb.SampleResponse:
        """Images by seed or by explicit latents (see the proto)."""
        ref, params = sample_params(request, self.settings)
        manifest = self._manifest(ref, request.version)
        reply = await self._generate(manifest, params, context, "Sample")
        assert reply.images is not None
        return pb.SampleResponse(
            images=image_batch(reply.images, request.encoding),
            model=manifest.ref,
            labels=list(reply.labels),
        )

    @handles_errors
    async def Interpolate(
        self, request: pb.InterpolateRequest, context: Context
    ) -> pb.InterpolateResponse:
        """Frames between two endpoints (see the proto)."""
        ref, params = interpolate_params(request, self.settings)
        manifest = self._manifest(ref, request.version)
        reply = await self._generate(manifest, params, context, "Interpolate")
        assert reply.images is not None
        return pb.InterpolateResponse(
            frames=image_batch(reply.images, request.encoding), model=manifest.ref
        )

    @handles_errors
    async def Edit(self, request: pb.EditRequest, context: Context) -> pb.EditResponse:
        """A grid of latents moved along a direction: a row per latent, a column per strength."""
        ref, plan = edit_params(request, self.settings)
        manifest = self._manifest(ref, request.version)
        params = plan.params(self._direction(manifest, plan.direction))
        reply = await self._generate(manifest, params, context, "Edit")
        assert reply.images is not None
        return pb.EditResponse(
            images=image_batch(reply.images, request.encoding),
            model=manifest.ref,
            labels=list(reply.labels[:: len(params.strengths)]),  # one per image: keep one per row
            rows=params.rows,
            strengths=list(params.strengths),
        )

    @handles_errors
    async def Project(self, request: pb.ProjectRequest, context: Context) -> pb.ProjectResponse:
        """Latents that reproduce real images, with reconstructions and distances."""
        ref, plan = project_request(request, self.settings)
        manifest = self._manifest(ref, request.version)
        params = plan.params(manifest.model_config)
        reply = await self._generate(manifest, params, context, "Project", plan.least_steps)
        assert reply.images is not None and reply.latents is not None
        return pb.ProjectResponse(
            model=manifest.ref,
            latents=latent_batch(reply.latents),
            labels=list(reply.labels),
            reconstructions=image_batch(reply.images, request.encoding),
            pixel_distances=reply.values["pixel_distance"],
            feature_distances=reply.values["feature_distance"],
            steps=[int(n) for n in reply.values["steps"]],
            method=PROJECTION_METHOD_NUMBERS[reply.method],
        )

    @handles_errors
    async def Complete(self, request: pb.CompleteRequest, context: Context) -> pb.CompleteResponse:
        """The k best completions of an image's unknown pixels, the known ones kept."""
        ref, plan = complete_request(request, self.settings)
        manifest = self._manifest(ref, request.version)
        params = plan.params(manifest.model_config)
        reply = await self._generate(manifest, params, context, "Complete", plan.least_steps)
        assert reply.images is not None and reply.latents is not None
        mask = (params.known >= 0.5).astype(np.uint8)[None, :, :, None] * 255
        response = pb.CompleteResponse(
            model=manifest.ref,
            completions=image_batch(reply.images, request.encoding),
            losses=reply.values["losses"],
            latents=latent_batch(reply.latents),
            mask=image_batch(mask, request.encoding),
        )
        if reply.labels:
            response.label = reply.labels[0]
        return response

    @handles_errors
    async def ListDirections(
        self, request: pb.ListDirectionsRequest, context: Context
    ) -> pb.ListDirectionsResponse:
        """The version's stored direction sets, by key."""
        check = Checker()
        ref = model_ref(check, request.model, request.version)
        check.raise_if_any()
        manifest = self._manifest(ref, request.version)
        sets = [direction_set_message(s) for s in self._sets(manifest)]
        return pb.ListDirectionsResponse(model=manifest.ref, sets=sets)

    @handles_errors
    async def ComputeDirections(
        self, request: pb.ComputeDirectionsRequest, context: Context
    ) -> pb.ComputeDirectionsResponse:
        """The version's set for a method and parameters: the stored one, or computed now."""
        ref, wanted = compute_directions_request(request)
        manifest = self._manifest(ref, request.version)
        found, created = await self._compute(manifest, wanted)
        return pb.ComputeDirectionsResponse(
            model=manifest.ref, set=direction_set_message(found), created=created
        )

    @handles_errors
    async def ListModels(
        self, request: pb.ListModelsRequest, context: Context
    ) -> pb.ListModelsResponse:
        """Every registered version, optionally of one name; a broken one marked, not fatal."""
        name_filter(request.name)
        manifests = self.store.listing()
        if request.name:
            manifests = [m for m in manifests if m.name == request.name]
        return pb.ListModelsResponse(models=[model_version(m) for m in manifests])

    @handles_errors
    async def GetModel(self, request: pb.GetModelRequest, context: Context) -> pb.GetModelResponse:
        """One version with its manifest, and the versions of its name."""
        check = Checker()
        ref = model_ref(check, request.model, request.version)
        check.raise_if_any()
        manifest = self._manifest(ref, request.version)
        return pb.GetModelResponse(
            model=model_version(manifest), versions=self.store.versions(manifest.name)
        )

    @handles_errors
    async def Train(self, request: pb.TrainRequest, context: Context) -> pb.TrainResponse:
        """Schedule a training job on a work pool and return it at once (idempotent by id)."""
        parameters = training.train_parameters(request, self.settings.dataset_root_paths)
        job = await submit_job(parameters, request.request_id, self.settings.train_pool)
        log.info("train job %s (request %s) for %s", job.id, job.request_id, job.name)
        return pb.TrainResponse(job=training.job_message(job, None, self.store))

    @handles_errors
    async def GetTrainJob(
        self, request: pb.GetTrainJobRequest, context: Context
    ) -> pb.GetTrainJobResponse:
        """The job's state, step, and (once done) its model or error."""
        job = await training.describe(request.job_id, self.producer.redis, self.store)
        return pb.GetTrainJobResponse(job=job)

    @handles_errors
    async def CancelTrainJob(
        self, request: pb.CancelTrainJobRequest, context: Context
    ) -> pb.CancelTrainJobResponse:
        """Cancel the job's flow run; its worker stops the training process."""
        job = await cancel_job(request.job_id)
        last = await last_event(self.producer.redis, job.id)
        return pb.CancelTrainJobResponse(job=training.job_message(job, last, self.store))

    @handles_errors
    async def ListTrainJobs(
        self, request: pb.ListTrainJobsRequest, context: Context
    ) -> pb.ListTrainJobsResponse:
        """Recent jobs, newest first."""
        limit = min(request.limit or 20, training.MAX_LIST)
        jobs = await list_jobs(name_filter(request.name), limit)
        events = [await last_event(self.producer.redis, job.id) for job in jobs]
        return pb.ListTrainJobsResponse(
            jobs=[training.job_message(j, e, self.store) for j, e in zip(jobs, events, strict=True)]
        )

    @streams_errors
    async def WatchTrainJob(
        self, request: pb.WatchTrainJobRequest, context: Context
    ) -> AsyncIterator[pb.WatchTrainJobResponse]:
        """The job's progress as it happens, ending with its final state."""
        async for response in training.watch(request.job_id, self.producer.redis, self.store):
            yield response
