"""The database holds nothing that docs/data-inventory.md does not list.

After a full meeting (password, a wrong guess, a probe, trickle and non-trickle peers, heartbeats,
a reload, a leave, a knock admitted and one waiting, a co-host, a removal and the end for
everyone) and an organisation's archive and a member closed out by the sweep, every document of
the emulator is walked, and each field path must be one of the
inventory's rows for the collection the document belongs to. Field paths use dots for maps, `[]`
for list elements and `{name}` for a map key chosen at run time, as in the inventory.
"""

from __future__ import annotations

import asyncio

import pytest
from google.cloud import firestore

from .support.admin import Dump, auth_accounts, dump_all, settled_dump
from .support.callables import CallableError
from .support.cli import run_cli
from .support.deadline import wait_for
from .support.factories import Actors, Peers
from .support.hosts import host_action
from .support.inventory import INVENTORY, field_paths, parse_inventory, undocumented
from .support.mesh import check_chat, describe, wait_full_mesh
from .support.orgs import acme_archiving
from .support.scheduler import run_scheduled

PASSWORD = "inventory"


def test_inventory_parser_reads_the_document() -> None:
    inventory = parse_inventory(INVENTORY.read_text(encoding="utf-8"))
    for collection in ("meetings/{meetingId}", "identities/{uid}", "cdrs/{legId}"):
        assert collection in inventory, sorted(inventory)
    _, cdr_fields = inventory["cdrs/{legId}"]
    assert any(p.fullmatch("caller.stats.connect.rttMs") for p in cdr_fields)
    assert not any(p.fullmatch("caller.stats.connect.secret") for p in cdr_fields)
    # {side}, {phase} and {end} are the documented keys only, not any key.
    assert any(p.fullmatch("callee.path.remote.kind") for p in cdr_fields)
    for wrong in ("other.stats.connect.rttMs", "caller.stats.middle.rttMs", "caller.path.x.kind"):
        assert not any(p.fullmatch(wrong) for p in cdr_fields), wrong
    paths = field_paths({"a": {"b": 1, "c": [{"d": 2}]}, "uids": ["x", "y"], "e": {}, "f": []})
    assert paths == ["a.b", "a.c[].d", "uids"]


async def _settled(admin: firestore.AsyncClient) -> Dump:
    """Everything stored, once only the joined peers' beats still move (their presence
    documents' `lastSeenAt`, every 2 s each: with several peers the whole database is never
    quiet for long); the dump itself keeps those fields, so the inventory covers them."""
    await settled_dump(admin, heartbeats=False)
    return await dump_all(admin)


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

    # A stranger guessing the password leaves an attempt counter behind; guessing a meeting id
    # leaves a probe counter.
    mallory = await actors("mallory")
    with pytest.raises(CallableError) as guessed:
        await mallory.join(meeting_id, "guess")
    assert guessed.value.reason == "wrong-password", guessed.value
    with pytest.raises(CallableError) as probed:
        await mallory.join("zzz-zzzz-zzz", None)
    assert probed.value.status == "NOT_FOUND", probed.value
    for peer in (alice, bob, carol):
        await peer.call("heartbeat", {"meetingId": meeting_id})

    during = await _settled(admin)

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
    await host_action(alice, meeting_id, "restrict", what="present")
    await host_action(alice, meeting_id, "permit", carol.uid, "present")
    await host_action(alice, meeting_id, "make-cohost", carol.uid)
    await host_action(alice, meeting_id, "remove", dora.uid)
    hosted = await _settled(admin)
    await host_action(alice, meeting_id, "end")
    after = await _settled(admin)
    organised = await _an_organisation_archives_and_a_member_vanishes(actors, admin)

    collections = {path.split("/")[0] for path in organised}
    expected = {"meetings", "identities", "joins", "cdrs", "meeting_secrets", "join_attempts"}
    assert (
        expected
        | {
            "orgs",
            "org_audits",
            "archives",
            "quotas",
            "meeting_attempts",
        }
        <= collections
    ), collections
    assert any("/lobby/" in path for path in hosted), "no knock was stored"
    # Firebase Auth's accounts are stored data too: every field of every account the meeting's
    # people made (Google sign-in through the blocking functions) is one the inventory lists.
    accounts = await auth_accounts()
    assert {f"auth/{p.uid}" for p in (alice, bob, carol)} <= set(accounts), sorted(accounts)
    problems = [
        *undocumented(during, inventory),
        *undocumented(hosted, inventory),
        *undocumented(after, inventory),
        *undocumented(organised, inventory),
        *undocumented(accounts, inventory),
    ]
    assert not problems, "fields missing from docs/data-inventory.md:\n" + "\n".join(
        sorted(set(problems))
    )


async def _an_organisation_archives_and_a_member_vanishes(
    actors: Actors, admin: firestore.AsyncClient
) -> Dump:
    """The paths only an organisation's policy and the sweep write: the organisation created
    and changed by the operator (its audit), a member's storedBy, archives of chat (group and
    private), attendance with engagement and an uploaded object, a member who stops
    heartbeating closed out by the sweep."""
    await acme_archiving(admin)
    changed = await asyncio.to_thread(
        run_cli, "org", "set", "acme", "--verify-domain", "acme.example",
        "--store", "engagement=on", "--store", "files=on",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    ada = await actors("ada", email="ada@acme.example")
    bea = await actors("bea", email="bea@acme.example")
    meeting_id = await ada.create_meeting(title="Acme weekly")
    await ada.join(meeting_id)
    await bea.join(meeting_id)
    msgs = [
        {"text": "minutes", "at": 1_700_000_000_000},
        {"text": "just you", "at": 1_700_000_000_001, "to": bea.uid},
    ]
    await ada.call("archive", {"meetingId": meeting_id, "kind": "chat", "messages": msgs})
    engagement = {"visibleMs": 1, "focusedMs": 1, "cameraOnMs": 1, "micOnMs": 1}
    await ada.call(
        "archive", {"meetingId": meeting_id, "kind": "attendance", "engagement": engagement}
    )
    upload = {
        "meetingId": meeting_id,
        "kind": "file",
        "name": "a.txt",
        "contentType": "text/plain",
        "size": 1,
    }
    await ada.call("upload_object", upload)
    await bea.leave(meeting_id)
    ada.go_silent(meeting_id)
    participant = f"meetings/{meeting_id}/participants/{ada.uid}"

    async def closed_out() -> Dump | None:
        await run_scheduled("sweep")
        dump = await dump_all(admin)
        return dump if dump[participant]["endCause"] == "heartbeat-timeout" else None

    await wait_for(closed_out, timeout=60.0, interval=2.0, what="the sweep to close Ada out")
    return await _settled(admin)
