"""Direction sets as Prefect artifacts: what the markdown shows, and no Prefect without a URL."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.directions import apublish_direction_set, direction_set_markdown
from latentgan.directions import AttributeChange, Direction, DirectionScore, DirectionSet


def _set() -> DirectionSet:
    score = DirectionScore((AttributeChange("slant", 4.5, 0.5, 0.6),), "slant", 0.1, 0.9, 128)
    directions = (
        Direction("sefa:0", np.ones(4, np.float32) / 2, 0.25, score),
        Direction("sefa:1", np.ones(4, np.float32) / 2, 0.2, None),
    )
    return DirectionSet("sefa", "sefa", {"k": 2}, directions, "share", "2026-12-01T00:00:00", 0, 0)


def test_the_markdown_has_the_grid_and_a_row_per_direction() -> None:
    text = direction_set_markdown("demo@1", _set(), b"\x89PNG")
    assert "demo@1" in text and "`sefa`" in text
    assert "data:image/png;base64,iVBORw==" in text
    assert "| `sefa:0` | 0.250 | slant | +4.5 | 90% | 0.10 |" in text
    assert "| `sefa:1` | 0.200 |" in text


def test_publishing_without_a_prefect_api_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("must not reach Prefect")

    monkeypatch.setattr("flows.directions.acreate_markdown_artifact", refuse)
    with temporary_settings(updates={PREFECT_API_URL: None}):
        asyncio.run(apublish_direction_set("demo@1", _set(), b""))
