"""Command-line flags made from the request schemas, and read back into them.

The ``train`` flags are the fields of ``TrainRequest`` (one flag a field: ``--latent-dim`` is
``latent_dim``), with the field's type, sign constraint, default and help; argparse checks each
value as the schema would, so a malformed value is a usage error (exit 2) naming the flag. The
generation flags are shared by the local and the remote form of ``sample`` and ``interpolate``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from latentgan.data import available_datasets
from latentgan.schemas.directions import METHODS, DirectionRequest
from latentgan.schemas.training import TrainRequest, is_flag


def flag_name(field: str) -> str:
    """``--latent-dim`` for ``latent_dim``."""
    return "--" + field.replace("_", "-")


def _schema_type(name: str, info: FieldInfo) -> Callable[[str], Any]:
    """An argparse type that reads text as the schema field would (its constraints included)."""
    annotation: Any = info.annotation
    if info.metadata:  # pydantic keeps PositiveInt's bound apart from its int
        annotation = Annotated[(annotation, *info.metadata)]
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)

    def parse(text: str) -> Any:
        try:
            return adapter.validate_python(text)
        except ValidationError as e:
            problem = e.errors()[0]["msg"].removeprefix("Value error, ")
            raise argparse.ArgumentTypeError(f"{problem}, got {text!r}") from None

    parse.__name__ = name
    return parse


def _whole_epochs(text: str) -> float:
    """A Train request carries whole epochs (a uint32): refuse fractions up front."""
    value = float(text)
    if not value.is_integer() or value < 0:
        raise argparse.ArgumentTypeError(
            f"a training job takes a whole number of epochs (or use --steps), got {text}"
        )
    return value


_whole_epochs.__name__ = "epoch count"


def add_train_flags(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `train`: every TrainRequest field, plus where this machine runs it.

    Without ``local`` (``remote train``), the flags a Train request carries: the local-only ones
    choose where this machine writes (--out, --resume) and computes (--device); on the platform
    the training worker decides those.
    """
    groups: dict[str, argparse._ArgumentGroup] = {}
    length: Any = None
    for name, info in TrainRequest.model_fields.items():
        extra = info.json_schema_extra
        assert isinstance(extra, dict), f"TrainRequest.{name} has no CLI group"
        group_name = str(extra["group"])
        if group_name not in groups:
            groups[group_name] = p.add_argument_group(group_name)
        target: Any = groups[group_name]
        if name in TrainRequest.LENGTH_FIELDS:
            if length is None:
                length = target.add_mutually_exclusive_group()
            target = length
        kwargs: dict[str, Any] = {"help": info.description}
        if "metavar" in extra:
            kwargs["metavar"] = extra["metavar"]
        if is_flag(info):
            target.add_argument(flag_name(name), action="store_true", **kwargs)
            continue
        if name == "dataset":
            kwargs["required"] = True
            names = ", ".join(available_datasets())
            kwargs["help"] = f"{names}, or a path: .npz, image folder, IDX files"
        elif name == "epochs" and not local:
            kwargs["type"] = _whole_epochs
        elif get_origin(info.annotation) is Literal:
            kwargs["choices"] = get_args(info.annotation)
        elif name == "image_size":
            kwargs["type"], kwargs["choices"] = int, TrainRequest.IMAGE_SIZES
        elif info.annotation is not str and info.annotation != (str | None):
            kwargs["type"] = _schema_type(name.replace("_", " "), info)
        target.add_argument(flag_name(name), default=info.default, **kwargs)
    if local:
        groups["schedule"].add_argument(
            "--device", help="auto, cpu or cuda[:N] (default $LATENTGAN_DEVICE or auto)"
        )
        groups["output"].add_argument(
            "--out", type=Path, help="run directory for checkpoints and sample grids"
        )
        groups["output"].add_argument(
            "--resume", action="store_true", help="continue the run's last checkpoint"
        )


def train_request(args: argparse.Namespace) -> TrainRequest:
    """The TrainRequest that `train` (or `remote train`) ARGS describe."""
    return TrainRequest.parse({name: getattr(args, name) for name in TrainRequest.model_fields})


# --- generation ---


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _labels(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated class numbers like 3,3,8, got {text!r}"
        ) from None


_positive_int.__name__ = "positive integer"
_non_negative_int.__name__ = "non-negative integer"
_labels.__name__ = "label list"


def add_model_flags(p: argparse.ArgumentParser, local: bool = True) -> None:
    """--model and --truncation (and, for a local store, --raw)."""
    where = ", NAME@VERSION or a model directory" if local else " or NAME@VERSION"
    p.add_argument("--model", required=True, help=f"NAME{where}")
    if local:
        p.add_argument(
            "--raw", action="store_true", help="use the raw generator instead of its EMA"
        )
    p.add_argument(
        "--truncation",
        type=float,
        default=1.0,
        metavar="PSI",
        help="pull latents towards the mean, 0..1 (1 = off)",
    )


def add_sample_flags(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `sample` and `remote sample`."""
    add_model_flags(p, local)
    p.add_argument("--n", type=_positive_int, default=64)
    p.add_argument("--seed", type=_non_negative_int, default=0)
    p.add_argument(
        "--labels", type=_labels, help="classes, comma-separated (one, or one per image)"
    )
    p.add_argument("--out", type=Path, required=True, help=".png grid or .npy (uint8 N×H×W×C)")


def add_interpolate_flags(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `interpolate` and `remote interpolate`."""
    add_model_flags(p, local)
    p.add_argument("--seed-a", type=_non_negative_int, default=0)
    p.add_argument("--seed-b", type=_non_negative_int, default=1)
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--method", choices=("slerp", "lerp"), default="slerp")
    p.add_argument("--label-a", type=int)
    p.add_argument("--label-b", type=int)
    p.add_argument(
        "--out", type=Path, required=True, help=".gif, .png strip, or .npy (uint8 steps×H×W×C)"
    )


def add_evaluate_flags(p: argparse.ArgumentParser) -> None:
    """The flags of `evaluate`."""
    p.add_argument("--model", required=True, help="NAME, NAME@VERSION or a model directory")
    p.add_argument("--n", type=_positive_int, default=5000, help="images to generate")
    p.add_argument("--raw", action="store_true", help="use the raw generator instead of its EMA")
    p.add_argument("--json", action="store_true", help="print JSON")


def sample_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of a sample call that `sample` ARGS give."""
    return {"n": args.n, "seed": args.seed, "labels": args.labels, "truncation": args.truncation}


def interpolate_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of an interpolate call that `interpolate` ARGS give."""
    names = ("seed_a", "seed_b", "steps", "method", "label_a", "label_b", "truncation")
    return {name: getattr(args, name) for name in names}


def _strengths(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated numbers like -3,-1.5,0,1.5,3, got {text!r}"
        ) from None
    if not values:
        raise argparse.ArgumentTypeError("give at least one strength")
    return values


def _direction(text: str) -> str | dict[str, float]:
    """An id (``sefa:0``), or a weighted mix ``sefa:0=1,attribute:thickness=0.5``."""
    if "=" not in text:
        return text.strip()
    mix: dict[str, float] = {}
    for part in text.split(","):
        name, sep, weight = part.rpartition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            mix[name.strip()] = float(weight)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected ID or ID=WEIGHT,ID=WEIGHT (e.g. sefa:0=1,sefa:1=0.5), got {text!r}"
            ) from None
    return mix


_strengths.__name__ = "strength list"
_direction.__name__ = "direction"


def add_directions_flags(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `directions` and `remote directions`."""
    where = ", NAME@VERSION or a model directory" if local else " or NAME@VERSION"
    p.add_argument("--model", required=True, help=f"NAME{where}")
    p.add_argument(
        "--method",
        choices=METHODS,
        help="compute (or fetch) this set; without it, list the version's stored directions",
    )
    p.add_argument("--attribute", help="the attribute method's target: thickness, class:7, ...")
    p.add_argument("--k", type=_positive_int, default=10, help="directions to find (default 10)")
    p.add_argument("--samples", type=_positive_int, help="latents to sample (pca, attribute)")
    p.add_argument("--seed", type=_non_negative_int, default=0)
    p.add_argument(
        "--orthogonal-to",
        action="append",
        default=[],
        metavar="ID",
        help="make the result orthogonal to this direction (repeatable), e.g. attribute:class:3",
    )
    p.add_argument("--json", action="store_true", help="print JSON")


def direction_request(args: argparse.Namespace) -> DirectionRequest:
    """The ``DirectionRequest`` that `directions --method ...` ARGS describe."""
    return DirectionRequest(
        method=args.method,
        k=args.k,
        samples=args.samples,
        seed=args.seed,
        attribute=args.attribute,
        orthogonal_to=tuple(args.orthogonal_to),
    )


def add_edit_flags(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `edit` and `remote edit`."""
    add_model_flags(p, local)
    p.add_argument(
        "--direction",
        type=_direction,
        required=True,
        help="a direction id (sefa:0, attribute:thickness), or ID=WEIGHT,ID=WEIGHT for a mix",
    )
    p.add_argument(
        "--strengths",
        type=_strengths,
        default=(-3.0, -1.5, 0.0, 1.5, 3.0),
        help="comma-separated, in σ of the prior (default -3,-1.5,0,1.5,3); write --strengths=-3,3",
    )
    p.add_argument("--n", type=_positive_int, default=4, help="latents: the grid's rows")
    p.add_argument("--seed", type=_non_negative_int, default=0)
    p.add_argument("--labels", type=_labels, help="classes, comma-separated (one, or one per row)")
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        help=".png grid (a row per latent, a column per strength), .gif (the strengths "
        "animated) or .npy (uint8 rows×strengths×H×W×C)",
    )


def edit_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of an edit call that `edit` ARGS give (the direction aside)."""
    names = ("strengths", "n", "seed", "labels", "truncation")
    return {name: getattr(args, name) for name in names}


def add_project_flags(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `project`."""
    where = ", NAME@VERSION or a model directory" if local else " or NAME@VERSION"
    p.add_argument("--model", required=True, help=f"NAME{where}")
    p.add_argument(
        "--image",
        type=Path,
        action="append",
        required=True,
        help="an image file (any size, grey or colour; repeatable)",
    )
    p.add_argument("--method", choices=("auto", "optimize", "encoder"), default="auto")
    p.add_argument("--steps", type=_non_negative_int, help="optimiser steps (default: per method)")
    p.add_argument(
        "--label",
        type=_labels,
        help="classes of a conditional model (one, or one per image; default: the evaluator's)",
    )
    p.add_argument("--seed", type=_non_negative_int, default=0, help="of the optimiser's starts")
    p.add_argument("--out", type=Path, help=".npy: the latents (images × latent_dim float32)")
    p.add_argument("--reconstruction", type=Path, help=".png: originals (top) over reconstructions")
    p.add_argument("--then-edit", metavar="ID", help="then edit the projections along direction ID")
    p.add_argument(
        "--strengths",
        type=_strengths,
        default=(-3.0, -1.5, 0.0, 1.5, 3.0),
        help="of --then-edit, in σ (default -3,-1.5,0,1.5,3)",
    )
    p.add_argument(
        "--edit-out", type=Path, help="where --then-edit writes its grid (.png/.gif/.npy)"
    )
    p.add_argument("--json", action="store_true", help="print JSON")


def add_complete_flags(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `complete`."""
    where = ", NAME@VERSION or a model directory" if local else " or NAME@VERSION"
    p.add_argument("--model", required=True, help=f"NAME{where}")
    p.add_argument("--image", type=Path, required=True, help="the image to complete")
    p.add_argument(
        "--mask",
        required=True,
        help="which pixels are missing: center, left, right, top, bottom, random:P, or a mask "
        "image (white = known)",
    )
    p.add_argument("--k", type=_positive_int, default=4, help="completions (default 4)")
    p.add_argument("--steps", type=_positive_int, help="optimiser steps (default 200)")
    p.add_argument("--label", type=int, help="the class, for a conditional model")
    p.add_argument("--seed", type=_non_negative_int, default=0)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        help=".png: masked input, the k completions (best first), the original; or .npy (k×H×W×C)",
    )


def add_encoder_flags(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `encoder`."""
    p.add_argument("--model", required=True, help="NAME, NAME@VERSION or a model directory")
    p.add_argument(
        "--steps",
        type=_positive_int,
        help="training steps (default 1000, or the generator's steps if fewer)",
    )
