"""The quotas that take too long to use up in a test (a day's legs, an hour's joins of a meeting),
with their counts brought to the limit first, as a long flood would leave them.

The counters are the documents of docs/data-inventory.md (`quotas/{kind}~{subject}~{window}`);
the windows of now and of a minute from now are both filled, so the test cannot straddle two.
A meeting's joins are counted on the meeting document (`joinsSince`, `joins`) and its legs
from the record (`cdrs`): those tests set those, and keep clear of the window's end.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from google.cloud import firestore

from avmeets import cdr
from avmeets.protocol import Quotas

from .support.actors import Actor
from .support.admin import settled_dump
from .support.deadline import wait_for
from .support.factories import Actors
from .support.refusals import database_unchanged, refused
from .support.room import Room

STAMPS = {"minute": "m%Y%m%d%H%M", "hour": "h%Y%m%d%H", "day": "d%Y%m%d"}
LENGTHS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


def window_start(at: datetime, window: str) -> datetime:
    return {
        "minute": at.replace(second=0, microsecond=0),
        "hour": at.replace(minute=0, second=0, microsecond=0),
        "day": at.replace(hour=0, minute=0, second=0, microsecond=0),
    }[window]


async def fill(admin: firestore.AsyncClient, kind: str, subject: str, window: str, n: int) -> None:
    now = datetime.now(UTC)
    for at in (now, now + timedelta(minutes=1)):
        start = window_start(at, window)
        doc_id = f"{kind}~{subject}~{start.strftime(STAMPS[window])}"
        await (
            admin.collection("quotas")
            .document(doc_id)
            .set(
                {
                    "kind": kind,
                    "subject": subject,
                    "window": start,
                    "count": n,
                    "expiresAt": start + timedelta(days=8),
                }
            )
        )


async def clear_of_window_end(window: str, margin: float = 90.0) -> datetime:
    """The start of the current window, once at least ``margin`` seconds of it are left."""
    while True:
        now = datetime.now(UTC)
        start = window_start(now, window)
        left = (start + LENGTHS[window] - now).total_seconds()
        if left >= margin:
            return start
        await asyncio.sleep(left + 1)


async def told_over_legs(r: Room, who: Actor, admin: firestore.AsyncClient) -> None:
    """Wait until the signal trigger has told ``who`` its offer was over a leg quota (on a cold
    functions emulator the trigger starts seconds after the write), then until it is done.

    Done means the database outside the record has settled (the tests then read the meeting's
    legs): a whole dump lists every leg's subcollections, which with a day's 3,000 planted legs
    took longer per read than settling allows on a slow machine."""

    async def told() -> bool:
        limit = (await r.participant(who)).get("signalLimit")
        return isinstance(limit, dict) and limit.get("reason") == "legs"

    await wait_for(told, timeout=30.0, what=f"{who.uid} told it is over a leg quota")
    await settled_dump(admin, heartbeats=False, exclude=("cdrs",))


async def pair(actors: Actors, admin: firestore.AsyncClient) -> tuple[Room, Actor, Actor]:
    """Alice's meeting with Alice and Mallory joined."""
    alice, mallory = await actors("alice"), await actors("mallory")
    r = Room(await alice.create_meeting(), admin)
    await r.join(alice)
    await r.join(mallory)
    return r, alice, mallory


async def test_leg_quota_of_an_account(actors: Actors, admin: firestore.AsyncClient) -> None:
    """Mallory has made her day's legs: a new connection's offer is deleted, nothing recorded,
    and she is told on her participant document."""
    r, alice, mallory = await pair(actors, admin)
    await fill(admin, "legs", mallory.uid, "day", Quotas.LEGS_PER_DAY)
    await r.send(mallory, alice, "offer")
    await told_over_legs(r, mallory, admin)
    assert await r.legs() == {}
    assert await r.pending(mallory, alice) == 0
    # Alice, within her quota, still connects to Mallory: the quota is Mallory's, not the pair's.
    await r.send(alice, mallory, "offer")
    await r.wait_leg(alice, mallory)


async def test_leg_quota_of_a_meeting(actors: Actors, admin: firestore.AsyncClient) -> None:
    """The meeting has its day's legs in the record: a new connection's offer makes none."""
    r, alice, mallory = await pair(actors, admin)
    await clear_of_window_end("day")
    now = datetime.now(UTC)
    batches = []
    for first in range(0, Quotas.MEETING_LEGS_PER_DAY, 500):
        batch = admin.batch()
        batches.append(batch)
        for n in range(first, min(first + 500, Quotas.MEETING_LEGS_PER_DAY)):
            leg = cdr.new_leg(
                r.meeting_id,
                cdr.side_info(f"u{n}", f"s{n}a", None, None),
                cdr.side_info(f"v{n}", f"s{n}b", None, None),
                seq=1,
                now=now,
                expires_at=now + timedelta(days=1),
            )
            batch.set(admin.collection("cdrs").document(leg["legId"]), dict(leg))
    await asyncio.gather(*(b.commit() for b in batches))
    await r.send(mallory, alice, "offer")
    await told_over_legs(r, mallory, admin)
    assert r.leg_id(mallory, alice) not in await r.legs()
    assert await r.pending(mallory, alice) == 0


async def meeting_with_joins(admin: firestore.AsyncClient, meeting_id: str, joins: int) -> None:
    """The meeting's join count of this hour, as that many joins would have left it."""
    since = await clear_of_window_end("hour")
    await (
        admin.collection("meetings")
        .document(meeting_id)
        .update({"joinsSince": since, "joins": joins})
    )


async def test_join_quota_of_a_meeting(actors: Actors, admin: firestore.AsyncClient) -> None:
    alice, bob = await actors("alice"), await actors("bob")
    meeting_id = await alice.create_meeting()
    await alice.join(meeting_id)
    await meeting_with_joins(admin, meeting_id, Quotas.MEETING_JOINS_PER_HOUR)
    async with database_unchanged(admin):
        error = await refused(bob.join(meeting_id), "RESOURCE_EXHAUSTED", "rate-limited")
    assert 0 < error.details["retryAfterSeconds"] <= 3600


async def test_join_quota_of_a_meeting_holds_under_a_burst(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """One join short of the hour's limit, three join at once: the count rides on the join's
    own serialised write of the meeting, so exactly one gets in."""
    alice = await actors("alice")
    meeting_id = await alice.create_meeting()
    await alice.join(meeting_id)
    await meeting_with_joins(admin, meeting_id, Quotas.MEETING_JOINS_PER_HOUR - 1)
    others = [await actors(name) for name in ("bob", "carol", "dave")]
    outcomes = await asyncio.gather(*(o.join(meeting_id) for o in others), return_exceptions=True)
    admitted = [o.uid for o, out in zip(others, outcomes, strict=True) if isinstance(out, dict)]
    refusals = [out for out in outcomes if not isinstance(out, dict)]
    assert len(admitted) == 1, f"admitted {admitted}"
    for error in refusals:
        assert getattr(error, "reason", None) == "rate-limited", error
    meeting = (await admin.collection("meetings").document(meeting_id).get()).to_dict() or {}
    assert meeting["joins"] == Quotas.MEETING_JOINS_PER_HOUR


async def test_daily_quotas_of_an_account(actors: Actors, admin: firestore.AsyncClient) -> None:
    alice, mallory = await actors("alice"), await actors("mallory")
    meeting_id = await alice.create_meeting()
    await fill(admin, "meetings", mallory.uid, "day", Quotas.MEETINGS_PER_DAY)
    await fill(admin, "joins", mallory.uid, "day", Quotas.JOINS_PER_DAY)
    async with database_unchanged(admin):
        await refused(mallory.create_meeting(), "RESOURCE_EXHAUSTED", "rate-limited")
        await refused(mallory.join(meeting_id), "RESOURCE_EXHAUSTED", "rate-limited")
