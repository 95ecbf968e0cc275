"""The database holds nothing that docs/data-inventory.md does not list.

After a full meeting (password, a wrong guess, trickle and non-trickle peers, heartbeats, a reload,
a leave, a knock admitted and one waiting, a co-host, a removal and the end for everyone) every
document of the emulator is walked, and each field path must be one of the
inventory's rows for the collection the document belongs to. Field paths use dots for maps, `[]`
for list elements and `{name}` for a map key chosen at run time, as in the inventory.
"""

from __future__ import annotations

from google.cloud import firestore

from .support.admin import settled_dump
from .support.callables import CallableError
from .support.deadline import wait_for
from .support.factories import Actors, Peers
from .support.hosts import host_action
from .support.inventory import INVENTORY, field_paths, parse_inventory, undocumented
from .support.mesh import check_chat, describe, wait_full_mesh

PASSWORD = "inventory"


def test_inventory_parser_reads_the_document() -> None:
    inventory = parse_inventory(INVENTORY.read_text(encoding="utf-8"))
    for collection in ("meetings/{meetingId}", "identities/{uid}", "cdrs/{legId}"):
        assert collection in inventory, sorted(inventory)
    _, cdr_fields = inventory["cdrs/{legId}"]
    assert any(p.fullmatch("caller.stats.connect.rttMs") for p in cdr_fields)
    assert not any(p.fullmatch("caller.stats.connect.secret") for p in cdr_fields)
    paths = field_paths({"a": {"b": 1, "c": [{"d": 2}]}, "uids": ["x", "y"], "e": {}, "f": []})
    assert paths == ["a.b", "a.c[].d", "uids"]


async def test_database_holds_only_what_the_inventory_lists(
    peers: Peers, actors: Actors, admin: firestore.AsyncClient
) -> None:
    inventory = parse_inventory(INVENTORY.read_text(encoding="utf-8"))
    alice, bob = await peers("alice"), await peers("bob")
    carol = await peers("carol", trickle=True)
    meeting_id = await alice.create_meeting(title="Inventory", password=PASSWORD)
    for peer in (alice, bob, carol):
        await peer.join(meeting_id, password=PASSWORD)
    await wait_full_mesh([alice, bob, carol])
    await check_chat([alice, bob, carol])

    # A stranger guessing the password leaves an attempt counter behind.
    mallory = await actors("mallory")
    try:
        await mallory.join(meeting_id, "guess")
    except CallableError as error:
        assert error.reason == "wrong-password", error
    for peer in (alice, bob, carol):
        await peer.call("heartbeat", {"meetingId": meeting_id})

    during = await settled_dump(admin)

    # Carol reloads (a new session), then Bob leaves.
    await carol.close()
    await carol.join(meeting_id, password=PASSWORD)
    await wait_full_mesh([alice, bob, carol])
    await bob.leave()
    await wait_for(
        lambda: bob.uid not in alice.links and bob.uid not in carol.links,
        timeout=15.0,
        what="Alice and Carol to drop Bob",
        describe=lambda: describe([alice, bob, carol]),
    )
    # The host runs the meeting: a lobby, a knock let in and one left waiting, a co-host, a
    # removal, the end for everyone.
    dora, erin = await actors("dora"), await actors("erin")
    await host_action(alice, meeting_id, "lobby-on")
    await dora.knock(meeting_id, password=PASSWORD, display_name="Dora D.")
    await erin.knock(meeting_id, password=PASSWORD)
    await host_action(alice, meeting_id, "admit", dora.uid)
    await dora.join(meeting_id, PASSWORD)
    await host_action(alice, meeting_id, "lock")
    await host_action(alice, meeting_id, "make-cohost", carol.uid)
    await host_action(alice, meeting_id, "remove", dora.uid)
    hosted = await settled_dump(admin)
    await host_action(alice, meeting_id, "end")
    after = await settled_dump(admin)

    collections = {path.split("/")[0] for path in after}
    assert {"meetings", "identities", "joins", "cdrs", "meeting_secrets", "join_attempts"} <= (
        collections
    ), collections
    assert any("/lobby/" in path for path in hosted), "no knock was stored"
    problems = [
        *undocumented(during, inventory),
        *undocumented(hosted, inventory),
        *undocumented(after, inventory),
    ]
    assert not problems, "fields missing from docs/data-inventory.md:\n" + "\n".join(
        sorted(set(problems))
    )
