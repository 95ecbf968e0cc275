"""Quota counters expire with their window, or (leg counts) a week after the latest leg they
counted: nothing naming an account outlives the retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from avmeets import quota
from avmeets.config import MAX_RETENTION_DAYS

DAY_START = datetime(2026, 5, 1, tzinfo=UTC)


def test_a_window_counter_expires_with_its_window() -> None:
    charge = quota.Charge(quota.SIGNALS_PER_MINUTE, "alice", DAY_START + timedelta(seconds=30))
    assert charge.counter()["expiresAt"] == DAY_START + timedelta(minutes=1)


def test_a_minute_count_kept_in_its_days_document_expires_with_the_day() -> None:
    charge = quota.Charge(quota.JOINS_PER_MINUTE, "alice", DAY_START + timedelta(seconds=30))
    assert charge.counter()["expiresAt"] == DAY_START + timedelta(days=1)


def test_a_leg_count_expires_a_retention_after_the_latest_leg_it_counted() -> None:
    early = quota.Charge(quota.LEGS_PER_DAY, "alice", DAY_START + timedelta(hours=1))
    late = quota.Charge(quota.LEGS_PER_DAY, "alice", DAY_START + timedelta(hours=23))
    assert early.counter_id == late.counter_id  # one counter for the day
    week = timedelta(days=MAX_RETENTION_DAYS)
    assert early.counter()["expiresAt"] == early.now + week
    # Each write sets it again: the counter lives as long as its latest leg may, no longer.
    assert late.counter()["expiresAt"] == late.now + week
    assert late.counter()["expiresAt"] < DAY_START + timedelta(days=1) + week
