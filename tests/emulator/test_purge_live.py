"""The purge at the real current time, on a real meeting's data (issue 18 item 10): everything
the product wrote for a meeting in progress and for one that just ended is unexpired, and the
purge deletes none of it — not only on the synthetic documents of test_purge.py."""

from __future__ import annotations

from datetime import UTC, datetime

from google.cloud import firestore

from avmeets import purge

from .support.admin import Dump, settled_dump
from .support.config import PROJECT_ID
from .support.deadline import wait_for
from .support.factories import Peers
from .support.mesh import wait_full_mesh

#: As test_purge.py: no cap in the way, the documented idle period.
MAX_STORED_CDRS = 1_000_000
MEETING_IDLE_HOURS = 24


def _purge(now: datetime) -> purge.PurgeReport:
    client = firestore.Client(project=PROJECT_ID)
    try:
        return purge.run(
            client,
            now,
            max_stored_cdrs=MAX_STORED_CDRS,
            meeting_idle_hours=MEETING_IDLE_HOURS,
        )
    finally:
        client.close()


def _kinds(dump: Dump) -> set[str]:
    return {path.split("/")[0] for path in dump}


async def _nothing_unexpired_deleted(admin: firestore.AsyncClient) -> None:
    """One purge at the real time; whatever it deleted had expired (a quota counter whose minute
    ended meanwhile may go: that is the purge's job), nothing else of the meeting."""
    before = await settled_dump(admin, heartbeats=False)
    now = datetime.now(UTC)
    _purge(now)
    after = await settled_dump(admin, heartbeats=False)
    gone = {path: before[path].get("expiresAt") for path in set(before) - set(after)}
    unexpired = {path: at for path, at in gone.items() if at is None or at > now}
    assert not unexpired, f"the purge at {now} deleted documents that had not expired: {unexpired}"


async def test_purge_now_deletes_nothing_of_a_live_or_just_ended_meeting(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    meeting_id = await alice.create_meeting(title="Live", password="live one")
    for peer in (alice, bob):
        await peer.join(meeting_id, password="live one")
    await wait_full_mesh([alice, bob])

    async def with_leg() -> Dump | None:
        dump = await settled_dump(admin, heartbeats=False)
        return dump if any(path.startswith("cdrs/") for path in dump) else None

    # The signal trigger makes the leg a moment after the offer.
    live = await wait_for(with_leg, timeout=30.0, what="the meeting's CDR leg")
    assert live is not None
    expected = {"meetings", "identities", "joins", "cdrs", "meeting_secrets"}
    assert expected <= _kinds(live), _kinds(live)

    await _nothing_unexpired_deleted(admin)

    await bob.leave()
    await alice.leave()
    ended = await settled_dump(admin, heartbeats=False)
    assert any(path.startswith("cdrs/") for path in ended)

    await _nothing_unexpired_deleted(admin)
