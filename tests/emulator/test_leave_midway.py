"""A leave that dies after its commit is finished by the client's retry.

`leave_meeting` commits the participant as left (its presence document goes with it), then ends
the legs of the session it left and drops its signals. A clean-clone CI run saw the emulator
answer one leave CANCELLED in between; the client retried, found the participant already left,
and did nothing more, so the legs stayed open for good: nothing else closes out a participant
who has left. The death is made here, not waited for: the close-out's own code runs against the
emulator with the step after the commit failing as the emulator did.
"""

from __future__ import annotations

import asyncio

import pytest
from google.api_core import exceptions as gexc
from google.cloud import firestore

from avmeets.services import leaves

from .support.deadline import wait_for
from .support.factories import Actors
from .support.room import Room


async def test_a_leave_retried_after_dying_past_its_commit_ends_the_legs_it_left_open(
    actors: Actors, admin: firestore.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob = await actors("alice"), await actors("bob")
    r = Room(await alice.create_meeting(title="Leave midway"), admin)
    await r.join(alice)
    await r.join(bob)
    await r.send(alice, bob, "offer")
    leg_id = await r.wait_leg(alice, bob)

    def died(*_: object) -> int:
        raise gexc.Cancelled("the emulator cancelled the call")

    with monkeypatch.context() as patched:
        patched.setattr(leaves, "end_session_legs", died)
        with pytest.raises(gexc.Cancelled):
            await asyncio.to_thread(leaves.close_participant, r.meeting_id, bob.uid, None, "left")
    assert (await r.participant(bob))["state"] == "left"
    leg = await r.leg(leg_id)
    assert leg is not None and leg["state"] != "ended", "the death was not made"
    assert await r.pending(alice, bob) == 1

    await r.leave(bob)  # the client's retry of the UNAVAILABLE it was answered

    async def ended() -> dict[str, object] | None:
        leg = await r.leg(leg_id)
        return leg if leg is not None and leg["state"] == "ended" else None

    leg = await wait_for(ended, timeout=10.0, what="the leg ended by the retried leave")
    assert leg is not None
    assert leg["endCause"] == "hangup", leg
    assert await r.pending(alice, bob) == 0
    # Once finished, a further leave changes nothing.
    before = await r.leg(leg_id)
    await r.leave(bob)
    assert await r.leg(leg_id) == before
