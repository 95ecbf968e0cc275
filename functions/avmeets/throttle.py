"""Password-attempt throttling per (caller, meeting).

An attempt is *reserved* before the password is checked, in the same transaction that reads
the counter, so parallel guesses cannot slip past the limit; a correct password clears the
counter. State is the ``join_attempts`` document (``store.documents.AttemptDoc``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from .store.documents import AttemptDoc


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
