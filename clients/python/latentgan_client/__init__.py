"""latentgan_client: the Python SDK for latentgan, a platform to train GANs and explore their
latent spaces over gRPC.

`Client` (and `AsyncClient` for asyncio) trains models, follows training jobs, lists models,
samples or interpolates images as numpy arrays, and finds latent directions and edits along them;
`latentgan_client.images` tiles and saves them; every failure is a
`latentgan_client.errors.LatentganError`. The generated protobuf code is in `latentgan_client.v1`
for callers who want the raw messages.
"""

from latentgan_client._async_client import AsyncClient
from latentgan_client._client import Client
from latentgan_client._convert import DirectionLike, Labels
from latentgan_client._jobs import AsyncJob, Job
from latentgan_client._models import (
    JOB_STATES,
    AttributeChangeInfo,
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
)
from latentgan_client._transport import TLS
from latentgan_client.errors import (
    DeadlineExceeded,
    FailedPrecondition,
    InvalidArgument,
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
    "DeadlineExceeded",
    "DirectionInfo",
    "DirectionLike",
    "DirectionMethod",
    "DirectionScoreInfo",
    "DirectionSetInfo",
    "Encoding",
    "FailedPrecondition",
    "ImageArray",
    "InvalidArgument",
    "Job",
    "JobCancelled",
    "JobError",
    "JobFailed",
    "JobInfo",
    "JobState",
    "Labels",
    "LatentganError",
    "LossName",
    "Method",
    "ModelInfo",
    "NotFound",
    "PermissionDenied",
    "ProgressEvent",
    "ResourceExhausted",
    "Unauthenticated",
    "Unavailable",
    "Unimplemented",
    "__version__",
]
