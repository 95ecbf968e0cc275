"""Knocks on a meeting's lobby (``meetings/{meetingId}/lobby/{uid}``), and the meeting-wide
writes of its hosts (lock, lobby, end)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from . import names
from .core import Versioned, client, data, unchanged_since, versioned
from .documents import LobbyDoc


def _meeting(meeting_id: str) -> firestore.DocumentReference:
    ref: firestore.DocumentReference = client().collection(names.MEETINGS).document(meeting_id)
    return ref


def _knock(meeting_id: str, uid: str) -> firestore.DocumentReference:
    ref: firestore.DocumentReference = _meeting(meeting_id).collection(names.LOBBY).document(uid)
    return ref


def knock(meeting_id: str, uid: str) -> Versioned[LobbyDoc]:
    return versioned(_knock(meeting_id, uid).get(), LobbyDoc)


def put_knock(meeting_id: str, doc: LobbyDoc, version: Any) -> None:
    """Write the knock: create it (``version`` None) or replace it if unchanged since
    ``version``; a lost race raises (the caller reads again)."""
    ref = _knock(meeting_id, doc["uid"])
    if version is None:
        ref.create(data(doc))
    else:
        ref.update(data(doc), option=unchanged_since(version))


def set_knock_state(meeting_id: str, uid: str, version: Any, fields: Mapping[str, Any]) -> None:
    """Change some fields of a knock, only if it is unchanged since ``version``."""
    _knock(meeting_id, uid).update(dict(fields), option=unchanged_since(version))


def waiting(meeting_id: str) -> list[tuple[LobbyDoc, Any]]:
    """The knocks of a meeting still waiting, with their versions."""
    query = (
        _meeting(meeting_id)
        .collection(names.LOBBY)
        .where(filter=FieldFilter("state", "==", "waiting"))
    )
    out = []
    for snap in query.stream():
        got = versioned(snap, LobbyDoc)
        if got.doc is not None:
            out.append((got.doc, got.version))
    return out


@dataclass(frozen=True)
class StaleKnock:
    meeting_id: str
    uid: str


def stale_knocks(cutoff: datetime, limit: int) -> list[StaleKnock]:
    """Waiting knocks (of any meeting) not renewed since before ``cutoff``."""
    query = (
        client()
        .collection_group(names.LOBBY)
        .where(filter=FieldFilter("state", "==", "waiting"))
        .where(filter=FieldFilter("lastSeenAt", "<", cutoff))
        .limit(limit)
    )
    return [StaleKnock(s.reference.parent.parent.id, s.id) for s in query.stream()]


def update_meeting(meeting_id: str, version: Any, fields: Mapping[str, Any]) -> None:
    """Set meeting fields (lock, lobby, state), only if the meeting is unchanged since
    ``version``: joins commit on the same precondition, so a join and a lock never cross."""
    _meeting(meeting_id).update(dict(fields), option=unchanged_since(version))
