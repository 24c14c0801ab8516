"""What the command line prints: metric tables, model and job listings, training progress.

One renderer for each thing, used by the local commands and their ``remote`` forms alike, so a
model trained here and one trained on the platform read the same. Jobs are duck-typed
(``latentgan_client.JobInfo`` from the remote backend): this module never imports the SDK.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from latentgan.artifacts import BrokenVersion, Manifest

LOG_EVERY_S = 10.0  # without a terminal: a progress line at most this often (and at each grid)
_METRIC_LABELS = (
    ("fd", "FD (lower is better)", "{:.2f}"),
    ("kl_to_prior", "KL to class prior", "{:.4f}"),
    ("precision", "precision", "{:.3f}"),
    ("recall", "recall", "{:.3f}"),
    ("ppl", "PPL (lower: smoother)", "{:.4g}"),
    ("conditional_accuracy", "conditional accuracy", "{:.2%}"),
    ("evaluator_accuracy", "evaluator accuracy", "{:.2%}"),
)


def one_line(text: str) -> str:
    """TEXT with every run of whitespace (newlines included) as one space."""
    return " ".join(text.split())


def format_metrics(metrics: Mapping[str, float | int | None]) -> list[str]:
    """Quality metrics as indented `label value` lines: the evaluator's in a fixed order and
    form, then any others by name (values that are None are left out)."""
    rows: list[tuple[str, str]] = []
    rest = {k: v for k, v in metrics.items() if v is not None}
    for key, label, form in _METRIC_LABELS:
        if key == "kl_to_prior" and "classes_covered" in rest:  # after FD
            covered, total = rest.pop("classes_covered"), rest.pop("num_classes", None)
            of = f"/{total:.0f}" if total is not None else ""
            rows.append(("classes covered", f"{covered:.0f}{of}"))
        if key in rest:
            rows.append((label, form.format(rest.pop(key))))
    rows += [(key, f"{value:.4g}") for key, value in sorted(rest.items())]
    return [f"  {label:<22} {value}" for label, value in rows]


def print_models(manifests: Sequence[Manifest | BrokenVersion], as_json: bool) -> None:
    """The `models` listing of these versions (local store or a server's), a broken one with
    what is wrong with it."""
    if as_json:
        print(
            json.dumps(
                [
                    {"name": m.name, "version": m.version, "problem": m.problem}
                    if isinstance(m, BrokenVersion)
                    else json.loads(m.to_json())
                    for m in manifests
                ],
                indent=2,
            )
        )
        return
    if not manifests:
        print("no models yet: train one with `latentgan train --dataset mnist5k`")
    for m in manifests:
        if isinstance(m, BrokenVersion):
            print(f"{m.ref:<24} BROKEN: {m.problem}")
            continue
        fd = f"FD {m.metrics['fd']:.2f}" if m.metrics else "not evaluated"
        kind = f"conditional ({len(m.class_names)} classes)" if m.class_names else "unconditional"
        h, w, c = m.image_shape
        print(f"{m.ref:<24} {m.dataset['spec']:<12} {h}x{w}x{c} {kind:<26} {fd}  {m.created}")


# --- training jobs ---


def _number(value: float | None, form: str) -> str:
    return "-" if value is None or value != value else form.format(value)  # NaN is not a number


def format_directions(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Directions (``direction_json`` rows) as a table: each one's method value, the attribute
    it moves most with its change per σ (in the attribute's units and standardized) and R², the
    share of samples keeping their class at ±2σ, and its entanglement."""
    width = max([len("direction"), *(len(row["id"]) for row in rows)])
    head = (
        f"{'direction':<{width}} {'value':>7}  {'moves most':<12} {'per σ':>8} {'std/σ':>6} "
        f"{'R²':>5} {'class kept':>10} {'entangled':>9}"
    )
    lines = [head]
    for row in rows:
        score = row.get("score") or {}
        changes = {c["attribute"]: c for c in score.get("changes", ())}
        target = row["id"].removeprefix("attribute:").split("[")[0]
        top = target if row["method"] == "attribute" and target in changes else None
        top = top or score.get("top_attribute")
        change = changes.get(top or "", {})
        lines.append(
            f"{row['id']:<{width}} {_number(row.get('value'), '{:.3f}'):>7}  {top or '-':<12} "
            f"{_number(change.get('slope'), '{:+.3g}'):>8} "
            f"{_number(change.get('standardized'), '{:+.2f}'):>6} "
            f"{_number(change.get('r2'), '{:.2f}'):>5} "
            f"{_number(score.get('class_kept'), '{:.0%}'):>10} "
            f"{_number(score.get('entanglement'), '{:.2f}'):>9}"
        )
    return lines


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ") if moment else "-"


def _steps(job: Any) -> str:
    return f"{job.step}/{job.total_steps}" if job.total_steps else f"{job.step}/?"


def format_jobs(jobs: Sequence[Any]) -> list[str]:
    """The `remote jobs` table of these jobs: a header, then one row per job."""
    header = ("ID", "STATE", "NAME", "DATASET", "STEP", "MODEL", "CREATED")
    rows = [
        (j.id, j.state, j.name or "-", j.dataset, _steps(j), j.model or "-", _when(j.created))
        for j in jobs
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in (header, *rows)
    ]


def format_job(job: Any) -> list[str]:
    """One job as `key value` lines, for `remote job` and `remote cancel`."""
    progress = _steps(job)
    if job.total_steps:
        progress += f" steps ({job.step / job.total_steps:.0%})"
    lines = [
        f"job        {job.id}",
        f"state      {job.state}",
        f"name       {job.name or '-'}",
        f"dataset    {job.dataset}",
        f"progress   {progress}",
        f"created    {_when(job.created)}",
        f"started    {_when(job.started)}",
        f"finished   {_when(job.finished)}",
    ]
    if job.model:
        lines.append(f"model      {job.model}")
    if job.error:
        lines.append(f"error      {one_line(job.error)}")
    if job.request_id:
        lines.append(f"request    {job.request_id}")
    if job.metrics:
        lines += ["metrics", *format_metrics(job.metrics)]
    return lines


def job_json(job: Any) -> dict[str, Any]:
    """A job (a dataclass) as a JSON object: its fields, times as ISO 8601 (null while unset)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(job):
        value = getattr(job, f.name)
        out[f.name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def print_job(job: Any, as_json: bool) -> None:
    """A job for `remote job` and `remote cancel`: lines, or JSON."""
    print(json.dumps(job_json(job), indent=2) if as_json else "\n".join(format_job(job)))


# --- progress ---


@dataclass(frozen=True)
class Progress:
    """One progress report of a training run, from the local loop or a platform job."""

    step: int
    total_steps: int
    losses: Mapping[str, float] = field(default_factory=dict)
    images_per_second: float = 0.0
    has_grid: bool = False  # a sample grid was written at this step
    state: str | None = None  # a platform job's state (queued, running, ...); None when local
    job_id: str = ""

    @classmethod
    def of_job_event(cls, event: Any) -> Progress:
        """A platform job's progress event (``latentgan_client.ProgressEvent``)."""
        return cls(
            step=event.step,
            total_steps=event.total_steps,
            losses=event.losses,
            images_per_second=event.images_per_second,
            has_grid=event.sample_grid is not None,
            state=str(event.state),
            job_id=event.job.id,
        )


class TrainProgress:
    """How training progress shows: a tqdm bar on a terminal (steps, losses and images/s), plain
    lines on stderr otherwise, at each sample grid and at most every LOG_EVERY_S between; a
    platform job's state changes are reported as they happen."""

    def __init__(self, state: str | None = None, log_lines: bool | None = None) -> None:
        self.log_lines = not sys.stderr.isatty() if log_lines is None else log_lines
        self._bar: Any = None
        self._state = state  # the state already shown: each change is reported
        self._logged_at = -float("inf")

    def __call__(self, report: Progress) -> None:
        if report.state is not None and report.state != self._state:
            self._state = report.state
            self.say(f"job {report.job_id} {report.state}")
        if report.state == "queued":
            return
        losses = {k: f"{v:.3f}" for k, v in sorted(report.losses.items())}
        speed = f"{report.images_per_second:.0f}"
        if self.log_lines:
            now = time.monotonic()
            if report.has_grid or now - self._logged_at >= LOG_EVERY_S:
                self._logged_at = now
                shown = " ".join(f"{k}={v}" for k, v in losses.items())
                print(
                    f"step {report.step}/{report.total_steps} {shown} {speed} img/s",
                    file=sys.stderr,
                    flush=True,
                )
            return
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(total=report.total_steps or None, desc="train", unit="step")
        if report.total_steps and self._bar.total != report.total_steps:
            self._bar.total = report.total_steps
        self._bar.n = report.step
        if losses:  # a state change or an evaluation carries none: keep the last ones shown
            self._bar.set_postfix(losses | ({"img/s": speed} if report.images_per_second else {}))
        else:
            self._bar.refresh()

    def say(self, message: str) -> None:
        """A status line on stderr that does not break the bar."""
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr, flush=True)

    def close(self) -> None:
        """Close the bar, if one is showing."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
