"""How much the perceptual path length depends on its finite-difference step epsilon.

PPL (``latentgan.ppl``) divides the perceptual distance of two images ``epsilon`` apart on a latent
path by ``epsilon**2``; where the generator is smooth at that scale, the result does not depend on
epsilon. This scores one stored model — nothing is trained — at epsilon = 1e-4 (the default, the
baseline), 3e-4 and 1e-3, on the same pairs and t, and prints each PPL, its ratio to the baseline,
and the time each took; a ratio near 1 says the default step measures the derivative, not float32
noise (below) or the curvature of the path (above). Nothing is asserted.

The model comes from the store at ``$LATENTGAN_DATA_DIR`` (``--model NAME[@VERSION]``; without it,
the most recently registered version there); its data set's evaluator is loaded from the store's
cache, or trained and cached on first use, as ``latentgan evaluate`` does.

    python -m benchmarks.ppl_epsilon [--model REF] [--samples 2000]
"""

from __future__ import annotations

import argparse
import sys
import time

from latentgan.artifacts import ArtifactStore
from latentgan.evaluate import load_for_evaluation
from latentgan.ppl import DEFAULT_EPSILON, DEFAULT_PPL_SAMPLES, perceptual_path_length
from latentgan.settings import get_settings
from latentgan.train import resolve_device

EPSILONS = (DEFAULT_EPSILON, 3e-4, 1e-3)


def newest_model(store: ArtifactStore) -> str | None:
    """The reference of the most recently registered version in the store, if any."""
    manifests = store.manifests()
    return max(manifests, key=lambda m: m.created).ref if manifests else None


def main() -> None:
    """Score the model at each epsilon and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="NAME or NAME@VERSION in the store (default: the newest)")
    parser.add_argument(
        "--samples", type=int, default=DEFAULT_PPL_SAMPLES, help="path pairs per PPL"
    )
    parser.add_argument("--raw", action="store_true", help="the raw generator, not its EMA")
    args = parser.parse_args()

    settings = get_settings()
    store = ArtifactStore(settings.data_dir, offline=settings.offline)
    ref = args.model or newest_model(store)
    if ref is None:
        sys.exit(f"no models in {store.root}: train one, or point LATENTGAN_DATA_DIR at a store")
    model, _, evaluator = load_for_evaluation(store, ref, raw=args.raw)
    device = resolve_device(settings.device)
    g = model.generator.to(device)

    results = []
    for epsilon in EPSILONS:
        began = time.perf_counter()
        value = perceptual_path_length(g, evaluator, args.samples, epsilon)
        results.append((epsilon, value, time.perf_counter() - began))
    baseline = results[0][1]

    print(
        f"{model.manifest.ref} on {model.manifest.dataset['spec']}, {args.samples} pairs, "
        f"generator on {device} (evaluator held-out accuracy "
        f"{evaluator.info.held_out_accuracy:.1%}):"
    )
    print()
    print("| epsilon | PPL | ratio to 1e-4 | seconds |")
    print("|---|---|---|---|")
    for epsilon, value, seconds in results:
        ratio = value / baseline if baseline else float("nan")
        print(f"| {epsilon:.0e} | {value:.4g} | {ratio:.4f} | {seconds:.2f} |")
    print()
    print(f"total {sum(s for _, _, s in results):.2f} s")


if __name__ == "__main__":
    main()
