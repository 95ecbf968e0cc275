"""The connection's own addresses in the CDR (issue 15): each side reports both ends of its
selected candidate pair; the leg keeps public ones with their country and network (the fixture
GeoIP databases, as for the join IP), private and mDNS ones only as such, and refuses addresses
no connection can use without changing anything.

Actors join from fixture public addresses (`X-Forwarded-For`); Alice's connection runs over
another network than her join (a split tunnel), which the leg records, not refuses.
"""

from __future__ import annotations

from typing import Any

import pytest
from google.cloud import firestore

from tests.fixtures.geoip_db import FIXTURE_NETWORKS

from .support.admin import dump_all
from .support.factories import Actors
from .support.inventory import load_inventory, undocumented
from .support.refusals import database_unchanged, refused
from .support.room import Room

GB, SE, US = FIXTURE_NETWORKS[0], FIXTURE_NETWORKS[1], FIXTURE_NETWORKS[2]
MDNS = "1f0e8c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b.local"


def end(address: str, kind: str) -> dict[str, str]:
    return {"address": address, "candidateType": kind}


async def test_both_sides_connection_addresses_with_country_and_network(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    alice, bob = await actors("alice", ip=GB.sample), await actors("bob", ip=SE.sample)
    r = Room(await alice.create_meeting(title="Paths"), admin)
    await r.join(alice)
    await r.join(bob)
    await r.send(alice, bob, "offer")
    leg_id = await r.wait_leg(alice, bob)

    # Alice's call leaves through a relay in another network than her join (split tunnel);
    # Bob's is his own public address, and he sees Alice's relay. Alice's view of Bob is his
    # reflexive address; Bob's view of her relay is the relay.
    await r.report(
        alice, bob, "connected", stats={"bytesSent": 1},
        path={"local": end(US.sample, "relay"), "remote": end(SE.sample, "srflx")},
    )  # fmt: skip
    await r.report(
        bob, alice, "connected", role="callee",
        path={"local": end(SE.sample, "srflx"), "remote": end(US.sample, "relay")},
    )  # fmt: skip
    leg = await r.leg(leg_id)
    assert leg is not None
    caller, callee = leg["caller"]["path"], leg["callee"]["path"]
    assert caller["local"] == {
        "candidateType": "relay",
        "kind": "public",
        "ip": US.sample,
        "ipInfo": US.expected,
        "sameAsJoinIp": False,
    }
    assert caller["remote"] == {
        "candidateType": "srflx", "kind": "public", "ip": SE.sample, "ipInfo": SE.expected
    }  # fmt: skip
    assert callee["local"]["ipInfo"] == SE.expected and callee["local"]["sameAsJoinIp"] is True
    assert callee["remote"]["ipInfo"] == US.expected
    # The join IPs stay beside them.
    assert leg["caller"]["ip"] == GB.sample and leg["callee"]["ip"] == SE.sample

    # An ICE restart onto the home network: private and mDNS ends are kept only as such.
    await r.report(
        alice, bob, "connected",
        path={"local": end("192.168.1.20", "host"), "remote": end(MDNS, "host")},
    )  # fmt: skip
    leg = await r.leg(leg_id)
    assert leg is not None
    assert leg["caller"]["path"]["local"] == {"candidateType": "host", "kind": "private"}
    assert leg["caller"]["path"]["remote"] == {"candidateType": "host", "kind": "mdns"}
    assert "192.168.1.20" not in repr(leg) and MDNS not in repr(leg)
    assert undocumented(await dump_all(admin), load_inventory()) == []


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ({"local": end("224.0.0.251", "srflx"), "remote": end(SE.sample, "host")}, "local"),
        ({"local": end(MDNS, "relay"), "remote": end(SE.sample, "host")}, "local"),
        ({"local": end(GB.sample, "srflx"), "remote": end("evil.example", "host")}, "remote"),
        ({"local": end(GB.sample, "srflx")}, ""),
    ],
)  # fmt: skip
async def test_impossible_addresses_are_refused_and_change_nothing(
    actors: Actors, admin: firestore.AsyncClient, path: dict[str, Any], field: str
) -> None:
    alice, bob = await actors("alice", ip=GB.sample), await actors("bob", ip=SE.sample)
    r = Room(await alice.create_meeting(), admin)
    await r.join(alice)
    await r.join(bob)
    await r.send(alice, bob, "offer")
    await r.wait_leg(alice, bob)
    async with database_unchanged(admin):
        error = await refused(r.report(alice, bob, "connected", path=path), "INVALID_ARGUMENT")
    assert error.details["field"] == (f"path.{field}.address" if field else "path")
