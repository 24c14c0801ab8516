"""The sweep's ranking and its table: most classes covered first, then the lowest FD."""

from __future__ import annotations

from typing import Any

from flows.sweep import COLUMNS, markdown_table, rank_rows


def _row(
    latent_dim: int, fd: float, coverage: float, loss: str = "ns", ppl: float | None = 2.5
) -> dict[str, Any]:
    return {
        "latent_dim": latent_dim,
        "loss": loss,
        "model": f"sweep-z{latent_dim}-{loss}@1",
        "fd": fd,
        "coverage": coverage,
        "kl_to_prior": 0.0123456,
        "precision": 0.5,
        "recall": 0.25,
        "ppl": ppl,
        "wall_s": 61.23456,
    }


def test_coverage_wins_over_fd() -> None:
    rows = [_row(16, fd=2.0, coverage=0.8), _row(32, fd=9.0, coverage=1.0), _row(64, 5.0, 1.0)]
    ranked = rank_rows(rows)
    assert [r["latent_dim"] for r in ranked] == [64, 32, 16]
    assert [r["rank"] for r in ranked] == [1, 2, 3]
    assert ranked[0]["fd"] == 5.0 and ranked[0]["model"] == "sweep-z64-ns@1"


def test_ties_go_to_the_smaller_latent_dim() -> None:
    rows = [_row(128, 3.0, 0.9), _row(16, 3.0, 0.9), _row(100, 3.0, 0.9), _row(32, 1.0, 0.5)]
    ranked = rank_rows(rows)
    assert [(r["rank"], r["latent_dim"]) for r in ranked] == [(1, 16), (2, 100), (3, 128), (4, 32)]


def test_ranking_keeps_rows_and_leaves_the_input_alone() -> None:
    rows = [_row(16, 2.0, 0.5), _row(32, 1.0, 0.5)]
    ranked = rank_rows(rows)
    assert "rank" not in rows[0] and [r["latent_dim"] for r in rows] == [16, 32]
    assert {k: v for k, v in ranked[1].items() if k != "rank"} == rows[0]
    assert rank_rows([]) == []


def test_markdown_table() -> None:
    ranked = rank_rows([_row(16, 12.3456789, 0.8), _row(32, 0.000123456, 1.0, loss="hinge")])
    lines = markdown_table(ranked).split("\n")
    assert lines[0] == "| " + " | ".join(COLUMNS) + " |"
    assert lines[0].startswith("| rank | latent_dim | loss | model | fd | coverage |")
    assert lines[1] == "|" + "---|" * len(COLUMNS)
    assert len(lines) == 2 + 2
    assert lines[2] == (
        "| 1 | 32 | hinge | sweep-z32-hinge@1 | 0.0001235 | 1 | 0.01235 | 0.5 | 0.25 | 2.5 "
        "| 61.23 |"
    )
    assert (
        lines[3]
        == "| 2 | 16 | ns | sweep-z16-ns@1 | 12.35 | 0.8 | 0.01235 | 0.5 | 0.25 | 2.5 | 61.23 |"
    )


def test_an_empty_table_is_its_header() -> None:
    assert markdown_table([]).split("\n") == [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]


def test_ppl_is_shown_but_does_not_rank() -> None:
    smooth, rough = _row(16, 3.0, 1.0, ppl=0.5), _row(32, 2.0, 1.0, ppl=123.456)
    ranked = rank_rows([smooth, rough])
    assert [r["latent_dim"] for r in ranked] == [32, 16]  # FD decides, not PPL
    assert COLUMNS.index("ppl") == COLUMNS.index("recall") + 1
    lines = markdown_table(ranked).split("\n")
    assert "| 0.25 | 123.5 | 61.23 |" in lines[2] and "| 0.25 | 0.5 | 61.23 |" in lines[3]


def test_a_model_without_ppl_shows_a_dash() -> None:
    lines = markdown_table(rank_rows([_row(16, 3.0, 1.0, ppl=None)])).split("\n")
    assert lines[2].endswith("| 0.25 | - | 61.23 |")
