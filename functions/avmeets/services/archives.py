"""``archive`` and ``upload_object``: what a member's organisation opted in to storing.

Every store re-checks, on the server, ``org_storage.may_store``: the room was told at the
member's join (``storedBy``) and the organisation opts in now. The caller stores only its own
chat messages and its own attendance, so nobody can put words in another person's mouth, and
a private message is stored only when its addressee is a stored member of the same
organisation: nothing of a participant whose organisation did not opt in is ever stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import UTC, datetime

from .. import clock, org_storage
from ..errors import FailedPrecondition, PermissionDenied
from ..meetings import Caller, join_record_id
from ..payloads import Archive, UploadObject
from ..protocol import (
    OBJECT_STORAGE_KIND,
    ArchiveResult,
    ErrorReason,
    StorageKind,
    UploadObjectResult,
)
from ..store import archives as store
from ..store import core, objects
from ..store import meetings as meeting_store
from ..store.documents import ArchiveDoc, AttendanceItem, ChatItem
from . import quotas
from .common import expiry

#: Estimated bytes of a chat archive's items per document: Firestore's 1 MiB less room for the
#: document's other fields.
CHAT_DOC_MAX_BYTES = 1_000_000


def _not_allowed(kind: str) -> FailedPrecondition:
    return FailedPrecondition(
        f"Your organisation does not store {kind} in this meeting; nothing was stored.",
        reason=ErrorReason.NOT_ALLOWED_BY_POLICY,
    )


def _member(caller: Caller, meeting_id: str, kind: StorageKind) -> dict[str, object]:
    """The caller's participant document, if ``kind`` of the caller may be stored now."""
    quotas.check_probes(caller.uid)
    quotas.found_or_probe(caller.uid, meeting_store.meeting_exists(meeting_id) or None)
    me = meeting_store.participant(meeting_id, caller.uid).doc
    if me is None:
        raise PermissionDenied("Only participants can store anything of a meeting.")
    if not org_storage.may_store(me, caller.org_id, caller.org, kind):
        raise _not_allowed(kind)
    return dict(me)


def archive(caller: Caller, body: Archive) -> ArchiveResult:
    me = _member(caller, body.meeting_id, body.kind)
    quotas.charge_archive(caller.uid)
    assert caller.org_id is not None  # may_store holds
    now = clock.now()
    base = {
        "orgId": caller.org_id,
        "meetingId": body.meeting_id,
        "archivedBy": caller.uid,
        "createdAt": now,
        "expiresAt": expiry(now, caller.org),
    }
    if body.kind == "attendance":
        session = str(me.get("session") or "")
        item: AttendanceItem = {
            "uid": caller.uid,
            "displayName": str(me.get("displayName") or ""),
            "session": session,
            "joinedAt": me.get("joinedAt"),  # type: ignore[typeddict-item]
            "leftAt": me.get("leftAt"),  # type: ignore[typeddict-item]
        }
        if body.engagement is not None and org_storage.may_store(
            me, caller.org_id, caller.org, "engagement"
        ):
            item["engagement"] = body.engagement
        attendance: ArchiveDoc = {**base, "kind": "attendance", "items": [item]}  # type: ignore[typeddict-item]
        # One record per session: sent again (at leave, after a reload) it is replaced.
        archive_id = "attendance_" + join_record_id(body.meeting_id, caller.uid, session)
        store.put_archive(archive_id, attendance)
        return {"archiveId": archive_id, "items": 1, "skipped": 0}

    items: list[ChatItem] = []
    skipped = 0
    addressees: dict[str, dict[str, object] | None] = {}
    for message in body.messages:
        to = message.get("to")
        to_name: str | None = None
        if to is not None:
            if to not in addressees:
                doc = meeting_store.participant(body.meeting_id, to).doc
                addressees[to] = dict(doc) if doc is not None else None
            addressee = addressees[to]
            if not org_storage.may_store(addressee, caller.org_id, caller.org, "chat"):
                skipped += 1
                continue
            to_name = str((addressee or {}).get("displayName") or "")
        items.append(
            {
                "fromUid": caller.uid,
                "fromName": str(me.get("displayName") or ""),
                "to": to,
                "toName": to_name,
                "text": message["text"],
                "at": datetime.fromtimestamp(message["at"] / 1000, UTC),
            }
        )
    if not items:
        return {"archiveId": None, "items": 0, "skipped": skipped}
    # The parser bounds the text; the names and ids the server adds can take a full batch past
    # Firestore's 1 MiB a document, so a large batch is stored as several documents. Their ids
    # come from the batch, so a repeat of it (the client's retry after a lost answer) stores
    # nothing twice.
    parts = org_storage.split_by_size(items, CHAT_DOC_MAX_BYTES)
    ids = org_storage.chat_archive_ids(caller.uid, body.meeting_id, body.messages, len(parts))
    for archive_id, part in zip(ids, parts, strict=True):
        store.create_archive_once(archive_id, {**base, "kind": "chat", "items": part})  # type: ignore[typeddict-item]
    return {"archiveId": ids[0], "items": len(items), "skipped": skipped}


def _object_id(uid: str, body: UploadObject) -> str:
    """A new random id; with a ``requestId``, the same id for the same request of the caller
    (so a repeat after a lost answer finds the object it opened)."""
    if body.request_id is None:
        return secrets.token_hex(12)
    key = "\0".join((uid, body.meeting_id, body.request_id, body.kind, body.name, str(body.size)))
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def upload_object(caller: Caller, body: UploadObject, origin: str | None) -> UploadObjectResult:
    """Open a resumable upload session for one object of an opted-in member. Its document is
    written first, so the purge deletes the object at the organisation's retention even when
    the upload finishes later or never."""
    me = _member(caller, body.meeting_id, OBJECT_STORAGE_KIND[body.kind])
    if me.get("state") != "joined":
        raise FailedPrecondition("Join the meeting to upload to it.", reason=ErrorReason.NOT_JOINED)
    assert caller.org_id is not None
    kind = OBJECT_STORAGE_KIND[body.kind]
    if kind in org_storage.SHOWS_EVERYONE:
        # Everyone who has been in the meeting (left or not): a recording or a board may show
        # any of them, and nothing of a person whose organisation did not opt in is stored.
        others = org_storage.not_stored(
            meeting_store.participants(body.meeting_id), caller.org_id, caller.org, kind
        )
        if others:
            raise FailedPrecondition(
                f"This {body.kind} may show {', '.join(others)}, whose {kind} your "
                "organisation may not store; nothing was stored.",
                reason=ErrorReason.NOT_ALLOWED_BY_POLICY,
            )
    object_id = _object_id(caller.uid, body)
    # Under its organisation, named by the server: never a client-chosen name.
    path = objects.object_path(caller.org_id, body.meeting_id, body.kind, object_id)
    if body.request_id is not None and store.archive_exists(object_id):
        # A repeat of an upload already opened (its answer was lost): the same object, in a
        # new session; nothing else is written or charged.
        url = objects.open_upload(path, body.content_type, body.size, origin)
        return {"objectId": object_id, "uploadUrl": url}
    quotas.charge_upload(caller.uid)
    now = clock.now()
    doc: ArchiveDoc = {
        "orgId": caller.org_id,
        "meetingId": body.meeting_id,
        "kind": body.kind,
        "archivedBy": caller.uid,
        "createdAt": now,
        "items": [],
        "object": {
            "path": path,
            "name": body.name,
            "contentType": body.content_type,
            "size": body.size,
        },
        "expiresAt": expiry(now, caller.org),
    }
    # The same request, repeated at the same moment: one document.
    with contextlib.suppress(*core.LOST_RACE):
        store.create_archive(doc, object_id)
    url = objects.open_upload(path, body.content_type, body.size, origin)
    return {"objectId": object_id, "uploadUrl": url}
