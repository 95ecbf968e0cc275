"""avmeets.quota: windows, counter documents, refusals and the purge's water-filling (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from avmeets import quota
from avmeets.errors import ResourceExhausted
from avmeets.protocol import Quotas

AT = datetime(2026, 5, 1, 13, 47, 31, 250_000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("window", "start", "end"),
    [
        (
            "minute",
            datetime(2026, 5, 1, 13, 47, tzinfo=UTC),
            datetime(2026, 5, 1, 13, 48, tzinfo=UTC),
        ),
        ("hour", datetime(2026, 5, 1, 13, tzinfo=UTC), datetime(2026, 5, 1, 14, tzinfo=UTC)),
        ("day", datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 5, 2, tzinfo=UTC)),
    ],
)
def test_windows_start_and_end_on_utc_boundaries(
    window: quota.Window, start: datetime, end: datetime
) -> None:
    assert quota.window_start(AT, window) == start
    assert quota.window_end(AT, window) == end
    # The same instant in another zone is the same window (UTC days, not local ones).
    elsewhere = AT.astimezone(timezone(timedelta(hours=-9, minutes=-30)))
    assert quota.window_start(elsewhere, window) == start


def test_the_named_quotas_use_the_protocols_limits() -> None:
    assert (
        quota.Quota("meetings", Quotas.MEETINGS_PER_MINUTE, "minute", home="day")
        == quota.MEETINGS_PER_MINUTE
    )
    assert quota.Quota("meetings", Quotas.MEETINGS_PER_DAY, "day") == quota.MEETINGS_PER_DAY
    assert (
        quota.Quota("joins", Quotas.JOINS_PER_MINUTE, "minute", home="day")
        == quota.JOINS_PER_MINUTE
    )
    assert quota.Quota("joins", Quotas.JOINS_PER_DAY, "day") == quota.JOINS_PER_DAY
    assert (
        quota.Quota("meeting-joins", Quotas.MEETING_JOINS_PER_HOUR, "hour")
        == quota.MEETING_JOINS_PER_HOUR
    )
    assert (
        quota.Quota("probes", Quotas.PROBES_PER_MINUTE, "minute", home="day")
        == quota.PROBES_PER_MINUTE
    )
    assert quota.Quota("probes", Quotas.PROBES_PER_DAY, "day") == quota.PROBES_PER_DAY
    assert quota.LEGS_PER_DAY.kind == quota.LEGS_KIND == "legs"
    assert quota.LEGS_PER_DAY.limit == Quotas.LEGS_PER_DAY and quota.LEGS_PER_DAY.window == "day"
    assert (
        quota.Quota("meeting-legs", Quotas.MEETING_LEGS_PER_DAY, "day")
        == quota.MEETING_LEGS_PER_DAY
    )
    assert quota.Quota("signals", Quotas.SIGNALS_PER_MINUTE, "minute") == quota.SIGNALS_PER_MINUTE
    assert quota.JOINS_PER_MINUTE.keep == timedelta(0)


@pytest.mark.parametrize(
    ("q", "counter_id", "field"),
    [
        (quota.JOINS_PER_MINUTE, "joins~alice~d20260501", "within.m202605011347"),
        (quota.JOINS_PER_DAY, "joins~alice~d20260501", "count"),
        (quota.MEETING_JOINS_PER_HOUR, "meeting-joins~alice~h2026050113", "count"),
        (quota.MEETINGS_PER_DAY, "meetings~alice~d20260501", "count"),
        (quota.SIGNALS_PER_MINUTE, "signals~alice~m202605011347", "count"),
    ],
)
def test_a_charge_names_its_counter_document_and_field(
    q: quota.Quota, counter_id: str, field: str
) -> None:
    charge = quota.Charge(q, "alice", AT)
    assert (charge.counter_id, charge.field) == (counter_id, field)
    window = q.home or q.window
    assert charge.counter() == {
        "kind": q.kind,
        "subject": "alice",
        "window": quota.window_start(AT, window),
        "expiresAt": quota.window_end(AT, window),
    }


@pytest.mark.parametrize(
    ("minute", "day"),
    [
        (quota.JOINS_PER_MINUTE, quota.JOINS_PER_DAY),
        (quota.MEETINGS_PER_MINUTE, quota.MEETINGS_PER_DAY),
        (quota.PROBES_PER_MINUTE, quota.PROBES_PER_DAY),
    ],
)
def test_a_kind_limited_per_minute_and_per_day_is_one_document(
    minute: quota.Quota, day: quota.Quota
) -> None:
    """One request charged against both windows is one write (issue 16: writes per join)."""
    a, b = quota.Charge(minute, "alice", AT), quota.Charge(day, "alice", AT)
    assert a.counter_id == b.counter_id and a.counter() == b.counter()
    assert a.field != b.field
    later = quota.Charge(minute, "alice", AT + timedelta(minutes=1))
    assert later.counter_id == a.counter_id and later.field != a.field


def test_count_of_follows_a_field_path() -> None:
    doc = {"count": 7, "within": {"m202605011347": 3}}
    assert quota.count_of(doc, "count") == 7
    assert quota.count_of(doc, "within.m202605011347") == 3
    assert quota.count_of(doc, "within.m202605011348") == 0
    assert quota.count_of({"within": 5}, "within.m202605011347") == 0


def test_retry_after_is_what_is_left_of_the_window_and_at_least_a_second() -> None:
    assert quota.Charge(quota.JOINS_PER_MINUTE, "a", AT).retry_after_seconds == 29  # 28.75 up
    end = datetime(2026, 5, 1, 13, 47, 59, 999_999, tzinfo=UTC)
    assert quota.Charge(quota.JOINS_PER_MINUTE, "a", end).retry_after_seconds == 1
    start = datetime(2026, 5, 1, 13, 47, tzinfo=UTC)
    assert quota.Charge(quota.JOINS_PER_MINUTE, "a", start).retry_after_seconds == 60


@pytest.mark.parametrize(
    ("doc", "count"),
    [(None, 0), ({}, 0), ({"count": 3}, 3), ({"count": True}, 0), ({"count": "3"}, 0),
     ({"count": 2.5}, 0)],
)  # fmt: skip
def test_count_of_reads_only_an_integer(doc: dict[str, object] | None, count: int) -> None:
    assert quota.count_of(doc) == count


def test_a_refusal_says_the_limit_the_window_and_when_to_retry() -> None:
    charge = quota.Charge(quota.MEETING_JOINS_PER_HOUR, "m", AT)
    error = quota.refusal(charge)
    assert isinstance(error, ResourceExhausted)
    limit = Quotas.MEETING_JOINS_PER_HOUR
    left = charge.retry_after_seconds
    assert str(error) == (
        f"Too many requests: at most {limit} meeting joins a hour; try again in {left} s."
    )
    assert error.details == {"reason": "rate-limited", "retryAfterSeconds": left}


def test_exhausted_before_a_request_and_exceeded_after_it() -> None:
    small = quota.Quota("x", 2, "minute")
    big = quota.Quota("y", 5, "minute")
    charges = [quota.Charge(small, "a", AT), quota.Charge(big, "a", AT)]
    assert quota.first_exhausted(charges, [1, 4]) is None
    assert quota.first_exhausted(charges, [2, 5]) is charges[0]  # reached: the next is refused
    assert quota.first_exhausted(charges, [1, 5]) is charges[1]
    assert quota.first_exceeded(charges, [2, 5]) is None  # the increment reached the limit
    assert quota.first_exceeded(charges, [3, 6]) is charges[0]
    assert quota.first_exceeded(charges, [2, 6]) is charges[1]
    with pytest.raises(ValueError):
        quota.first_exceeded(charges, [1])


def test_levels_cut_the_heaviest_first_down_to_a_common_level() -> None:
    assert quota.levels({"a": 10, "b": 4, "c": 1}, 0) == {}
    assert quota.levels({}, 5) == {}
    assert quota.levels({"a": 10, "b": 4, "c": 1}, 4) == {"a": 4}
    # a down to 4 takes 6, then both a and b share the rest.
    assert quota.levels({"a": 10, "b": 4, "c": 1}, 8) == {"a": 7, "b": 1}
    # More than everyone holds: everyone loses everything (the rest is the caller's).
    assert quota.levels({"a": 3, "b": 0}, 10) == {"a": 3}
    # Ties are broken by owner, the surplus given back to the lightest of those cut.
    assert quota.levels({"b": 5, "a": 5}, 3) == {"a": 2, "b": 1}


@given(
    counts=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 50), max_size=8),
    excess=st.integers(-3, 400),
)
def test_levels_take_exactly_the_excess_and_spare_only_the_lighter(
    counts: dict[str, int], excess: int
) -> None:
    cut = quota.levels(counts, excess)
    assert all(0 < n <= counts[owner] for owner, n in cut.items())
    assert sum(cut.values()) == max(0, min(excess, sum(counts.values())))
    # The heaviest first: nobody spared is heavier than anyone cut.
    spared = [counts[owner] for owner in counts if owner not in cut]
    assert all(counts[owner] >= max(spared, default=0) for owner in cut)


def test_a_meetings_join_count_is_that_of_the_current_hour() -> None:
    hour = datetime(2026, 5, 1, 13, tzinfo=UTC)
    assert quota.meeting_joins({}, AT) == (hour, 0)
    assert quota.meeting_joins({"joinsSince": hour, "joins": 7}, AT) == (hour, 7)
    # An earlier hour's count does not carry over; a malformed one counts as none.
    earlier = {"joinsSince": hour - timedelta(hours=1), "joins": 299}
    assert quota.meeting_joins(earlier, AT) == (hour, 0)
    assert quota.meeting_joins({"joinsSince": hour, "joins": True}, AT) == (hour, 0)


def test_a_meeting_at_its_hours_joins_refuses_the_next_until_the_hour_ends() -> None:
    hour = datetime(2026, 5, 1, 13, tzinfo=UTC)
    limit = Quotas.MEETING_JOINS_PER_HOUR
    below = {"joinsSince": hour, "joins": limit - 1}
    assert quota.check_meeting_joins("m", below, AT) == (hour, limit - 1)
    with pytest.raises(ResourceExhausted) as refused:
        quota.check_meeting_joins("m", {"joinsSince": hour, "joins": limit}, AT)
    assert refused.value.details["reason"] == "rate-limited"
    left = (hour + timedelta(hours=1) - AT).total_seconds()
    assert refused.value.details["retryAfterSeconds"] == int(left) + 1
