"""The quotas that take too long to use up in a test (a day's legs, an hour's joins of a meeting),
with their counters brought to the limit first, as a long flood would leave them.

The counters are the documents of docs/data-inventory.md (`quotas/{kind}~{subject}~{window}`);
the windows of now and of a minute from now are both filled, so the test cannot straddle two.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from google.cloud import firestore

from avmeets.protocol import Quotas

from .support.actors import Actor
from .support.admin import settled_dump
from .support.factories import Actors
from .support.refusals import database_unchanged, refused
from .support.room import Room

STAMPS = {"minute": "m%Y%m%d%H%M", "hour": "h%Y%m%d%H", "day": "d%Y%m%d"}


async def fill(admin: firestore.AsyncClient, kind: str, subject: str, window: str, n: int) -> None:
    now = datetime.now(UTC)
    for at in (now, now + timedelta(minutes=1)):
        start = {
            "minute": at.replace(second=0, microsecond=0),
            "hour": at.replace(minute=0, second=0, microsecond=0),
            "day": at.replace(hour=0, minute=0, second=0, microsecond=0),
        }[window]
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
    await settled_dump(admin, heartbeats=False)
    assert await r.legs() == {}
    assert await r.pending(mallory, alice) == 0
    limit = (await r.participant(mallory)).get("signalLimit")
    assert isinstance(limit, dict) and limit["reason"] == "legs", limit
    # Alice, within her quota, still connects to Mallory: the quota is Mallory's, not the pair's.
    await r.send(alice, mallory, "offer")
    await r.wait_leg(alice, mallory)


async def test_leg_quota_of_a_meeting(actors: Actors, admin: firestore.AsyncClient) -> None:
    r, alice, mallory = await pair(actors, admin)
    await fill(admin, "meeting-legs", r.meeting_id, "day", Quotas.MEETING_LEGS_PER_DAY)
    await r.send(mallory, alice, "offer")
    await settled_dump(admin, heartbeats=False)
    assert await r.legs() == {}


async def test_join_quota_of_a_meeting(actors: Actors, admin: firestore.AsyncClient) -> None:
    alice, bob = await actors("alice"), await actors("bob")
    meeting_id = await alice.create_meeting()
    await alice.join(meeting_id)
    await fill(admin, "meeting-joins", meeting_id, "hour", Quotas.MEETING_JOINS_PER_HOUR)
    async with database_unchanged(admin):
        error = await refused(bob.join(meeting_id), "RESOURCE_EXHAUSTED", "rate-limited")
    assert 0 < error.details["retryAfterSeconds"] <= 3600


async def test_daily_quotas_of_an_account(actors: Actors, admin: firestore.AsyncClient) -> None:
    alice, mallory = await actors("alice"), await actors("mallory")
    meeting_id = await alice.create_meeting()
    await fill(admin, "meetings", mallory.uid, "day", Quotas.MEETINGS_PER_DAY)
    await fill(admin, "joins", mallory.uid, "day", Quotas.JOINS_PER_DAY)
    async with database_unchanged(admin):
        await refused(mallory.create_meeting(), "RESOURCE_EXHAUSTED", "rate-limited")
        await refused(mallory.join(meeting_id), "RESOURCE_EXHAUSTED", "rate-limited")
