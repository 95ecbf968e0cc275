"""``archive``: chat or attendance, stored only where the caller's organisation opted in."""

from __future__ import annotations

from datetime import UTC, datetime

from .. import clock
from ..errors import FailedPrecondition, PermissionDenied
from ..meetings import Caller
from ..payloads import Archive
from ..protocol import ArchiveResult, ErrorReason
from ..store import archives as store
from ..store import meetings as meeting_store
from ..store.documents import ArchiveDoc, AttendanceItem, ChatItem
from . import quotas
from .common import expiry


def archive(caller: Caller, body: Archive) -> ArchiveResult:
    quotas.check_probes(caller.uid)
    quotas.found_or_probe(caller.uid, meeting_store.meeting_exists(body.meeting_id) or None)
    if meeting_store.participant(body.meeting_id, caller.uid).doc is None:
        raise PermissionDenied("Only participants can archive a meeting.")
    org_id, org = caller.org_id, caller.org
    allowed = bool(((org or {}).get("storage") or {}).get(body.kind))
    if org_id is None or not allowed:
        raise FailedPrecondition(
            f"Your organisation does not allow storing {body.kind}; nothing was stored.",
            reason=ErrorReason.NOT_ALLOWED_BY_POLICY,
        )
    now = clock.now()
    items: list[ChatItem] | list[AttendanceItem]
    if body.kind == "chat":
        chat: list[ChatItem] = [
            {
                "from": m["from"],
                "text": m["text"],
                "at": datetime.fromtimestamp(m["at"] / 1000, UTC),
            }
            for m in body.messages
        ]
        items = chat
    else:
        attendance: list[AttendanceItem] = [
            {
                "uid": p.get("uid"),
                "displayName": p.get("displayName"),
                "joinedAt": p.get("joinedAt"),
                "leftAt": p.get("leftAt"),
            }
            for p in meeting_store.participants(body.meeting_id)
        ]
        items = attendance
    doc: ArchiveDoc = {
        "orgId": org_id,
        "meetingId": body.meeting_id,
        "kind": body.kind,
        "archivedBy": caller.uid,
        "createdAt": now,
        "items": items,
        "expiresAt": expiry(now, org),
    }
    return {"archiveId": store.create_archive(doc), "items": len(items)}
