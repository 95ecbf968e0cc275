"""What a purge run deletes, decided from the time and the settings alone (pure).

``make_plan`` lists the steps in the order a run takes them; ``meeting_reason`` decides, from a
meeting's fields, why it goes. The executor (``purge.execute``) runs the plan against Firestore:
deleting, or in a dry run counting what it would delete. Every query it runs for a step is the
step's ``Shape`` (``Plan.shapes``), so the queries are data that tools/deploy/queries.py checks
against firestore.indexes.json.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, TypeVar

from .. import quota
from ..config import MAX_RETENTION_DAYS
from ..store import names
from .report import (
    ENDED,
    EXPIRED,
    IDLE,
    OBJECTS,
    OVER_CAP,
    STALE,
    STEP_CAP,
    STEP_EXPIRED,
    STEP_OBJECTS,
    STEP_PARTICIPANTS,
    STEP_SIGNALS,
)

_Doc = TypeVar("_Doc")

#: Top-level collections whose documents are deleted at ``expiresAt``.
EXPIRING: Final[tuple[str, ...]] = (
    names.CDRS,
    names.JOINS,
    names.IDENTITIES,
    names.JOIN_ATTEMPTS,
    names.MEETING_ATTEMPTS,
    names.QUOTAS,
    names.MEETING_SECRETS,
    names.ARCHIVES,
    # Kept longer, each until its own expiresAt: the export audit (two years) and the
    # anonymous usage aggregates (avmeets.usage).
    names.EXPORT_AUDITS,
    names.USAGE_DAILY,
    # An organisation's policy changes (a year: avmeets.org_policy.AUDIT_DAYS).
    names.ORG_AUDITS,
)
#: The subcollections of a meeting, deleted with it.
WITH_A_MEETING: Final = (names.PARTICIPANTS, names.PRESENCE, names.SIGNALS, names.LOBBY)
#: The field of a leg naming the account that made it (offered): the account a flood of legs
#: is charged to (``quota.LEGS_PER_DAY`` counts it per day).
LEG_OWNER: Final = "caller.uid"
#: An unapplied signal is useless after this long.
SIGNAL_MAX_AGE: Final = timedelta(minutes=10)
#: The field of an archive document naming its object in Cloud Storage (``ArchiveDoc.object``).
ARCHIVE_OBJECT: Final = "object.path"
#: Where the organisation store's objects live (``avmeets.store.objects.ORG_PREFIX``).
OBJECT_PREFIX: Final = "orgs/"
#: Nothing in the organisation store is kept longer than the service promises.
OBJECT_MAX_AGE: Final = timedelta(days=MAX_RETENTION_DAYS)
#: The meeting fields ``meeting_reason`` reads (all a meetings query needs to load).
MEETING_FIELDS: Final = ("expiresAt", "state", "lastActivityAt")
_ENDED_STATE: Final = "ended"


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime; a naive one is taken to be UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def is_due(value: Any, limit: datetime) -> bool:
    """Whether a stored timestamp is at or before ``limit`` (a missing one never is)."""
    return isinstance(value, datetime) and as_utc(value) <= limit


def meeting_reason(
    data: dict[str, Any], now: datetime, idle_before: datetime, has_joined: Callable[[], bool]
) -> str | None:
    """Why a meeting goes (expired, ended, idle), or None; ``has_joined`` is asked last."""
    if is_due(data.get("expiresAt"), now):
        return EXPIRED
    if data.get("state") == _ENDED_STATE:
        return ENDED
    if is_due(data.get("lastActivityAt"), idle_before) and not has_joined():
        return IDLE
    return None


def object_of(data: dict[str, Any]) -> str | None:
    """The path of the object an archive document names, or None (``ArchiveDoc.object``)."""
    stored = data.get("object")
    path = stored.get("path") if isinstance(stored, dict) else None
    return path if isinstance(path, str) and path else None


def deletable_after_objects(
    docs: Sequence[tuple[_Doc, str | None]], failed: Collection[str]
) -> list[_Doc]:
    """Of a page of ``(document, object path)``, the documents that may go once the page's
    objects were deleted: those naming no object, or one whose deletion did not fail. A document
    whose object is still there stays for the next run, so no object is left without it."""
    return [doc for doc, path in docs if path is None or path not in failed]


@dataclass(frozen=True)
class Where:
    """One filter: ``field op value``."""

    field: str
    op: str
    value: Any

    def __str__(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, datetime) else repr(self.value)
        return f"{self.field} {self.op} {value}"


@dataclass(frozen=True)
class Shape:
    """One query of a run as Firestore's indexes see it: a collection (a collection group when
    ``group``), at most one filter and one order. ``execute.planned_query`` builds it."""

    collection: str
    where: Where | None = None
    order: str | None = None
    group: bool = False
    #: The order is descending (largest first).
    descending: bool = False


@dataclass(frozen=True)
class Expired:
    """Step 1: the documents of a top-level collection whose ``expiresAt`` has passed.

    With ``objects`` (the field naming a document's object in Cloud Storage), each page's
    objects are deleted first and then the documents (``deletable_after_objects``)."""

    collection: str
    where: Where
    order: str = "expiresAt"
    step: str = STEP_EXPIRED
    reason: str = EXPIRED
    objects: str | None = None

    @property
    def query(self) -> Shape:
        return Shape(self.collection, self.where, self.order)


@dataclass(frozen=True)
class MeetingQuery:
    """The meetings that may go for one reason (``meeting_reason`` has the last word)."""

    reason: str
    where: Where
    order: str | None

    @property
    def query(self) -> Shape:
        return Shape(names.MEETINGS, self.where, self.order)


@dataclass(frozen=True)
class Meetings:
    """Step 2: meetings that expired, ended or went idle with nobody joined, each with its
    participants, signals, knocks and password hash (the meeting document last)."""

    queries: tuple[MeetingQuery, ...]


@dataclass(frozen=True)
class Orphans:
    """Steps 3 and 4: leftovers of a collection group (under meetings that stay).

    With ``where``, the documents that query matches, in ``order``. With ``scan`` instead, the
    whole collection group read by name and ``scan`` checked on each document here: for a group
    that holds few documents at any time (signals live seconds) and whose field must not carry
    a collection-group index (every signal would write at its end: Firestore's 500 writes/s on
    a sequential index; docs/capacity.md).
    """

    step: str
    group: str
    reason: str
    where: Where | None = None
    order: str | None = None
    scan: Where | None = None

    @property
    def query(self) -> Shape:
        return Shape(self.group, self.where, self.order, group=True)

    def matches(self, data: dict[str, Any]) -> bool:
        """Whether a scanned document goes (``scan``'s ``<`` or ``<=`` on a timestamp)."""
        if self.scan is None:
            return True
        value = data.get(self.scan.field)
        limit: datetime = self.scan.value
        if not isinstance(value, datetime):
            return False
        if self.scan.op == "<":
            return as_utc(value) < limit
        if self.scan.op == "<=":
            return as_utc(value) <= limit
        raise ValueError(f"a scan compares with < or <=, not {self.scan.op}")


@dataclass(frozen=True)
class Cap:
    """Step 5: CDRs beyond ``max_docs`` stored: the heaviest accounts' first (water-filling by
    the legs each made, ``quota.levels``), each one's oldest first; then the oldest
    (``startedAt``, then id) of all."""

    collection: str
    max_docs: int
    order: str = "startedAt"
    step: str = STEP_CAP
    reason: str = OVER_CAP

    @property
    def counted(self) -> Shape:
        """The whole collection, counted against ``max_docs``."""
        return Shape(self.collection)

    @property
    def query(self) -> Shape:
        """Oldest first (the executor breaks ties by document id)."""
        return Shape(self.collection, order=self.order)

    @property
    def offenders(self) -> Shape:
        """The accounts' daily leg counters (``quotas``), largest first: who made the most."""
        return Shape(names.QUOTAS, Where("kind", "==", quota.LEGS_KIND), "count", descending=True)

    def counted_of(self, uid: str) -> Shape:
        """The legs ``uid`` made (offered) that are stored, counted."""
        return Shape(self.collection, Where(LEG_OWNER, "==", uid))

    def legs_of(self, uid: str) -> Shape:
        """The legs ``uid`` made, oldest first."""
        return Shape(self.collection, Where(LEG_OWNER, "==", uid), self.order)


@dataclass(frozen=True)
class StaleObjects:
    """Step 6: objects under ``prefix`` in Cloud Storage last updated before ``before`` (a
    backstop for uploads whose archive document was never written). Not a Firestore query."""

    prefix: str
    before: datetime
    step: str = STEP_OBJECTS
    reason: str = STALE
    collection: str = OBJECTS

    def matches(self, updated: datetime) -> bool:
        return as_utc(updated) < self.before


Step = Expired | Meetings | Orphans | Cap | StaleObjects


@dataclass(frozen=True)
class Plan:
    now: datetime
    idle_before: datetime
    max_stored_cdrs: int
    meeting_idle_hours: int
    steps: tuple[Step, ...]

    def shapes(self) -> tuple[Shape, ...]:
        """Every query a run builds from the plan, in the order of the steps."""
        out: list[Shape] = []
        for step in self.steps:
            if isinstance(step, Meetings):
                out += [q.query for q in step.queries]
            elif isinstance(step, Cap):
                out += [step.counted, step.offenders, step.counted_of(""), step.legs_of("")]
                out.append(step.query)
            elif isinstance(step, StaleObjects):
                continue
            else:
                out.append(step.query)
        return tuple(out)

    def describe(self) -> list[str]:
        """One line per step, in order: what it deletes and why."""
        lines = []
        for n, step in enumerate(self.steps, 1):
            if isinstance(step, Expired):
                text = f"{step.collection} where {step.where}"
                if step.objects:
                    text += f", each after its object ({step.objects})"
            elif isinstance(step, StaleObjects):
                text = f"objects under {step.prefix} updated before {step.before.isoformat()}"
            elif isinstance(step, Meetings):
                text = "; ".join(f"meetings {q.reason} ({q.where})" for q in step.queries)
                text += ", with their participants, signals, knocks and password hash"
            elif isinstance(step, Orphans):
                where = step.where or step.scan
                text = f"{step.group} (any meeting) where {where}: {step.reason}"
            else:
                text = (
                    f"{step.collection} beyond {step.max_docs:,}: the heaviest accounts' "
                    "oldest first, then the oldest"
                )
            lines.append(f"{n}. {text}")
        return lines


def make_plan(now: datetime, *, max_stored_cdrs: int, meeting_idle_hours: int) -> Plan:
    """The steps of a run at ``now``; see ``avmeets.purge``."""
    if max_stored_cdrs < 0 or meeting_idle_hours < 0:
        raise ValueError("max_stored_cdrs and meeting_idle_hours must not be negative")
    now = as_utc(now)
    idle_before = now - timedelta(hours=meeting_idle_hours)
    due = Where("expiresAt", "<=", now)
    steps: list[Step] = [
        Expired(collection, due, objects=ARCHIVE_OBJECT if collection == names.ARCHIVES else None)
        for collection in EXPIRING
    ]
    # Each query deletes only for its own reason: a meeting that an earlier query matched is
    # left to it (a dry run must not count it twice; a real run already deleted it).
    steps.append(
        Meetings(
            (
                MeetingQuery(EXPIRED, due, "expiresAt"),
                MeetingQuery(ENDED, Where("state", "==", _ENDED_STATE), None),
                MeetingQuery(IDLE, Where("lastActivityAt", "<=", idle_before), "lastActivityAt"),
            )
        )
    )
    # Signals are read whole, by name: their createdAt has no collection-group index.
    steps.append(
        Orphans(
            STEP_SIGNALS,
            names.SIGNALS,
            STALE,
            scan=Where("createdAt", "<", now - SIGNAL_MAX_AGE),
        )
    )
    steps.append(Orphans(STEP_PARTICIPANTS, names.PARTICIPANTS, EXPIRED, due, "expiresAt"))
    steps.append(Cap(names.CDRS, max_stored_cdrs))
    steps.append(StaleObjects(OBJECT_PREFIX, now - OBJECT_MAX_AGE))
    return Plan(now, idle_before, max_stored_cdrs, meeting_idle_hours, tuple(steps))
