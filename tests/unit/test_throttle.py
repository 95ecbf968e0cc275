"""Password throttling: five failures lock the caller out for the lockout period."""

from datetime import UTC, datetime, timedelta

from avmeets.store.documents import AttemptDoc
from avmeets.throttle import reserve_attempt

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
