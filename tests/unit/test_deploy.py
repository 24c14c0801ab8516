"""deploy/ passes tools/check_deploy.py: Compose, Kubernetes, the gpu pool, prefect.yaml, images.

One test per section of the checker (``CHECKS``), so a failure names the part of deploy/ that is
wrong; tests/unit/test_check_deploy.py shows each checker catching a broken input. Nothing here
skips: a missing entrypoint, hadolint or prefect-kubernetes is a failure.
"""

from __future__ import annotations

import pytest

# By name: tools/ is not a package, and mypy checks tools/check_deploy.py as `check_deploy`.
from tools import check_deploy


@pytest.mark.parametrize("name", list(check_deploy.CHECKS))
def test_deploy_passes_the_check(name: str) -> None:
    assert check_deploy.run_check(name) == []


def test_main_prints_one_line_per_problem_and_fails_if_any(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> list[str]:
        raise FileNotFoundError("deploy/compose.yaml")

    checks = {"ok": list, "bad": lambda: ["a.yaml: two\n  lines"], "broken": broken}
    monkeypatch.setattr(check_deploy, "CHECKS", checks)
    assert check_deploy.main([]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "a.yaml: two lines",
        "broken: could not be checked: FileNotFoundError: deploy/compose.yaml",
    ]
    assert check_deploy.main(["ok"]) == 0
    assert capsys.readouterr().out == ""
    with pytest.raises(SystemExit):
        check_deploy.main(["nope"])
