"""``my_data`` and ``delete_me``: everything the server keeps about the caller, and deleting it.

Which records stay when a person deletes their data, and why, is decided in ``avmeets.my_data``
(and written down in docs/data-inventory.md); this module finds the records and carries it out.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from .. import accounts, clock, meetings
from .. import my_data as decide
from ..config import settings
from ..meetings import Caller
from ..protocol import DeleteMeResult, MyDataResult, MyRecord, StoredIn
from ..store import names
from ..store import subject as store
from .leaves import close_participant

log = logging.getLogger("avmeets")


@dataclass
class Found:
    """The caller's records, and the documents ``delete_me`` would delete."""

    records: list[MyRecord] = field(default_factory=list)
    #: (where, path) of each document that goes at once.
    doomed: list[tuple[StoredIn, str]] = field(default_factory=list)


def _find(uid: str) -> Found:
    found = Found()
    names_used: set[str] = set()
    account = accounts.account(uid)
    if account is not None:
        found.records.append(decide.account(account, settings().retention_days))
        names_used.add(str(account.get("displayName") or ""))
    ident = store.identity(uid)
    if ident is not None:
        found.records.append(decide.identity(uid, ident))
        found.doomed.append(("identities", store.path(names.IDENTITIES, uid)))
        names_used.add(str(ident.get("name") or ""))
    meeting_ids: set[str] = set()
    for doc_id, join in store.joins_of(uid):
        found.records.append(decide.join(doc_id, join))
        found.doomed.append(("joins", store.path(names.JOINS, doc_id)))
        meeting_ids.add(join["meetingId"])
    going: set[str] = set()
    for meeting_id, meeting in store.meetings_created_by(uid):
        others = store.others_joined(meeting_id, uid)
        found.records.append(decide.meeting(meeting_id, meeting, others))
        if not others:
            going.add(meeting_id)
    for meeting_id, participant in store.participations(uid):
        found.records.append(decide.participant(meeting_id, participant))
        meeting_ids.add(meeting_id)
        names_used.add(str(participant.get("displayName") or ""))
        ref = f"{names.MEETINGS}/{meeting_id}/{names.PARTICIPANTS}/{uid}"
        found.doomed.append(("participants", ref))
    for leg in store.legs_of(uid):
        record = decide.leg(leg, uid)
        if record is not None:
            found.records.append(record)
            meeting_ids.add(leg["meetingId"])
    for doc_id, archive in store.archives_of(meeting_ids, uid):
        record = decide.archive(doc_id, archive, uid, names_used)
        if record is not None:
            found.records.append(record)
    for doc_id, counter in store.counters_of(uid, meeting_ids):
        record = decide.counter(doc_id, counter)
        found.records.append(record)
        if record["onDelete"] == "deleted":
            found.doomed.append(("quotas", store.path(names.QUOTAS, doc_id)))
    for doc_id, attempt in store.attempts_of(uid):
        found.records.append(decide.attempt(doc_id, attempt))
        found.doomed.append(("join_attempts", store.path(names.JOIN_ATTEMPTS, doc_id)))
    found.records = decide.ordered(found.records)
    # A meeting that goes takes its participants, signals and password hash with it (the
    # meeting document last, so that a run that dies midway finds it again).
    found.doomed += [
        ("meetings", p) for meeting_id in sorted(going) for p in store.meeting_paths(meeting_id)
    ]
    return found


def my_data(caller: Caller) -> MyDataResult:
    now = clock.now()
    return {
        "uid": caller.uid,
        "retrievedAt": decide.iso(now) or "",
        "retentionDays": settings().retention_days,
        "records": _find(caller.uid).records,
    }


def delete_me(caller: Caller, signed_in_at: datetime | None) -> DeleteMeResult:
    """Leave every meeting, delete what can go now, keep the rest until it expires.

    Each step is idempotent and the account goes last, so a run that dies midway is finished
    by calling again (still signed in).
    """
    decide.check_recent_sign_in(signed_in_at, clock.now())
    for meeting_id, participant in store.participations(caller.uid):
        if participant.get("state") == meetings.JOINED:
            close_participant(meeting_id, caller.uid, None, "left")
    found = _find(caller.uid)
    store.delete_paths(path for _, path in found.doomed)
    counted = Counter(
        where
        for where, path in found.doomed
        # A meeting counts once, not its participants, signals and password hash.
        if where != "meetings" or (path.startswith(f"{names.MEETINGS}/") and path.count("/") == 1)
    )
    account_deleted = accounts.delete_account(caller.uid)
    if account_deleted:
        counted["auth"] += 1
    kept = [r for r in found.records if r["onDelete"] == "kept"]
    log.info(
        "delete_me: uid=%s deleted %d documents, kept %d until expiry",
        caller.uid,
        sum(counted.values()),
        len(kept),
        extra={"uid": caller.uid, "deleted": dict(counted), "kept": len(kept)},
    )
    return {
        "deleted": [{"storedIn": where, "count": n} for where, n in sorted(counted.items())],
        "kept": kept,
        "accountDeleted": account_deleted,
    }
