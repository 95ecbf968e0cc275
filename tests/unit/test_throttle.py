"""Password throttling: five failures lock the caller out for the lockout period."""

from datetime import UTC, datetime, timedelta

from avmeets.store.documents import AttemptDoc
from avmeets.throttle import meeting_failed, meeting_wait, reserve_attempt

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def run(failures: int, at: datetime, state: AttemptDoc | None = None) -> AttemptDoc | None:
    for _ in range(failures):
        d = reserve_attempt(state, at, 5, 900)
        assert d.allowed
        state = d.state
    return state


def test_fifth_failure_locks() -> None:
    state = run(4, T0)
    assert state is not None and state["lockedUntil"] is None
    state = run(1, T0, state)
    assert state is not None and state["lockedUntil"] == T0 + timedelta(seconds=900)
    refused = reserve_attempt(state, T0 + timedelta(seconds=60), 5, 900)
    assert not refused.allowed
    assert refused.retry_after_seconds == 840
    assert refused.state == state  # a refused attempt changes nothing


def test_lock_expires_and_counting_restarts() -> None:
    state = run(5, T0)
    later = T0 + timedelta(seconds=901)
    d = reserve_attempt(state, later, 5, 900)
    assert d.allowed and d.state["attempts"] == 1 and d.state["windowStartedAt"] == later


def test_old_failures_are_forgotten() -> None:
    state = run(4, T0)
    d = reserve_attempt(state, T0 + timedelta(hours=1), 5, 900)
    assert d.allowed and d.state["attempts"] == 1 and d.state["lockedUntil"] is None


def test_state_expires_for_retention() -> None:
    state = run(1, T0)
    assert state is not None and state["expiresAt"] > T0


# --- the meeting's own throttle, across all callers ----------------------------------------------


def test_meeting_lets_the_free_failures_through_then_makes_everyone_wait_longer() -> None:
    state = None
    waits = []
    for n in range(14):
        at = T0 + timedelta(seconds=n * 600)  # far apart (never waiting) but within the window
        assert meeting_wait(state, at) == 0
        state = meeting_failed(state, at, 10, 300, 3600)
        waits.append(meeting_wait(state, at))
    assert waits[:9] == [0] * 9
    assert waits[9:] == [1, 2, 4, 8, 16]


def test_meeting_delay_is_capped_and_forgotten_after_a_quiet_window() -> None:
    state = None
    at = T0
    for _ in range(30):
        state = meeting_failed(state, at, 10, 300, 900)
        at += timedelta(seconds=meeting_wait(state, at))
    assert meeting_wait(state, at - timedelta(seconds=1)) <= 300
    assert state is not None and state["failures"] == 30
    quiet = state["lastFailureAt"] + timedelta(seconds=901)
    fresh = meeting_failed(state, quiet, 10, 300, 900)
    assert fresh["failures"] == 1 and fresh["nextAllowedAt"] is None
    assert fresh["expiresAt"] > quiet
