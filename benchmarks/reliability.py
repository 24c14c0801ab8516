"""The serving stack under fire, all parts in one command: fuzzing, faults under load, overload
and the hot path, each its own benchmark module run in turn (so each starts a stack of its own
and one's load never colours another's figures).

    python -m benchmarks.reliability [--parts fuzzing faults overload hot_path]

Each part prints its tables as it finishes; the exit status is non-zero if any part's goals of
correctness (no undocumented status, nothing lost, no wrong images) were missed. Timings are
reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime

PARTS = ("fuzzing", "faults", "overload", "hot_path")


def main() -> int:
    """Run the parts named (all by default), one after another."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability", description=__doc__)
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    args = parser.parse_args()
    print(
        f"# Reliability, {datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, "
        f"{os.cpu_count()} CPU cores, Python {platform.python_version()}\n",
        flush=True,
    )
    failed = []
    for part in args.parts:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{part}"], check=False)
        print(
            f"\n({part}: {time.perf_counter() - start:.0f} s, exit {done.returncode})\n", flush=True
        )
        if done.returncode:
            failed.append(part)
    if failed:
        print(f"goals missed in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
