"""Quotas at work: refuse a request over a quota, or count it (``avmeets.quota`` decides).

A request over a quota is refused after one read and writes nothing; a request within it is
counted by one atomic write, whose results say whether a parallel request got there first (then
this one is refused too, and its count stays: the counter only ever over-counts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from .. import clock, quota
from ..errors import NotFound
from ..quota import Charge, Quota
from ..store import counters
from ..store.documents import CounterDoc

D = TypeVar("D")

#: What one account may do per window when it names a meeting that does not exist.
PROBES = (quota.PROBES_PER_MINUTE, quota.PROBES_PER_DAY)


def charges(subject: str, *quotas: Quota) -> list[Charge]:
    now = clock.now()
    return [Charge(q, subject, now) for q in quotas]


def check(items: list[Charge], found: Mapping[str, CounterDoc] | None = None) -> None:
    """Refuse (``ResourceExhausted``, ``rate-limited``) when a counter is at its limit
    (``found``: the counters as already read by the caller; else they are read here)."""
    if found is None:
        found = counters.read([c.counter_id for c in items])
    counts = [quota.count_of(found.get(c.counter_id), c.field) for c in items]
    over = quota.first_exhausted(items, counts)
    if over is not None:
        raise quota.refusal(over)


def _count(items: list[Charge]) -> list[int]:
    return counters.increment([(c.counter_id, c.field, c.counter()) for c in items])


def charge(items: list[Charge], found: Mapping[str, CounterDoc] | None = None) -> None:
    """``check``, then count the request against every quota (refused if it went past one).
    Counters read earlier (``found``) may be stale: the counts this write returns decide."""
    check(items, found)
    over = quota.first_exceeded(items, _count(items))
    if over is not None:
        raise quota.refusal(over)


def tally(items: list[Charge]) -> Charge | None:
    """Count without refusing (the signal trigger): the first quota this went past, if any."""
    return quota.first_exceeded(items, _count(items))


def check_probes(uid: str, found: Mapping[str, CounterDoc] | None = None) -> None:
    """Before a callable that names a meeting: an account over the probe quota is refused
    whether the meeting exists or not, so its answers tell nothing about existence."""
    check(charges(uid, *PROBES), found)


def count_probe(uid: str) -> None:
    """The account named a meeting that does not exist (refused if that was one too many)."""
    charge(charges(uid, *PROBES))


def found_or_probe(uid: str, doc: D | None) -> D:
    """The meeting document read for a callable; when there is none, the probe is counted and
    the caller told ``NotFound`` (or ``rate-limited``, if that was one probe too many)."""
    if doc is None:
        count_probe(uid)
        raise NotFound("No meeting has this id.")
    return doc


def join_charges(uid: str) -> list[Charge]:
    """The account's join quotas (the meeting's is counted on the meeting document by the
    join's commit: ``quota.meeting_joins``)."""
    return charges(uid, quota.JOINS_PER_MINUTE, quota.JOINS_PER_DAY)


def probe_counter_ids(uid: str) -> list[str]:
    return [c.counter_id for c in charges(uid, *PROBES)]


def charge_knock(uid: str, meeting_id: str) -> None:
    """A new knock: counted against the account's join quotas and the meeting's knocks."""
    charge([*join_charges(uid), *charges(meeting_id, quota.MEETING_KNOCKS_PER_HOUR)])


def charge_meeting(uid: str) -> None:
    """A new meeting: counted against the account's meeting quotas."""
    charge(charges(uid, quota.MEETINGS_PER_MINUTE, quota.MEETINGS_PER_DAY))


def charge_archive(uid: str) -> None:
    """An ``archive`` the policy allows: counted against the account's archive quota."""
    charge(charges(uid, quota.ARCHIVES_PER_MINUTE))


def charge_upload(uid: str) -> None:
    """An upload session the policy allows: counted against the account's upload quota."""
    charge(charges(uid, quota.UPLOADS_PER_DAY))
