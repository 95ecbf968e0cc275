"""The organisation edition in Chromium, as issue 14's "done when" reads.

The operator creates Acme and names Olga its admin; Olga, in the admin page, switches on chat,
attendance with engagement, whiteboard, files and recordings. Ada and Bob (Acme) meet Gus (a
guest): everyone sees, in the lobby and in the room, what Acme stores of whom. They chat, Ada
and Gus share files. Read from the stores: exactly Ada's and Bob's items, nothing of Gus. Ada
and Bob then meet alone and Ada saves a recording to Acme. After Acme's retention the purge
leaves nothing, in Firestore or in the bucket.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from avmeets.store import objects
from tests.emulator.support.admin import admin_client, dump_all
from tests.emulator.support.cli import run_cli

from .conftest import PersonFactory
from .support import CONNECT_TIMEOUT_MS, MESSAGE_TIMEOUT_MS, Person

ACME = "acme.example"
OPT_INS = (
    "Store chat",
    "Store attendance",
    "Store time on screen (engagement, with attendance)",
    "Store whiteboard snapshots",
    "Store shared files",
    "Store recordings",
)
ALL_KINDS = "chat, attendance, time on screen, whiteboard, shared files and recordings"


def cli(*argv: str) -> Any:
    done = run_cli(*argv)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


async def archives() -> dict[str, Any]:
    client = admin_client()
    return {p: d for p, d in (await dump_all(client)).items() if p.startswith("archives/")}


def banner(person: Person, where: str) -> Any:
    return person.page.locator(f'section.storage-banner[aria-labelledby="{where}-storage-title"]')


async def share_file(person: Person, path: Path) -> None:
    await person.open_panel("Files")
    await person.page.locator("#files-to").select_option("")
    await person.page.locator("#file-input").set_input_files(str(path))


async def leave(person: Person) -> None:
    """Leave, and go home (where a new meeting can be started)."""
    await person.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    await person.page.get_by_role("button", name="Home", exact=True).click()
    await expect(person.page.get_by_role("heading", name="Start a meeting")).to_be_visible()


async def test_an_admin_opts_in_and_the_meeting_stores_exactly_the_members_items(
    people: PersonFactory, tmp_path: Path
) -> None:
    cli("org", "create", "acme", "--name", "Acme", "--domain", ACME)
    olga = await people("olga", domain=ACME)
    cli("org", "admins", "acme", "--add", olga.email)
    # The admin page fetches a fresh ID token (the claim is new); home links there from then on.
    await olga.page.goto(olga.web_url + "/admin")
    org = olga.page.locator('section.admin-org[data-org-id="acme"]')
    await expect(org.get_by_role("heading", name="Policy")).to_be_visible()
    for label in OPT_INS:
        await org.get_by_label(label, exact=True).check()
    await org.get_by_label("Keep records for (days, at most 7)", exact=True).fill("2")
    await org.get_by_role("button", name="Save policy", exact=True).click()
    await expect(org.locator(".admin-audit")).to_contain_text(olga.email)
    await expect(org.locator(".admin-audit")).to_contain_text("storage.recordings")
    await olga.check_accessibility("organisation admin")
    await olga.page.goto(olga.web_url + "/")
    await expect(olga.page.get_by_role("link", name="Organisation admin")).to_be_visible()

    ada = await people("ada", domain=ACME)
    bob = await people("bob", domain=ACME)
    gus = await people("gus")  # example.com: no organisation
    meeting_id = await ada.create_meeting(title="Acme weekly")
    await expect(banner(ada, "lobby")).to_contain_text(
        f"Your organisation Acme will store your {ALL_KINDS} in this meeting if you join."
    )
    await ada.join_now()
    await bob.join(meeting_id)
    await gus.open_link(meeting_id)
    await expect(banner(gus, "lobby")).to_contain_text(
        f"Acme stores {ALL_KINDS} of its 2 members here."
    )
    await expect(banner(gus, "lobby")).to_contain_text(
        "Nothing of you is stored beyond the call record."
    )
    await gus.check_accessibility("lobby with a storage notice")
    await gus.join_now()
    for person in (ada, bob, gus):
        await person.wait_connected(*(p for p in (ada, bob, gus) if p is not person))
        room = banner(person, "room")
        await expect(room).to_contain_text("Acme stores")
        await expect(room).to_contain_text("Ada" if person is not ada else "you")
    await expect(banner(gus, "room")).to_contain_text("Bob")
    await gus.check_accessibility("room with a storage banner")

    await ada.send_chat("agenda for everyone")
    await bob.send_chat("for ada only", to=ada)
    await gus.send_chat("guest words")
    await ada.send_chat("for gus only", to=gus)
    for text in ("agenda for everyone", "guest words"):
        for person in (ada, bob, gus):
            await person.wait_chat(text)
    plan = tmp_path / "plan.bin"
    plan.write_bytes(os.urandom(300_000))
    guest_file = tmp_path / "guest.bin"
    guest_file.write_bytes(os.urandom(50_000))
    await share_file(ada, plan)
    saved = ada.page.locator('li.org-upload[data-upload-kind="file"]')
    # The first upload_object may start a functions worker: on 2 loaded cores that takes a while.
    await expect(saved).to_have_attribute("data-upload-status", "done", timeout=CONNECT_TIMEOUT_MS)
    await expect(saved).to_contain_text("Saved to Acme")
    await share_file(gus, guest_file)
    await bob.wait_chat("guest words")  # Gus's file on its way; Gus has no upload list
    await expect(gus.page.locator("li.org-upload")).to_have_count(0)

    for person in (gus, bob, ada):
        await leave(person)

    async def stored_when_settled() -> dict[str, Any]:
        # Attendance is sent after leave_meeting, in the background: poll the store.
        deadline = datetime.now(UTC) + timedelta(seconds=30)
        while True:
            found = await archives()
            kinds = [d["kind"] for d in found.values()]
            if kinds.count("attendance") == 2 or datetime.now(UTC) > deadline:
                return found
            await ada.page.wait_for_timeout(500)

    stored = await stored_when_settled()
    text = json.dumps(stored, default=str)
    for secret in ("guest words", "for gus only", gus.uid, gus.email, "guest.bin"):
        assert secret not in text, secret
    chat = sorted(
        (i["fromName"], i["text"])
        for d in stored.values()
        if d["kind"] == "chat"
        for i in d["items"]
    )
    assert chat == [("Ada", "agenda for everyone"), ("Bob", "for ada only")], chat
    attendance = {
        i["uid"]: i for d in stored.values() if d["kind"] == "attendance" for i in d["items"]
    }
    assert set(attendance) == {ada.uid, bob.uid}
    for item in attendance.values():
        engagement = item["engagement"]
        assert engagement["visibleMs"] > 0 and engagement["cameraOnMs"] > 0, engagement
    files = [d["object"] for d in stored.values() if d["kind"] == "file"]
    assert [(f["name"], f["size"]) for f in files] == [("plan.bin", 300_000)]
    assert objects.read_object(files[0]["path"]) == plan.read_bytes()

    # Ada and Bob alone: a recording can show members only, so Ada saves hers to Acme.
    second = await ada.create_meeting(title="Acme only")
    await ada.join_now()
    await bob.join(second)
    await ada.wait_video(bob)
    ada.page.on("dialog", lambda dialog: dialog.accept())
    await ada.page.get_by_role("button", name="Record to this browser", exact=True).click()
    await ada.page.wait_for_function(
        "() => Number(document.querySelector('.rec-clock')?.dataset.bytes || 0) > 50000",
        timeout=30_000,
    )
    await ada.page.get_by_role("button", name="Stop recording", exact=True).click()
    await ada.open_panel("Recordings")
    await ada.page.get_by_role("button", name="Save to Acme", exact=True).first.click()
    recording = ada.page.locator('li.org-upload[data-upload-kind="recording"]')
    await expect(recording).to_have_attribute(
        "data-upload-status", "done", timeout=MESSAGE_TIMEOUT_MS
    )
    stored = await archives()
    (saved_recording,) = [d["object"] for d in stored.values() if d["kind"] == "recording"]
    assert objects.object_info(saved_recording["path"]) is not None
    for person in (bob, ada):
        await leave(person)

    # After Acme's two days the purge leaves nothing of it, in Firestore or in the bucket.
    later = (datetime.now(UTC) + timedelta(days=2, hours=1)).isoformat()
    done = run_cli("purge", "--now", later)
    assert done.returncode == 0, done.stderr
    assert await archives() == {}
    assert objects.list_objects("orgs/acme/") == []
