"""The CDR of a Chromium meeting holds the addresses each side's connection used (issue 15).

Alice and Bob meet in Chromium. Each browser reports both ends of its selected candidate pair
with its `connected` stats; the leg then holds, per side, exactly the pair the browser selected
(compared with the browser's own getStats). In the test island the pair is on loopback, which
the server keeps only as "loopback", without the address (a public address would be kept with
its country and network: tests/emulator/test_connection_path.py).
"""

from __future__ import annotations

from typing import Any

from tests.emulator.support.admin import admin_client, dump_all
from tests.emulator.support.deadline import wait_for
from tests.emulator.support.inventory import load_inventory, undocumented

from .conftest import PersonFactory
from .support import selected_pair

KINDS = {"127.0.0.1": "loopback", "::1": "loopback"}


async def test_the_cdr_holds_both_sides_connection_addresses(people: PersonFactory) -> None:
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting()
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    client = admin_client()

    async def leg_with_paths() -> dict[str, Any] | None:
        legs = [d for p, d in (await dump_all(client)).items() if p.startswith("cdrs/")]
        if len(legs) == 1 and all("path" in legs[0][side] for side in ("caller", "callee")):
            return legs[0]
        return None

    leg = await wait_for(leg_with_paths, timeout=30.0, what="a leg with both sides' paths")
    for side in ("caller", "callee"):
        me, other = (alice, bob) if leg[side]["uid"] == alice.uid else (bob, alice)
        pair = await selected_pair(me, other.uid)
        path = leg[side]["path"]
        for end, address, kind in (
            ("local", pair["localAddress"], pair["localType"]),
            ("remote", pair["remoteAddress"], pair["remoteType"]),
        ):
            assert path[end]["candidateType"] == kind, (side, end, pair)
            assert path[end]["kind"] == KINDS.get(address, "public"), (side, end, pair)
            if path[end]["kind"] == "public":
                assert path[end]["ip"] == address and "countryCode" in path[end]["ipInfo"]
            else:
                assert "ip" not in path[end] and "ipInfo" not in path[end]
    assert undocumented(await dump_all(client), load_inventory()) == []
