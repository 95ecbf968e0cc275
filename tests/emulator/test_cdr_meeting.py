"""The CDR of a whole meeting: three legs with both ends' identities and IP details, a killed
peer closed out by the heartbeat sweep, and the organisation-policy archive.

Peers present public addresses (in `X-Forwarded-For`) that the fixture GeoIP databases know,
so each leg's `ipInfo` can be compared with `tests/fixtures/geoip_db.py`.
"""

from __future__ import annotations

from typing import Any

import pytest
from google.cloud import firestore

from tests.fixtures.geoip_db import FIXTURE_NETWORKS

from .support.admin import Dump, dump_all, settled_dump
from .support.callables import CallableError
from .support.child_peer import peer_process
from .support.deadline import wait_for
from .support.factories import Actors, Peers
from .support.mesh import describe, wait_full_mesh
from .support.orgs import acme_archiving
from .support.scheduler import run_scheduled

GB, SE, US = FIXTURE_NETWORKS[0], FIXTURE_NETWORKS[1], FIXTURE_NETWORKS[2]


def legs_of(dump: Dump, meeting_id: str) -> dict[str, dict[str, Any]]:
    return {
        path: data
        for path, data in dump.items()
        if path.startswith("cdrs/") and data.get("meetingId") == meeting_id
    }


async def test_three_peer_meeting_has_three_complete_legs(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    nets = {"alice": GB, "bob": SE, "carol": US}
    alice, bob, carol = [await peers(name, ip=net.sample) for name, net in nets.items()]
    meeting_id = await alice.create_meeting(title="CDR of three")
    for peer in (alice, bob, carol):
        await peer.join(meeting_id)
    await wait_full_mesh([alice, bob, carol])
    by_uid = {p.uid: (p, nets[p.label]) for p in (alice, bob, carol)}

    async def all_connected() -> dict[str, dict[str, Any]] | None:
        legs = legs_of(await dump_all(admin), meeting_id)
        done = len(legs) == 3 and all(
            leg["state"] == "connected"
            and all("connect" in leg[side]["stats"] for side in ("caller", "callee"))
            for leg in legs.values()
        )
        return legs if done else None

    legs = await wait_for(
        all_connected,
        timeout=30.0,
        what="3 connected legs with connect stats on both sides",
        describe=lambda: describe([alice, bob, carol]),
    )
    pairs = {frozenset(leg["uids"]) for leg in legs.values()}
    assert len(pairs) == 3, "one leg per pair of participants"
    for leg in legs.values():
        assert leg["seq"] == 1 and leg["startedAt"] <= leg["answeredAt"]
        for side in ("caller", "callee"):
            end = leg[side]
            peer, net = by_uid[end["uid"]]
            assert peer.user is not None and end["session"] == peer.session
            assert end["name"] == peer.user.name and end["email"] == peer.user.email
            assert end["provider"] == "google.com"
            assert end["ip"] == net.sample
            assert end["ipInfo"] == net.expected
            assert end["userAgent"]
            connect = end["stats"]["connect"]
            assert connect["localCandidateType"] == "host" and connect["relayed"] is False
            assert connect["protocol"] == "udp" and connect["bytesSent"] >= 0
            assert [t["status"] for t in end["timeline"]][-1] == "connected"
            # The addresses the connection used (aiortc: host candidates of this machine, kept
            # only as their kind unless public).
            path = end["path"]
            assert path["local"]["candidateType"] == path["remote"]["candidateType"] == "host"
            assert path["local"]["kind"] in ("public", "private", "reserved", "loopback"), path


async def test_killed_peer_is_closed_out_with_an_end_cause(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    alice, bob = await peers("alice", ip=GB.sample), await peers("bob", ip=SE.sample)
    meeting_id = await alice.create_meeting(title="kill")
    await alice.join(meeting_id)
    await bob.join(meeting_id)
    async with peer_process(meeting_id, "carol", US.sample, others=2) as carol:
        await carol.hello()
        await carol.wait_connected()
        await wait_for(
            lambda: alice.connected_to(carol.uid) and bob.connected_to(carol.uid),
            timeout=30.0,
            what="alice and bob connected to carol",
            describe=lambda: describe([alice, bob]),
        )
        await carol.kill()  # a crashed browser: nothing more is sent

    carol_uid, carol_session = carol.uid, carol.session
    participant = f"meetings/{meeting_id}/participants/{carol_uid}"

    async def closed_out() -> Dump | None:
        # The sweep runs every minute in production; here the test is the scheduler.
        await run_scheduled("sweep")
        dump = await dump_all(admin)
        return dump if dump[participant]["state"] == "left" else None

    dump = await wait_for(
        closed_out,
        timeout=60.0,
        interval=1.0,
        what="the sweep to close out the killed peer",
        describe=lambda: describe([alice, bob]),
    )
    assert dump is not None and dump[participant]["endCause"] == "heartbeat-timeout"
    join = dump[f"joins/{meeting_id}_{carol_uid}_{carol_session}"]
    assert join["endCause"] == "heartbeat-timeout" and join["leftAt"] is not None

    def carol_legs(d: Dump) -> list[dict[str, Any]]:
        return [leg for leg in legs_of(d, meeting_id).values() if carol_uid in leg["uids"]]

    async def legs_ended() -> list[dict[str, Any]] | None:
        legs = carol_legs(await dump_all(admin))
        return legs if len(legs) == 2 and all(x["state"] == "ended" for x in legs) else None

    ended = await wait_for(legs_ended, timeout=30.0, what="carol's two legs to end")
    for leg in ended:
        # The sweep (20 s of silence here) comes before aiortc's consent checks give up (30 s),
        # and a survivor's closing report after the close-out records the same cause.
        assert leg["endCause"] == "heartbeat-timeout", leg
        assert leg["disposition"] == "ANSWERED" and leg["connectedMs"] > 0
    # The leg between the two survivors is untouched.
    survivors = [
        leg
        for leg in legs_of(await dump_all(admin), meeting_id).values()
        if carol_uid not in leg["uids"]
    ]
    assert [leg["state"] for leg in survivors] == ["connected"]
    # The survivors dropped the dead connection once the sweep marked carol as gone.
    await wait_for(
        lambda: not alice.connected_to(carol_uid) and not bob.connected_to(carol_uid),
        timeout=30.0,
        what="alice and bob to drop carol",
    )


@pytest.mark.parametrize("policy", ["no-org", "chat-off", "attendance-only"])
async def test_archive_refused_without_opt_in_stores_nothing(
    actors: Actors, admin: firestore.AsyncClient, policy: str
) -> None:
    if policy != "no-org":
        storage = {"chat": False, "attendance": policy == "attendance-only"}
        await (
            admin.collection("orgs")
            .document("acme")
            .set({"name": "Acme", "domains": ["acme.example"], "storage": storage})
        )
    ada = await actors("ada", email="ada@acme.example")
    meeting_id = await ada.create_meeting()
    await ada.join(meeting_id)
    before = await settled_dump(admin, heartbeats=False)  # Ada heartbeats meanwhile
    with pytest.raises(CallableError) as err:
        await ada.call(
            "archive",
            {
                "meetingId": meeting_id,
                "kind": "chat",
                "messages": [{"text": "secret", "at": 1_700_000_000_000}],
            },
        )
    assert err.value.status == "FAILED_PRECONDITION"
    assert err.value.reason == "not-allowed-by-policy"
    after = await settled_dump(admin, heartbeats=False)
    assert after == before, "a refused archive stores nothing"


async def test_archive_stores_what_the_policy_allows(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    await acme_archiving(admin)
    ada = await actors("ada", email="ada@acme.example")
    meeting_id = await ada.create_meeting()
    await ada.join(meeting_id)
    msgs = [{"text": "minutes", "at": 1_700_000_000_000}]
    chat = await ada.call("archive", {"meetingId": meeting_id, "kind": "chat", "messages": msgs})
    roll = await ada.call("archive", {"meetingId": meeting_id, "kind": "attendance"})
    assert (chat["items"], roll["items"]) == (1, 1)
    dump = await dump_all(admin)
    stored = {p: d for p, d in dump.items() if p.startswith("archives/")}
    assert {d["kind"] for d in stored.values()} == {"chat", "attendance"}
    for doc in stored.values():
        assert doc["orgId"] == "acme" and doc["archivedBy"] == ada.uid
        days = (doc["expiresAt"] - doc["createdAt"]).total_seconds() / 86400
        assert days == pytest.approx(2, abs=0.01)  # the organisation's retention
