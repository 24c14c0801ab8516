"""What the command line prints for directions, and how it reads --direction and --strengths."""

from __future__ import annotations

import json

import pytest

from latentgan.artifacts import BrokenVersion
from latentgan.cli import build_parser
from latentgan.cli.output import format_directions, print_models


def _row(direction_id: str, method: str, score: dict[str, object] | None) -> dict[str, object]:
    return {"id": direction_id, "set": method, "method": method, "value": 0.5, "score": score}


def _score(top: str, class_kept: float | None) -> dict[str, object]:
    changes = [
        {"attribute": "thickness", "slope": 0.3, "r2": 0.4, "standardized": 0.7},
        {"attribute": "slant", "slope": -6.0, "r2": 0.5, "standardized": -0.9},
    ]
    return {"changes": changes, "top_attribute": top, "entanglement": 0.2, "class_kept": class_kept}


def test_an_attribute_direction_shows_its_own_attribute_not_the_top_one() -> None:
    lines = format_directions(
        [
            _row("sefa:0", "sefa", _score("slant", 0.9)),
            _row(
                "attribute:thickness[orthogonal_to=attribute:class:3]",
                "attribute",
                _score("slant", None),
            ),
            _row("random:0", "random", None),
        ]
    )
    header, sefa, thickness, random = lines
    assert header.index("value") == sefa.index("0.500")  # columns line up with the longest id
    assert "slant" in sefa and "-6" in sefa and "90%" in sefa
    assert "thickness" in thickness and "+0.3" in thickness and thickness.rstrip().endswith("0.20")
    assert random.split()[0] == "random:0" and random.count("-") >= 5  # nothing measured: dashes


def test_direction_and_strength_flags() -> None:
    parser = build_parser()
    args = parser.parse_args(
        [
            "edit",
            "--model",
            "m",
            "--direction",
            "sefa:0=1,attribute:class:3=-0.5",
            "--out",
            "x.png",
            "--strengths=-2,0,2.5",
        ]
    )
    assert args.direction == {"sefa:0": 1.0, "attribute:class:3": -0.5}
    assert args.strengths == (-2.0, 0.0, 2.5)
    single = parser.parse_args(["edit", "--model", "m", "--direction", "pca:1", "--out", "x.png"])
    assert single.direction == "pca:1" and single.strengths == (-3.0, -1.5, 0.0, 1.5, 3.0)
    for bad in (["--direction", "sefa:0=x"], ["--direction", "sefa:0", "--strengths=,"]):
        with pytest.raises(SystemExit):
            parser.parse_args(["edit", "--model", "m", "--out", "x.png", *bad])


def test_a_broken_version_is_listed_with_its_problem(capsys: pytest.CaptureFixture[str]) -> None:
    broken = BrokenVersion("demo", 2, "demo/2/manifest.json is not a valid latentgan manifest")
    print_models([broken], as_json=False)
    assert capsys.readouterr().out.split() == ["demo@2", "BROKEN:", *broken.problem.split()]
    print_models([broken], as_json=True)
    assert json.loads(capsys.readouterr().out) == [
        {"name": "demo", "version": 2, "problem": broken.problem}
    ]
