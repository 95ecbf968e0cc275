"""An organisation's export: everything it stores, as its admins download it (``org_admin``
``export``, ``avmeets org export``). Objects are listed; their bytes are read from the bucket
by the command line."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..protocol import ExportedAttendance, ExportedChat, ExportedObject, OrgExport
from ..store import archives


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return None


def export(org_id: str) -> OrgExport:
    chat: list[ExportedChat] = []
    attendance: list[ExportedAttendance] = []
    objects: list[ExportedObject] = []
    for archive_id, doc in archives.of_org(org_id):
        kind = doc.get("kind")
        meeting_id = str(doc.get("meetingId") or "")
        if kind == "chat":
            for item in doc.get("items") or []:
                chat.append(
                    {
                        "meetingId": meeting_id,
                        "at": _iso(item.get("at")) or "",
                        "fromUid": str(item.get("fromUid") or ""),
                        "fromName": str(item.get("fromName") or ""),
                        "to": item.get("to"),  # type: ignore[typeddict-item]
                        "text": str(item.get("text") or ""),
                    }
                )
        elif kind == "attendance":
            for item in doc.get("items") or []:
                row: ExportedAttendance = {
                    "meetingId": meeting_id,
                    "uid": str(item.get("uid") or ""),
                    "displayName": str(item.get("displayName") or ""),
                    "joinedAt": _iso(item.get("joinedAt")),
                    "leftAt": _iso(item.get("leftAt")),
                }
                if isinstance(item.get("engagement"), dict):
                    row["engagement"] = item["engagement"]  # type: ignore[typeddict-item]
                attendance.append(row)
        elif kind in ("file", "recording", "whiteboard") and "object" in doc:
            obj = doc["object"]
            objects.append(
                {
                    "meetingId": meeting_id,
                    "objectId": archive_id,
                    "kind": kind,
                    "name": obj["name"],
                    "contentType": obj["contentType"],
                    "size": obj["size"],
                    "uploadedBy": str(doc.get("archivedBy") or ""),
                    "at": _iso(doc.get("createdAt")) or "",
                }
            )
    return {"chat": chat, "attendance": attendance, "objects": objects}
