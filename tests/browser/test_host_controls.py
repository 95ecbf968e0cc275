"""A meeting someone can run, in Chromium: the creator is the host; names are chosen in the lobby
(never an e-mail address); the waiting room (the host admits one, denies another; "Admit all"
lets several in at once); a co-host; requests to mute and to unmute; a hand lowered; removing
a participant (every page closes its connection to them because its roster shows them removed,
not because ICE gave up on a silent peer; no way back without a host);
locking (a newcomer is refused with a clear message); ending for everyone; the CDR's end causes.

How soon the connections close after the click (the host-controls issue's two seconds) is a time,
and a test asserts behaviour, not times: `nox -s bench` measures it in Chromium
(bench/browser_join_child.py, browser.removal_to_links_closed_ms against a 2 s target). What
this test holds is the mechanism that makes it prompt: the link closed by the roster's snapshot
of the removal (one listener delivery after the host's call) rather than by the ICE consent
timers, which take seconds to tens of seconds.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from playwright.async_api import Route, expect

from tests.emulator.support.admin import admin_client, dump_all, matching
from tests.emulator.support.cli import run_cli
from tests.emulator.support.deadline import wait_for
from tests.emulator.support.userstore import close_client

from .conftest import PersonFactory
from .support import CONNECT_TIMEOUT_MS, PUT_OUT, Person

#: The host actions' callable, whose answer the co-host step holds back.
HOST_ACTION_ROUTE = "**/us-central1/host_action"


#: Records each cue the page plays (a sound for someone asking to join) and whether the browser
#: played it; the browser's play() still runs.
CUES = """() => {
    window.__cues = [];
    const real = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
        const played = real.call(this);
        const cue = this.dataset.cue;
        if (cue) played.then(() => window.__cues.push(cue), (e) => window.__cues.push(e.name));
        return played;
    };
}"""


async def ask_to_join(person: Person, meeting_id: str, name: str) -> None:
    """Open the link, type a name in the lobby and ask to join (the meeting has a waiting room)."""
    person.allow_console_error(PUT_OUT)
    await person.open_link(meeting_id)
    field = person.page.get_by_label("Your name", exact=True)
    await expect(field).to_have_value(person.name)  # prefilled from the account's name
    await field.fill(name)
    await person.page.get_by_role("button", name="Ask to join", exact=True).click()
    await expect(
        person.page.get_by_role("heading", name="Waiting for a host to let you in")
    ).to_be_visible(timeout=CONNECT_TIMEOUT_MS)


async def join_records(meeting_id: str) -> dict[str, dict[str, Any]]:
    """The meeting's join records, by participant."""
    client = admin_client()
    try:
        joins = matching(await dump_all(client), "joins")
    finally:
        await close_client(client)
    return {j["uid"]: j for j in joins.values() if j.get("meetingId") == meeting_id}


async def cdr_end_causes(meeting_id: str) -> dict[frozenset[str], str | None]:
    client = admin_client()
    try:
        legs = matching(await dump_all(client), "cdrs")
    finally:
        await close_client(client)
    return {
        frozenset({leg["caller"]["uid"], leg["callee"]["uid"]}): leg.get("endCause")
        for leg in legs.values()
        if leg.get("meetingId") == meeting_id
    }


async def test_a_host_runs_the_meeting(people: PersonFactory) -> None:
    alice = await people("alice")
    alice.allow_console_error(PUT_OUT)
    meeting_id = await alice.create_meeting(title="Run of show", waiting_room=True)
    # The creator is the host: no waiting for her, and the host's controls in the people panel.
    await expect(alice.page.get_by_label("Your name", exact=True)).to_have_value("Alice")
    await alice.join_now()
    panel = await alice.open_people()
    await expect(panel.locator(f'li[data-uid="{alice.uid}"] .role-badge')).to_have_text("Host")
    await expect(panel.get_by_role("heading", name="Nobody is waiting to join")).to_be_visible()
    await expect(panel.get_by_role("switch", name="Waiting room")).to_be_checked()

    # Two knock, by the names they chose (an e-mail address is refused as a name); the host sees
    # both, admits one and denies the other.
    bob, carol = await people("bob"), await people("carol")
    await bob.open_link(meeting_id)
    await bob.page.get_by_label("Your name", exact=True).fill(bob.email)
    await bob.page.get_by_role("button", name="Ask to join", exact=True).click()
    await expect(bob.page.get_by_text("not an e-mail address or phone number")).to_be_visible()
    await ask_to_join(bob, meeting_id, "Bob B.")
    await ask_to_join(carol, meeting_id, "Carol C.")
    await bob.screenshot("waiting")
    await bob.check_accessibility("waiting room")
    await expect(panel.get_by_role("heading", name="Waiting to join (2)")).to_be_visible(
        timeout=CONNECT_TIMEOUT_MS
    )
    admit_all = panel.get_by_role("button", name="Admit all", exact=True)
    await expect(admit_all).to_be_visible()  # two waiting (test_admit_all presses it)
    await alice.screenshot("lobby-queue")
    await alice.check_accessibility("people panel with the waiting queue")
    # The people panel's search finds those waiting too: "carol" leaves Carol's knock only.
    search = panel.get_by_role("searchbox", name="Search for people", exact=True)
    await search.fill("carol")
    knocks = panel.locator(".knock-list > li")
    await expect(knocks).to_have_count(1)
    await expect(knocks).to_contain_text("Carol C.")
    await expect(panel.locator(".lobby-queue")).to_contain_text("1 of 2 waiting")
    await search.fill("")
    await expect(knocks).to_have_count(2)
    await panel.get_by_role("button", name="Admit Bob B.", exact=True).click()
    await bob.wait_in_room()
    await expect(admit_all).to_have_count(0)  # one left: Admit and Deny are enough
    await panel.get_by_role("button", name="Deny Carol C.", exact=True).click()
    denied = carol.page.get_by_role("alert")
    await expect(denied.get_by_role("heading")).to_have_text(
        "You were not let in", timeout=CONNECT_TIMEOUT_MS
    )
    await carol.screenshot("denied")
    await carol.check_accessibility("not let in")
    await carol.close()
    await alice.wait_connected(bob)
    await expect(alice.tile(bob.uid).locator(".tile-name")).to_have_text("Bob B.")
    await expect(bob.tile(alice.uid).locator(".tile-name")).to_have_text("Alice")

    # Dave knocks while Alice's people panel is closed: she is told, and lets him in from there.
    await alice.page.get_by_role("button", name="Close the panel", exact=True).click()
    await alice.record_toasts()
    await alice.record_announcements()
    dave = await people("dave")
    await ask_to_join(dave, meeting_id, "Dave")
    alert = alice.page.locator(".knock-alert")
    await expect(alert).to_contain_text("Dave asks to join", timeout=CONNECT_TIMEOUT_MS)
    # Said at once to a screen reader; on screen only the alert, no toast beside it.
    assert "assertive: Dave asks to join" in await alice.announcements()
    toasts = await alice.toasts()
    assert not [t for t in toasts if "asks to join" in t], toasts
    await alice.screenshot("knock-alert")
    await alice.check_accessibility("knock alert")
    await alert.get_by_role("button", name="Admit Dave", exact=True).click()
    await dave.wait_in_room()
    for me, others in ((alice, (bob, dave)), (bob, (alice, dave)), (dave, (alice, bob))):
        await me.wait_connected(*others)

    # Alice makes Dave a co-host, and asks him to mute: a request he accepts. The menu closes as
    # soon as she chooses, focus back on its button, while the host action is still unanswered
    # (its answer is held here until then).
    panel = await alice.open_people()
    held: asyncio.Queue[Route] = asyncio.Queue()

    async def hold(route: Route) -> None:
        if route.request.method == "POST":
            await held.put(route)
        else:
            await route.continue_()  # the CORS preflight

    await alice.page.route(HOST_ACTION_ROUTE, hold)
    await alice.host_action(dave.uid, "Make Dave a co-host")
    answer = await asyncio.wait_for(held.get(), timeout=CONNECT_TIMEOUT_MS / 1000)
    manage_dave = panel.locator(f'li[data-uid="{dave.uid}"]').get_by_role(
        "button", name="Manage Dave", exact=True
    )
    await expect(manage_dave).to_have_attribute("aria-expanded", "false")
    await expect(manage_dave).to_be_focused()
    await answer.continue_()
    await alice.page.unroute(HOST_ACTION_ROUTE, hold)
    # Each host action is a callable round trip, then a snapshot: the emulator may be slow.
    await expect(panel.locator(f'li[data-uid="{dave.uid}"] .role-badge')).to_have_text(
        "Co-host", timeout=CONNECT_TIMEOUT_MS
    )
    await alice.host_action(dave.uid, "Ask Dave to mute")
    request = dave.page.get_by_role("alertdialog")
    await expect(request).to_contain_text(
        "Alice (host) asks you to turn your microphone off.", timeout=CONNECT_TIMEOUT_MS
    )
    await expect(
        request.get_by_role("button", name="Turn microphone off", exact=True)
    ).to_be_focused()
    # Each button's words on one line: the action is no taller than "Dismiss".
    turn = await request.get_by_role(
        "button", name="Turn microphone off", exact=True
    ).bounding_box()
    dismiss = await request.get_by_role("button", name="Dismiss", exact=True).bounding_box()
    assert turn and dismiss and turn["height"] <= dismiss["height"] + 1, (turn, dismiss)
    await dave.screenshot("asked-to-mute")
    await request.get_by_role("button", name="Turn microphone off", exact=True).click()
    await expect(alice.tile(dave.uid).locator(".tile-mic")).to_be_visible(
        timeout=CONNECT_TIMEOUT_MS
    )
    # Muted, Dave can be asked to unmute: the same kind of request, the other way.
    await alice.host_action(dave.uid, "Ask Dave to unmute")
    await expect(request).to_contain_text(
        "Alice (host) asks you to turn your microphone on.", timeout=CONNECT_TIMEOUT_MS
    )
    await request.get_by_role("button", name="Turn microphone on", exact=True).click()
    await expect(alice.tile(dave.uid).locator(".tile-mic")).to_be_hidden(timeout=CONNECT_TIMEOUT_MS)
    # Dave raises his hand; Alice lowers it for him, and his page says who did.
    await dave.record_toasts()
    await dave.page.keyboard.press("Control+Alt+h")
    await expect(alice.tile(dave.uid).locator(".tile-hand")).to_be_visible()
    await alice.host_action(dave.uid, "Lower Dave's hand")
    await expect(alice.tile(dave.uid).locator(".tile-hand")).to_be_hidden()
    await dave.wait_toast("Alice lowered your hand")
    # Escape shuts an open menu of actions, and only it: the people panel stays open.
    await manage_dave.click()
    await expect(manage_dave).to_have_attribute("aria-expanded", "true")
    await alice.page.keyboard.press("Escape")
    await expect(manage_dave).to_have_attribute("aria-expanded", "false")
    await expect(manage_dave).to_be_focused()
    await expect(alice.page.locator("#panel-title")).to_have_text("People")

    # Alice removes Bob: every page closes its connection to him because its roster says he was
    # removed, a link that was up until then; Bob is told.
    # A removal is confirmed first, focus on "Remove"; a host who moves to "Cancel" stays there
    # while the row re-renders (Bob's microphone going off reaches it), and cancelling shuts the
    # menu, focus back on its button.
    remove_bob = "Remove Bob B. from the meeting"
    bob_row = await alice.host_action(bob.uid, remove_bob)
    confirm_removal = bob_row.get_by_role("button", name="Remove", exact=True)
    await expect(confirm_removal).to_be_focused()
    await alice.page.keyboard.press("Tab")
    cancel = bob_row.get_by_role("button", name="Cancel", exact=True)
    await expect(cancel).to_be_focused()
    await bob.control("Microphone")
    await expect(alice.tile(bob.uid).locator(".tile-mic")).to_be_visible(timeout=CONNECT_TIMEOUT_MS)
    await expect(cancel).to_be_focused()
    await alice.page.keyboard.press("Enter")
    manage_bob = bob_row.get_by_role("button", name="Manage Bob B.", exact=True)
    await expect(manage_bob).to_have_attribute("aria-expanded", "false")
    await expect(manage_bob).to_be_focused()
    # A removal left by shutting the menu with its own button is dropped as well: opened again,
    # the menu offers the actions, not the old confirmation.
    await alice.host_action(bob.uid, remove_bob)
    await expect(confirm_removal).to_be_focused()
    await manage_bob.click()
    await expect(manage_bob).to_have_attribute("aria-expanded", "false")
    await manage_bob.click()
    await expect(bob_row.get_by_role("button", name=remove_bob, exact=True)).to_be_visible()
    await expect(confirm_removal).to_have_count(0)
    await manage_bob.click()
    for person in (alice, bob, dave):
        await person.watch_links()
    clicked = await alice.remove(bob.uid, "Bob B.")
    await expect(bob.page.get_by_text("A host removed you from the meeting.")).to_be_visible(
        timeout=CONNECT_TIMEOUT_MS
    )
    await bob.screenshot("removed")

    async def closings() -> dict[str, dict[str, Any]] | None:
        seen = {
            "alice": await alice.dropped_link(bob.uid),
            "dave": await dave.dropped_link(bob.uid),
        }
        return {who: d for who, d in seen.items() if d is not None} if all(seen.values()) else None

    closed = await wait_for(closings, timeout=15.0, what="every link to Bob to close")
    assert closed is not None
    for who, dropped in closed.items():
        assert dropped["before"] == "connected", (who, dropped)
        assert dropped["reason"] == "participant removed", (who, dropped)
        assert dropped["at"] >= clicked, (who, dropped, clicked)
    bob_ended = await wait_for(bob.meeting_ended_at, timeout=15.0, what="Bob's meeting to end")
    assert bob_ended is not None
    # Shown, not asserted (a time; measured by `nox -s bench`): click to each link closed.
    delays = {who: d["at"] - clicked for who, d in closed.items()} | {"bob": bob_ended - clicked}
    print(f"\nremoval to links closed (ms): {delays}")
    await expect(alice.tile(bob.uid)).to_have_count(0)

    # Bob cannot come back by himself: rejoining lands him in the waiting room, marked.
    await bob.page.get_by_role("button", name="Rejoin", exact=True).click()
    await bob.page.get_by_role("button", name="Ask to join", exact=True).click()
    await expect(
        bob.page.get_by_role("heading", name="Waiting for a host to let you in")
    ).to_be_visible()
    knock = panel.locator(f'.knock[data-uid="{bob.uid}"]')
    await expect(knock).to_contain_text("Was removed earlier", timeout=CONNECT_TIMEOUT_MS)
    # dispatched, not clicked: the waiting page may re-render under a busy machine while a click
    # waits for the button to be stable (every rendering has the same handler)
    await bob.page.get_by_role("button", name="Stop waiting", exact=True).dispatch_event("click")
    await expect(knock).to_have_count(0, timeout=CONNECT_TIMEOUT_MS)

    # Dave, a co-host, locks the meeting: Erin is refused with a clear message.
    dave_panel = await dave.open_people()
    await dave_panel.get_by_role("switch", name="Lock the meeting").check()
    await expect(panel.get_by_role("switch", name="Lock the meeting")).to_be_checked(
        timeout=CONNECT_TIMEOUT_MS
    )
    erin = await people("erin")
    await erin.open_link(meeting_id)
    refusal = erin.page.get_by_role("alert")
    await expect(refusal.get_by_role("heading")).to_have_text(
        "This meeting is locked", timeout=CONNECT_TIMEOUT_MS
    )
    await erin.screenshot("locked")
    await erin.check_accessibility("meeting locked")

    # Alice ends the meeting for everyone: Dave and Alice are told.
    # It is confirmed first, focus on "End for everyone"; a host who moves to "Cancel" stays
    # there while the host controls change (Dave unlocks the meeting), and cancels.
    await panel.get_by_role("button", name="End the meeting for everyone", exact=True).click()
    end = panel.get_by_role("button", name="End for everyone", exact=True)
    await expect(end).to_be_focused()
    await alice.page.keyboard.press("Tab")
    cancel_end = panel.locator(".host-section").get_by_role("button", name="Cancel", exact=True)
    await expect(cancel_end).to_be_focused()
    await dave_panel.get_by_role("switch", name="Lock the meeting").uncheck()
    await expect(panel.get_by_role("switch", name="Lock the meeting")).not_to_be_checked(
        timeout=CONNECT_TIMEOUT_MS
    )
    await expect(cancel_end).to_be_focused()
    await alice.page.keyboard.press("Enter")
    await expect(end).to_have_count(0)
    await panel.get_by_role("button", name="End the meeting for everyone", exact=True).click()
    await end.click()
    await expect(alice.page.get_by_text("You ended the meeting for everyone")).to_be_visible(
        timeout=CONNECT_TIMEOUT_MS
    )
    await expect(dave.page.get_by_text("A host ended the meeting for everyone")).to_be_visible(
        timeout=CONNECT_TIMEOUT_MS
    )
    await expect(dave.page.get_by_role("button", name="Rejoin", exact=True)).to_have_count(0)
    await dave.screenshot("ended")
    await dave.check_accessibility("meeting ended")

    # The CDR says how each connection ended.
    async def ended() -> dict[frozenset[str], str | None] | None:
        causes = await cdr_end_causes(meeting_id)
        return causes if len(causes) == 3 and None not in causes.values() else None

    causes = await wait_for(ended, timeout=20.0, what="every leg to end", interval=0.5)
    assert causes == {
        frozenset({alice.uid, bob.uid}): "removed",
        frozenset({bob.uid, dave.uid}): "removed",
        frozenset({alice.uid, dave.uid}): "meeting-ended",
    }, causes
    export = run_cli(
        "cdr",
        "export",
        "--reference",
        "test-host-controls",
        "--meeting",
        meeting_id,
        "--format",
        "json",
    )
    assert export.returncode == 0, export.stderr
    exported = json.loads(export.stdout)
    assert sorted(leg["endCause"] for leg in exported) == ["meeting-ended", "removed", "removed"]


async def test_admit_all_mute_all_and_a_host_leaving(people: PersonFactory) -> None:
    """Two knock while the host's people panel is closed: the alert counts them and offers
    "Admit all", which lets both in with one host action (each join record names the host).
    The host hears them and the tab's title counts them (and, later, an unread message).
    Then the host asks everyone to mute: each is asked, and decides. Leaving, the host is asked
    whether the meeting goes on without anyone to run it (a co-host is chosen first), and the
    co-host ends it for everyone from the same question."""
    alice = await people("alice")
    meeting_id = await alice.create_meeting(title="Stand-up", waiting_room=True)
    await alice.join_now()
    await alice.page.evaluate(CUES)
    bob, carol = await people("bob"), await people("carol")
    await ask_to_join(bob, meeting_id, "Bob B.")
    await ask_to_join(carol, meeting_id, "Carol C.")
    alert = alice.page.locator(".knock-alert")
    await expect(alert).to_contain_text("2 people ask to join", timeout=CONNECT_TIMEOUT_MS)
    # Heard and seen from another tab: a sound for each newcomer, the count in the tab's title.
    await expect(alice.page).to_have_title("(2 waiting) Stand-up · AVMeets")
    cues = await alice.page.evaluate("window.__cues")
    assert cues and set(cues) == {"knock"}, cues
    # Leaving alone now would leave them waiting for nobody: she is told so, and stays.
    await alice.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    question = alice.page.get_by_role("dialog", name="Leave the meeting?")
    await expect(question).to_contain_text(
        "Nobody will be here to let people in: 2 people waiting to join go on waiting."
    )
    await question.get_by_role("button", name="Cancel", exact=True).click()
    await expect(question).to_have_count(0)
    await expect(alert.get_by_role("button", name="Admit Bob B.", exact=True)).to_have_count(0)
    await alice.screenshot("knock-alert-two")
    await alice.check_accessibility("knock alert, two waiting")
    await alert.get_by_role("button", name="Admit all", exact=True).click()
    await bob.wait_in_room()
    await carol.wait_in_room()
    await expect(alert).to_have_count(0, timeout=CONNECT_TIMEOUT_MS)
    for me, others in ((alice, (bob, carol)), (bob, (alice, carol)), (carol, (alice, bob))):
        await me.wait_connected(*others)
    await expect(alice.page).to_have_title("Stand-up · AVMeets")
    # A message while her chat is closed: counted in the title until she reads it.
    await bob.send_chat("Morning all")
    await expect(alice.page).to_have_title("(1 new) Stand-up · AVMeets")
    await alice.open_panel("Chat")
    await expect(alice.page).to_have_title("Stand-up · AVMeets")
    records = await join_records(meeting_id)
    assert {uid: r.get("admittedBy") for uid, r in records.items()} == {
        alice.uid: None,
        bob.uid: alice.uid,
        carol.uid: alice.uid,
    }, records

    # Ask everyone to mute: both are asked; Bob does it, Carol dismisses it.
    panel = await alice.open_people()
    await alice.record_announcements()
    ask_all = panel.get_by_role("button", name="Ask everyone to mute", exact=True)
    await expect(ask_all).to_be_visible()
    await alice.screenshot("people-panel-three")
    await alice.check_accessibility("people panel, three present")
    await ask_all.click()
    for person in (bob, carol):
        await expect(person.page.get_by_role("alertdialog")).to_contain_text(
            "Alice (host) asks you to turn your microphone off.", timeout=CONNECT_TIMEOUT_MS
        )
    assert "polite: Asked 2 people to mute" in await alice.announcements()
    await bob.page.get_by_role("button", name="Turn microphone off", exact=True).click()
    await carol.page.get_by_role("button", name="Dismiss", exact=True).click()
    await expect(alice.tile(bob.uid).locator(".tile-mic")).to_be_visible(timeout=CONNECT_TIMEOUT_MS)
    await expect(alice.tile(carol.uid).locator(".tile-mic")).to_be_hidden()
    await expect(carol.page.get_by_role("alertdialog")).to_have_count(0)

    # Alice leaves. With nobody else to run the meeting she is told so, and offered to choose a
    # co-host first (the people panel); then Bob runs it, and she just leaves.
    await alice.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    question = alice.page.get_by_role("dialog", name="Leave the meeting?")
    await expect(question).to_contain_text(
        "Nobody else here can let people in or run the meeting while you are away."
    )
    await expect(question.get_by_role("button", name="Just leave", exact=True)).to_be_focused()
    await alice.screenshot("leave-nobody-runs-it")
    await alice.check_accessibility("leave question, nobody else runs the meeting")
    await question.get_by_role("button", name="Choose a co-host", exact=True).click()
    await expect(question).to_have_count(0)
    await expect(alice.page.locator("#panel-title")).to_have_text("People")
    await alice.host_action(bob.uid, "Make Bob B. a co-host")
    await alice.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    await expect(question).to_contain_text(
        "The meeting goes on: Bob B. (co-host) runs it while you are away."
    )
    await expect(question.get_by_role("button", name="Choose a co-host", exact=True)).to_have_count(
        0
    )
    await question.get_by_role("button", name="Just leave", exact=True).click()
    await expect(alice.page.get_by_role("heading", name="You left the meeting")).to_be_visible(
        timeout=CONNECT_TIMEOUT_MS
    )
    await expect(carol.tile(alice.uid)).to_have_count(0, timeout=CONNECT_TIMEOUT_MS)
    await expect(carol.tile(bob.uid)).to_have_attribute("data-state", "connected")

    # Bob, a co-host now, ends it for everyone from the same question: Carol is told.
    await bob.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    question = bob.page.get_by_role("dialog", name="Leave the meeting?")
    await expect(question).to_contain_text("Nobody else here can let people in")
    # A co-host cannot name co-hosts, so is not offered to.
    await expect(question.get_by_role("button", name="Choose a co-host", exact=True)).to_have_count(
        0
    )
    await question.get_by_role("button", name="End the meeting for everyone", exact=True).click()
    await expect(bob.page.get_by_text("You ended the meeting for everyone")).to_be_visible(
        timeout=CONNECT_TIMEOUT_MS
    )
    await expect(carol.page.get_by_text("A host ended the meeting for everyone")).to_be_visible(
        timeout=CONNECT_TIMEOUT_MS
    )
