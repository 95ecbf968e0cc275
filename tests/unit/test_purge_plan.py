"""The purge's pure planner: the steps of a run at a given time, in order, on stored fields."""

from __future__ import annotations

import typing
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from avmeets import purge
from avmeets.purge import plan as plans
from avmeets.store import documents, names

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
#: The document type of each collection (or collection group) the plan queries.
DOCUMENTS = {
    names.CDRS: documents.LegDoc,
    names.JOINS: documents.JoinRecordDoc,
    names.IDENTITIES: documents.IdentityDoc,
    names.JOIN_ATTEMPTS: documents.AttemptDoc,
    names.MEETING_ATTEMPTS: documents.MeetingAttemptDoc,
    names.QUOTAS: documents.CounterDoc,
    names.MEETING_SECRETS: documents.MeetingSecretDoc,
    names.ARCHIVES: documents.ArchiveDoc,
    names.EXPORT_AUDITS: documents.ExportAuditDoc,
    names.ORG_AUDITS: documents.OrgAuditDoc,
    names.USAGE_DAILY: documents.UsageDayDoc,
    names.MEETINGS: documents.MeetingDoc,
    names.SIGNALS: documents.SignalDoc,
    names.PARTICIPANTS: documents.ParticipantDoc,
}


def test_steps_in_order() -> None:
    p = purge.make_plan(NOW, max_stored_cdrs=1000, meeting_idle_hours=24)
    kinds = [type(step).__name__ for step in p.steps]
    assert kinds == ["Expired"] * len(purge.EXPIRING) + [
        "Meetings",
        "Orphans",
        "Orphans",
        "Cap",
        "StaleObjects",
    ]
    expired = [s for s in p.steps if isinstance(s, plans.Expired)]
    assert [s.collection for s in expired] == list(purge.EXPIRING)
    assert all(s.where == plans.Where("expiresAt", "<=", NOW) for s in expired)
    meetings = next(s for s in p.steps if isinstance(s, plans.Meetings))
    assert [q.reason for q in meetings.queries] == [purge.EXPIRED, purge.ENDED, purge.IDLE]
    assert meetings.queries[2].where.value == NOW - timedelta(hours=24) == p.idle_before
    signals, participants = [s for s in p.steps if isinstance(s, plans.Orphans)]
    assert (signals.group, signals.reason) == (names.SIGNALS, purge.STALE)
    # Read whole by name: signals' createdAt carries no collection-group index (issue 20).
    assert signals.where is None and signals.order is None
    assert signals.scan == plans.Where("createdAt", "<", NOW - purge.SIGNAL_MAX_AGE)
    fresh = {"createdAt": NOW - purge.SIGNAL_MAX_AGE}
    stale = {"createdAt": NOW - purge.SIGNAL_MAX_AGE - timedelta(seconds=1)}
    assert signals.matches(stale) and not signals.matches(fresh)
    assert not signals.matches({}) and participants.matches({})
    assert (participants.group, participants.reason) == (names.PARTICIPANTS, purge.EXPIRED)
    cap = p.steps[-2]
    assert isinstance(cap, plans.Cap) and cap.max_docs == 1000
    # Only archives name objects; the stale objects of the store go last, after the service's
    # maximum retention.
    assert {s.collection: s.objects for s in expired if s.objects} == {
        names.ARCHIVES: "object.path"
    }
    objects = p.steps[-1]
    assert isinstance(objects, plans.StaleObjects)
    assert (objects.prefix, objects.reason) == ("orgs/", purge.STALE)
    assert objects.before == NOW - timedelta(days=7)
    assert objects.matches(NOW - timedelta(days=7, seconds=1))
    assert not objects.matches(NOW - timedelta(days=7))


def stored(shape: Any, path: str) -> bool:
    """Whether the document type ``shape`` holds the (dotted, for maps) field ``path``."""
    head, _, rest = path.partition(".")
    hints = typing.get_type_hints(shape)
    if head not in hints:
        return False
    return not rest or (typing.is_typeddict(hints[head]) and stored(hints[head], rest))


def test_every_query_filters_and_orders_on_stored_fields() -> None:
    p = purge.make_plan(NOW, max_stored_cdrs=1, meeting_idle_hours=1)
    shapes = p.shapes()
    assert {s.collection for s in shapes} == set(DOCUMENTS)
    assert {s.collection for s in shapes if s.group} == {names.SIGNALS, names.PARTICIPANTS}
    for shape in shapes:
        keys = [shape.where.field if shape.where else None, shape.order]
        for key in filter(None, keys):
            assert stored(DOCUMENTS[shape.collection], key), (shape, key)
    for key in plans.MEETING_FIELDS:
        assert key in documents.MeetingDoc.__annotations__, key


def test_each_step_runs_its_own_shapes() -> None:
    p = purge.make_plan(NOW, max_stored_cdrs=1, meeting_idle_hours=1)
    shapes = p.shapes()
    expired = [s for s in p.steps if isinstance(s, plans.Expired)]
    assert shapes[: len(expired)] == tuple(
        plans.Shape(s.collection, plans.Where("expiresAt", "<=", NOW), "expiresAt") for s in expired
    )
    ended = plans.Shape(names.MEETINGS, plans.Where("state", "==", "ended"), None)
    assert ended in shapes
    owner = plans.Where(plans.LEG_OWNER, "==", "")
    assert shapes[-5:] == (
        plans.Shape(names.CDRS),
        # The cap: the accounts that made the most legs, theirs counted and oldest first, then
        # everyone's oldest.
        plans.Shape(names.QUOTAS, plans.Where("kind", "==", "legs"), "count", descending=True),
        plans.Shape(names.CDRS, owner),
        plans.Shape(names.CDRS, owner, "startedAt"),
        plans.Shape(names.CDRS, order="startedAt"),
    )


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
    assert lines[-2] == "15. cdrs beyond 5: the heaviest accounts' oldest first, then the oldest"
    assert lines[-1] == "16. objects under orgs/ updated before 2026-04-24T12:00:00+00:00"
    archives = next(line for line in lines if " archives " in line)
    assert archives.endswith(", each after its object (object.path)")
    assert len(lines) == len(naive.steps)


def test_negative_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        purge.make_plan(NOW, max_stored_cdrs=-1, meeting_idle_hours=1)
    with pytest.raises(ValueError):
        purge.make_plan(NOW, max_stored_cdrs=1, meeting_idle_hours=-1)


def test_an_archive_names_its_object_by_path() -> None:
    assert plans.object_of({"object": {"path": "orgs/a/meetings/m/file/o", "size": 3}}) == (
        "orgs/a/meetings/m/file/o"
    )
    assert plans.object_of({}) is None
    assert plans.object_of({"object": None}) is None
    assert plans.object_of({"object": {"path": ""}}) is None
    assert plans.object_of({"object": "orgs/a"}) is None


def test_a_document_goes_only_after_its_object() -> None:
    """Plain data: each archive document with the path of its object, or None (chat)."""
    page = [("chat", None), ("file", "orgs/a/x"), ("png", "orgs/a/y"), ("rec", "orgs/a/z")]
    assert plans.deletable_after_objects(page, set()) == ["chat", "file", "png", "rec"]
    # The object of "png" could not be deleted: its document stays for the next run.
    assert plans.deletable_after_objects(page, {"orgs/a/y"}) == ["chat", "file", "rec"]
    assert plans.deletable_after_objects(page, {"orgs/a/x", "orgs/a/y", "orgs/a/z"}) == ["chat"]
