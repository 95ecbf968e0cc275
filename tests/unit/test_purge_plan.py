"""The purge's pure planner: the steps of a run at a given time, in order, on stored fields."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from avmeets import purge
from avmeets.purge import plan as plans
from avmeets.store import documents, names

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
#: The document type of each collection (or collection group) the plan filters on.
SHAPES = {
    names.CDRS: documents.LegDoc,
    names.JOINS: documents.JoinRecordDoc,
    names.IDENTITIES: documents.IdentityDoc,
    names.JOIN_ATTEMPTS: documents.AttemptDoc,
    names.MEETING_ATTEMPTS: documents.MeetingAttemptDoc,
    names.QUOTAS: documents.CounterDoc,
    names.MEETING_SECRETS: documents.MeetingSecretDoc,
    names.ARCHIVES: documents.ArchiveDoc,
    names.MEETINGS: documents.MeetingDoc,
    names.SIGNALS: documents.SignalDoc,
    names.PARTICIPANTS: documents.ParticipantDoc,
}


def test_steps_in_order() -> None:
    p = purge.make_plan(NOW, max_stored_cdrs=1000, meeting_idle_hours=24)
    kinds = [type(step).__name__ for step in p.steps]
    assert kinds == ["Expired"] * len(purge.EXPIRING) + ["Meetings", "Orphans", "Orphans", "Cap"]
    expired = [s for s in p.steps if isinstance(s, plans.Expired)]
    assert [s.collection for s in expired] == list(purge.EXPIRING)
    assert all(s.where == plans.Where("expiresAt", "<=", NOW) for s in expired)
    meetings = next(s for s in p.steps if isinstance(s, plans.Meetings))
    assert [q.reason for q in meetings.queries] == [purge.EXPIRED, purge.ENDED, purge.IDLE]
    assert meetings.queries[2].where.value == NOW - timedelta(hours=24) == p.idle_before
    signals, participants = [s for s in p.steps if isinstance(s, plans.Orphans)]
    assert (signals.group, signals.reason) == (names.SIGNALS, purge.STALE)
    assert signals.where == plans.Where("createdAt", "<", NOW - purge.SIGNAL_MAX_AGE)
    assert (participants.group, participants.reason) == (names.PARTICIPANTS, purge.EXPIRED)
    cap = p.steps[-1]
    assert isinstance(cap, plans.Cap) and cap.max_docs == 1000


def test_every_filter_is_on_a_stored_field() -> None:
    p = purge.make_plan(NOW, max_stored_cdrs=1, meeting_idle_hours=1)
    for step in p.steps:
        fields: list[tuple[str, str, str | None]]
        if isinstance(step, plans.Expired):
            fields = [(step.collection, step.where.field, step.order)]
        elif isinstance(step, plans.Orphans):
            fields = [(step.group, step.where.field, step.order)]
        elif isinstance(step, plans.Meetings):
            fields = [(names.MEETINGS, q.where.field, q.order) for q in step.queries]
            fields += [(names.MEETINGS, f, None) for f in plans.MEETING_FIELDS]
        else:
            fields = [(step.collection, "startedAt", None)]
        for collection, *keys in fields:
            for key in filter(None, keys):
                assert key in SHAPES[collection].__annotations__, (collection, key)


def test_naive_now_is_utc_and_the_plan_reads_as_lines() -> None:
    naive = purge.make_plan(datetime(2026, 5, 1, 12), max_stored_cdrs=5, meeting_idle_hours=24)
    offset = purge.make_plan(
        datetime(2026, 5, 1, 14, tzinfo=timezone(timedelta(hours=2))),
        max_stored_cdrs=5,
        meeting_idle_hours=24,
    )
    assert naive.now == offset.now == NOW
    lines = naive.describe()
    assert lines[0] == "1. cdrs where expiresAt <= 2026-05-01T12:00:00+00:00"
    assert lines[-1] == "12. cdrs beyond 5: the heaviest accounts' oldest first, then the oldest"
    assert len(lines) == len(naive.steps)


def test_negative_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        purge.make_plan(NOW, max_stored_cdrs=-1, meeting_idle_hours=1)
    with pytest.raises(ValueError):
        purge.make_plan(NOW, max_stored_cdrs=1, meeting_idle_hours=-1)
