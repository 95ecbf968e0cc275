"""The production ICE path in Chromium: no loopback switch, a real (non-loopback) interface,
STUN and TURN from the local coturn.

Every other browser test keeps WebRTC on 127.0.0.1 (the app drops every other candidate in
emulator mode, `avmeets:loopback-only`), so the code path real users take — host candidates of a
real interface, the ICE servers join_meeting hands out, TURN allocations, the pair ICE chooses —
never ran in a browser. Here the island (conftest.py: the package's own network namespace) gets
an interface with 10.77.0.1 and the default route (`island.routed_interface`), Chromium is
started without `--allow-loopback-in-peer-connection` (so it gathers no loopback host
candidates), and the app runs as in production. Alice and Bob
reach each other directly over 10.77.0.1 (which working pair each then uses is Chromium's
choice; the CDR must say which); Carol hides her IP address and connects through coturn. All of
this traffic stays in the island.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, async_playwright, expect

from tests.emulator.support import coturn
from tests.emulator.support.admin import admin_client, dump_all, matching
from tests.emulator.support.deadline import wait_for

from . import island as island_ns
from .support import CHROMIUM, CHROMIUM_ARGS, Emulators, Person

INTERFACE = "avm-prod"
PEER_END = "avm-prod-peer"
ADDRESS = "10.77.0.1"
#: Chromium as in the other tests, but without the switch that lets WebRTC use loopback.
PRODUCTION_ARGS = [a for a in CHROMIUM_ARGS if a != "--allow-loopback-in-peer-connection"]
SWITCH = "Hide my IP address from the other participants"

_CANDIDATES = """(uid) => (async () => {
    const link = window.__avmeets.currentView().meeting.links.get(uid);
    const report = await link.pc.getStats();
    const all = [...report.values()];
    const pair = all.find((s) => s.type === "transport" && s.selectedCandidatePairId);
    const selected = pair ? report.get(pair.selectedCandidatePairId) : null;
    const describe = (c) => c ? { type: c.candidateType, address: c.address, port: c.port } : null;
    return {
        local: all.filter((s) => s.type === "local-candidate").map(describe),
        remote: all.filter((s) => s.type === "remote-candidate").map(describe),
        selectedLocal: selected ? describe(report.get(selected.localCandidateId)) : null,
        selectedRemote: selected ? describe(report.get(selected.remoteCandidateId)) : null,
        pairs: all.filter((s) => s.type === "candidate-pair").map((p) => ({
            state: p.state,
            local: describe(report.get(p.localCandidateId)),
            remote: describe(report.get(p.remoteCandidateId)),
        })),
    };
})()"""


@contextlib.asynccontextmanager
async def production_chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=PRODUCTION_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def seen(person: Person, uid: str) -> dict[str, Any]:
    return dict(await person.page.evaluate(_CANDIDATES, uid))


def side(leg: dict[str, Any], uid: str) -> dict[str, Any]:
    for name in ("caller", "callee"):
        if leg.get(name, {}).get("uid") == uid:
            return dict(leg[name])
    return {}


async def test_production_ice_connects_directly_and_through_the_relay(
    island: bool,
    fresh_relay: coturn.Coturn | None,
    web_url: str,
    emulators: Emulators,
    request: pytest.FixtureRequest,
) -> None:
    if not island:
        pytest.fail("needs the browser island (root): its own interface is made there")
    if fresh_relay is None:
        pytest.fail("no TURN relay: run the browser tests with nox (TURN_URLS, coturn)")
    relay_ports = range(fresh_relay.port + 1, fresh_relay.port + coturn.RELAY_PORTS + 1)
    made: list[Person] = []
    with island_ns.routed_interface(INTERFACE, PEER_END, ADDRESS):
        async with production_chromium() as chromium:
            try:

                async def person(label: str) -> Person:
                    made.append(
                        await Person.create(
                            chromium,
                            label,
                            web_url=web_url,
                            emulators=emulators,
                            test_name=request.node.name,
                            loopback_only=False,
                        )
                    )
                    await made[-1].sign_in()
                    return made[-1]

                alice, bob, carol = (
                    await person("alice"),
                    await person("bob"),
                    await person("carol"),
                )
                meeting_id = await alice.create_meeting(title="Production ICE")
                await alice.join_now()
                await bob.join(meeting_id)
                await carol.open_link(meeting_id)
                await carol.page.get_by_role("switch", name=SWITCH).check()
                await carol.join_now()
                await expect(carol.page.locator(".privacy-badge")).to_contain_text("IP hidden")
                for me in (alice, bob, carol):
                    await me.wait_connected(*(p for p in (alice, bob, carol) if p is not me))
                await bob.wait_video(alice)
                await alice.wait_video(carol)

                # Alice and Bob: host candidates of the real interface, no loopback, and a
                # host-to-host pair whose checks succeeded: they reach each other directly.
                # (Whether the stats still list a TURN allocation nobody uses depends on when
                # Chromium prunes it; Carol's connection below proves TURN.) Which working pair
                # each browser then sends on is Chromium's choice, not the app's: two
                # clean-clone CI runs saw one side stay on the other's relay candidate (Alice's
                # relay to Bob's host; Bob's host to Alice's relay while she used host to host)
                # for all of a 30 s wait. What the app owes is a CDR that says which: checked
                # below against each browser's own selection.
                last: dict[str, Any] = {}

                async def direct_pair() -> dict[str, Any] | None:
                    for me, other in ((alice, bob), (bob, alice)):
                        last[me.label] = await seen(me, other.uid)
                    pairs = [p for view in last.values() for p in view["pairs"]]
                    works = any(
                        p["state"] == "succeeded"
                        and all(
                            end and end["type"] == "host" and end["address"] == ADDRESS
                            for end in (p["local"], p["remote"])
                        )
                        for p in pairs
                    )
                    return last["alice"] if works else None

                direct = await wait_for(
                    direct_pair,
                    timeout=20.0,
                    what="a host-to-host pair of Alice and Bob that works",
                    describe=lambda: repr(last),
                )
                local = direct["local"]
                assert any(c["type"] == "host" and c["address"] == ADDRESS for c in local), direct
                hosts = [c for c in (*local, *direct["remote"]) if c["type"] == "host"]
                assert not any(c["address"] in ("127.0.0.1", "::1") for c in hosts), direct

                # Carol hid her address: Alice knows her only by coturn's relay.
                hidden = await seen(alice, carol.uid)
                assert hidden["remote"], hidden
                assert all(c["type"] == "relay" for c in hidden["remote"]), hidden
                assert hidden["selectedRemote"]["type"] == "relay", hidden
                assert all(c["port"] in relay_ports for c in hidden["remote"]), hidden
                mine = await seen(carol, alice.uid)
                assert mine["selectedLocal"]["type"] == "relay", mine
                await alice.screenshot("production-ice")

                # The CDR, the pages still open (the reports come from them): the direct leg
                # host to host, Carol's side of hers relayed.
                client = admin_client()

                latest: list[dict[str, Any]] = []

                direct_uids = frozenset({alice.uid, bob.uid})
                selections: dict[str, tuple[str, str]] = {}

                def reported_path(leg: dict[str, Any], uid: str) -> tuple[str, str]:
                    path = side(leg, uid).get("path") or {}
                    ends = path.get("local") or {}, path.get("remote") or {}
                    return ends[0].get("candidateType", ""), ends[1].get("candidateType", "")

                async def reported() -> list[dict[str, Any]] | None:
                    legs = list(matching(await dump_all(client), "cdrs").values())
                    latest[:] = legs
                    sides = [side(leg, uid) for leg in legs for uid in leg.get("uids", [])]
                    ready = len(legs) == 3 and all(s.get("relayed") is not None for s in sides)
                    # The path each side of the direct leg reported last is the pair its
                    # browser uses now (a side whose pair changed reports the new one).
                    for me, other in ((alice, bob), (bob, alice)):
                        now = await seen(me, other.uid)
                        ends = now["selectedLocal"] or {}, now["selectedRemote"] or {}
                        selections[me.uid] = (ends[0].get("type", ""), ends[1].get("type", ""))
                    direct = [leg for leg in legs if frozenset(leg["uids"]) == direct_uids]
                    ready = ready and all(
                        reported_path(direct[0], u) == selections[u] for u in direct_uids
                    )
                    return legs if ready else None

                legs = await wait_for(
                    reported,
                    timeout=30.0,
                    what="both sides of the three legs reported, the direct one's paths as used",
                    describe=lambda: repr(
                        [
                            selections,
                            *(
                                (
                                    leg.get("uids"),
                                    [side(leg, u).get("relayed") for u in leg["uids"]],
                                    [side(leg, u).get("path") for u in leg["uids"]],
                                )
                                for leg in latest
                            ),
                        ]
                    ),
                )
                by_pair = {frozenset(leg["uids"]): leg for leg in legs}
                direct_leg = by_pair[direct_uids]
                # The connect stats are the pair selected at connection; the leg says relayed
                # exactly when one of them was.
                connects = [side(direct_leg, uid)["stats"]["connect"] for uid in direct_uids]
                through_relay = any(c.get("relayed") for c in connects)
                assert direct_leg["relayed"] is through_relay, direct_leg
                for connect in connects:
                    assert connect["relayed"] is (
                        "relay"
                        in (connect.get("localCandidateType"), connect.get("remoteCandidateType"))
                    ), direct_leg
                for other in (alice, bob):
                    leg = by_pair[frozenset({carol.uid, other.uid})]
                    assert side(leg, carol.uid)["relayed"] is True, leg
            finally:
                for p in made:
                    with contextlib.suppress(Exception):
                        await p.close()

    errors = [f"{p.label}: {e}" for p in made for e in p.console_errors]
    for p in made:
        for line in p.server_errors:
            warnings.warn(f"{p.label}: known server error: {line}", stacklevel=1)
    assert not errors, "console errors in the app:\n" + "\n".join(errors)
