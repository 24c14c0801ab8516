"""Direction sets as Prefect artifacts: a set's edit grid and scores, for the UI.

The ``train`` flow publishes the default sets of the version it registers; the api publishes the
sets that ComputeDirections computes (outside any flow run, so they appear on the Artifacts
page). Publishing is best effort: a Prefect outage never fails the work whose result it shows.
"""

from __future__ import annotations

import base64
import logging
from typing import TYPE_CHECKING

from prefect.artifacts import acreate_markdown_artifact, create_markdown_artifact
from prefect.settings import PREFECT_API_URL

if TYPE_CHECKING:
    from latentgan.directions import DirectionSet

log = logging.getLogger("latentgan.flows.directions")


def direction_set_markdown(ref: str, directions: DirectionSet, grid_png: bytes) -> str:
    """The artifact's text: the grid (a row per direction, a column per strength) and a table of
    each direction's value and what it moves."""
    lines = [
        f"### {ref}: directions `{directions.key}`",
        "",
        f"Rows: directions; columns: −3σ … +3σ. Value: {directions.value_name}.",
        "",
        f"![{directions.key}](data:image/png;base64,{base64.b64encode(grid_png).decode()})",
        "",
        "| direction | value | moves most | per σ | class kept | entanglement |",
        "|---|---|---|---|---|---|",
    ]
    for d in directions.directions:
        score = d.score
        if score is None:
            lines.append(f"| `{d.id}` | {d.value:.3f} | | | | |")
            continue
        change = score.change(score.top_attribute)
        slope = f"{change.slope:+.3g}" if change else ""
        kept = "" if score.class_kept is None else f"{score.class_kept:.0%}"
        lines.append(
            f"| `{d.id}` | {d.value:.3f} | {score.top_attribute} | {slope} | {kept} "
            f"| {score.entanglement:.2f} |"
        )
    return "\n".join(lines)


def publish_direction_set(ref: str, directions: DirectionSet, grid_png: bytes) -> None:
    """Leave the set as a markdown artifact (of the current flow run, if any)."""
    try:
        create_markdown_artifact(
            direction_set_markdown(ref, directions, grid_png),
            description=f"directions {directions.key} of {ref}",
        )
    except Exception as e:  # the UI's picture must never fail the run
        log.warning("could not publish directions %s of %s: %s", directions.key, ref, e)


async def apublish_direction_set(ref: str, directions: DirectionSet, grid_png: bytes) -> None:
    """``publish_direction_set`` for asyncio callers (the api); nothing without PREFECT_API_URL
    (Prefect would start a private server in the caller's process instead)."""
    if not PREFECT_API_URL.value():
        return
    try:
        await acreate_markdown_artifact(
            direction_set_markdown(ref, directions, grid_png),
            description=f"directions {directions.key} of {ref}",
        )
    except Exception as e:
        log.warning("could not publish directions %s of %s: %s", directions.key, ref, e)
