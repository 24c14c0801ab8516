"""The ``sweep`` flow: which latent dimension (and loss)? Train one model per setting, rank them.

Each setting is a ``train`` child run (its own job, checkpoint and model version, visible in the
Prefect UI under the sweep); the finished models are ranked and the table is left as a Prefect
artifact. The best model covers the most classes and, among those, has the lowest Fréchet distance
(FD alone can favour a model that draws a few classes very well). The table also shows each
model's perceptual path length (PPL, lower is smoother), which does not enter the ranking.

Run it on the platform (``sweep/cpu`` deployment) or here: ``python -m flows.sweep --help``.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Sequence
from typing import Any

from prefect import flow
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.settings import flow_store, get_flow_settings
from flows.train import train
from latentgan.errors import ConfigError

COLUMNS = (
    "rank",
    "latent_dim",
    "loss",
    "model",
    "fd",
    "coverage",
    "kl_to_prior",
    "precision",
    "recall",
    "ppl",
    "wall_s",
)


def rank_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows sorted best first (most classes covered, then lowest FD), with their rank."""
    ordered = sorted(rows, key=lambda r: (-r["coverage"], r["fd"], r["latent_dim"]))
    return [{"rank": i + 1, **row} for i, row in enumerate(ordered)]


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    """The ranked rows as a Markdown table (the artifact and the command's output)."""

    def cell(value: Any) -> str:
        if value is None:  # e.g. no PPL in a manifest written before it was measured
            return "-"
        return f"{value:.4g}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(row[c]) for c in COLUMNS) + " |" for row in rows]
    return "\n".join(lines)


def _row(latent_dim: int, loss: str, model: str) -> dict[str, Any]:
    manifest = flow_store(get_flow_settings()).load(model).manifest
    metrics = manifest.metrics or {}
    if "fd" not in metrics:
        raise ConfigError(f"{model} has no metrics: a sweep needs a labelled data set")
    return {
        "latent_dim": latent_dim,
        "loss": loss,
        "model": model,
        "fd": float(metrics["fd"]),
        "coverage": float(metrics["classes_covered"]) / float(metrics["num_classes"]),
        "kl_to_prior": float(metrics["kl_to_prior"]),
        "precision": float(metrics["precision"]),
        "recall": float(metrics["recall"]),
        "ppl": None if metrics.get("ppl") is None else float(metrics["ppl"]),
        "wall_s": float(manifest.training.get("wall_s", 0.0)),
    }


@flow(name="sweep", log_prints=True, persist_result=False)
def sweep(
    dataset: str,
    latent_dims: list[int],
    losses: list[str] | None = None,
    conditional: bool = False,
    steps: int | None = None,
    epochs: float | None = None,
    options: dict[str, str] | None = None,
    name: str = "sweep",
) -> list[dict[str, Any]]:
    """Train ``name``-z<dim>-<loss> for every latent dimension × loss; return the ranked table."""
    if not latent_dims:
        raise ConfigError("give at least one latent dimension", field="latent_dims")
    rows = []
    for loss, dim in itertools.product(losses or ["ns"], latent_dims):
        outcome = train(
            dataset=dataset,
            name=f"{name}-z{dim}-{loss}",
            conditional=conditional,
            epochs=epochs,
            steps=steps,
            latent_dim=dim,
            loss=loss,
            options=options,
        )
        if not isinstance(outcome, dict):  # a cancelled child: the sweep stops with it
            raise ConfigError(f"the training of latent_dim {dim}, loss {loss} was cancelled")
        rows.append(_row(dim, loss, outcome["model"]))
    ranked = rank_rows(rows)
    best = ranked[0]
    summary = (
        f"best: {best['model']} (latent_dim {best['latent_dim']}, loss {best['loss']}, "
        f"FD {best['fd']:.4g}, coverage {best['coverage']:.0%})"
    )
    create_table_artifact(ranked, key=None, description=f"sweep on {dataset}: {summary}")
    create_markdown_artifact(f"{markdown_table(ranked)}\n\n{summary}", description="sweep")
    print(markdown_table(ranked))
    print(summary)
    return ranked


def main(argv: Sequence[str] | None = None) -> None:
    """Run a sweep in this process (Prefect's temporary server, or $PREFECT_API_URL's)."""
    parser = argparse.ArgumentParser(prog="python -m flows.sweep", description=sweep.__doc__)
    parser.add_argument("--dataset", default="mnist5k")
    parser.add_argument("--latent-dims", default="16,32,64,100,128")
    parser.add_argument("--losses", default="ns")
    parser.add_argument("--conditional", action="store_true")
    parser.add_argument("--steps", type=int)
    parser.add_argument("--epochs", type=float)
    parser.add_argument("--name", default="sweep")
    args = parser.parse_args(argv)
    sweep(
        dataset=args.dataset,
        latent_dims=[int(d) for d in args.latent_dims.split(",")],
        losses=args.losses.split(","),
        conditional=args.conditional,
        steps=args.steps,
        epochs=args.epochs,
        name=args.name,
    )


if __name__ == "__main__":
    main()
