"""The pure parts of the retention purge: what is due, which meetings go, paging, the report."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from avmeets import purge

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
IDLE_BEFORE = NOW - timedelta(hours=24)


def never_joined() -> bool:
    return False


def always_joined() -> bool:
    return True


def test_as_utc_takes_naive_as_utc_and_converts_offsets() -> None:
    assert purge.as_utc(datetime(2026, 5, 1, 12)) == NOW
    assert purge.as_utc(datetime(2026, 5, 1, 14, tzinfo=timezone(timedelta(hours=2)))) == NOW
    assert purge.as_utc(NOW).tzinfo == UTC


@pytest.mark.parametrize(
    ("value", "due"),
    [
        (NOW - timedelta(microseconds=1), True),
        (NOW, True),
        (NOW + timedelta(microseconds=1), False),
        (None, False),
        ("2026-01-01", False),
        (datetime(2026, 5, 1, 11), True),  # naive: UTC
    ],
)
def test_is_due(value: Any, due: bool) -> None:
    assert purge.is_due(value, NOW) is due


def meeting(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "state": "open",
        "lastActivityAt": NOW - timedelta(hours=1),
        "expiresAt": NOW + timedelta(days=6),
    }
    base.update(fields)
    return base


def test_meeting_reason_open_and_active_stays() -> None:
    assert purge.meeting_reason(meeting(), NOW, IDLE_BEFORE, never_joined) is None


def test_meeting_reason_expired_first() -> None:
    data = meeting(expiresAt=NOW, state="ended", lastActivityAt=NOW - timedelta(days=3))
    assert purge.meeting_reason(data, NOW, IDLE_BEFORE, always_joined) == purge.EXPIRED


def test_meeting_reason_ended_even_with_recent_activity() -> None:
    assert purge.meeting_reason(meeting(state="ended"), NOW, IDLE_BEFORE, always_joined) == (
        purge.ENDED
    )


def test_meeting_reason_idle_only_without_joined_participants() -> None:
    idle = meeting(lastActivityAt=IDLE_BEFORE)
    assert purge.meeting_reason(idle, NOW, IDLE_BEFORE, never_joined) == purge.IDLE
    assert purge.meeting_reason(idle, NOW, IDLE_BEFORE, always_joined) is None
    recent = meeting(lastActivityAt=IDLE_BEFORE + timedelta(seconds=1))
    assert purge.meeting_reason(recent, NOW, IDLE_BEFORE, never_joined) is None


def test_meeting_reason_asks_for_participants_only_when_idle() -> None:
    def explode() -> bool:
        raise AssertionError("participants were read for a meeting that is not idle")

    assert purge.meeting_reason(meeting(), NOW, IDLE_BEFORE, explode) is None
    assert purge.meeting_reason(meeting(state="ended"), NOW, IDLE_BEFORE, explode) == purge.ENDED


def test_report_counts_and_plain_data() -> None:
    report = purge.PurgeReport(now=NOW, dry_run=True, max_stored_cdrs=10, meeting_idle_hours=24)
    assert report.total == 0
    assert set(report.deleted) == set(purge.REASONS)
    assert all(v == 0 for v in report.per_collection().values())
    report.add("cdrs", purge.EXPIRED, 3)
    report.add("cdrs", purge.OVER_CAP, 2)
    report.add("meetings", purge.IDLE, 1)
    assert report.count("cdrs") == 5
    assert report.count("cdrs", purge.OVER_CAP) == 2
    assert report.count("nothing") == 0
    assert report.total == 6
    data = report.as_dict()
    assert data["deleted"]["cdrs"] == {"expired": 3, "over-cap": 2}
    assert data["total"] == 6
    assert data["dryRun"] is True
    assert data["now"] == "2026-05-01T12:00:00+00:00"


def test_run_rejects_bad_parameters() -> None:
    no_client: Any = None  # never reached
    with pytest.raises(ValueError):
        purge.run(no_client, NOW, max_stored_cdrs=1, meeting_idle_hours=1, page_size=0)
    with pytest.raises(ValueError):
        purge.run(no_client, NOW, max_stored_cdrs=-1, meeting_idle_hours=1)


# --- paging ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snap:
    key: int


class FakeQuery:
    """An ordered query over integers: start_after, limit and a closable stream."""

    def __init__(self, keys: list[int], after: int | None = None, limit: int | None = None):
        self.keys = keys
        self.after = after
        self.max = limit
        self.streams: list[int] = []  # limits of the queries run (shared by derived queries)

    def _derive(self, after: int | None, limit: int | None) -> FakeQuery:
        q = FakeQuery(self.keys, after, limit)
        q.streams = self.streams
        return q

    def start_after(self, snap: Snap) -> FakeQuery:
        return self._derive(snap.key, self.max)

    def limit(self, n: int) -> FakeQuery:
        return self._derive(self.after, n)

    def stream(self) -> Iterator[Snap]:
        assert self.max is not None, "every query is limited"
        self.streams.append(self.max)
        keys = [k for k in self.keys if self.after is None or k > self.after]
        return (Snap(k) for k in keys[: self.max])


def pages_of(query: FakeQuery, *args: Any) -> list[list[int]]:
    return [[s.key for s in page] for page in purge.pages(query, *args)]


def test_pages_cover_everything_once_in_order() -> None:
    q = FakeQuery(list(range(23)))
    pages = pages_of(q, 5, 2)
    assert pages == [list(range(i, min(i + 5, 23))) for i in range(0, 23, 5)]
    # 10 documents per query: 3 queries, the last one short.
    assert q.streams == [10, 10, 10]


def test_pages_exact_multiple_ends_with_an_empty_query() -> None:
    q = FakeQuery(list(range(20)))
    assert [len(p) for p in pages_of(q, 5, 2)] == [5, 5, 5, 5]
    assert q.streams == [10, 10, 10]


def test_pages_of_nothing() -> None:
    q = FakeQuery([])
    assert pages_of(q, 5, 2) == []
    assert q.streams == [10]


def test_pages_stop_at_max_docs_and_never_ask_for_more() -> None:
    q = FakeQuery(list(range(100)))
    pages = pages_of(q, 5, 2, 13)
    assert sum(len(p) for p in pages) == 13
    assert pages[-1] == [10, 11, 12]
    assert q.streams == [10, 3]


def test_pages_survive_the_consumer_deleting_what_it_saw() -> None:
    keys = list(range(12))
    q = FakeQuery(keys)
    seen: list[int] = []
    for page in purge.pages(q, 4, 1):
        for snap in page:
            keys.remove(snap.key)  # deleted
            seen.append(snap.key)
    assert seen == list(range(12))
    assert keys == []


def test_report_as_one_log_line() -> None:
    report = purge.PurgeReport(now=NOW, dry_run=False, max_stored_cdrs=10, meeting_idle_hours=24)
    assert str(report) == "purge at 2026-05-01T12:00:00+00:00 deleted 0 documents"
    report.add("cdrs", purge.EXPIRED, 3)
    report.add("signals", purge.STALE, 1)
    assert str(report).endswith("deleted 4 documents: signals 1, cdrs 3")
