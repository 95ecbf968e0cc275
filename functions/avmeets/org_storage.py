"""What an organisation stores of its members in a meeting: plain data in, plain data out.

The rule the whole organisation edition rests on: something of a participant is stored only when

1. the participant's organisation opted in to that kind when they joined (``storedBy``, fixed at
   the join and shown to everyone in the room), and
2. the organisation still opts in to it now (its policy is re-read at every store), and
3. it goes into that organisation's store only.

A participant whose organisation did not opt in has ``storedBy: null``: nothing of them is ever
stored, whoever archives. The checks below take the documents and policies as read; the
services read them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from .protocol import STORAGE_KINDS, StorageKind, StorageNotice, StoredBy
from .store.documents import OrgDoc

T = TypeVar("T")


def opted_in(org: OrgDoc | Mapping[str, Any] | None) -> list[StorageKind]:
    """The kinds ``org`` opts in to now, in the protocol's order (``engagement`` only with
    ``attendance``: engagement is sent with attendance and means nothing without it)."""
    storage = (org or {}).get("storage") or {}
    kinds = [kind for kind in STORAGE_KINDS if storage.get(kind) is True]
    if "attendance" not in kinds and "engagement" in kinds:
        kinds.remove("engagement")
    return kinds


def stored_by(org_id: str | None, org: OrgDoc | None) -> StoredBy | None:
    """A joining member's ``storedBy``: None when nothing of them would be stored."""
    kinds = opted_in(org)
    if org_id is None or org is None or not kinds:
        return None
    return {"orgId": org_id, "orgName": str(org.get("name") or org_id), "kinds": kinds}


def of_participant(participant: Mapping[str, Any] | None) -> StoredBy | None:
    """The ``storedBy`` of a participant document (None when absent, null or malformed)."""
    if participant is None:
        return None
    value = participant.get("storedBy")
    if not isinstance(value, Mapping) or not isinstance(value.get("orgId"), str):
        return None
    kinds = [k for k in value.get("kinds") or [] if k in STORAGE_KINDS]
    return {"orgId": value["orgId"], "orgName": str(value.get("orgName") or ""), "kinds": kinds}


def may_store(
    participant: Mapping[str, Any] | None,
    org_id: str | None,
    org: OrgDoc | None,
    kind: StorageKind,
) -> bool:
    """May ``kind`` of this participant go into ``org_id``'s store now? Only if the room was
    told so at their join (``storedBy``) and the organisation still opts in."""
    shown = of_participant(participant)
    return (
        shown is not None
        and org_id is not None
        and shown["orgId"] == org_id
        and kind in shown["kinds"]
        and kind in opted_in(org)
    )


def notices(participants: Iterable[Mapping[str, Any]]) -> list[StorageNotice]:
    """The organisations storing something of their members among ``participants``, with how
    many members each (the lobby's notice; no names before joining)."""
    by_org: dict[str, StorageNotice] = {}
    for participant in participants:
        shown = of_participant(participant)
        if shown is None or not shown["kinds"]:
            continue
        notice = by_org.setdefault(
            shown["orgId"], {"orgName": shown["orgName"], "kinds": [], "members": 0}
        )
        notice["members"] += 1
        notice["kinds"] = [k for k in STORAGE_KINDS if k in notice["kinds"] or k in shown["kinds"]]
    return sorted(by_org.values(), key=lambda n: n["orgName"])


#: Objects that show everyone in the meeting, not only their uploader: a recording shows every
#: tile, a whiteboard holds everyone's strokes (with no author).
SHOWS_EVERYONE = ("recordings", "whiteboard")


def not_stored(
    participants: Iterable[Mapping[str, Any]], org_id: str | None, org: OrgDoc | None,
    kind: StorageKind,
) -> list[str]:  # fmt: skip
    """The display names of the participants (everyone who has been in the meeting) whose
    ``kind`` may not go into ``org_id``'s store: a recording or board that may show them must
    not be stored."""
    return sorted(
        str(p.get("displayName") or p.get("uid") or "")
        for p in participants
        if not may_store(p, org_id, org, kind)
    )


def item_size(item: Mapping[str, Any]) -> int:
    """Firestore's size of a map of strings, timestamps and nulls (its storage-size rules:
    each field name and string is its UTF-8 bytes + 1, a timestamp 8, a null 1, a map 32)."""
    size = 32
    for key, value in item.items():
        size += len(key.encode()) + 1
        size += len(value.encode()) + 1 if isinstance(value, str) else 8
    return size


def split_by_size(items: list[T], limit: int) -> list[list[T]]:
    """``items`` in order, cut into runs whose ``item_size`` totals stay within ``limit``."""
    parts: list[list[T]] = [[]]
    used = 0
    for item in items:
        size = item_size(item)  # type: ignore[arg-type]
        if parts[-1] and used + size > limit:
            parts.append([])
            used = 0
        parts[-1].append(item)
        used += size
    return parts


def chat_archive_ids(
    uid: str, meeting_id: str, messages: Sequence[Mapping[str, Any]], parts: int
) -> list[str]:
    """The ids of a chat batch's ``parts`` archive documents: the same caller, meeting and
    messages give the same ids, so a batch sent again (a repeat after a lost answer, or two
    attempts at once) finds the archive it already made instead of storing it twice."""
    canonical = json.dumps(
        [uid, meeting_id, [[m["text"], m["at"], m.get("to")] for m in messages]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    key = "chat_" + hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return [key if n == 0 else f"{key}_{n}" for n in range(parts)]
