"""Every ``latentgan`` command, defined once: its flags, and what it does with a backend.

A command with ``local`` runs on this machine's store (``latentgan train``); one with ``remote``
also runs through a platform's api (``latentgan remote train``), from the same definition: the
same flags (less the local-only ones), the same output, a different backend
(``latentgan.cli.backends``). The job commands exist only remotely: jobs are the platform's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from latentgan.cli import flags
from latentgan.cli.output import (
    Progress,
    TrainProgress,
    format_directions,
    format_jobs,
    format_metrics,
    job_json,
    one_line,
    print_job,
    print_models,
)
from latentgan.errors import LatentganError

EXIT_INTERRUPTED = 130
MAX_JOB_LIMIT = 200  # the most jobs one ListTrainJobs call returns (the proto's limit)


@dataclass(frozen=True)
class Command:
    """One subcommand: its name and help, its flags, and its action on a backend."""

    name: str
    help: str
    add_flags: Callable[[argparse.ArgumentParser, bool], None]  # (parser, local)
    run: Callable[[argparse.Namespace, Any], int]  # (args, backend) -> exit status
    local: bool = True
    remote: bool = True


# --- train ---


def _train_flags(p: argparse.ArgumentParser, local: bool) -> None:
    flags.add_train_flags(p, local)
    if local:
        p.add_argument("--json", action="store_true", help="print the outcome as JSON")
        return
    p.add_argument(
        "--request-id",
        metavar="ID",
        help="idempotency key: repeating the command with the same ID gives the same job",
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help="follow the job until it finishes (Ctrl-C stops watching, not the job)",
    )


def _train(args: argparse.Namespace, backend: Any) -> int:
    if backend.local:
        return _train_here(args, backend)
    return _train_remotely(args, backend)


def _train_here(args: argparse.Namespace, backend: Any) -> int:
    from latentgan.pipeline import job_summary, run_training_job
    from latentgan.train import ProgressEvent

    job = backend.train_job(args)
    view = TrainProgress()

    def on_progress(event: ProgressEvent) -> None:
        view(
            Progress(
                step=event.step,
                total_steps=event.total_steps,
                losses=event.losses,
                images_per_second=event.images_per_sec,
                has_grid=event.sample_grid is not None,
            )
        )

    try:
        outcome = run_training_job(job, backend.store, on_progress=on_progress, on_status=view.say)
    finally:
        view.close()
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
    for line in format_metrics(outcome.manifest.metrics or {}):
        print(line)
    return 0


def _train_remotely(args: argparse.Namespace, backend: Any) -> int:
    job = backend.submit(flags.train_request(args), args.request_id)
    print(f"job {job.id} {job.state}", flush=True)
    if not args.watch:
        return 0
    view = TrainProgress(job.state)
    try:
        backend.follow(
            job,
            lambda event: view(Progress.of_job_event(event)),
            lambda error: view.say(
                f"lost the job's progress stream ({one_line(str(error))}); trying again"
            ),
        )
    except KeyboardInterrupt:
        view.close()
        where = backend.connection_flags()
        print(
            f"stopped watching; job {job.id} goes on ({job.state}). Follow it with "
            f"`latentgan remote job {job.id}{where}`, stop it with "
            f"`latentgan remote cancel {job.id}{where}`",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    finally:
        view.close()
    if job.state == "succeeded":
        print(f"job {job.id} succeeded: registered {job.model}")
        for line in format_metrics(job.metrics):
            print(line)
        return 0
    if job.state == "failed":
        raise LatentganError(f"job {job.id} failed: {one_line(job.error) or 'no reason given'}")
    raise LatentganError(f"job {job.id} was {job.state}")


# --- generation ---


def _sample(args: argparse.Namespace, backend: Any) -> int:
    from latentgan.images import IMAGE_SUFFIXES, write_samples

    options = flags.sample_options(args)
    return _generate(args, backend.sample, options, IMAGE_SUFFIXES, write_samples, "images")


def _interpolate(args: argparse.Namespace, backend: Any) -> int:
    from latentgan.images import ANIMATION_SUFFIXES, write_frames

    options = flags.interpolate_options(args)
    return _generate(args, backend.interpolate, options, ANIMATION_SUFFIXES, write_frames, "frames")


def _generate(
    args: argparse.Namespace,
    method: Callable[..., tuple[Any, str]],
    options: dict[str, Any],
    suffixes: tuple[str, ...],
    write: Callable[[Any, Any], None],
    noun: str,
) -> int:
    """Check --out, generate with the backend's METHOD, write, say what was written."""
    from latentgan.images import check_output

    check_output(args.out, suffixes)
    images, source = method(args.model, getattr(args, "raw", False), **options)
    write(images, args.out)
    print(f"wrote {len(images)} {noun} from {source} to {args.out}")
    return 0


# --- directions and editing ---


def _directions(args: argparse.Namespace, backend: Any) -> int:
    if args.method is None:
        model, rows = backend.directions(args.model)
        created = None
    else:
        model, rows, created = backend.compute_directions(args.model, flags.direction_request(args))
    if args.json:
        print(json.dumps({"model": model, "directions": rows}, indent=2, allow_nan=False))
        return 0
    if created is not None:
        print(f"{'computed' if created else 'already stored'}: {rows[0]['set']} for {model}")
    elif not rows:
        print(
            f"{model} has no directions yet: compute some with "
            f"`latentgan directions --model {args.model} --method sefa`"
        )
        return 0
    print("\n".join(format_directions(rows)))
    return 0


def _edit(args: argparse.Namespace, backend: Any) -> int:
    from latentgan.images import ANIMATION_SUFFIXES, check_output, write_edit_grid

    check_output(args.out, ANIMATION_SUFFIXES)
    options = flags.edit_options(args)
    images, source = backend.edit(
        args.model, getattr(args, "raw", False), args.direction, **options
    )
    write_edit_grid(images, args.out)
    rows, columns = images.shape[:2]
    print(f"wrote a {rows}×{columns} edit grid from {source} to {args.out}")
    return 0


# --- real images: projection and completion ---


def _project(args: argparse.Namespace, backend: Any) -> int:
    from latentgan.images import ANIMATION_SUFFIXES, check_output, grid, save_png, write_edit_grid

    for path, allowed in ((args.out, (".npy",)), (args.reconstruction, (".png",))):
        if path is not None:
            check_output(path, allowed)
    if args.then_edit and args.edit_out is None:
        raise LatentganError("--then-edit needs --edit-out for its grid", field="edit_out")
    if args.edit_out is not None:
        check_output(args.edit_out, ANIMATION_SUFFIXES)
    run, originals, ref = backend.project(
        args.model, args.image, args.label, args.method, args.steps, args.seed
    )
    found = run.projection
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        np.save(args.out, found.latents)
    if args.reconstruction is not None:
        both = np.concatenate([originals, found.images])
        save_png(grid(both, columns=len(originals)), args.reconstruction)
    rows = [
        {
            "image": str(path),
            "label": None if found.labels is None else int(found.labels[i]),
            "pixel_distance": float(found.pixel_distance[i]),
            "feature_distance": float(found.feature_distance[i]),
            "steps": int(found.steps[i]),
        }
        for i, path in enumerate(args.image)
    ]
    if args.then_edit:
        grid_images, _ = backend.edit(
            args.model,
            False,
            args.then_edit,
            strengths=args.strengths,
            n=len(found.latents),
            labels=None if found.labels is None else found.labels.tolist(),
            latents=found.latents,
        )
        write_edit_grid(grid_images, args.edit_out)
    if args.json:
        print(json.dumps({"model": ref, "method": run.method, "images": rows}, indent=2))
        return 0
    print(f"projected {len(rows)} image(s) into {ref} ({run.method}):")
    for row in rows:
        label = "" if row["label"] is None else f"  label {row['label']}"
        print(
            f"  {row['image']}: pixel {row['pixel_distance']:.4f}  feature "
            f"{row['feature_distance']:.4f}  steps {row['steps']}{label}"
        )
    for path, what in ((args.out, "latents"), (args.reconstruction, "reconstructions")):
        if path is not None:
            print(f"wrote the {what} to {path}")
    if args.then_edit:
        print(f"wrote the edit along {args.then_edit} to {args.edit_out}")
    return 0


def _complete(args: argparse.Namespace, backend: Any) -> int:
    from latentgan.images import check_output, grid, save_png

    check_output(args.out, (".png", ".npy"))
    done, masked, original, ref = backend.complete(
        args.model, args.image, args.mask, args.k, args.steps, args.label, args.seed
    )
    if args.out.suffix.lower() == ".npy":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        np.save(args.out, done.images)
    else:
        row = np.concatenate([masked[None], done.images, original[None]])
        save_png(grid(row, columns=len(row)), args.out)
    losses = ", ".join(f"{loss:.4f}" for loss in done.losses)
    print(f"wrote {len(done.images)} completions from {ref} to {args.out} (losses {losses})")
    return 0


def _encoder(args: argparse.Namespace, backend: Any) -> int:
    progress = TrainProgress()
    try:
        ref, info = backend.add_encoder(
            args.model,
            args.steps,
            lambda step, total, losses: progress(Progress(step, total, losses)),
        )
    finally:
        progress.close()
    print(
        f"trained the encoder of {ref}: {info.steps} steps in {info.seconds:.0f} s "
        f"(latent loss {info.latent_loss:.4f}, reconstruction {info.reconstruction_loss:.4f})"
    )
    return 0


# --- models and evaluation ---


def _json_flag(p: argparse.ArgumentParser, _local: bool = True) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def _models(args: argparse.Namespace, backend: Any) -> int:
    print_models(backend.list_models(), args.json)
    return 0


def _evaluate_flags(p: argparse.ArgumentParser, _local: bool) -> None:
    flags.add_evaluate_flags(p)


def _evaluate(args: argparse.Namespace, backend: Any) -> int:
    from latentgan.evaluate import evaluate_model

    manifest, scores = evaluate_model(
        backend.store, args.model, args.n, raw=args.raw, progress=not args.json
    )
    metrics = scores.as_dict()
    if args.json:
        print(json.dumps({"model": manifest.ref, **metrics}, indent=2))
    else:
        print(f"{manifest.ref} on {manifest.dataset['spec']}, {args.n} samples:")
        for line in format_metrics(metrics):
            print(line)
    return 0


# --- jobs (remote only) ------------------------------------------------------------------------


def _job_limit(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_JOB_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_JOB_LIMIT}, got {value}")
    return value


_job_limit.__name__ = "job count"


def _jobs_flags(p: argparse.ArgumentParser, _local: bool) -> None:
    p.add_argument("--name", help="only jobs that register under this model name")
    p.add_argument(
        "--limit",
        type=_job_limit,
        default=20,
        help=f"how many of the newest jobs (default 20, at most {MAX_JOB_LIMIT})",
    )
    _json_flag(p)


def _jobs(args: argparse.Namespace, backend: Any) -> int:
    jobs = backend.list_jobs(args.name, args.limit)
    if args.json:
        print(json.dumps([job_json(job) for job in jobs], indent=2))
    elif not jobs:
        of = f" of {args.name}" if args.name else ""
        print(f"no training jobs{of}: start one with `latentgan remote train --dataset mnist5k`")
    else:
        print("\n".join(format_jobs(jobs)))
    return 0


def _job_id_flags(p: argparse.ArgumentParser, _local: bool) -> None:
    p.add_argument("job_id", metavar="JOB_ID", help="the job's id (from `remote train` or `jobs`)")
    _json_flag(p)


def _job(args: argparse.Namespace, backend: Any) -> int:
    print_job(backend.get_job(args.job_id), args.json)
    return 0


def _cancel(args: argparse.Namespace, backend: Any) -> int:
    print_job(backend.cancel_job(args.job_id), args.json)
    return 0


COMMANDS = (
    Command("train", "train a GAN and register it as a model version", _train_flags, _train),
    Command("sample", "generate images from a model", flags.add_sample_flags, _sample),
    Command(
        "interpolate",
        "walk the latent space between two seeds or classes",
        flags.add_interpolate_flags,
        _interpolate,
    ),
    Command(
        "evaluate",
        "score a model with its data set's evaluator",
        _evaluate_flags,
        _evaluate,
        remote=False,
    ),
    Command(
        "directions",
        "list a model's latent directions with their scores, or compute a set (--method)",
        flags.add_directions_flags,
        _directions,
    ),
    Command(
        "edit",
        "move latents along a direction: a row per latent, a column per strength",
        flags.add_edit_flags,
        _edit,
    ),
    Command(
        "project",
        "find latents that reproduce real images (then edit them)",
        flags.add_project_flags,
        _project,
    ),
    Command(
        "complete",
        "fill in the missing part of an image (inpainting)",
        flags.add_complete_flags,
        _complete,
    ),
    Command(
        "encoder",
        "train the projection encoder of a version that has none",
        flags.add_encoder_flags,
        _encoder,
        remote=False,
    ),
    Command("models", "list the models", _json_flag, _models),
    Command("jobs", "list recent training jobs, newest first", _jobs_flags, _jobs, local=False),
    Command("job", "show one training job", _job_id_flags, _job, local=False),
    Command("cancel", "ask a training job to stop", _job_id_flags, _cancel, local=False),
)
