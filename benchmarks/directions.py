"""How good are the directions? Each method's top directions on stored models, against random.

For each model (default: the two mnist5k defaults, ``latentgan train --dataset mnist5k
[--conditional]``, registered as ``mnist5k`` and ``mnist5k-cond``) this computes every default
direction set afresh (``latentgan.directions.compute``, the same code training runs, with the
data set's evaluator) and prints:

- a table of each method's top ``--top`` directions and every attribute boundary: the attribute
  each moves most, its change per σ (in the attribute's units and standardized), R², the share
  of samples keeping their class at ±2σ, and entanglement — beside the random baseline's median
  and worst case over its directions;
- the thickness boundary against random: its thickness change per σ as a ratio to the largest
  any random direction gives, with and without the class held (orthogonal to every class
  boundary, InterFaceGAN's conditional manipulation);
- how long each method takes for one version (finding, then scoring), and the training-time
  overhead of the default sets (from the version's manifest);
- each model's perceptual path length (``latentgan.ppl``);
- with ``--figures DIR``, the README's pictures: the top SeFa directions and the attribute
  boundaries of each model as edit grids (``DIR/NAME-sefa.png``, ``DIR/NAME-attributes.png``).

It reports, never asserts. Figures are on the fixed scoring latents of ``compute``.

    python -m benchmarks.directions [--models mnist5k mnist5k-cond] [--top 3] [--figures DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from latentgan.artifacts import ArtifactStore
from latentgan.directions import DirectionRequest, DirectionScore, DirectionSet, meter_for
from latentgan.directions.compute import compute_sets, default_requests
from latentgan.directions.preview import preview
from latentgan.images import save_png
from latentgan.models import Generator
from latentgan.ppl import perceptual_path_length
from latentgan.settings import Settings


def _row(label: str, d_id: str, sets: dict[str, DirectionSet], target: str | None = None) -> str:
    direction = next(d for s in sets.values() for d in s.directions if d.id == d_id)
    score = direction.score
    assert score is not None
    attribute = target or score.top_attribute
    change = score.change(attribute)
    assert change is not None
    kept = "—" if score.class_kept is None else f"{score.class_kept:.0%}"
    return (
        f"| {label} | `{d_id}` | {attribute} | {change.slope:+.3g} | {change.standardized:+.2f} "
        f"| {change.r2:.2f} | {kept} | {score.entanglement:.2f} |"
    )


def _random_rows(random: DirectionSet) -> list[str]:
    """The random baseline: per attribute, the median and the largest |standardized| change."""
    by_attribute: dict[str, list[float]] = {}
    kept, tangled = [], []
    for d in random.directions:
        assert d.score is not None
        for c in d.score.changes:
            by_attribute.setdefault(c.attribute, []).append(abs(c.standardized))
        if d.score.class_kept is not None:
            kept.append(d.score.class_kept)
        tangled.append(d.score.entanglement)
    keep = f"{np.median(kept):.0%}" if kept else "—"
    rows = []
    for attribute in ("thickness", "slant", "width", "height", "area"):
        values = by_attribute.get(attribute)
        if values:
            rows.append(
                f"| random (median / max of {len(values)}) | `random:*` | {attribute} | | "
                f"{np.median(values):.2f} / {max(values):.2f} | | {keep} | "
                f"{np.median(tangled):.2f} |"
            )
    return rows


def _thickness_against_random(
    sets: dict[str, DirectionSet], held: DirectionSet | None
) -> list[str]:
    def slope(score: DirectionScore | None) -> float:
        change = score.change("thickness") if score is not None else None
        return abs(change.slope) if change is not None else float("nan")

    random = sets["random"].directions
    worst = max(slope(d.score) for d in random)
    lines = []
    candidates = [("attribute:thickness", sets["attribute:thickness"].directions[0])]
    if held is not None:
        candidates.append(("… with the class held", held.directions[0]))
    for label, d in candidates:
        assert d.score is not None
        kept = "—" if d.score.class_kept is None else f"{d.score.class_kept:.0%}"
        lines.append(
            f"- {label}: thickness {slope(d.score):+.3f} px per σ = "
            f"**{slope(d.score) / worst:.1f}×** the largest of {len(random)} random directions "
            f"({worst:.3f} px per σ); class kept at ±2σ: {kept}"
        )
    return lines


def write_figures(
    g: Generator, name: str, sets: dict[str, DirectionSet], folder: Path, top: int
) -> None:
    """The README's pictures: the top SeFa directions and the morphology boundaries as edit
    grids (a row per direction, −3σ … +3σ), one latent each."""
    from dataclasses import replace

    folder.mkdir(parents=True, exist_ok=True)
    sefa = replace(sets["sefa"], directions=sets["sefa"].directions[:top])
    morphology = [
        sets[f"attribute:{a}"].directions[0]
        for a in ("thickness", "slant", "width", "height", "area")
        if f"attribute:{a}" in sets
    ]
    label = 3 if g.cfg.num_classes else None
    for kind, chosen in (
        ("sefa", sefa),
        ("attributes", replace(sefa, directions=tuple(morphology))),
    ):
        path = folder / f"{name}-{kind}.png"
        image = preview(g, chosen, seed=7, label=label)
        save_png(image.repeat(3, axis=0).repeat(3, axis=1), path)  # 3× larger, pixels kept
        print(f"wrote {path}")


def report(store: ArtifactStore, ref: str, top: int, figures: Path | None) -> None:
    """The tables for one model."""
    model = store.load(ref)
    g, manifest = model.generator, model.manifest
    meter = meter_for(store, manifest)
    print(f"\n### {manifest.ref} ({'conditional' if g.cfg.num_classes else 'unconditional'})\n")
    requests = default_requests(manifest.model_config, meter)
    timings = []
    computed: dict[str, DirectionSet] = {}
    for request in requests:
        (found,) = compute_sets(g, meter, [request])
        computed[found.key] = found
        timings.append((request.key, found.compute_seconds, found.score_seconds))
    held = None
    classes = [n for n in meter.names if n.startswith("class:")]
    if classes and not g.cfg.num_classes:  # thickness with the class held
        request = DirectionRequest(
            "attribute",
            attribute="thickness",
            orthogonal_to=tuple(f"attribute:{c}" for c in classes),
        )
        (held,) = compute_sets(g, meter, [request], existing=list(computed.values()))
    print("| method | direction | moves most | per σ | std/σ | R² | class kept ±2σ | entangled |")
    print("|---|---|---|---|---|---|---|---|")
    for method in ("sefa", "pca"):
        for i in range(top):
            print(_row(method, f"{method}:{i}", computed))
    for name in ("thickness", "slant", "width", "height", "area"):
        if f"attribute:{name}" in computed:
            print(_row("attribute", f"attribute:{name}", computed, target=name))
    for row in _random_rows(computed["random"]):
        print(row)
    print()
    for line in _thickness_against_random(computed, held):
        print(line)
    print("\n| set | finding (s) | scoring (s) |\n|---|---|---|")
    for key, found_s, scored_s in timings:
        if not key.startswith("attribute:class:"):
            print(f"| `{key}` | {found_s:.3f} | {scored_s:.2f} |")
    class_sets = [t for t in timings if t[0].startswith("attribute:class:")]
    if class_sets:
        print(
            f"| `attribute:class:*` ({len(class_sets)} sets) | "
            f"{sum(t[1] for t in class_sets):.3f} | {sum(t[2] for t in class_sets):.2f} |"
        )
    training = manifest.training
    if "directions_s" in training:
        share = training["directions_s"] / max(training["wall_s"], 1e-9)
        print(
            f"\nDefault sets at registration: {training['directions_s']:.1f} s beside "
            f"{training['wall_s']:.0f} s of training ({share:.1%})."
        )
    assert meter.evaluator is not None
    start = time.perf_counter()
    ppl = perceptual_path_length(g, meter.evaluator)
    print(f"PPL: {ppl:.4g} ({time.perf_counter() - start:.1f} s)")
    if figures is not None:
        write_figures(g, manifest.name, computed, figures, top=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["mnist5k", "mnist5k-cond"])
    parser.add_argument("--top", type=int, default=3, help="top directions per method")
    parser.add_argument("--figures", type=Path, help="also write the edit-grid pictures here")
    args = parser.parse_args()
    settings = Settings()
    store = ArtifactStore(settings.data_dir, settings.offline)
    began = time.perf_counter()
    for ref in args.models:
        report(store, ref, args.top, args.figures)
    print(f"\n(all in {time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
