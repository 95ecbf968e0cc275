"""What the server keeps about one person, as that person sees it (pure).

``my_data`` shows every record about the caller, field by field, with the date the purge
deletes it; ``delete_me`` deletes what can go at once and keeps, until its normal expiry, what
must stay. What stays, and why (docs/data-inventory.md, "Your own data"):

* **connection legs** (``cdrs``) in which the person is a party: a leg is also the *other*
  person's record of the call, the one record a lawful request may ask for, and the product
  keeps it a week at most. The caller sees their own side and the other side's display name
  only (never the other person's email, phone, address or statistics);
* **organisation archives** (``archives``) that include them: their organisation's record,
  kept under its opt-in policy until it expires (a week at most);
* **meetings they created that others are still in**: deleted when the meeting ends or goes
  idle, at its ``expiresAt`` at the latest.

* **the daily count of connection legs they made** (``quotas``, kind ``legs``): it goes with
  those legs (the purge sheds the heaviest accounts' legs first under load).

Everything else goes at once: the identity, the join records (the legs keep what a lawful
request needs of them), participant entries, meetings nobody else is in, password-attempt
counters, the other quota counters, and the Firebase Auth account.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from .display_names import account_name
from .errors import FailedPrecondition
from .protocol import ErrorReason, MyRecord, OnDelete, StoredField, StoredIn
from .quota import LEGS_KIND

#: ``delete_me`` needs a sign-in at most this long ago (a fresh Google sign-in, not a tab
#: left open): it cannot be undone.
RECENT_SIGN_IN: Final = timedelta(minutes=15)
#: Leg fields that are not the caller's to see: the other party's uid and the trigger's ids.
_LEG_HIDDEN: Final = frozenset({"uids", "signalEvents", "caller", "callee"})

WHY_LEG: Final = (
    "It is also {other}'s record of this connection. It stays for lawful requests until it "
    "expires, a week at most after the call."
)
WHY_ARCHIVE: Final = (
    "Your organisation chose to store {kind} of its meetings; this is its record, kept under "
    "its policy until it expires."
)
WHY_LEGS_COUNT: Final = (
    "It counts the call records you made that day, which stay until they expire; under load "
    "the records of the accounts that made the most go first. It expires with them."
)
WHY_MEETING: Final = (
    "Others are still in this meeting. It is deleted when it ends or goes idle, at the date "
    "shown at the latest."
)


def iso(value: Any) -> str | None:
    """A timestamp as ISO 8601 UTC with ``Z``; None for anything else."""
    if not isinstance(value, datetime):
        return None
    when = value if value.tzinfo else value.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, default=str, ensure_ascii=False)


def flatten(value: Mapping[str, Any], prefix: str = "") -> list[StoredField]:
    """Every leaf of a document, keys sorted: maps by dots, lists of maps by ``[n]``."""
    out: list[StoredField] = []
    for key in sorted(value, key=str):
        item = value[key]
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(item, Mapping):
            out += flatten(item, path)
        elif isinstance(item, list) and any(isinstance(x, Mapping) for x in item):
            for n, element in enumerate(item):
                if isinstance(element, Mapping):
                    out += flatten(element, f"{path}[{n}]")
                else:
                    out.append({"field": f"{path}[{n}]", "value": _text(element)})
        else:
            out.append({"field": path, "value": _text(item)})
    return out


def _record(
    stored_in: StoredIn,
    doc_id: str,
    data: Mapping[str, Any],
    *,
    at: Any,
    on_delete: OnDelete = "deleted",
    why: str = "",
    other_name: str | None = None,
    delete_after: Any = None,
) -> MyRecord:
    meeting = data.get("meetingId")
    return {
        "storedIn": stored_in,
        "id": doc_id,
        "meetingId": meeting if isinstance(meeting, str) else None,
        "at": iso(at),
        "otherName": other_name,
        "fields": flatten(data),
        "deleteAfter": iso(delete_after if delete_after is not None else data.get("expiresAt")),
        "onDelete": on_delete,
        "why": why,
    }


def identity(uid: str, doc: Mapping[str, Any]) -> MyRecord:
    return _record("identities", uid, doc, at=doc.get("lastSignInAt"))


def join(doc_id: str, doc: Mapping[str, Any]) -> MyRecord:
    return _record("joins", doc_id, doc, at=doc.get("joinedAt"))


def participant(meeting_id: str, doc: Mapping[str, Any]) -> MyRecord:
    return _record(
        "participants",
        f"{meeting_id}/{doc.get('uid')}",
        {"meetingId": meeting_id, **doc},
        at=doc.get("joinedAt"),
    )


def attempt(doc_id: str, doc: Mapping[str, Any]) -> MyRecord:
    meeting_id = doc_id.split("_", 1)[0]
    data = {"meetingId": meeting_id, **doc}
    return _record("join_attempts", doc_id, data, at=doc.get("windowStartedAt"))


def counter(doc_id: str, doc: Mapping[str, Any]) -> MyRecord:
    """A quota counter about the caller: it goes, except the count of connection records they
    made, which stays with those records (the purge sheds the heaviest accounts' first)."""
    subject = str(doc.get("subject") or "")
    data = {"meetingId": subject.split(":", 1)[0], **doc} if ":" in subject else dict(doc)
    if doc.get("kind") == LEGS_KIND:
        return _record(
            "quotas", doc_id, data, at=doc.get("window"), on_delete="kept", why=WHY_LEGS_COUNT
        )
    return _record("quotas", doc_id, data, at=doc.get("window"))


def meeting(meeting_id: str, doc: Mapping[str, Any], others_joined: bool) -> MyRecord:
    data = {"meetingId": meeting_id, **doc}
    if others_joined:
        return _record(
            "meetings", meeting_id, data, at=doc.get("createdAt"), on_delete="kept", why=WHY_MEETING
        )
    return _record("meetings", meeting_id, data, at=doc.get("createdAt"))


def other_name(side: Any) -> str:
    """The other party as the meeting showed them: their display name, nothing more."""
    side = side if isinstance(side, Mapping) else {}
    uid = side.get("uid") if isinstance(side.get("uid"), str) else ""
    name, email, phone = (side.get(k) for k in ("name", "email", "phone"))
    return account_name(
        name if isinstance(name, str) else None,
        uid or "unknown",
        email=email if isinstance(email, str) else None,
        phone=phone if isinstance(phone, str) else None,
    )


def _own_side(side: Any) -> dict[str, Any]:
    """The caller's side of a leg, less the other party's address in its connection path (the
    remote end: its kind and candidate type stay)."""
    own = dict(side) if isinstance(side, Mapping) else {}
    path = own.get("path")
    if isinstance(path, Mapping) and isinstance(path.get("remote"), Mapping):
        remote = {k: v for k, v in path["remote"].items() if k not in ("ip", "ipInfo")}
        own["path"] = {**path, "remote": remote}
    return own


def leg(doc: Mapping[str, Any], uid: str) -> MyRecord | None:
    """A leg the caller is a party of: its own fields, the caller's side, the other's name."""
    roles = [r for r in ("caller", "callee") if (doc.get(r) or {}).get("uid") == uid]
    if not roles:
        return None
    mine = roles[0]
    other = "callee" if mine == "caller" else "caller"
    data: dict[str, Any] = {k: v for k, v in doc.items() if k not in _LEG_HIDDEN}
    data[mine] = _own_side(doc.get(mine))
    if len(roles) == 2:  # a leg with oneself (two tabs): both sides are the caller's
        data[other] = doc.get(other) or {}
    name = other_name(doc.get(other))
    return _record(
        "cdrs",
        str(doc.get("legId") or ""),
        data,
        at=doc.get("startedAt"),
        on_delete="kept",
        why=WHY_LEG.format(other=name),
        other_name=name,
    )


def archive(doc_id: str, doc: Mapping[str, Any], uid: str, names: Iterable[str]) -> MyRecord | None:
    """An organisation archive that includes the caller: archived by them, or holding their
    attendance, chat messages they wrote or private messages to them. Only those items are
    shown. (``names``: the caller's names, kept for the signature's callers.)"""
    listed = doc.get("items")
    items: list[Any] = listed if isinstance(listed, list) else []
    mine = [
        item
        for item in items
        if isinstance(item, Mapping)
        and uid in (item.get("uid"), item.get("fromUid"), item.get("to"))
    ]
    if not mine and doc.get("archivedBy") != uid:
        return None
    data = {k: v for k, v in doc.items() if k not in ("items", "archivedBy")}
    data["archivedBy"] = "you" if doc.get("archivedBy") == uid else "another participant"
    data["items"] = mine
    kind = str(doc.get("kind") or "data")
    return _record(
        "archives",
        doc_id,
        data,
        at=doc.get("createdAt"),
        on_delete="kept",
        why=WHY_ARCHIVE.format(kind="chats" if kind == "chat" else kind),
    )


def account(info: Mapping[str, Any], retention_days: int) -> MyRecord:
    """The Firebase Auth account; deleted by the purge once idle for the retention period."""
    times = [info.get(k) for k in ("createdAt", "lastLoginAt", "lastRefreshAt")]
    last = max((t for t in times if isinstance(t, datetime)), default=None)
    until = last + timedelta(days=retention_days) if last is not None else None
    return _record(
        "auth", str(info.get("uid") or ""), info, at=info.get("lastLoginAt"), delete_after=until
    )


def check_recent_sign_in(auth_time: datetime | None, now: datetime) -> None:
    """``delete_me`` only right after a sign-in (``RECENT_SIGN_IN``)."""
    if auth_time is None or now - auth_time > RECENT_SIGN_IN:
        minutes = int(RECENT_SIGN_IN.total_seconds() // 60)
        raise FailedPrecondition(
            f"Sign in again to delete your data (a sign-in in the last {minutes} minutes).",
            reason=ErrorReason.RECENT_SIGN_IN_REQUIRED,
        )


def ordered(records: Iterable[MyRecord]) -> list[MyRecord]:
    """The account and identity first, then everything else newest first."""
    rank = {"auth": 0, "identities": 1}
    listed = list(records)
    listed.sort(key=lambda r: r["at"] or "", reverse=True)
    listed.sort(key=lambda r: rank.get(r["storedIn"], 2))
    return listed
