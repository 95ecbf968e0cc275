"""The organisation edition on the emulators: what an opted-in organisation stores of whom.

Two Acme members (Ada, Bob) and an outside guest (Gus) meet. Acme's admin, named by the
operator's command line, opts in through ``org_admin``; the room shows it (``storedBy``), the
lobby says it (``meeting_info``), only the members' own content reaches Acme's store, never the
guest's, and ``avmeets org export`` and the purge at Acme's retention see exactly that.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from google.cloud import firestore

from avmeets.protocol import Limits, Quotas
from avmeets.store import objects

from .support.admin import dump_all
from .support.cli import run_cli
from .support.deadline import wait_for
from .support.factories import Actors
from .support.orgs import ACME_DOMAIN
from .support.refusals import database_unchanged, refused

ALL_ON = {
    "chat": True,
    "attendance": True,
    "engagement": True,
    "whiteboard": True,
    "files": True,
    "recordings": True,
}
AT = 1_700_000_000_000
ENGAGEMENT = {"visibleMs": 60_000, "focusedMs": 50_000, "cameraOnMs": 40_000, "micOnMs": 30_000}


def cli_json(*argv: str) -> Any:
    done = run_cli(*argv)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def make_admin(actors: Actors, name: str, email: str) -> Any:
    """An account the operator makes an admin of Acme: at once, with the ID token it has (the
    server reads the claim from Auth, not from the token)."""
    actor = await actors(name, email=email)
    cli_json("org", "admins", "acme", "--add", email)
    return actor


def acme_exists() -> None:
    cli_json("org", "create", "acme", "--name", "Acme", "--domain", ACME_DOMAIN)


def archives(dump: dict[str, Any]) -> dict[str, Any]:
    return {p: d for p, d in dump.items() if p.startswith("archives/")}


async def test_an_admin_opts_in_and_only_the_members_own_content_is_stored(
    actors: Actors, admin: firestore.AsyncClient, tmp_path: Path
) -> None:
    acme_exists()
    olga = await make_admin(actors, "olga", f"olga@{ACME_DOMAIN}")
    policy = await olga.call(
        "org_admin",
        {"orgId": "acme", "action": "set", "changes": {"storage": ALL_ON, "retentionDays": 2}},
    )
    assert policy["policy"]["storage"] == ALL_ON
    assert policy["policy"]["retentionDays"] == 2
    latest = policy["audit"][0]
    assert latest["by"] == f"olga@{ACME_DOMAIN}"
    assert {c["field"] for c in latest["changes"]} == {f"storage.{k}" for k in ALL_ON} | {
        "retentionDays"
    }

    ada = await actors("ada", email=f"ada@{ACME_DOMAIN}")
    bob = await actors("bob", email=f"bob@{ACME_DOMAIN}")
    gus = await actors("gus", email="gus@guest.example")
    meeting_id = await ada.create_meeting(title="Acme weekly")
    # Before joining: the guest is told what Acme stores, and that nothing of it is its own.
    await ada.join(meeting_id)
    seen = await gus.call("meeting_info", {"meetingId": meeting_id})
    assert seen["storage"] == [{"orgName": "Acme", "kinds": list(ALL_ON), "members": 1}]
    assert seen["storedOfYou"] == []
    assert (await bob.call("meeting_info", {"meetingId": meeting_id}))["storedOfYou"] == list(
        ALL_ON
    )
    await bob.join(meeting_id)
    await gus.join(meeting_id)

    # In the room, everyone reads who is stored by whom from the roster.
    roster = {
        snap.id: snap.to_dict() or {}
        for snap in await gus.store.collection(f"meetings/{meeting_id}/participants").get()
    }
    assert roster[ada.uid]["storedBy"] == {
        "orgId": "acme",
        "orgName": "Acme",
        "kinds": list(ALL_ON),
    }
    assert roster[bob.uid]["storedBy"]["orgId"] == "acme"
    assert roster[gus.uid]["storedBy"] is None

    # Ada stores her own messages: to everyone, privately to Bob (a member), privately to Gus
    # (not stored: the guest's organisation never opted in).
    sent = await ada.call(
        "archive",
        {
            "meetingId": meeting_id,
            "kind": "chat",
            "messages": [
                {"text": "agenda", "at": AT},
                {"text": "for bob", "at": AT + 1, "to": bob.uid},
                {"text": "for gus", "at": AT + 2, "to": gus.uid},
            ],
        },
    )
    assert (sent["items"], sent["skipped"]) == (2, 1)
    # The guest can store nothing, not even its own words.
    async with database_unchanged(admin):
        await refused(
            gus.call(
                "archive",
                {"meetingId": meeting_id, "kind": "chat", "messages": [{"text": "hi", "at": AT}]},
            ),
            "FAILED_PRECONDITION",
            "not-allowed-by-policy",
        )
        await refused(
            gus.call(
                "upload_object",
                {
                    "meetingId": meeting_id,
                    "kind": "file",
                    "name": "notes.txt",
                    "contentType": "text/plain",
                    "size": 5,
                },
            ),
            "FAILED_PRECONDITION",
            "not-allowed-by-policy",
        )
    await ada.call(
        "archive", {"meetingId": meeting_id, "kind": "attendance", "engagement": ENGAGEMENT}
    )
    await bob.call("archive", {"meetingId": meeting_id, "kind": "attendance"})
    # Bob uploads a file to the session the server opened (as the browser does, one PUT).
    content = bytes(range(256)) * 1200
    upload = await bob.call(
        "upload_object",
        {
            "meetingId": meeting_id,
            "kind": "file",
            "name": "plan.bin",
            "contentType": "application/octet-stream",
            "size": len(content),
        },
    )
    async with httpx.AsyncClient(timeout=30.0) as http:
        put = await http.put(
            upload["uploadUrl"],
            content=content,
            headers={"Content-Range": f"bytes 0-{len(content) - 1}/{len(content)}"},
        )
    assert put.status_code in (200, 201), put.text
    path = f"orgs/acme/meetings/{meeting_id}/file/{upload['objectId']}"
    assert objects.read_object(path) == content

    stored = archives(await dump_all(admin))
    text = json.dumps(stored, default=str)
    assert gus.uid not in text and "for gus" not in text and "gus@" not in text
    chat = [i for d in stored.values() if d["kind"] == "chat" for i in d["items"]]
    assert [(i["fromUid"], i["to"], i["text"]) for i in chat] == [
        (ada.uid, None, "agenda"),
        (ada.uid, bob.uid, "for bob"),
    ]
    attendance = {
        i["uid"]: i for d in stored.values() if d["kind"] == "attendance" for i in d["items"]
    }
    assert set(attendance) == {ada.uid, bob.uid}
    assert attendance[ada.uid]["engagement"] == ENGAGEMENT
    assert "engagement" not in attendance[bob.uid]
    for doc in stored.values():
        assert doc["orgId"] == "acme"
        days = (doc["expiresAt"] - doc["createdAt"]).total_seconds() / 86400
        assert abs(days - 2) < 0.01

    # The admin's export holds exactly that; so does the operator's.
    export = (await olga.call("org_admin", {"orgId": "acme", "action": "export"}))["export"]
    assert [(c["fromUid"], c["text"]) for c in export["chat"]] == [
        (ada.uid, "agenda"),
        (ada.uid, "for bob"),
    ]
    assert {a["uid"] for a in export["attendance"]} == {ada.uid, bob.uid}
    assert [(o["objectId"], o["name"], o["size"], o["uploadedBy"]) for o in export["objects"]] == [
        (upload["objectId"], "plan.bin", len(content), bob.uid)
    ]
    out = tmp_path / "export"
    done = run_cli("org", "export", "acme", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "export.json").read_text())["chat"] == export["chat"]
    assert "for bob" in (out / "chat.csv").read_text()
    assert "60000" in (out / "attendance.csv").read_text()
    assert (out / "objects" / f"{upload['objectId']}-plan.bin").read_bytes() == content

    # After Acme's retention the purge leaves nothing of it.
    later = (datetime.now(UTC) + timedelta(days=2, hours=1)).isoformat()
    done = run_cli("purge", "--now", later)
    assert done.returncode == 0, done.stderr
    assert archives(await dump_all(admin)) == {}
    assert objects.list_objects("orgs/acme/") == []


async def test_the_policy_is_rechecked_and_the_room_was_told(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    acme_exists()
    olga = await make_admin(actors, "olga", f"olga@{ACME_DOMAIN}")
    await olga.call(
        "org_admin", {"orgId": "acme", "action": "set", "changes": {"storage": {"chat": True}}}
    )
    ada = await actors("ada", email=f"ada@{ACME_DOMAIN}")
    meeting_id = await ada.create_meeting()
    await ada.join(meeting_id)
    message = {"meetingId": meeting_id, "kind": "chat", "messages": [{"text": "x", "at": AT}]}
    assert (await ada.call("archive", message))["items"] == 1
    # Switched off mid-meeting: the next store is refused, whatever the room was told.
    await olga.call(
        "org_admin", {"orgId": "acme", "action": "set", "changes": {"storage": {"chat": False}}}
    )
    async with database_unchanged(admin):
        await refused(ada.call("archive", message), "FAILED_PRECONDITION", "not-allowed-by-policy")
    # Cal joins while chat is off; switched on later, Cal's chat is still not stored: the room
    # was never told. Ada's is again.
    cal = await actors("cal", email=f"cal@{ACME_DOMAIN}")
    await cal.join(meeting_id)
    await olga.call(
        "org_admin", {"orgId": "acme", "action": "set", "changes": {"storage": {"chat": True}}}
    )
    async with database_unchanged(admin):
        await refused(cal.call("archive", message), "FAILED_PRECONDITION", "not-allowed-by-policy")
    assert (await ada.call("archive", message))["items"] == 1


async def test_org_admin_is_for_the_organisations_admins_only(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    acme_exists()
    cli_json("org", "create", "globex", "--name", "Globex", "--domain", "globex.example")
    olga = await make_admin(actors, "olga", f"olga@{ACME_DOMAIN}")
    ada = await actors("ada", email=f"ada@{ACME_DOMAIN}")
    set_chat = {"action": "set", "changes": {"storage": {"chat": True}}}
    async with database_unchanged(admin):
        # A member who is not an admin, and an admin of another organisation.
        for actor, org_id in ((ada, "acme"), (olga, "globex")):
            for body in ({"action": "get"}, {"action": "export"}, set_chat):
                await refused(
                    actor.call("org_admin", {"orgId": org_id, **body}),
                    "PERMISSION_DENIED",
                    "not-an-org-admin",
                )
        # A domain the operator never verified (it would make every gmail.com account a
        # member, whose chat Acme could then store), and one that is Globex's.
        for domain in ("gmail.com", "globex.example"):
            await refused(
                olga.call(
                    "org_admin",
                    {
                        "orgId": "acme",
                        "action": "set",
                        "changes": {"domains": [ACME_DOMAIN, domain]},
                    },
                ),
                "FAILED_PRECONDITION",
                "domain-not-verified",
            )
        await refused(
            olga.call(
                "org_admin",
                {"orgId": "acme", "action": "set", "changes": {"retentionDays": 8}},
            ),
            "INVALID_ARGUMENT",
        )
    # A change that changes nothing is neither written nor audited.
    before = (await olga.call("org_admin", {"orgId": "acme", "action": "get"}))["audit"]
    await olga.call(
        "org_admin", {"orgId": "acme", "action": "set", "changes": {"storage": {"chat": False}}}
    )
    after = (await olga.call("org_admin", {"orgId": "acme", "action": "get"}))["audit"]
    assert after == before
    # Removed as admin: refused at once, though her ID token still carries the claim.
    cli_json("org", "admins", "acme", "--remove", f"olga@{ACME_DOMAIN}")
    await refused(
        olga.call("org_admin", {"orgId": "acme", "action": "get"}),
        "PERMISSION_DENIED",
        "not-an-org-admin",
    )


async def test_archive_floods_cost_the_member_not_the_operator(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """An opted-in member's archive calls are limited per minute (each new batch writes a
    document the organisation's store keeps); the one past the quota is refused and stores
    nothing."""
    acme_exists()
    cli_json("org", "set", "acme", "--store", "chat=on")
    ada = await actors("ada", email=f"ada@{ACME_DOMAIN}")
    meeting_id = await ada.create_meeting()
    await ada.join(meeting_id)

    def message(n: int) -> dict[str, Any]:
        return {"meetingId": meeting_id, "kind": "chat", "messages": [{"text": "x", "at": AT + n}]}

    # All in one minute window: start early in a minute (the calls take a few seconds).
    await wait_for(
        lambda: datetime.now(UTC).second < 30, timeout=40.0, interval=0.5, what="a new minute"
    )
    for n in range(Quotas.ARCHIVES_PER_MINUTE):
        assert (await ada.call("archive", message(n)))["items"] == 1
    async with database_unchanged(admin, exempt=("quotas",)):
        error = await refused(
            ada.call("archive", message(Quotas.ARCHIVES_PER_MINUTE)),
            "RESOURCE_EXHAUSTED",
            "rate-limited",
        )
    assert error.details["retryAfterSeconds"] > 0


async def test_a_recording_or_board_is_stored_only_if_it_can_show_members_only(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """A recording shows every tile and a board holds everyone's strokes: stored only while
    everyone who has been in the meeting is a member whose recordings (board) Acme stores."""
    acme_exists()
    cli_json(
        "org",
        "set",
        "acme",
        "--store",
        "recordings=on",
        "--store",
        "whiteboard=on",
        "--store",
        "files=on",
    )
    ada = await actors("ada", email=f"ada@{ACME_DOMAIN}")
    bob = await actors("bob", email=f"bob@{ACME_DOMAIN}")
    meeting_id = await ada.create_meeting()
    await ada.join(meeting_id)
    await bob.join(meeting_id)
    recording = {
        "meetingId": meeting_id,
        "kind": "recording",
        "name": "weekly.webm",
        "contentType": "video/webm",
        "size": 1000,
    }
    # Repeated with its requestId (the answer was lost): the same object, one document.
    keyed = {**recording, "requestId": "rec-1"}
    first = await ada.call("upload_object", keyed)
    again = await ada.call("upload_object", keyed)
    assert first["objectId"] == again["objectId"] and first["uploadUrl"]
    stored = [d for d in archives(await dump_all(admin)).values() if d["kind"] == "recording"]
    assert len(stored) == 1
    # A guest comes and goes: what was recorded or drawn since may show them.
    gus = await actors("gus", email="gus@guest.example")
    await gus.join(meeting_id)
    await gus.leave(meeting_id)
    async with database_unchanged(admin, exempt=("quotas",)):
        for kind, name in (("recording", "weekly.webm"), ("whiteboard", "board.png")):
            error = await refused(
                ada.call("upload_object", {**recording, "kind": kind, "name": name}),
                "FAILED_PRECONDITION",
                "not-allowed-by-policy",
            )
            assert "Gus" in error.message, error
    # A file is the uploader's own: still stored.
    assert (await ada.call("upload_object", {**recording, "kind": "file"}))["uploadUrl"]


async def test_the_largest_batch_is_stored_whole_never_internal(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """A batch at the limits (as many messages and as much text as allowed, private, between
    members with the longest names) is more than one Firestore document can hold once the
    server adds the names: stored in parts, every message, in order."""
    acme_exists()
    cli_json("org", "set", "acme", "--store", "chat=on")
    ada = await actors("ada", email=f"ada@{ACME_DOMAIN}")
    bob = await actors("bob", email=f"bob@{ACME_DOMAIN}")
    meeting_id = await ada.create_meeting()
    long_name = "é" * Limits.DISPLAY_NAME_MAX_CHARS
    await ada.call("join_meeting", {"meetingId": meeting_id, "displayName": long_name})
    await bob.call("join_meeting", {"meetingId": meeting_id, "displayName": long_name})
    count = Limits.CHAT_MESSAGES_MAX
    per_message = Limits.ARCHIVE_MAX_BYTES // count
    messages = [
        {"text": f"{n:05d}" + "x" * (per_message - 5), "at": AT + n, "to": bob.uid}
        for n in range(count)
    ]
    result = await ada.call(
        "archive", {"meetingId": meeting_id, "kind": "chat", "messages": messages}
    )
    assert (result["items"], result["skipped"]) == (count, 0)
    stored = sorted(
        (d for d in archives(await dump_all(admin)).values() if d["kind"] == "chat"),
        key=lambda d: d["items"][0]["text"],
    )
    assert len(stored) >= 2
    texts = [i["text"] for d in stored for i in d["items"]]
    assert texts == [m["text"] for m in messages]
    # Sent again (the client's retry after a lost answer), it finds every part it made.
    async with database_unchanged(admin, exempt=("quotas",)):
        again = await ada.call(
            "archive", {"meetingId": meeting_id, "kind": "chat", "messages": messages}
        )
    assert again == result


async def test_a_repeated_chat_batch_is_stored_once(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """The client repeats an ``archive`` whose answer it did not get (its retry policy): the
    repeat, and two attempts at once, find the archive the first made, so the organisation's
    record holds each message once. Another member's same words, or the same words at another
    moment, are archives of their own."""
    acme_exists()
    cli_json("org", "set", "acme", "--store", "chat=on")
    ada = await actors("ada", email=f"ada@{ACME_DOMAIN}")
    bob = await actors("bob", email=f"bob@{ACME_DOMAIN}")
    meeting_id = await ada.create_meeting()
    await ada.join(meeting_id)
    await bob.join(meeting_id)

    def batch(*messages: dict[str, Any]) -> dict[str, Any]:
        return {"meetingId": meeting_id, "kind": "chat", "messages": list(messages)}

    minutes = {"text": "minutes", "at": AT}
    private = {"text": "for bob", "at": AT + 1, "to": bob.uid}
    first = await ada.call("archive", batch(minutes, private))
    assert (first["items"], first["skipped"]) == (2, 0)
    async with database_unchanged(admin, exempt=("quotas",)):
        again, at_once = await asyncio.gather(
            ada.call("archive", batch(minutes, private)),
            ada.call("archive", batch(minutes, private)),
        )
    assert again == at_once == first

    await bob.call("archive", batch(minutes))
    await ada.call("archive", batch({"text": "minutes", "at": AT + 2}))
    chats = sorted(
        (d["archivedBy"], [(i["text"], i["at"]) for i in d["items"]])
        for d in archives(await dump_all(admin)).values()
        if d["kind"] == "chat"
    )
    at = datetime.fromtimestamp(AT / 1000, UTC)
    assert chats == sorted(
        [
            (ada.uid, [("minutes", at), ("for bob", at + timedelta(milliseconds=1))]),
            (bob.uid, [("minutes", at)]),
            (ada.uid, [("minutes", at + timedelta(milliseconds=2))]),
        ]
    )
