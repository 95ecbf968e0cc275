"""Password-attempt throttling per (caller, meeting), and per meeting across all callers.

An attempt is *reserved* before the password is checked, in the same transaction that reads
the counters, so parallel guesses cannot slip past the limits; a correct password clears the
caller's counter. State is the ``join_attempts`` document (``store.documents.AttemptDoc``).

Accounts cost nothing, so a per-caller limit alone lets many accounts guess on; the meeting's
own counter (``meeting_attempts``, ``MeetingAttemptDoc``) lets the first few wrong passwords
through and then makes every further attempt, from anyone, wait: 1 s after the first one over,
doubling with each, up to a maximum. It forgets after a quiet window.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from .store.documents import AttemptDoc, MeetingAttemptDoc


@dataclass(frozen=True)
class Decision:
    allowed: bool
    state: AttemptDoc
    retry_after_seconds: int = 0


def reserve_attempt(
    state: Mapping[str, Any] | None, now: datetime, max_failures: int, lockout_seconds: int
) -> Decision:
    """Decide whether one more password attempt may run, and the counter state after it."""
    window = timedelta(seconds=lockout_seconds)
    if state:
        locked_until: datetime | None = state.get("lockedUntil")
        if locked_until is not None and locked_until > now:
            wait = math.ceil((locked_until - now).total_seconds())
            return Decision(False, cast(AttemptDoc, state), max(wait, 1))
        started: datetime = state.get("windowStartedAt", now)
        if locked_until is not None or now - started > window:
            state = None  # the lock or the counting window has run out: start afresh
    attempts = (state or {}).get("attempts", 0) + 1
    new_state: AttemptDoc = {
        "attempts": attempts,
        "windowStartedAt": (state or {}).get("windowStartedAt", now),
        "lockedUntil": now + window if attempts >= max_failures else None,
        "expiresAt": now + window + window,
    }
    return Decision(True, new_state)


def meeting_wait(state: Mapping[str, Any] | None, now: datetime) -> int:
    """Seconds any caller must still wait before trying a password for this meeting (0: go)."""
    until: datetime | None = (state or {}).get("nextAllowedAt")
    if until is None or until <= now:
        return 0
    return max(1, math.ceil((until - now).total_seconds()))


def meeting_failed(
    state: Mapping[str, Any] | None,
    now: datetime,
    free_failures: int,
    max_delay_seconds: int,
    window_seconds: int,
) -> MeetingAttemptDoc:
    """The meeting's counter after one more wrong password (forgotten after a window of
    ``window_seconds`` without one)."""
    window = timedelta(seconds=window_seconds)
    failures = int((state or {}).get("failures", 0))
    last: datetime | None = (state or {}).get("lastFailureAt")
    if last is None or now - last > window:
        failures = 0
    failures += 1
    over = failures - free_failures + 1  # the free failures' last one starts the waits
    delay = min(2 ** (over - 1), max_delay_seconds) if over >= 1 else 0
    next_allowed = now + timedelta(seconds=delay) if delay else None
    return {
        "failures": failures,
        "lastFailureAt": now,
        "nextAllowedAt": next_allowed,
        "expiresAt": (next_allowed or now) + window,
    }
