"""A request for a set of latent directions: which method, with which parameters.

One schema for every front end: the CLI (``latentgan directions``), the api
(ComputeDirections, through ``services.validation``) and the training pipeline's defaults build
these; ``latentgan.directions.compute`` computes them. Parameters a method ignores are normalised
away, so that equal requests have equal keys and a set is never computed twice
(``latentgan.directions.store`` defines keys and ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from latentgan.errors import ConfigError, shown

METHODS = ("sefa", "pca", "attribute", "random")
RANKED = ("sefa", "pca", "random")  # methods that find k directions, ids KEY:0 .. KEY:k-1
VALUE_NAMES = {
    "sefa": "share of the eigenvalues",
    "pca": "share of the activations' variance",
    "attribute": "boundary accuracy on held-out samples",
    "random": "none",
}
DEFAULT_K = 10
MAX_K = 256
DEFAULT_SAMPLES = {"pca": 5000, "attribute": 3000}  # sefa and random sample nothing
MAX_SAMPLES = 200_000


@dataclass(frozen=True)
class DirectionRequest:
    """What set to compute: a method and its parameters (irrelevant ones are normalised away).

    ``k``: how many directions (sefa, pca, random). ``samples``: latents sampled (pca, attribute;
    None: the method's default). ``seed``: of those latents, and of random's vectors.
    ``attribute``: the attribute method's target (``thickness``, ``class:7``, ...).
    ``orthogonal_to``: direction ids the result is made orthogonal to.
    """

    method: str = "sefa"
    k: int = DEFAULT_K
    samples: int | None = None
    seed: int = 0
    attribute: str | None = None
    orthogonal_to: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ConfigError(
                f"unknown method {shown(self.method)}: use one of {', '.join(METHODS)}",
                field="method",
            )
        ranked = self.method in RANKED
        if ranked and not 1 <= self.k <= MAX_K:
            raise ConfigError(f"k must be in [1, {MAX_K}], got {self.k}", field="k")
        if self.samples is not None and not 100 <= self.samples <= MAX_SAMPLES:
            raise ConfigError(
                f"samples must be in [100, {MAX_SAMPLES}], got {self.samples}", field="samples"
            )
        if not 0 <= self.seed < 2**63:
            raise ConfigError(f"seed must be in [0, 2**63), got {self.seed}", field="seed")
        if (self.method == "attribute") != bool(self.attribute):
            raise ConfigError(
                "the attribute method needs an attribute, and only it takes one",
                field="attribute",
            )
        # Normalise what the method ignores, so that equal requests have equal keys.
        object.__setattr__(self, "k", self.k if ranked else 1)
        if self.method in DEFAULT_SAMPLES:
            object.__setattr__(self, "samples", self.samples or DEFAULT_SAMPLES[self.method])
        else:
            object.__setattr__(self, "samples", None)
        if self.method == "sefa":
            object.__setattr__(self, "seed", 0)
        object.__setattr__(self, "orthogonal_to", tuple(dict.fromkeys(self.orthogonal_to)))

    @property
    def key(self) -> str:
        """The set's stable name (see ``latentgan.directions.store``)."""
        base = f"attribute:{self.attribute}" if self.method == "attribute" else self.method
        extra = []
        if self.method in RANKED and self.k != DEFAULT_K:
            extra.append(f"k={self.k}")
        if self.samples is not None and self.samples != DEFAULT_SAMPLES.get(self.method):
            extra.append(f"samples={self.samples}")
        if self.seed:
            extra.append(f"seed={self.seed}")
        if self.orthogonal_to:
            extra.append(f"orthogonal_to={'+'.join(self.orthogonal_to)}")
        return f"{base}[{','.join(extra)}]" if extra else base

    def parameters(self) -> dict[str, object]:
        """The parameters that made the set, for its JSON and the API."""
        params: dict[str, object] = {"seed": self.seed}
        if self.method in RANKED:
            params["k"] = self.k
        if self.samples is not None:
            params["samples"] = self.samples
        if self.attribute:
            params["attribute"] = self.attribute
        if self.orthogonal_to:
            params["orthogonal_to"] = list(self.orthogonal_to)
        return params

    def ids(self, count: int) -> list[str]:
        """The ids of the set's directions."""
        return [f"{self.key}:{i}" for i in range(count)] if self.method in RANKED else [self.key]


def request_for_key(key: str) -> DirectionRequest | None:
    """The request with default parameters whose set has ``key`` (None for any other key)."""
    if key in RANKED:
        return DirectionRequest(key)
    if key.startswith("attribute:") and "[" not in key:
        return DirectionRequest("attribute", attribute=key.removeprefix("attribute:"))
    return None


def set_key_of(direction_id: str) -> str:
    """The key of the set a direction id belongs to."""
    head, _, tail = direction_id.rpartition(":")
    return head if tail.isdigit() and head.split("[")[0] in RANKED else direction_id
