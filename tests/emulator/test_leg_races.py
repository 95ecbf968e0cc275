"""A leg deleted while the signal trigger works on it is not the trigger's error.

The purge, its owner's `delete_me` or a clean-up may delete a leg between the answer's trigger
finding it and recording the answer's ICE credentials on it. The trigger then has nothing to add
to: it must neither fail (Eventarc would redeliver the event for nothing, and CI's log showed
the NotFound) nor bring the deleted leg back.

The race is made, not waited for: the trigger's own code runs here against the emulator, with
the leg deleted right after the lookup that finds it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from google.cloud import firestore

from avmeets import db
from avmeets.services import connections

from .support.factories import Actors
from .support.room import Room


async def test_an_answer_whose_leg_was_deleted_meanwhile_is_skipped(
    actors: Actors, admin: firestore.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob = await actors("alice"), await actors("bob")
    r = Room(await alice.create_meeting(title="Leg race"), admin)
    await r.join(alice)
    await r.join(bob)
    await r.send(alice, bob, "offer")
    leg_id = await r.wait_leg(alice, bob)

    find = connections.store.leg_between
    deleted: list[str] = []

    def found_then_deleted(*ids: str) -> Any:
        found = find(*ids)
        if found is not None:
            db.client().collection("cdrs").document(found[0]).delete()
            deleted.append(found[0])
        return found

    monkeypatch.setattr(connections.store, "leg_between", found_then_deleted)
    bob_end = (bob.uid, r.sessions[bob.uid])
    alice_end = (alice.uid, r.sessions[alice.uid])
    await asyncio.to_thread(connections.record_answer, r.meeting_id, bob_end, alice_end, "efgh")

    assert deleted == [leg_id], "the race was not made"
    assert await r.leg(leg_id) is None, "the deleted leg came back"
