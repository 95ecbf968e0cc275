"""The CDR of a Chromium meeting holds both sides' connection addresses, with their country and
network (issue 15).

In the test island (a network namespace of our own, island.py) a veth interface gets a public
address the fixture GeoIP databases know (81.2.69.142: GB, Andrews & Arnold), and Chromium is
started without loopback ICE, so Alice's and Bob's connection runs over that address while they
joined (signalling) from 127.0.0.1. Each browser reports its selected candidate pair; the leg
must hold, for both sides, exactly the pair the browser selected (compared with its own
getStats), with the address's country and network, and record that it is not the join IP (a
split tunnel looks just like this). The traffic never leaves the island: the address is local.

The island's TURN relay (coturn on 127.0.0.1) is unreachable during the test: with it, ICE may
pair the public host candidate with a relay candidate on loopback, or stay on a relayed pair
(CI saw both), and the path would not be the public one this test is about.
"""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from tests.emulator.support import coturn
from tests.emulator.support.admin import admin_client, dump_all
from tests.emulator.support.ci import require
from tests.emulator.support.deadline import wait_for
from tests.emulator.support.inventory import load_inventory, undocumented
from tests.fixtures.geoip_db import FIXTURE_NETWORKS

from . import island as island_ns
from .conftest import PersonFactory
from .support import CHROMIUM, CHROMIUM_ARGS, selected_pair

GB = FIXTURE_NETWORKS[0]
#: Undo the support's init script, which keeps the app's candidates to loopback (support.py),
#: whichever of the two runs first (Playwright does not order them).
ALL_CANDIDATES = """
    const KEY = "avmeets:loopback-only";
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
        if (key !== KEY) setItem.call(this, key, value);
    };
    try { localStorage.removeItem(KEY); } catch (e) {}
"""
INTERFACE = "avm-public0"
PEER = "avm-public1"


@pytest.fixture
def public_address(island: bool) -> Iterator[str]:
    """A public address on an interface of the island, removed (with its route) after the test."""
    require(None if island else "no test island (network namespace) here")
    with island_ns.routed_interface(INTERFACE, PEER, GB.sample) as address:
        yield address


@pytest.fixture
def relay_unreachable(relay: coturn.Coturn | None) -> Iterator[None]:
    """The TURN relay paused (it answers nothing, so Chromium gathers no relay candidate) for
    the test, resumed after it whatever happens."""
    if relay is None:
        yield
        return
    os.kill(relay.process.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(relay.process.pid, signal.SIGCONT)


@pytest_asyncio.fixture
async def browser(public_address: str, relay_unreachable: None) -> AsyncIterator[Browser]:
    """Chromium as everywhere else, but without loopback ICE: it must use the public address."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM} (nox -s browser_tests installs it)", pytrace=False)
    args = [a for a in CHROMIUM_ARGS if a != "--allow-loopback-in-peer-connection"]
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=args, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def test_the_cdr_holds_both_sides_connection_addresses(
    public_address: str, people: PersonFactory
) -> None:
    alice = await people("alice")
    bob = await people("bob")
    for person in (alice, bob):
        # The new interface is a network change to Chromium, which may cancel a load under way.
        person.allow_console_error(r"net::ERR_NETWORK_CHANGED")
        # Every connection here runs over the public address: not only loopback candidates.
        await person.context.add_init_script(ALL_CANDIDATES)
        await person.page.reload()
    meeting_id = await alice.create_meeting()
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    client = admin_client()

    async def agreed() -> dict[str, Any] | None:
        """The leg, once both sides' recorded paths are the pairs their browsers use and those
        run over the public address (should ICE move to another pair after connecting, the
        client reports the move)."""
        legs = [d for p, d in (await dump_all(client)).items() if p.startswith("cdrs/")]
        if len(legs) != 1 or not all("path" in legs[0][side] for side in ("caller", "callee")):
            return None
        for side in ("caller", "callee"):
            me, other = (alice, bob) if legs[0][side]["uid"] == alice.uid else (bob, alice)
            pair = await selected_pair(me, other.uid)
            local = legs[0][side]["path"]["local"]
            if pair["localAddress"] != public_address or local.get("ip") != public_address:
                return None
            if local.get("candidateType") != pair["localType"]:
                return None
        return legs[0]

    leg = await wait_for(agreed, timeout=45.0, what="both recorded paths on the public address")
    for side in ("caller", "callee"):
        me, other = (alice, bob) if leg[side]["uid"] == alice.uid else (bob, alice)
        pair = await selected_pair(me, other.uid)
        assert pair["localAddress"] == public_address, pair  # the call used the public address
        path = leg[side]["path"]
        assert leg[side]["ip"] != public_address  # ... while signalling came from loopback
        assert path["local"] == {
            "candidateType": pair["localType"],
            "kind": "public",
            "ip": public_address,
            "ipInfo": GB.expected,
            "sameAsJoinIp": False,
        }
        # The remote end as it was when the browser reported it: the same, or the peer-reflexive
        # candidate it was until the other side's candidate arrived (Chromium may hide its
        # address).
        remote = path["remote"]
        assert remote["candidateType"] in (pair["remoteType"], "prflx"), (remote, pair)
        if remote["kind"] == "public":
            assert remote["ip"] == public_address and remote["ipInfo"] == GB.expected
        else:
            assert remote == {"candidateType": "prflx", "kind": "hidden"}, (remote, pair)
    assert undocumented(await dump_all(client), load_inventory()) == []
