"""The schedules of scheduled functions, as the local scheduler reads them: pure code.

``scheduler_fn.on_schedule(schedule=...)`` takes Cloud Scheduler's schedule string: unix-cron
or the App Engine cron syntax. AVMeets' functions use the interval form of the latter,
``every N minutes`` / ``every N hours`` (``mins`` is accepted for ``minutes``), and that is what
the local scheduler runs. Any other form is refused with a clear error rather than run on a
guessed cadence.

Runs are at a fixed cadence from when the schedule was first seen: the k-th run is due at
``anchor + k * period``. A run that overruns its period skips the due times it missed instead
of running twice in a row to catch up, and runs of one function never overlap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

_UNIT_SECONDS: Final = {
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "hour": 3600,
    "hours": 3600,
}
_INTERVAL: Final = re.compile(r"every\s+(\d+)\s+([a-z]+)")


class UnsupportedSchedule(ValueError):
    """A schedule string the local scheduler cannot run."""


@dataclass(frozen=True)
class Interval:
    """A schedule of the form ``every N minutes|hours``."""

    text: str
    seconds: int


def parse(schedule: str) -> Interval:
    """Parse an App Engine interval schedule (``every 1 minutes``, ``every 2 hours``)."""
    text = " ".join(schedule.split()).lower()
    match = _INTERVAL.fullmatch(text)
    if match is None or match.group(2) not in _UNIT_SECONDS:
        raise UnsupportedSchedule(
            f"schedule {schedule!r} is not of the form 'every N minutes' or 'every N hours' "
            "(the only form the local scheduler runs)"
        )
    count = int(match.group(1))
    if count < 1:
        raise UnsupportedSchedule(f"schedule {schedule!r}: 'every N minutes' needs N >= 1")
    return Interval(schedule, count * _UNIT_SECONDS[match.group(2)])


def next_due(anchor: float, period: float, now: float) -> float:
    """The first due time ``anchor + k * period`` (k ≥ 1) strictly after ``now``."""
    if period <= 0:
        raise ValueError("period must be positive")
    if now < anchor:
        return anchor + period
    return anchor + (math.floor((now - anchor) / period) + 1) * period
