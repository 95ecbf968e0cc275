"""A person sees everything the server keeps about them, and deletes it ("delete me").

Alice, Bob and Carol meet (real aiortc peers, so the CDR has legs); Alice also created a meeting
nobody joined. ``my_data`` shows Alice her account, identity, join, participant entry, meetings
and her legs (her own side and the other's display name only, never their address, email or
uid), each with its deletion date. ``delete_me`` leaves the meeting for her, deletes at once
what can go and keeps, until their expiry, the legs (also Bob's and Carol's record) and the
meeting the others are still in. The stores confirm it, and the purge ends the rest on time.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from google.cloud import firestore

from .support.admin import auth_accounts, dump_all, settled_dump, without_heartbeats
from .support.callables import CallableError
from .support.cli import run_cli
from .support.factories import Peers
from .support.mesh import wait_full_mesh

PASSWORD = "mine"


def parse(value: str | None) -> datetime:
    assert value is not None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def by_kind(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        out.setdefault(record["storedIn"], []).append(record)
    return out


async def test_a_person_sees_and_deletes_their_data(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    shared = await alice.create_meeting(title="Shared", password=PASSWORD)
    # Alice joins last, so she offers to both: a newcomer's offers are counted (signals, legs),
    # the answers to them are paid for by those offers and counted nowhere.
    for peer in (bob, carol, alice):
        await peer.join(shared, password=PASSWORD)
    await wait_full_mesh([alice, bob, carol])
    alone = await alice.create_meeting(title="Nobody came", password="x")

    mine = await alice.call("my_data", {})
    counters_stored = {
        p.split("/", 1)[1]: d for p, d in (await dump_all(admin)).items() if p.startswith("quotas/")
    }

    def stored_at(counter_id: str) -> datetime:
        return counters_stored[counter_id]["expiresAt"]  # type: ignore[no-any-return]

    assert mine["uid"] == alice.uid and mine["retentionDays"] == 7
    records = by_kind(mine["records"])
    assert [r["storedIn"] for r in mine["records"][:2]] == ["auth", "identities"]
    counters = {r["id"]: r for r in records.pop("quotas")}
    assert {k: len(v) for k, v in records.items()} == {
        "auth": 1,
        "identities": 1,
        "joins": 1,
        "meetings": 2,
        "participants": 1,
        "cdrs": 2,
    }
    # Her quota counters: meetings and joins made, legs offered, signals sent in the meeting;
    # the daily leg count stays with the legs, the others go.
    kinds = {r["id"].split("~")[0] for r in counters.values()}
    assert kinds == {"meetings", "joins", "signals", "legs"}, kinds
    for counter_id, record in counters.items():
        legs_count = counter_id.startswith("legs~")
        assert record["onDelete"] == ("kept" if legs_count else "deleted"), counter_id
        assert parse(record["deleteAfter"]) == stored_at(counter_id)
    text = json.dumps(mine)
    for someone in (bob, carol):
        # Nothing of the other people but their display names.
        for secret in (someone.uid, someone.ip, someone.user.email if someone.user else "?"):
            assert secret not in text, secret
    assert alice.user is not None and alice.user.email in text and alice.ip in text

    stored = await dump_all(admin)
    legs = {r["id"]: r for r in records["cdrs"]}
    assert {r["otherName"] for r in legs.values()} == {"Bob", "Carol"}
    for leg_id, record in legs.items():
        leg = stored[f"cdrs/{leg_id}"]
        side = "caller" if leg["caller"]["uid"] == alice.uid else "callee"
        other = "callee" if side == "caller" else "caller"
        paths = {f["field"] for f in record["fields"]}
        assert f"{side}.ip" in paths and f"{side}.email" in paths
        assert not any(p.startswith(f"{other}.") for p in paths) and "uids" not in paths
        assert parse(record["deleteAfter"]) == leg["expiresAt"]
        assert record["onDelete"] == "kept" and record["otherName"] in record["why"]
    (join,) = records["joins"]
    assert parse(join["deleteAfter"]) == stored[f"joins/{join['id']}"]["expiresAt"]
    assert join["onDelete"] == "deleted" and join["meetingId"] == shared
    meetings = {r["id"]: r for r in records["meetings"]}
    assert meetings[shared]["onDelete"] == "kept" and meetings[alone]["onDelete"] == "deleted"
    (account,) = records["auth"]
    idle_deletion = parse(account["deleteAfter"]) - parse(mine["retrievedAt"])
    assert timedelta(days=6, hours=23) < idle_deletion <= timedelta(days=7)

    # Refused without the confirmation, and nothing changes.
    before = await settled_dump(admin, heartbeats=False)
    for bad in ({}, {"confirm": False}, {"confirm": "yes"}, {"confirm": True, "x": 1}):
        with pytest.raises(CallableError) as refused:
            await alice.call("delete_me", bad)
        assert refused.value.status == "INVALID_ARGUMENT", bad
    assert without_heartbeats(await dump_all(admin)) == before

    # Alice closes the meeting tab without leaving, then deletes her data.
    await alice.close()
    done = await alice.call("delete_me", {"confirm": True})
    assert done["accountDeleted"] is True
    deleted = {d["storedIn"]: d["count"] for d in done["deleted"]}
    assert deleted.pop("quotas") >= 3
    assert deleted == {
        "auth": 1,
        "identities": 1,
        "joins": 1,
        "meetings": 1,
        "participants": 1,
    }
    kept = by_kind(done["kept"])
    assert set(kept) - {"quotas"} == {"cdrs", "meetings"} and len(kept["cdrs"]) == 2
    assert [r["id"].split("~")[0] for r in kept["quotas"]] == ["legs"]
    assert kept["meetings"][0]["id"] == shared

    after = await dump_all(admin)
    assert f"identities/{alice.uid}" not in after
    assert not [p for p, d in after.items() if p.startswith("joins/") and d["uid"] == alice.uid]
    assert f"meetings/{shared}/participants/{alice.uid}" not in after
    assert not [p for p in after if alone in p]  # the meeting, its secret, everything under it
    assert f"meetings/{shared}" in after and f"meetings/{shared}/participants/{bob.uid}" in after
    for leg_id in legs:  # kept, ended by her leaving
        assert after[f"cdrs/{leg_id}"]["state"] == "ended"
    assert alice.uid not in {a["localId"] for a in (await auth_accounts()).values()}
    assert bob.connected_to(carol.uid) and carol.connected_to(bob.uid)

    # What is left of her is what she was told: the legs, until they expire.
    left = await alice.call("my_data", {})
    assert sorted(r["storedIn"] for r in left["records"] if r["storedIn"] != "quotas") == [
        "cdrs",
        "cdrs",
        "meetings",  # the meeting Bob and Carol are still in
    ]
    assert all(r["id"].startswith("legs~") for r in left["records"] if r["storedIn"] == "quotas")
    assert not [
        p
        for p, d in (await dump_all(admin)).items()
        if p.startswith("quotas/") and alice.uid in d["subject"] and d["kind"] != "legs"
    ]
    last = max(parse(r["deleteAfter"]) for r in kept["cdrs"])
    await bob.leave()
    await carol.leave()
    purged = run_cli("purge", "--now", (last + timedelta(seconds=1)).isoformat())
    assert purged.returncode == 0, purged.stderr
    remaining = await dump_all(admin)
    assert not [p for p in remaining if p.startswith("cdrs/") and p.split("/")[1] in legs]
