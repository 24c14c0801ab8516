"""The losses and stabilisers side by side on mnist5k, at equal training time.

Each row trains latentgan's default unconditional model with one change (the CLI flags shown) for
``--seconds`` of training time, then scores it with the evaluator on ``--samples`` images:
FD (lower is better), classes covered and KL to the class prior (mode collapse). Prints a Markdown
table, the one in the README.

    python -m benchmarks.compare_losses [--seconds 60] [--samples 2000]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import cli_configs, time_limit
from latentgan.data import load_dataset, split_dataset
from latentgan.evaluate import evaluate_generator
from latentgan.evaluator import load_or_train_evaluator
from latentgan.train import train

VARIANTS: dict[str, list[str]] = {
    "ns (non-saturating BCE)": [],
    "hinge": ["--loss", "hinge"],
    "WGAN-GP": ["--loss", "wgan-gp"],
    "ns + spectral norm": ["--spectral-norm"],
    "hinge + spectral norm": ["--loss", "hinge", "--spectral-norm"],
    "ns + rotation (SS-GAN)": ["--ssl-rotation", "1.0"],
    "ns + VDB": ["--vdb"],
}


def main() -> None:
    """Train every variant for the same time and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="training time per variant")
    parser.add_argument("--samples", type=int, default=2000, help="images per evaluation")
    parser.add_argument("--only", nargs="*", help="run only these variants (by table name)")
    args = parser.parse_args()

    data = load_dataset("mnist5k")
    train_split, _ = split_dataset(data)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        evaluator = load_or_train_evaluator(data, Path(tmp) / "evaluators", progress=False)
        for label, flags in VARIANTS.items():
            if args.only and label not in args.only:
                continue
            model, cfg = cli_configs(["--steps", "1000000", *flags], train_split)
            result = train(
                train_split,
                model,
                cfg,
                Path(tmp) / label.replace(" ", "_"),
                should_stop=time_limit(args.seconds),
            )
            m = evaluate_generator(result.generator, data, evaluator, args.samples)
            row = (
                f"| {label} | `{' '.join(flags) or '(defaults)'}` | {result.step} | {m.fd:.2f}"
                f" | {m.classes_covered}/{m.num_classes} | {m.kl_to_prior:.3f}"
                f" | {m.precision:.2f} / {m.recall:.2f} |"
            )
            print(row, flush=True)
            rows.append(row)
    print()
    print(
        f"mnist5k, unconditional, {args.seconds:.0f} s of training each, {args.samples} samples"
        f" (evaluator held-out accuracy {evaluator.info.held_out_accuracy:.1%}):"
    )
    print()
    print("| variant | flags | steps | FD ↓ | classes covered | KL ↓ | precision / recall |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
