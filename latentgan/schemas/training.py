"""A training request: the one typed description of "train a GAN like this", wherever it comes from.

``TrainRequest`` owns the names, types, sign constraints and defaults of every training parameter,
and ``to_job`` derives what the user did not say (D's normalisation from the loss and spectral
norm, D steps for WGAN-GP, G's rotation weight, the VDB size). Every front end maps to and from
it: the CLI's ``train`` flags (``latentgan.cli.train``), the gRPC TrainRequest with its ``options``
map (``services.training``), the Prefect ``train`` flow's parameters and the sweep (``flows/``).

Ranges that depend on more than one value, or on the data, are checked where the configs are
built (``ModelConfig.validate``, ``TrainConfig.validate``, the pipeline), so that one rule has one
home. Every error is a ConfigError naming its field (``options.NAME`` for an option).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveInt,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from latentgan.config import IMAGE_SIZES, Loss, ModelConfig, TrainConfig
from latentgan.errors import ConfigError, shown
from latentgan.projection.encoder import DEFAULT_STEPS as ENCODER_STEPS

if TYPE_CHECKING:
    from latentgan.pipeline import TrainJob

# How a boolean option reads as text ("spectral_norm": "true"); anything else is an error.
TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no", "")
VDB_DIM = 32  # the bottleneck's size when --vdb is on
ROTATION_G_SHARE = 0.2  # SS-GAN: G's rotation weight is this share of D's unless given
WGAN_GP_D_STEPS = 2  # critic updates per generator update under WGAN-GP unless given


def _field(
    group: str, default: Any = None, help: str | None = None, metavar: str | None = None
) -> Any:
    """A field with its command-line group (``data``, ``model``, ...), help text and metavar."""
    extra: dict[str, Any] = {"group": group} | ({"metavar": metavar} if metavar else {})
    return Field(default, description=help, json_schema_extra=extra)


class TrainRequest(BaseModel):
    """Everything a user may say about a training job, validated; the rest is derived."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # The gRPC TrainRequest carries these as its own fields; every other one travels in options.
    REQUEST_FIELDS: ClassVar[tuple[str, ...]] = (
        "dataset",
        "name",
        "conditional",
        "epochs",
        "steps",
        "latent_dim",
        "loss",
    )
    LENGTH_FIELDS: ClassVar[tuple[str, ...]] = ("epochs", "steps")  # give one, or neither
    IMAGE_SIZES: ClassVar[tuple[int, ...]] = IMAGE_SIZES

    dataset: str = _field("data", ..., "a built-in name, or a path: .npz, image folder, IDX files")
    image_size: int | None = _field("data", None, "resize images to this")
    arch: Literal["dcgan"] = _field("model", "dcgan")
    conditional: bool = _field("model", False, "label-conditioned G, projection D")
    latent_dim: PositiveInt = _field("model", 100)
    g_width: PositiveInt = _field("model", ModelConfig.g_width)
    d_width: PositiveInt = _field("model", ModelConfig.d_width)
    base_convs: NonNegativeInt = _field(
        "model", ModelConfig.base_convs, "extra 3x3 conv blocks at the base resolution in G and D"
    )
    minibatch_std: bool = _field(
        "model", False, "give D the batch's feature spread (ProGAN), against mode collapse"
    )
    loss: Loss = _field("objective and stabilisers", "ns")
    spectral_norm: bool = _field(
        "objective and stabilisers", False, "spectral norm on every D layer"
    )
    ssl_rotation: NonNegativeFloat = _field(
        "objective and stabilisers", 0.0, "SS-GAN rotation loss weight for D (0 = off)", "W"
    )
    ssl_rotation_g: NonNegativeFloat | None = _field(
        "objective and stabilisers",
        None,
        "rotation loss weight for G (default 0.2 x the D weight, as SS-GAN)",
        "W",
    )
    vdb: bool = _field("objective and stabilisers", False, "variational discriminator bottleneck")
    vdb_ic: NonNegativeFloat = _field(
        "objective and stabilisers", TrainConfig.vdb_ic, "VDB information constraint I_c", "NATS"
    )
    ema_decay: float = _field(
        "objective and stabilisers", TrainConfig.ema_decay, "EMA of G's weights (0 = off)"
    )
    epochs: float | None = _field(
        "schedule", None, "passes over the train split (default 35, or 20 with --conditional)"
    )
    steps: PositiveInt | None = _field("schedule", None, "generator updates")
    batch_size: PositiveInt = _field("schedule", TrainConfig.batch_size)
    d_steps: PositiveInt | None = _field("schedule", None, "D updates per G update (wgan-gp: 2)")
    lr_g: float = _field("schedule", TrainConfig.lr_g)
    lr_d: float = _field("schedule", TrainConfig.lr_d)
    seed: NonNegativeInt = _field("schedule", 0)
    checkpoint_every: PositiveInt = _field(
        "schedule", TrainConfig.checkpoint_every, "write a checkpoint every STEPS", "STEPS"
    )
    sample_every: PositiveInt = _field(
        "schedule", TrainConfig.sample_every, "write a sample grid PNG every STEPS", "STEPS"
    )
    name: str | None = _field(
        "output", None, "register as a new version of NAME (default: from the data set)"
    )
    no_eval: bool = _field("output", False, "skip evaluation after training")
    eval_samples: PositiveInt = _field("output", 5000)
    no_directions: bool = _field(
        "output",
        False,
        "skip the default latent directions (sefa, pca, random, attribute boundaries)",
    )
    no_encoder: bool = _field(
        "output", False, "skip training the projection encoder (image -> z) of the version"
    )
    encoder_steps: PositiveInt | None = _field(
        "output",
        None,
        f"training steps of the projection encoder (default {ENCODER_STEPS}, or the "
        "generator's steps if fewer)",
        "STEPS",
    )

    @field_validator("image_size")
    @classmethod
    def _known_size(cls, value: int | None) -> int | None:
        if value is not None and value not in IMAGE_SIZES:
            raise ValueError(f"must be one of {IMAGE_SIZES}, got {value}")
        return value

    @model_validator(mode="after")
    def _one_length(self) -> TrainRequest:
        if all(getattr(self, name) is not None for name in self.LENGTH_FIELDS):
            raise ValueError("give steps or epochs, not both")
        return self

    # --- construction ---

    @classmethod
    def parse(cls, values: Mapping[str, Any]) -> TrainRequest:
        """A request from typed values; ConfigError naming the first bad field."""
        try:
            return cls.model_validate(dict(values))
        except ValidationError as e:
            raise _config_error(e) from None

    @classmethod
    def from_fields(
        cls, dataset: str, options: Mapping[str, str] | None = None, **fields: Any
    ) -> TrainRequest:
        """A request from a Train call: its fields (REQUEST_FIELDS, by name) and its options
        (text, by field name).

        These are also the Prefect ``train`` flow's parameters. None (or an empty name or loss)
        means "not given". A bad option raises ConfigError naming ``options.NAME``, also when
        only the derived config refuses it (``options.lr_g``).
        """
        given: dict[str, Any] = {"dataset": dataset}
        for key, value in fields.items():
            if key not in cls.REQUEST_FIELDS:
                raise ConfigError(f"a Train request has no field {shown(key)}", field=key)
            if value is not None and value != "":
                given[key] = value
        options = dict(options or {})
        for key, text in sorted(options.items()):
            given[key] = cls.option_value(key, text)
        try:
            request = cls.model_validate(given)
            request.train()  # refuse now what the job would refuse when it starts
        except (ValidationError, ConfigError) as e:
            error = _config_error(e) if isinstance(e, ValidationError) else e
            if error.field in options:
                error.field = f"options.{error.field}"
            raise error from None
        return request

    @classmethod
    def option_names(cls) -> list[str]:
        """The fields that travel in a Train request's options map."""
        return [n for n in cls.model_fields if n not in cls.REQUEST_FIELDS]

    @classmethod
    def option_value(cls, key: str, text: str) -> Any:
        """The typed value of option ``key`` given as ``text``; ConfigError naming the option."""
        where = f"options.{key}"
        info = cls.model_fields.get(key)
        if info is None or key in cls.REQUEST_FIELDS:
            known = ", ".join(sorted(cls.option_names()))
            raise ConfigError(f"unknown option {shown(key)}; known: {known}", field=where)
        if not is_flag(info):
            return text  # pydantic converts the text and checks it
        word = text.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ConfigError(f"option {key} takes true or false, got {shown(text)}", field=where)

    def options(self) -> dict[str, str]:
        """The non-default values that are not request fields, as option text."""
        out: dict[str, str] = {}
        for key in self.option_names():
            value = getattr(self, key)
            if value != type(self).model_fields[key].default:
                out[key] = "true" if value is True else str(value)
        return out

    def fields(self) -> dict[str, Any]:
        """The request fields with their values (None where not given), plus ``options``."""
        values: dict[str, Any] = {key: getattr(self, key) for key in self.REQUEST_FIELDS}
        values["options"] = self.options()
        return values

    # --- the derived job ---

    def model(self) -> ModelConfig:
        """The architecture; the data set later fills in image size, channels and classes."""
        return ModelConfig(
            arch=self.arch,
            latent_dim=self.latent_dim,
            num_classes=1 if self.conditional else 0,  # the data set's class count replaces it
            g_width=self.g_width,
            d_width=self.d_width,
            base_convs=self.base_convs,
            minibatch_std=self.minibatch_std,
            d_norm="none" if self.spectral_norm or self.loss == "wgan-gp" else "batch",
            spectral_norm=self.spectral_norm,
            rotation_head=self.ssl_rotation > 0,
            vdb_dim=VDB_DIM if self.vdb else 0,
        )

    def train(self) -> TrainConfig:
        """The objective and schedule, validated (ConfigError naming the field)."""
        rotation_g = self.ssl_rotation_g
        if rotation_g is None:
            rotation_g = ROTATION_G_SHARE * self.ssl_rotation
        default_d_steps = WGAN_GP_D_STEPS if self.loss == "wgan-gp" else 1
        return TrainConfig(
            loss=self.loss,
            batch_size=self.batch_size,
            steps=self.steps,
            epochs=self.epochs,
            d_steps=self.d_steps or default_d_steps,
            lr_g=self.lr_g,
            lr_d=self.lr_d,
            rotation_weight_d=self.ssl_rotation,
            rotation_weight_g=rotation_g,
            vdb_ic=self.vdb_ic,
            ema_decay=self.ema_decay,
            seed=self.seed,
            checkpoint_every=self.checkpoint_every,
            sample_every=self.sample_every,
        ).validate()

    def to_job(self, *, device: str, run_dir: Path | None = None, resume: bool = False) -> TrainJob:
        """The TrainJob this request describes, run on ``device`` (in ``run_dir`` if given);
        ConfigError naming the field when a derived config is out of range."""
        from latentgan.pipeline import TrainJob

        return TrainJob(
            dataset=self.dataset,
            model=self.model(),
            train=self.train(),
            name=self.name,
            image_size=self.image_size,
            run_dir=run_dir,
            resume=resume,
            evaluate=not self.no_eval,
            eval_samples=self.eval_samples,
            directions=not self.no_directions,
            encoder=not self.no_encoder,
            encoder_steps=self.encoder_steps,
            device=device,
        )


def is_flag(info: FieldInfo) -> bool:
    """Whether a field is a plain on/off switch (a ``--flag`` without a value)."""
    return info.annotation is bool


def _config_error(error: ValidationError) -> ConfigError:
    """The first problem pydantic found, as a ConfigError naming its field."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "steps"  # model-level: steps vs epochs
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    given = first.get("input")
    got = f", got {shown(given)}" if first["loc"] and not isinstance(given, dict) else ""
    return ConfigError(f"{field}: {message}{got}", field=field)
