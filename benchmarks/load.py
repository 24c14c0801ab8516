"""Load for the reliability benchmarks: SDK clients in a loop, every answer checked and sorted.

A ``Workload`` is a fixed set of requests across Sample, Interpolate, Edit and Project, each with
the images it must return (taken once, from a healthy stack, before anything goes wrong).
``Clients`` runs N threads, each with its own SDK ``Client``, sending those requests round and
round and recording every outcome with its start and end time:

- **right**: answered, with exactly the expected images;
- **wrong**: answered, with other images (goal 0);
- **retryable**: failed with a status a client may retry (UNAVAILABLE, RESOURCE_EXHAUSTED);
- **lost**: neither — failed with any other status (DEADLINE_EXCEEDED included: a request the
  system dropped shows as one), or not answered at all (goal 0).

``Tally`` sums the outcomes of a time window, and says when the last failure of a fault ended:
the time to full recovery.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from latentgan_client import Client
from latentgan_client.errors import LatentganError, ResourceExhausted, Unavailable

DIGITS = Path(__file__).resolve().parents[1] / "examples" / "digits"
OUTCOMES = ("right", "wrong", "retryable", "lost")


@dataclass(frozen=True)
class Call:
    """One request of the workload: its RPC, how to make it, and the images it must return."""

    rpc: str
    make: Callable[[Client], np.ndarray]
    expected: np.ndarray


def _sample(model: str, seed: int, client: Client) -> np.ndarray:
    return client.sample(model, n=4, seed=seed)


def _interpolate(model: str, seed: int, client: Client) -> np.ndarray:
    return client.interpolate(model, seed, seed + 1, steps=4)


def _edit(model: str, seed: int, client: Client) -> np.ndarray:
    return client.edit(model, "sefa:0", (-1.0, 0.0, 1.0), seed=seed)


def _project(model: str, image: np.ndarray, client: Client) -> np.ndarray:
    return client.project(model, [image], method="encoder").images


def _calls(
    model: str, digits: list[np.ndarray]
) -> list[tuple[str, Callable[[Client], np.ndarray]]]:
    calls: list[tuple[str, Callable[[Client], np.ndarray]]] = []
    for seed in range(4):
        calls.append(("Sample", functools.partial(_sample, model, seed)))
        calls.append(("Interpolate", functools.partial(_interpolate, model, seed)))
        calls.append(("Edit", functools.partial(_edit, model, seed)))
        calls.append(("Project", functools.partial(_project, model, digits[seed % len(digits)])))
    return calls


def digit_images() -> list[np.ndarray]:
    """The held-out digits of ``examples/digits`` as uint8 arrays."""
    from PIL import Image

    return [np.asarray(Image.open(p)) for p in sorted(DIGITS.glob("*.png"))]


@dataclass
class Workload:
    """The requests the clients send, with the images each must return."""

    calls: list[Call]

    @classmethod
    def taken(cls, address: str, model: str) -> Workload:
        """The workload for ``model``, its expected images taken from the stack now (healthy)."""
        with Client(address, timeout=60) as client:
            return cls(
                [Call(rpc, make, make(client)) for rpc, make in _calls(model, digit_images())]
            )


@dataclass(frozen=True)
class Outcome:
    """What became of one request."""

    rpc: str
    kind: str  # one of OUTCOMES
    started: float  # time.monotonic()
    ended: float
    detail: str = ""


@dataclass
class Tally:
    """Outcomes summed: by kind, and the times of the failures."""

    outcomes: list[Outcome]

    def count(self, kind: str) -> int:
        """How many outcomes were of ``kind``."""
        return sum(o.kind == kind for o in self.outcomes)

    @property
    def sent(self) -> int:
        """Requests sent (and ended)."""
        return len(self.outcomes)

    def recovery_s(self, fault_at: float) -> float:
        """Seconds from ``fault_at`` until the last request that did not come back right ended
        (0 if none failed)."""
        failed = [o.ended for o in self.outcomes if o.kind != "right" and o.ended >= fault_at]
        return max(failed) - fault_at if failed else 0.0

    def slowest_s(self) -> float:
        """The longest any request took (0 if none ran)."""
        return max((o.ended - o.started for o in self.outcomes), default=0.0)

    def details(self, kind: str, limit: int = 5) -> list[str]:
        """The commonest details of ``kind``'s outcomes, with their counts."""
        common = Counter(f"{o.rpc}: {o.detail}" for o in self.outcomes if o.kind == kind)
        return [f"{n} × {d}" for d, n in common.most_common(limit)]


@dataclass
class Clients:
    """N SDK clients, each in a thread of its own, sending the workload round and round."""

    address: str
    workload: Workload
    count: int = 32
    timeout_s: float = 30.0
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _run(self, index: int) -> None:
        calls = self.workload.calls
        with Client(self.address, timeout=self.timeout_s) as client:
            i = index
            while not self._stop.is_set():
                call = calls[i % len(calls)]
                i += 1
                started = time.monotonic()
                kind, detail = "right", ""
                try:
                    images = call.make(client)
                    if not np.array_equal(images, call.expected):
                        kind, detail = "wrong", "images differ"
                except (Unavailable, ResourceExhausted) as e:
                    kind, detail = "retryable", type(e).__name__
                except LatentganError as e:
                    kind, detail = "lost", f"{type(e).__name__}: {str(e)[:80]}"
                except Exception as e:  # anything else the SDK let through is a finding too
                    kind, detail = "lost", f"{type(e).__name__}: {str(e)[:80]}"
                with self._lock:
                    self.outcomes.append(Outcome(call.rpc, kind, started, time.monotonic(), detail))

    def __enter__(self) -> Clients:
        for i in range(self.count):
            thread = threading.Thread(target=self._run, args=(i,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(self.timeout_s + 5)
        stuck = sum(t.is_alive() for t in self._threads)
        now = time.monotonic()
        with self._lock:  # a request still unanswered after its deadline and more is lost
            self.outcomes += [Outcome("?", "lost", now, now, "no answer at all")] * stuck

    def between(self, start: float, end: float) -> Tally:
        """The outcomes of the requests started in [start, end)."""
        with self._lock:
            return Tally([o for o in self.outcomes if start <= o.started < end])

    def wait_all_right(self, since: float, window_s: float, timeout_s: float) -> bool:
        """Wait until the requests of the last ``window_s`` all came back right (and some did);
        False if that did not happen within ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = time.monotonic()
            with self._lock:
                recent = [o for o in self.outcomes if o.ended >= max(since, now - window_s)]
            if recent and all(o.kind == "right" for o in recent) and now - since >= window_s:
                return True
        return False
