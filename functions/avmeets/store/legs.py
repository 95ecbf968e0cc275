"""Connection legs of the CDR (``cdrs``): the writers' reads and conditional writes, what a new
leg records about its two ends, and the operator's export query."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.field_path import FieldPath

from .. import cdr_export
from ..cdr_export import ExportQuery
from . import meetings, names
from .core import Versioned, client, data, typed, unchanged_since, versioned
from .documents import (
    EarlyAnswer,
    IdentityDoc,
    JoinRecordDoc,
    LegDoc,
    MeetingDoc,
    ParticipantDoc,
)

#: Firestore's limit on the values of one ``in`` / ``array-contains-any`` filter.
_MAX_DISJUNCTION = 30


def _leg(leg_id: str) -> firestore.DocumentReference:
    ref: firestore.DocumentReference = client().collection(names.CDRS).document(leg_id)
    return ref


def leg(leg_id: str) -> Versioned[LegDoc]:
    return versioned(_leg(leg_id).get(), LegDoc)


def leg_between(first_id: str, second_id: str) -> tuple[str, Versioned[LegDoc]] | None:
    """The leg stored under ``first_id`` or else ``second_id`` (the two directions of one pair
    of sessions), with its id; None when neither exists. One round trip."""
    refs = [_leg(first_id), _leg(second_id)]
    got = {snap.id: snap for snap in client().get_all(refs)}
    for leg_id in (first_id, second_id):
        snap = got.get(leg_id)
        if snap is not None and snap.exists:
            return leg_id, versioned(snap, LegDoc)
    return None


def create_leg(doc: LegDoc) -> None:
    """Create a new leg; raises (a lost race) when another writer created it first."""
    _leg(doc["legId"]).create(data(doc))


def update_leg(doc: LegDoc, version: Any) -> None:
    """Write the leg, only if it is unchanged since ``version`` (else a lost race raises)."""
    _leg(doc["legId"]).update(data(doc), option=unchanged_since(version))


@dataclass(frozen=True)
class LegEnds:
    """What a new leg records about its two ends, read in one round trip."""

    caller_identity: IdentityDoc | None
    callee_identity: IdentityDoc | None
    caller_join: JoinRecordDoc | None
    callee_join: JoinRecordDoc | None
    meeting: MeetingDoc | None


def ends(
    meeting_id: str, caller_join_id: str, callee_join_id: str, uids: tuple[str, str]
) -> LegEnds:
    db = client()
    refs = [
        db.collection(names.IDENTITIES).document(uids[0]),
        db.collection(names.IDENTITIES).document(uids[1]),
        db.collection(names.JOINS).document(caller_join_id),
        db.collection(names.JOINS).document(callee_join_id),
        db.collection(names.MEETINGS).document(meeting_id),
    ]
    got = {snap.reference.path: snap for snap in db.get_all(refs)}
    a, b, ja, jb, m = (got.get(r.path) for r in refs)
    return LegEnds(
        caller_identity=typed(a, IdentityDoc) if a is not None else None,
        callee_identity=typed(b, IdentityDoc) if b is not None else None,
        caller_join=typed(ja, JoinRecordDoc) if ja is not None else None,
        callee_join=typed(jb, JoinRecordDoc) if jb is not None else None,
        meeting=typed(m, MeetingDoc) if m is not None else None,
    )


@dataclass(frozen=True)
class MadeLeg:
    """What the maker of a leg reads back once it is made, in one round trip: whether its two
    sessions are still there, and an answer to its offer kept meanwhile on the callee's join
    record."""

    participants: dict[str, ParticipantDoc | None]
    callee_join: JoinRecordDoc | None


def made(meeting_id: str, uids: tuple[str, str], callee_join_id: str) -> MadeLeg:
    db = client()
    refs = meetings.participant_refs(meeting_id, uids)
    join = db.collection(names.JOINS).document(callee_join_id)
    got = {snap.reference.path: snap for snap in db.get_all([*refs, join])}
    return MadeLeg(
        participants=meetings.participants_by_uid(uids, refs, got),
        callee_join=typed(got[join.path], JoinRecordDoc),
    )


def note_early_answer(join_record_id: str, offerer_session: str, answer: EarlyAnswer) -> None:
    """Keep on the answerer's join record an answer seen before its leg existed (the
    record is gone: nothing to keep it for)."""
    ref = client().collection(names.JOINS).document(join_record_id)
    with contextlib.suppress(gexc.NotFound):
        ref.update({FieldPath("earlyAnswers", offerer_session).to_api_repr(): answer})


def count_legs(meeting_id: str, uids: list[str]) -> int:
    """Legs so far between these two users (``uids`` sorted) in the meeting."""
    query: Any = (
        client()
        .collection(names.CDRS)
        .where(filter=FieldFilter("meetingId", "==", meeting_id))
        .where(filter=FieldFilter("uids", "==", uids))
        .count()
    )
    return int(query.get()[0][0].value)


def count_meeting_legs(meeting_id: str, since: datetime) -> int:
    """Legs of the meeting started at ``since`` or later (an aggregation: one read per
    thousand legs, where a counter would be a write per leg)."""
    query: Any = (
        client()
        .collection(names.CDRS)
        .where(filter=FieldFilter("meetingId", "==", meeting_id))
        .where(filter=FieldFilter("startedAt", ">=", since))
        .count()
    )
    return int(query.get()[0][0].value)


def open_legs(meeting_id: str, uid: str, states: tuple[str, ...]) -> list[Versioned[LegDoc]]:
    """The legs of the meeting in which ``uid`` takes part and whose state is in ``states``,
    each with its version (so that ending it needs no second read)."""
    query = (
        client()
        .collection(names.CDRS)
        .where(filter=FieldFilter("meetingId", "==", meeting_id))
        .where(filter=FieldFilter("uids", "array_contains", uid))
        .where(filter=FieldFilter("state", "in", list(states)))
    )
    return [versioned(s, LegDoc) for s in query.stream()]


# --- the operator's export (avmeets cdr export) ------------------------------------------------


def probe(db: firestore.Client, *, timeout: float) -> None:
    """One cheap read without retries: raises at once when Firestore cannot be used."""
    list(db.collection(names.CDRS).select([]).limit(1).stream(retry=None, timeout=timeout))


def find_legs(db: firestore.Client, query: ExportQuery) -> list[dict[str, Any]]:
    """The matching legs, each a document's data plus ``id``, sorted by ``startedAt`` then id."""
    cdrs = db.collection(names.CDRS)
    found: dict[str, dict[str, Any]] = {}

    def collect(q: Any) -> list[dict[str, Any]]:
        q = _time_range(q, query.since, query.until)
        out = []
        for snapshot in q.stream():
            leg = {"id": snapshot.id, **(snapshot.to_dict() or {})}
            found.setdefault(snapshot.id, leg)
            out.append(leg)
        return out

    if query.meeting_id is not None:
        collect(cdrs.where(filter=FieldFilter("meetingId", "==", query.meeting_id)))
        return cdr_export.sort_legs(found.values())

    assert query.user is not None
    user = query.user.strip()
    if not cdr_export.is_email(user):
        collect(cdrs.where(filter=FieldFilter("uids", "array_contains", user)))
        return cdr_export.sort_legs(found.values())

    # An email: legs carry a copy of each side's email (the identity may have expired before the
    # leg), and the identities resolve it to uids whose legs may lack the email.
    target = cdr_export.normalise_email(user)
    variants = cdr_export.email_variants(user)
    uids: set[str] = set()
    identities = db.collection(names.IDENTITIES).where(filter=FieldFilter("email", "in", variants))
    for snapshot in identities.select(["uid", "email"]).stream():
        uids.add(str((snapshot.to_dict() or {}).get("uid") or snapshot.id))
    for side in cdr_export.SIDES:
        for found_leg in collect(cdrs.where(filter=FieldFilter(f"{side}.email", "in", variants))):
            party = found_leg.get(side)
            if isinstance(party, Mapping) and isinstance(party.get("uid"), str):
                uids.add(party["uid"])
    ordered = sorted(uids)
    for start in range(0, len(ordered), _MAX_DISJUNCTION):
        chunk = ordered[start : start + _MAX_DISJUNCTION]
        collect(cdrs.where(filter=FieldFilter("uids", "array_contains_any", chunk)))
    matching = (x for x in found.values() if cdr_export.leg_matches_user(x, target, uids))
    return cdr_export.sort_legs(matching)


def _time_range(q: Any, since: datetime | None, until: datetime | None) -> Any:
    if since is not None:
        q = q.where(filter=FieldFilter("startedAt", ">=", since))
    if until is not None:
        q = q.where(filter=FieldFilter("startedAt", "<", until))
    return q
