"""One person's records across the collections (the data subject of ``my_data``/``delete_me``).

Reads find every document about a uid; deletes remove exactly the documents named. Which
records go and which stay is the service's decision (``services.my_data``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from google.cloud.firestore_v1.base_query import FieldFilter

from . import names
from .core import client, typed
from .documents import (
    ArchiveDoc,
    AttemptDoc,
    CounterDoc,
    IdentityDoc,
    JoinRecordDoc,
    LegDoc,
    MeetingDoc,
    ParticipantDoc,
)

#: Firestore's limit on the values of one ``in`` filter, and on the writes of one batch.
_MAX_IN = 30
_MAX_BATCH = 500


def identity(uid: str) -> IdentityDoc | None:
    return typed(client().collection(names.IDENTITIES).document(uid).get(), IdentityDoc)


def joins_of(uid: str) -> list[tuple[str, JoinRecordDoc]]:
    query = client().collection(names.JOINS).where(filter=FieldFilter("uid", "==", uid))
    return [(s.id, d) for s in query.stream() if (d := typed(s, JoinRecordDoc)) is not None]


def legs_of(uid: str) -> list[LegDoc]:
    query = client().collection(names.CDRS).where(filter=FieldFilter("uids", "array_contains", uid))
    return [d for d in (typed(s, LegDoc) for s in query.stream()) if d is not None]


def meetings_created_by(uid: str) -> list[tuple[str, MeetingDoc]]:
    query = client().collection(names.MEETINGS).where(filter=FieldFilter("createdBy", "==", uid))
    return [(s.id, d) for s in query.stream() if (d := typed(s, MeetingDoc)) is not None]


def participations(uid: str) -> list[tuple[str, ParticipantDoc]]:
    """The participant documents of ``uid`` in every meeting, as (meeting id, document)."""
    group = client().collection_group(names.PARTICIPANTS)
    query = group.where(filter=FieldFilter("uid", "==", uid))
    out = []
    for snapshot in query.stream():
        doc = typed(snapshot, ParticipantDoc)
        if doc is not None and snapshot.reference.parent.parent is not None:
            out.append((snapshot.reference.parent.parent.id, doc))
    return out


def others_joined(meeting_id: str, uid: str) -> bool:
    """Whether anyone but ``uid`` is joined in the meeting now."""
    query = (
        client()
        .collection(names.MEETINGS)
        .document(meeting_id)
        .collection(names.PARTICIPANTS)
        .where(filter=FieldFilter("state", "==", "joined"))
    )
    return any(s.id != uid for s in query.select([]).stream())


def archives_of(meeting_ids: Iterable[str], uid: str) -> list[tuple[str, ArchiveDoc]]:
    """Archives of the given meetings, and any archived by ``uid``."""
    found: dict[str, ArchiveDoc] = {}
    archives = client().collection(names.ARCHIVES)
    ordered = sorted(set(meeting_ids))
    for start in range(0, len(ordered), _MAX_IN):
        chunk = ordered[start : start + _MAX_IN]
        for s in archives.where(filter=FieldFilter("meetingId", "in", chunk)).stream():
            if (doc := typed(s, ArchiveDoc)) is not None:
                found[s.id] = doc
    for s in archives.where(filter=FieldFilter("archivedBy", "==", uid)).stream():
        if (doc := typed(s, ArchiveDoc)) is not None:
            found[s.id] = doc
    return sorted(found.items())


def attempts_of(uid: str) -> list[tuple[str, AttemptDoc]]:
    """The caller's password-attempt counters (ids ``{meetingId}_{uid}``).

    They hold no uid field, so the (small: each lives 30 minutes) collection is listed by name.
    """
    attempts = client().collection(names.JOIN_ATTEMPTS)
    wanted = [s.reference for s in attempts.select([]).stream() if s.id.endswith(f"_{uid}")]
    if not wanted:
        return []
    snapshots = client().get_all(wanted)
    return [(s.id, d) for s in snapshots if (d := typed(s, AttemptDoc)) is not None]


def counters_of(uid: str, meeting_ids: Iterable[str]) -> list[tuple[str, CounterDoc]]:
    """The quota counters about ``uid``: its own (subject = uid) and its signal counters in
    the given meetings (subject = ``{meetingId}:{uid}``)."""
    quotas = client().collection(names.QUOTAS)
    found: dict[str, CounterDoc] = {}
    subjects = [uid, *sorted({f"{m}:{uid}" for m in meeting_ids})]
    for start in range(0, len(subjects), _MAX_IN):
        chunk = subjects[start : start + _MAX_IN]
        for s in quotas.where(filter=FieldFilter("subject", "in", chunk)).stream():
            if (doc := typed(s, CounterDoc)) is not None:
                found[s.id] = doc
    return sorted(found.items())


def delete_paths(paths: Iterable[str]) -> int:
    """Delete the documents at ``paths`` (deleting a missing one is no error)."""
    db = client()
    listed = list(dict.fromkeys(paths))
    for start in range(0, len(listed), _MAX_BATCH):
        batch = db.batch()
        for path in listed[start : start + _MAX_BATCH]:
            batch.delete(db.document(path))
        batch.commit()
    return len(listed)


def meeting_paths(meeting_id: str) -> list[str]:
    """A meeting with everything under it and its password hash (the meeting itself last)."""
    db = client()
    ref: Any = db.collection(names.MEETINGS).document(meeting_id)
    paths = [
        s.reference.path
        for sub in (names.PARTICIPANTS, names.SIGNALS)
        for s in ref.collection(sub).select([]).stream()
    ]
    secret = db.collection(names.MEETING_SECRETS).document(meeting_id)
    return [*paths, secret.path, ref.path]


def path(collection: str, doc_id: str) -> str:
    return f"{collection}/{doc_id}"
