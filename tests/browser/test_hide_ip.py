"""Privacy mode, "hide my IP address from the other participants": relay-only ICE through the
TURN relay that join_meeting hands out (a coturn on the island's loopback, conftest.py
`fresh_relay`: restarted for each test).

What the other browser learns of a relay-only participant is read from its own RTCPeerConnection
(the remote candidates it was given, and the pair it uses) and from the signal documents as an
admin listener saw them: only relay candidates, on coturn's relay ports, with no related address.
The same reading finds the host candidates of a participant who did not ask for it, so it can
fail. The call data record says, per side, that the leg was relayed.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import expect

from tests.emulator.support import coturn
from tests.emulator.support.admin import admin_client, dump_all, matching
from tests.emulator.support.deadline import wait_for
from tests.emulator.support.signal_watch import watch_signals

from .conftest import PersonFactory
from .support import Person

_REMOTE_CANDIDATES = """(uid) => (async () => {
    const link = window.__avmeets.currentView().meeting.links.get(uid);
    const report = await link.pc.getStats();
    const all = [...report.values()];
    const pair = all.find((s) => s.type === "transport" && s.selectedCandidatePairId);
    const selected = pair ? report.get(pair.selectedCandidatePairId) : null;
    return {
        remote: all.filter((s) => s.type === "remote-candidate").map((s) => ({
            type: s.candidateType, address: s.address, port: s.port,
            relatedAddress: s.relatedAddress ?? null })),
        selectedRemote: selected ? report.get(selected.remoteCandidateId)?.candidateType : null,
        selectedLocal: selected ? report.get(selected.localCandidateId)?.candidateType : null,
    };
})()"""


SWITCH = "Hide my IP address from the other participants"


def _relay_ports(relay: coturn.Coturn | None) -> range:
    """The ports coturn relays from (tests/emulator/support/coturn.py)."""
    if relay is None:
        pytest.fail(
            "no TURN relay: run the browser tests with nox (TURN_URLS, coturn)", pytrace=False
        )
    return range(relay.port + 1, relay.port + coturn.RELAY_PORTS + 1)


async def _seen(person: Person, uid: str) -> dict[str, Any]:
    return dict(await person.page.evaluate(_REMOTE_CANDIDATES, uid))


def _candidate_fields(line: str) -> dict[str, str]:
    # candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
    fields = line.removeprefix("candidate:").split()
    out = {"address": fields[4], "port": fields[5], "type": fields[fields.index("typ") + 1]}
    if "raddr" in fields:
        out["raddr"] = fields[fields.index("raddr") + 1]
    return out


async def test_hidden_ip_reveals_only_the_relay(
    people: PersonFactory, fresh_relay: coturn.Coturn | None
) -> None:
    relay_ports = _relay_ports(fresh_relay)
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title="Private")
    switch = alice.page.get_by_role("switch", name=SWITCH)
    await expect(switch).not_to_be_checked()
    await switch.check()
    async with watch_signals(meeting_id) as watch:
        await alice.join_now()
        await expect(alice.page.locator(".privacy-badge")).to_contain_text("IP hidden")
        await bob.join(meeting_id)
        await alice.wait_connected(bob)
        await bob.wait_connected(alice)
        await bob.wait_video(alice)
        await alice.wait_video(bob)
        await alice.screenshot("ip-hidden")

        # Bob's browser knows Alice only by the relay: every candidate it got is coturn's.
        seen = await _seen(bob, alice.uid)
        assert seen["remote"], seen
        for candidate in seen["remote"]:
            assert candidate["type"] == "relay", seen
            assert candidate["port"] in relay_ports, (candidate, relay_ports)
            assert candidate["relatedAddress"] in (None, "", "0.0.0.0"), candidate
        assert seen["selectedRemote"] == "relay", seen
        # The control: Alice's browser sees Bob's own (host) candidates, so this reading can fail.
        assert any(c["type"] == "host" for c in (await _seen(alice, bob.uid))["remote"])

        # What Alice wrote to Firestore for Bob: relay candidates only, none in the SDP.
        sent = [life.data for life in watch.lives if life.sender == alice.uid]
        assert any(s["type"] == "candidates" for s in sent), watch.describe()
        for signal in sent:
            if signal["type"] in ("offer", "answer"):
                assert "a=candidate:" not in signal["sdp"], signal["sdp"]
            for entry in signal.get("candidates") or []:
                if not entry["candidate"]:
                    continue  # the end-of-candidates marker
                fields = _candidate_fields(entry["candidate"])
                assert fields["type"] == "relay", entry
                assert int(fields["port"]) in relay_ports, entry
                assert fields.get("raddr") in (None, "0.0.0.0"), entry

    # The call data record: Alice's side of the leg went through the relay.
    client = admin_client()

    async def relayed_leg() -> bool:
        legs = matching(await dump_all(client), "cdrs").values()
        return any(_side(leg, alice.uid).get("stats", {}).get("connect") for leg in legs)

    await wait_for(relayed_leg, timeout=20.0, what="the CDR leg with Alice's connect stats")
    (leg,) = matching(await dump_all(client), "cdrs").values()
    mine = _side(leg, alice.uid)
    assert mine["stats"]["connect"]["localCandidateType"] == "relay", leg
    assert mine["relayed"] is True and leg["relayed"] is True, leg

    async def bob_reported() -> bool:
        legs = list(matching(await dump_all(client), "cdrs").values())
        return _side(legs[0], bob.uid).get("relayed") is not None

    await wait_for(bob_reported, timeout=20.0, what="Bob's side of the leg with its stats")
    (leg,) = matching(await dump_all(client), "cdrs").values()
    assert _side(leg, bob.uid)["relayed"] is False, leg  # Bob did not hide: his end is direct


def _side(leg: dict[str, Any], uid: str) -> dict[str, Any]:
    for side in ("caller", "callee"):
        if leg.get(side, {}).get("uid") == uid:
            return dict(leg[side])
    return {}


async def test_organisation_policy_hides_everyone(
    people: PersonFactory, fresh_relay: coturn.Coturn | None
) -> None:
    """An organisation that requires it: the switch is on and locked, both sides relay-only."""
    relay_ports = _relay_ports(fresh_relay)
    client = admin_client()
    # The test people's addresses are @example.com (support.py).
    await (
        client.collection("orgs")
        .document("example")
        .set({"name": "Example", "domains": ["example.com"], "privacy": {"relayOnly": True}})
    )
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title="Policy")
    switch = alice.page.get_by_role("switch", name=SWITCH)
    await expect(switch).to_be_checked()
    await expect(switch).to_be_disabled()
    await expect(alice.page.get_by_text("Your organisation requires it.")).to_be_visible()
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    for me, other in ((alice, bob), (bob, alice)):
        seen = await _seen(me, other.uid)
        assert seen["remote"] and all(c["type"] == "relay" for c in seen["remote"]), seen
        assert all(c["port"] in relay_ports for c in seen["remote"]), seen
        assert seen["selectedLocal"] == "relay" and seen["selectedRemote"] == "relay", seen
    await expect(bob.page.locator(".privacy-badge")).to_contain_text("IP hidden")
