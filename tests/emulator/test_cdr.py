"""The Call Data Record of a two-peer call: one leg, connecting, connected, then ended."""

from __future__ import annotations

from typing import Any

from google.cloud import firestore

from .support.admin import Dump, dump_all, leg_when, matching, sides_are
from .support.callables import USER_AGENT
from .support.factories import Peers
from .support.mesh import check_chat, describe, wait_full_mesh


def _legs(dump: Dump) -> dict[str, dict[str, Any]]:
    return {path: data for path, data in dump.items() if path.startswith("cdrs/")}


async def test_call_detail_record_of_a_call(peers: Peers, admin: firestore.AsyncClient) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    meeting_id = await alice.create_meeting(title="CDR")
    await alice.join(meeting_id)
    await bob.join(meeting_id)
    await wait_full_mesh([alice, bob])
    await check_chat([alice, bob])

    leg_id = f"{meeting_id}_{bob.session}_{alice.session}"  # Bob offered: he is the caller

    def connected(leg: dict[str, Any]) -> bool:
        # The leg is answered by the first `connected` report; wait for the other side's too,
        # and for the answer's trigger, which the functions emulator can run after both
        # reports (the first of a trigger after a cold start): it puts the callee's
        # `connecting` in front of its report.
        answered = leg.get("state") == "connected" and bool(leg["callee"].get("iceUfrag"))
        return answered and sides_are(leg, "connected")

    leg = await leg_when(
        admin,
        leg_id,
        connected,
        what="to be connected on both sides",
        describe=lambda: describe([alice, bob]),
    )
    assert leg["meetingId"] == meeting_id
    assert sorted(leg["uids"]) == sorted([alice.uid, bob.uid])
    assert leg["caller"]["uid"] == bob.uid and leg["caller"]["session"] == bob.session
    assert leg["callee"]["uid"] == alice.uid and leg["callee"]["session"] == alice.session
    assert leg["caller"]["ip"] == bob.ip and leg["callee"]["ip"] == alice.ip
    assert leg["answeredAt"] is not None
    for side in ("caller", "callee"):
        assert leg[side]["status"] == "connected"
        assert [t["status"] for t in leg[side]["timeline"]] == ["connecting", "connected"]
        assert leg[side]["stats"]["connect"]["localCandidateType"] == "host"
        assert leg[side]["userAgent"] == USER_AGENT

    await bob.leave()

    # Bob reports `closed` as he leaves; Alice when she sees him gone.
    leg = await leg_when(
        admin,
        leg_id,
        lambda leg: leg.get("state") == "ended" and sides_are(leg, "closed"),
        what="to end, closed by both sides",
        describe=lambda: describe([alice, bob]),
    )
    assert leg["disposition"] == "ANSWERED"
    assert leg["endCause"] == "hangup"
    assert leg["endedAt"] >= leg["answeredAt"] >= leg["startedAt"]
    dump = await dump_all(admin)
    assert len(_legs(dump)) == 1, "one connection makes one leg"
    for side in ("caller", "callee"):
        assert "end" in leg[side]["stats"]

    joins = matching(dump, "joins")
    bob_join = joins[f"joins/{meeting_id}_{bob.uid}_{bob.session}"]
    alice_join = joins[f"joins/{meeting_id}_{alice.uid}_{alice.session}"]
    assert bob_join["ip"] == bob.ip and bob_join["userAgent"] == USER_AGENT
    assert bob_join["leftAt"] is not None and bob_join["endCause"] == "left"
    assert alice_join["ip"] == alice.ip and alice_join["leftAt"] is None
