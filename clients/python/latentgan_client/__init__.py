"""latentgan_client: the Python SDK for latentgan, a platform to train GANs and explore their
latent spaces over gRPC.

`Client` (and `AsyncClient` for asyncio) trains models, follows training jobs, lists models,
samples or interpolates images as numpy arrays, finds latent directions and edits along them,
projects real images into the latent space (`project`, whose latents `edit` takes) and completes
partly known ones (`complete`); `latentgan_client.images` tiles, saves and loads images; every
failure is a `latentgan_client.errors.LatentganError`. The generated protobuf code is in
`latentgan_client.v1` for callers who want the raw messages.
"""

from latentgan_client._async_client import AsyncClient
from latentgan_client._client import Client
from latentgan_client._convert import DirectionLike, ImageLike, ImagesLike, Labels, MaskLike
from latentgan_client._jobs import AsyncJob, Job
from latentgan_client._models import (
    JOB_STATES,
    AttributeChangeInfo,
    Completion,
    DirectionInfo,
    DirectionMethod,
    DirectionScoreInfo,
    DirectionSetInfo,
    Encoding,
    ImageArray,
    JobInfo,
    JobState,
    LossName,
    Method,
    ModelInfo,
    ProgressEvent,
    Projection,
    ProjectionDistances,
    ProjectionMethodName,
)
from latentgan_client._transport import TLS
from latentgan_client.errors import (
    DeadlineExceeded,
    FailedPrecondition,
    InvalidArgument,
    InvalidArgumentType,
    InvalidArgumentValue,
    JobCancelled,
    JobError,
    JobFailed,
    LatentganError,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
    Unimplemented,
)

__version__ = "0.1.0"

__all__ = [
    "JOB_STATES",
    "TLS",
    "AsyncClient",
    "AsyncJob",
    "AttributeChangeInfo",
    "Client",
    "Completion",
    "DeadlineExceeded",
    "DirectionInfo",
    "DirectionLike",
    "DirectionMethod",
    "DirectionScoreInfo",
    "DirectionSetInfo",
    "Encoding",
    "FailedPrecondition",
    "ImageArray",
    "ImageLike",
    "ImagesLike",
    "InvalidArgument",
    "InvalidArgumentType",
    "InvalidArgumentValue",
    "Job",
    "JobCancelled",
    "JobError",
    "JobFailed",
    "JobInfo",
    "JobState",
    "Labels",
    "LatentganError",
    "LossName",
    "MaskLike",
    "Method",
    "ModelInfo",
    "NotFound",
    "PermissionDenied",
    "ProgressEvent",
    "Projection",
    "ProjectionDistances",
    "ProjectionMethodName",
    "ResourceExhausted",
    "Unauthenticated",
    "Unavailable",
    "Unimplemented",
    "__version__",
]
