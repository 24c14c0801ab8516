"""The ``latentgan`` command: train, sample, interpolate, evaluate and list models.

A thin layer over the library: parse flags, call one function, print the outcome. A user's mistake
is one line on stderr and a non-zero exit (2 for a malformed command line, 1 for a request that
cannot be served); only a bug in latentgan shows a traceback.

Other parts of the platform add subcommands through the ``latentgan.commands`` entry-point group
(``serve``, ``worker`` and ``remote`` come from ``services.cli``), so this module never imports
gRPC, Redis or Prefect.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, NoReturn

from tqdm import tqdm

from latentgan.config import LOSSES, ModelConfig, TrainConfig
from latentgan.errors import ConfigError, LatentganError

COMMANDS_GROUP = "latentgan.commands"  # entry points adding subcommands (serve, worker, remote)
EXIT_USAGE = 2
EXIT_ERROR = 1


class _Parser(argparse.ArgumentParser):
    """argparse, but a malformed command line is one line, not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


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


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also rejects nan
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
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
_non_negative_float.__name__ = "non-negative number"
_labels.__name__ = "label list"


def build_parser() -> argparse.ArgumentParser:
    """The full command line, subcommand by subcommand."""
    parser = _Parser(
        prog="latentgan",
        description="Train GANs and explore their latent spaces.",
        epilog="Models are named NAME (latest version), NAME@VERSION, or a directory path. "
        "The store lives in $LATENTGAN_DATA_DIR (default ~/.latentgan).",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_train(sub)
    _add_sample(sub)
    _add_interpolate(sub)
    _add_evaluate(sub)
    models = sub.add_parser("models", help="list the models in the store")
    models.add_argument("--json", action="store_true", help="print JSON")
    models.set_defaults(handler=_cmd_models)
    for command in entry_points(group=COMMANDS_GROUP):
        command.load()(sub)
    return parser


def _add_train(sub: Any) -> None:
    p = sub.add_parser("train", help="train a GAN and register it as a model version")
    add_train_arguments(p)
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(handler=_cmd_train)


def add_train_arguments(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `train`; without ``local``, those a Train request carries (`remote train`).

    The local-only flags choose where this machine writes (--out, --resume) and computes
    (--device); on the platform the training worker decides those.
    """
    from latentgan.data import available_datasets

    data = p.add_argument_group("data")
    data.add_argument(
        "--dataset",
        required=True,
        help=f"{', '.join(available_datasets())}, or a path: .npz, image folder, IDX files",
    )
    data.add_argument("--image-size", type=int, choices=(28, 32, 64), help="resize images to this")
    m = p.add_argument_group("model")
    m.add_argument("--arch", default="dcgan", choices=("dcgan",))
    m.add_argument("--conditional", action="store_true", help="label-conditioned G, projection D")
    m.add_argument("--latent-dim", type=_positive_int, default=100)
    m.add_argument("--g-width", type=_positive_int, default=ModelConfig.g_width)
    m.add_argument("--d-width", type=_positive_int, default=ModelConfig.d_width)
    m.add_argument(
        "--base-convs",
        type=_non_negative_int,
        default=ModelConfig.base_convs,
        help="extra 3x3 conv blocks at the base resolution in G and D",
    )
    m.add_argument(
        "--minibatch-std",
        action="store_true",
        help="give D the batch's feature spread (ProGAN), against mode collapse",
    )
    s = p.add_argument_group("objective and stabilisers")
    s.add_argument("--loss", choices=LOSSES, default="ns")
    s.add_argument("--spectral-norm", action="store_true", help="spectral norm on every D layer")
    s.add_argument(
        "--ssl-rotation",
        type=_non_negative_float,
        default=0.0,
        metavar="W",
        help="SS-GAN rotation loss weight for D (0 = off)",
    )
    s.add_argument(
        "--ssl-rotation-g",
        type=_non_negative_float,
        metavar="W",
        help="rotation loss weight for G (default 0.2 x the D weight, as SS-GAN)",
    )
    s.add_argument("--vdb", action="store_true", help="variational discriminator bottleneck")
    s.add_argument(
        "--vdb-ic",
        type=_non_negative_float,
        default=TrainConfig.vdb_ic,
        metavar="NATS",
        help="VDB information constraint I_c",
    )
    s.add_argument(
        "--ema-decay",
        type=float,
        default=TrainConfig.ema_decay,
        help="EMA of G's weights (0 = off)",
    )
    r = p.add_argument_group("schedule")
    length = r.add_mutually_exclusive_group()
    length.add_argument(
        "--epochs",
        type=float,
        help="passes over the train split (default 35, or 20 with --conditional)",
    )
    length.add_argument("--steps", type=_positive_int, help="generator updates")
    r.add_argument("--batch-size", type=_positive_int, default=TrainConfig.batch_size)
    r.add_argument("--d-steps", type=_positive_int, help="D updates per G update (wgan-gp: 2)")
    r.add_argument("--lr-g", type=float, default=TrainConfig.lr_g)
    r.add_argument("--lr-d", type=float, default=TrainConfig.lr_d)
    r.add_argument("--seed", type=_non_negative_int, default=0)
    r.add_argument(
        "--checkpoint-every",
        type=_positive_int,
        default=TrainConfig.checkpoint_every,
        metavar="STEPS",
    )
    r.add_argument(
        "--sample-every",
        type=_positive_int,
        default=TrainConfig.sample_every,
        metavar="STEPS",
        help="write a sample grid PNG every STEPS",
    )
    if local:
        r.add_argument("--device", help="auto, cpu or cuda[:N] (default $LATENTGAN_DEVICE or auto)")
    o = p.add_argument_group("output")
    o.add_argument("--name", help="register as a new version of NAME (default: from the data set)")
    if local:
        o.add_argument("--out", type=Path, help="run directory for checkpoints and sample grids")
        o.add_argument("--resume", action="store_true", help="continue the run's last checkpoint")
    o.add_argument("--no-eval", action="store_true", help="skip evaluation after training")
    o.add_argument("--eval-samples", type=_positive_int, default=5000)


def add_model_arguments(p: argparse.ArgumentParser, local: bool = True) -> None:
    """--model and --truncation (and, for a local store, --raw): shared with `remote`."""
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


def _add_sample(sub: Any) -> None:
    p = sub.add_parser("sample", help="generate images from a model")
    add_sample_arguments(p)
    p.set_defaults(handler=_cmd_sample)


def add_sample_arguments(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `sample` (also those of `remote sample`)."""
    add_model_arguments(p, local)
    p.add_argument("--n", type=_positive_int, default=64)
    p.add_argument("--seed", type=_non_negative_int, default=0)
    p.add_argument(
        "--labels", type=_labels, help="classes, comma-separated (one, or one per image)"
    )
    p.add_argument("--out", type=Path, required=True, help=".png grid or .npy (uint8 N×H×W×C)")


def _add_interpolate(sub: Any) -> None:
    p = sub.add_parser("interpolate", help="walk the latent space between two seeds or classes")
    add_interpolate_arguments(p)
    p.set_defaults(handler=_cmd_interpolate)


def add_interpolate_arguments(p: argparse.ArgumentParser, local: bool = True) -> None:
    """The flags of `interpolate` (also those of `remote interpolate`)."""
    add_model_arguments(p, local)
    p.add_argument("--seed-a", type=_non_negative_int, default=0)
    p.add_argument("--seed-b", type=_non_negative_int, default=1)
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--method", choices=("slerp", "lerp"), default="slerp")
    p.add_argument("--label-a", type=int)
    p.add_argument("--label-b", type=int)
    p.add_argument(
        "--out", type=Path, required=True, help=".gif, .png strip, or .npy (uint8 steps×H×W×C)"
    )


def _add_evaluate(sub: Any) -> None:
    p = sub.add_parser("evaluate", help="score a model with its data set's evaluator")
    p.add_argument("--model", required=True, help="NAME, NAME@VERSION or a model directory")
    p.add_argument("--n", type=_positive_int, default=5000, help="images to generate")
    p.add_argument("--raw", action="store_true", help="use the raw generator instead of its EMA")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_cmd_evaluate)


def train_job_from_args(args: argparse.Namespace) -> Any:
    """The TrainJob that `latentgan train` ARGS describes (also used by the benchmarks)."""
    from latentgan.pipeline import TrainJob
    from latentgan.settings import get_settings

    spectral = bool(args.spectral_norm)
    vdb = bool(args.vdb)
    model = ModelConfig(
        arch=args.arch,
        latent_dim=args.latent_dim,
        num_classes=1 if args.conditional else 0,  # the data set's class count replaces it
        g_width=args.g_width,
        d_width=args.d_width,
        base_convs=args.base_convs,
        minibatch_std=args.minibatch_std,
        d_norm="none" if spectral or args.loss == "wgan-gp" else "batch",
        spectral_norm=spectral,
        rotation_head=args.ssl_rotation > 0,
        vdb_dim=32 if vdb else 0,
    )
    rotation_g = args.ssl_rotation_g if args.ssl_rotation_g is not None else 0.2 * args.ssl_rotation
    train = TrainConfig(
        loss=args.loss,
        batch_size=args.batch_size,
        steps=args.steps,
        epochs=args.epochs,
        d_steps=args.d_steps or (2 if args.loss == "wgan-gp" else 1),
        lr_g=args.lr_g,
        lr_d=args.lr_d,
        rotation_weight_d=args.ssl_rotation,
        rotation_weight_g=rotation_g,
        vdb_ic=args.vdb_ic,
        ema_decay=args.ema_decay,
        seed=args.seed,
        checkpoint_every=args.checkpoint_every,
        sample_every=args.sample_every,
    ).validate()
    return TrainJob(
        dataset=args.dataset,
        model=model,
        train=train,
        name=args.name,
        image_size=args.image_size,
        run_dir=getattr(args, "out", None),
        resume=getattr(args, "resume", False),
        evaluate=not args.no_eval,
        eval_samples=args.eval_samples,
        device=getattr(args, "device", None) or get_settings().device,
    )


# The fields a Train request carries by name; every other `train` flag travels in its options.
TRAIN_REQUEST_FIELDS = ("dataset", "name", "conditional", "epochs", "steps", "latent_dim", "loss")
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no", "")


class _RequestParser(_Parser):
    """The `train` flags of a Train request: a bad value is a ConfigError naming its field."""

    def error(self, message: str) -> NoReturn:
        match = re.match(r"argument (--[\w-]+)", message)
        dest = match.group(1)[2:].replace("-", "_") if match else "options"
        field = dest if dest in TRAIN_REQUEST_FIELDS or dest == "options" else f"options.{dest}"
        raise ConfigError(message, field=field)


def train_request_parser() -> argparse.ArgumentParser:
    """The flags a Train request may set: `train`'s, less the local-only ones."""
    parser = _RequestParser(prog="train", add_help=False)
    add_train_arguments(parser, local=False)
    return parser


def _option_actions(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {
        a.dest: a
        for a in parser._actions
        if a.option_strings and a.dest not in TRAIN_REQUEST_FIELDS
    }


def train_request_options(args: argparse.Namespace) -> dict[str, str]:
    """The flags in ARGS that differ from their defaults and are not request fields, as options."""
    options: dict[str, str] = {}
    for dest, action in _option_actions(train_request_parser()).items():
        value = getattr(args, dest, action.default)
        if value != action.default:
            options[dest] = "true" if value is True else str(value)
    return options


def train_job_from_request(
    dataset: str,
    name: str | None = None,
    conditional: bool = False,
    epochs: float | None = None,
    steps: int | None = None,
    latent_dim: int | None = None,
    loss: str | None = None,
    options: dict[str, str] | None = None,
) -> Any:
    """The TrainJob a Train request describes, read exactly as `latentgan train` reads its flags.

    Options are `train` flags by their names without dashes ("spectral_norm": "true",
    "batch_size": "128"). A bad field or option raises ConfigError naming it (``options.NAME``).
    """
    parser = train_request_parser()
    actions = _option_actions(parser)
    argv = ["--dataset", dataset]
    argv += ["--name", name] if name else []
    argv += ["--conditional"] if conditional else []
    argv += ["--epochs", repr(float(epochs))] if epochs is not None else []
    argv += ["--steps", str(steps)] if steps is not None else []
    argv += ["--latent-dim", str(latent_dim)] if latent_dim is not None else []
    argv += ["--loss", loss] if loss else []
    for key, value in sorted((options or {}).items()):
        action = actions.get(key)
        if action is None:
            raise ConfigError(
                f"unknown option {key!r}; known: {', '.join(sorted(actions))}",
                field=f"options.{key}",
            )
        flag = action.option_strings[0]
        if action.nargs != 0:
            argv += [flag, value]
        elif value.strip().lower() in _TRUE:
            argv.append(flag)
        elif value.strip().lower() not in _FALSE:
            raise ConfigError(
                f"option {key} takes true or false, got {value!r}", field=f"options.{key}"
            )
    try:
        return train_job_from_args(parser.parse_args(argv))
    except ConfigError as e:
        if e.field in actions:  # a config check on an option: point at the option
            e.field = f"options.{e.field}"
        raise


def _cmd_train(args: argparse.Namespace) -> int:
    from latentgan.pipeline import job_summary, run_training_job
    from latentgan.train import ProgressEvent

    job = train_job_from_args(args)
    bar: tqdm[Any] | None = None
    log_lines = not sys.stderr.isatty()

    def on_progress(event: ProgressEvent) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=event.total_steps, desc="train", unit="step", disable=log_lines)
        bar.n = event.step
        bar.set_postfix(
            {k: f"{v:.3f}" for k, v in event.losses.items()}
            | {"img/s": f"{event.images_per_sec:.0f}"},
            refresh=True,
        )
        if log_lines and event.sample_grid is not None:
            losses = " ".join(f"{k}={v:.3f}" for k, v in event.losses.items())
            print(
                f"step {event.step}/{event.total_steps} {losses} {event.images_per_sec:.0f} img/s",
                file=sys.stderr,
                flush=True,
            )

    def on_status(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        outcome = run_training_job(job, on_progress=on_progress, on_status=on_status)
    finally:
        if bar is not None:
            bar.close()
    summary = job_summary(outcome)
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    if outcome.already_registered:
        print(f"this run already finished and registered {summary['model']}")
        return 0
    print(f"registered {summary['model']}  (run: {outcome.run_dir})")
    assert outcome.manifest is not None
    training = outcome.manifest.training
    print(
        f"trained {training['steps']} steps in {training['wall_s']:.0f} s "
        f"({training['images_per_sec']:.0f} img/s on {training['device']})"
    )
    if outcome.manifest.metrics:
        _print_metrics(outcome.manifest.metrics)
    return 0


def _print_metrics(metrics: dict[str, Any]) -> None:
    rows = [
        ("FD (lower is better)", f"{metrics['fd']:.2f}"),
        ("classes covered", f"{metrics['classes_covered']}/{metrics['num_classes']}"),
        ("KL to class prior", f"{metrics['kl_to_prior']:.4f}"),
        ("precision / recall", f"{metrics['precision']:.3f} / {metrics['recall']:.3f}"),
    ]
    if metrics.get("conditional_accuracy") is not None:
        rows.append(("conditional accuracy", f"{metrics['conditional_accuracy']:.2%}"))
    rows.append(("evaluator accuracy", f"{metrics['evaluator_accuracy']:.2%}"))
    for label, value in rows:
        print(f"  {label:<22} {value}")


def _load(args: argparse.Namespace) -> Any:
    from latentgan.artifacts import ArtifactStore

    return ArtifactStore().load(args.model, ema=not args.raw)


def sample_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of `sample` that its flags give (also for `remote sample`)."""
    return {"n": args.n, "seed": args.seed, "labels": args.labels, "truncation": args.truncation}


def interpolate_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of `interpolate` that its flags give (also for the remote one)."""
    names = ("seed_a", "seed_b", "steps", "method", "label_a", "label_b", "truncation")
    return {name: getattr(args, name) for name in names}


def _cmd_sample(args: argparse.Namespace) -> int:
    from latentgan.generate import sample
    from latentgan.images import IMAGE_SUFFIXES, check_output, write_samples

    check_output(args.out, IMAGE_SUFFIXES)
    model = _load(args)
    images = sample(model.generator, **sample_options(args))
    write_samples(images, args.out)
    print(f"wrote {len(images)} images from {model.manifest.ref} to {args.out}")
    return 0


def _cmd_interpolate(args: argparse.Namespace) -> int:
    from latentgan.generate import interpolate_images
    from latentgan.images import ANIMATION_SUFFIXES, check_output, write_frames

    check_output(args.out, ANIMATION_SUFFIXES)
    model = _load(args)
    frames = interpolate_images(model.generator, **interpolate_options(args))
    write_frames(frames, args.out)
    print(f"wrote {len(frames)} frames from {model.manifest.ref} to {args.out}")
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from latentgan.artifacts import ArtifactStore
    from latentgan.evaluate import evaluate_model

    manifest, scores = evaluate_model(
        ArtifactStore(), args.model, args.n, raw=args.raw, progress=not args.json
    )
    metrics = scores.as_dict()
    if args.json:
        print(json.dumps({"model": manifest.ref, **metrics}, indent=2))
    else:
        print(f"{manifest.ref} on {manifest.dataset['spec']}, {args.n} samples:")
        _print_metrics(metrics)
    return 0


def _cmd_models(args: argparse.Namespace) -> int:
    from latentgan.artifacts import ArtifactStore

    print_models(ArtifactStore().manifests(), args.json)
    return 0


def print_models(manifests: Sequence[Any], as_json: bool) -> None:
    """The `models` listing of these manifests (also used by `remote models`)."""
    if as_json:
        print(json.dumps([json.loads(m.to_json()) for m in manifests], indent=2))
        return
    if not manifests:
        print("no models yet: train one with `latentgan train --dataset mnist5k`")
    for m in manifests:
        fd = f"FD {m.metrics['fd']:.2f}" if m.metrics else "not evaluated"
        kind = f"conditional ({len(m.class_names)} classes)" if m.class_names else "unconditional"
        h, w, c = m.image_shape
        print(f"{m.ref:<24} {m.dataset['spec']:<12} {h}x{w}x{c} {kind:<26} {fd}  {m.created}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``latentgan`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except LatentganError as e:
        print(f"latentgan {args.command}: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as e:  # a path the user gave that cannot be read or written
        where = f": {e.filename}" if e.filename else ""
        print(f"latentgan {args.command}: error: {e.strerror or e}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"latentgan {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
