"""The main job (`make demo`): the platform on this machine, used through its API.

Starts `latentgan up` (embedded Redis, a Prefect server, training and generation workers, the gRPC
api), trains a small conditional DCGAN on mnist5k with the Train RPC while a progress bar follows
WatchTrainJob, then Samples a labelled grid, Interpolates a slerp walk, Edits a digit along the
model's top latent directions (found and scored at registration), Projects real held-out digits
into the latent space, edits one of them and Completes a half-masked one, all through the api;
writes three PNGs and a GIF, and stops everything.

    python examples/quickstart.py [--out out] [--epochs 7] [--port 50051] [--prefect-port 4200]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
import uuid
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from latentgan_client import Client, LatentganError
from latentgan_client.images import save_gif, save_grid
from services.probe import health_status, wait_for
from services.processes import Child, spawn, stop

BIN = Path(sys.executable).parent
DIGITS = Path(__file__).parent / "digits"  # held-out mnist5k digits (tools/export_digits.py)
STOP_GRACE_S = 60.0


def start_platform(port: int, prefect_port: int, log: Path) -> Child:
    """`latentgan up` in the background; returns once its api serves."""
    print(f"starting the platform (log: {log}) ...", flush=True)
    log.write_bytes(b"")  # this run's output only
    argv = [str(BIN / "latentgan"), "up", "--port", str(port), "--prefect-port", str(prefect_port)]
    up = spawn(argv, name="latentgan up", log=log, restore_sigint=True, grace_s=STOP_GRACE_S)
    address = f"127.0.0.1:{port}"

    def serving() -> bool:
        return health_status(address, service="latentgan.v1.LatentGan") == "SERVING"

    with contextlib.suppress(TimeoutError):
        wait_for(lambda: up.poll() is not None or serving(), 240, "latentgan up")
    if up.poll() is not None or not serving():
        stop_platform(up)
        sys.exit(f"latentgan up did not start:\n{log.read_text(errors='replace')[-2000:]}")
    print(f"platform ready: gRPC api {address}, Prefect UI http://127.0.0.1:{prefect_port}")
    return up


def stop_platform(up: Child) -> None:
    """Ctrl-C for `latentgan up`: it stops every process it started (killed after a minute)."""
    stop(up, sig=signal.SIGINT)


def train(client: Client, epochs: int) -> str:
    """Train the demo model through the api, with a progress bar; returns NAME@VERSION."""
    job = client.train(
        "mnist5k", "demo", conditional=True, epochs=epochs, request_id=f"demo-{uuid.uuid4()}"
    )
    print(f"Train -> job {job.id} ({job.state})")
    with tqdm(desc="train", unit="step", disable=None) as bar:
        for event in job.watch():
            if event.total_steps:
                bar.total = event.total_steps
            bar.n = event.step
            losses = {k: f"{v:.3f}" for k, v in event.losses.items()}
            bar.set_postfix(
                {"state": event.state, **losses, "img/s": f"{event.images_per_second:.0f}"},
                refresh=True,
            )
    finished = job.wait()
    metrics = ", ".join(f"{k} {v:.3g}" for k, v in sorted(finished.metrics.items()))
    print(f"registered {finished.model}: {metrics or 'no metrics'}")
    return finished.model


EDIT_STRENGTHS = (-3.0, -1.5, 0.0, 1.5, 3.0)  # in σ of the prior along each direction


def show_directions(client: Client, model: str, path: Path) -> None:
    """The top SeFa directions and the thickness and slant boundaries as one edit grid (Edit
    per direction: a row each, a column per strength), with what each one moves."""
    directions = client.directions(model)
    chosen = [d for d in directions if d.method == "sefa"][:4]
    chosen += [d for d in directions if d.id in ("attribute:thickness", "attribute:slant")]
    rows = [client.edit(model, d.id, EDIT_STRENGTHS, seed=7, labels=[3])[0] for d in chosen]
    save_grid(np.concatenate(rows), path, columns=len(EDIT_STRENGTHS))
    print(f"{len(directions)} directions; Edit along the top ones (−3σ … +3σ):")
    for d in chosen:
        if d.score is None:
            continue
        target = d.id.removeprefix("attribute:") if d.method == "attribute" else None
        name = target or d.score.top_attribute
        change = next(c for c in d.score.changes if c.attribute == name)
        kept = "" if d.score.class_kept is None else f", class kept at ±2σ {d.score.class_kept:.0%}"
        print(f"  {d.id:<20} moves {name} {change.slope:+.3g} per σ{kept}")


def show_projection(client: Client, model: str, path: Path) -> None:
    """Real digits the model never saw, projected (Project, auto) over their reconstructions; the
    first one edited along the thickness boundary (Edit from its latent); and a digit with its
    left half hidden, completed (Complete: masked input, three completions, the original)."""
    files = [DIGITS / f"{digit}.png" for digit in (3, 4, 5, 7, 9)]
    found = client.project(model, files)
    print(f"Project ({found.method}): {len(files)} held-out digits")
    assert found.labels is not None  # a conditional model: the evaluator's prediction
    for file, label, pixel, steps in zip(
        files, found.labels, found.distances.pixel, found.steps, strict=True
    ):
        print(f"  {file.name}: label {label}, pixel distance {pixel:.4f}, {steps} steps")
    thicker = client.edit(
        model, "attribute:thickness", EDIT_STRENGTHS, latents=found.latents[:1],
        labels=found.labels[:1],
    )[0]  # fmt: skip
    done = client.complete(model, DIGITS / "2.png", "left", k=3, label=2)  # the class is known
    size = found.images.shape[1:3]
    originals = np.stack([_fitted(f, size) for f in files])
    masked = _fitted(DIGITS / "2.png", size) * done.mask[..., None]
    completed = [masked[None], done.images, _fitted(DIGITS / "2.png", size)[None]]
    rows = [originals, found.images, thicker, np.concatenate(completed)]
    save_grid(np.concatenate(rows), path, columns=len(files))
    losses = ", ".join(f"{loss:.3f}" for loss in done.losses)
    print(f"Complete (left half hidden, label {done.label}): losses {losses}")


def _fitted(file: Path, size: tuple[int, ...]) -> np.ndarray:
    """A square grey digit file at the model's H×W, as H×W×1 (the server's rule for it)."""
    with Image.open(file) as image:
        grey = image.convert("L").resize((size[1], size[0]), Image.Resampling.BOX)
    return np.asarray(grey, dtype=np.uint8)[..., None]


def main() -> int:
    """Run the whole demo; the exit status says whether it worked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out"))
    parser.add_argument("--epochs", type=int, default=7, help="training length (default 7)")
    parser.add_argument("--port", type=int, default=50051)
    parser.add_argument("--prefect-port", type=int, default=4200)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    up = start_platform(args.port, args.prefect_port, args.out / "platform.log")
    try:
        with Client(f"127.0.0.1:{args.port}") as client:
            model = train(client, args.epochs)
            # One row per digit: ten samples of each class.
            labels = [digit for digit in range(10) for _ in range(10)]
            images = client.sample(model, n=100, seed=7, labels=labels)
            save_grid(images, args.out / "demo-samples.png", columns=10)
            frames = client.interpolate(
                model, seed_a=1, seed_b=2, label_a=3, label_b=8, steps=16, method="slerp"
            )
            save_gif(frames, args.out / "demo-walk.gif")
            show_directions(client, model, args.out / "demo-directions.png")
            show_projection(client, model, args.out / "demo-projection.png")
    except LatentganError as e:
        print(f"demo failed: {e}", file=sys.stderr)
        return 1
    finally:
        print("stopping the platform ...", flush=True)
        stop_platform(up)
    print(f"wrote {args.out / 'demo-samples.png'} (a row per digit, from Sample)")
    print(f"wrote {args.out / 'demo-walk.gif'} (a slerp walk from a 3 to an 8, from Interpolate)")
    print(f"wrote {args.out / 'demo-directions.png'} (a 3 edited along each direction, from Edit)")
    print(
        f"wrote {args.out / 'demo-projection.png'} (real digits over their projections, the 3 "
        "made thinner and thicker, a half-hidden 2 completed)"
    )
    print(f"done in {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("LATENTGAN_OFFLINE", "1")  # the demo needs no download
    sys.exit(main())
