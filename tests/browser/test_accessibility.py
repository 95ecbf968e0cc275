"""Accessibility (issue 19): a meeting with only the keyboard, people events said once by name
in the page's live region, focus that goes back where it came from, axe on every panel and
dialog, and live captions offered only where the browser can recognise speech on the device.

axe itself runs at each screen of the other browser tests too (Person.check_accessibility).
"""

from __future__ import annotations

import json
import re

from playwright.async_api import expect

from .conftest import PersonFactory
from .support import MESSAGE_TIMEOUT_MS, Person


async def _said(person: Person, text: str) -> int:
    return sum(1 for line in await person.announcements() if line == f"polite: {text}")


async def _wait_said_once(person: Person, text: str) -> None:
    await person.page.wait_for_function(
        "(want) => (window.__announced || []).includes(want)",
        arg=f"polite: {text}",
        timeout=MESSAGE_TIMEOUT_MS,
    )
    assert await _said(person, text) == 1, await person.announcements()


async def _send_caption(sender: Person, to: Person, message: dict[str, object]) -> None:
    """Send a message on the sender's captions data channel to `to` (through the app's link)."""
    sent = await sender.page.evaluate(
        """([uid, text]) => window.__avmeets.currentView().meeting.links.get(uid)
                .send("captions", text)""",
        [to.uid, json.dumps(message)],
    )
    assert sent is True


async def _keyboard_create_and_join(alice: Person) -> str:
    """Home → lobby → room with Tab, Space and Enter only."""
    page = alice.page
    keys = page.keyboard
    await expect(page.get_by_role("heading", name="Start a meeting")).to_be_visible()
    await alice.check_accessibility("home")
    await alice.tab_to(page.get_by_label("Title (optional)", exact=True))
    await keys.type("Keyboard only")
    waiting_room = page.get_by_label("Waiting room", exact=True)
    await alice.tab_to(waiting_room)
    if await waiting_room.is_checked():
        await keys.press("Space")
    await expect(waiting_room).not_to_be_checked()
    await alice.tab_to(page.get_by_role("button", name="Create meeting", exact=True))
    await keys.press("Enter")
    await page.wait_for_url(re.compile(r"/m/[a-z]{3}-[a-z]{4}-[a-z]{3}$"))
    join = page.get_by_role("button", name="Join now", exact=True)
    await expect(join).to_be_enabled()
    await alice.check_accessibility("lobby")
    await alice.tab_to(join)
    await keys.press("Enter")
    await alice.wait_in_room()
    # Focus is not left on the page's body: the room puts it on its first control.
    await expect(
        page.get_by_role("button", name="Turn off the microphone", exact=True)
    ).to_be_focused()
    await alice.check_accessibility("room alone")
    return page.url.rsplit("/", 1)[1]


async def _walk_panels(alice: Person, bob: Person) -> None:
    """Every panel and dialog of the room with someone in it, checked by axe; closing each
    (Escape included) gives the focus back to the control that opened it."""
    page = alice.page
    for name in ("People", "Chat", "Files", "Recordings"):
        await alice.open_panel(name)
        await alice.check_accessibility(f"{name.lower()} panel")
    await page.keyboard.press("Escape")
    await expect(page.locator(".side-panel")).to_be_hidden()
    await expect(page.locator(".controls")).to_be_visible()
    await alice.safety_code(bob)
    dialogs = (
        ("devices", page.get_by_role("button", name="Devices", exact=True), "Devices"),
        ("invite", page.get_by_role("button", name=re.compile(r"^Invite ")), "Invite people"),
        ("safety", alice.tile(bob.uid).locator(".tile-safety"), "Safety code"),
    )
    for name, opener, dialog_name in dialogs:
        await opener.focus()
        await page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name=dialog_name)
        await expect(dialog).to_be_visible()
        await alice.check_accessibility(f"{name} dialog")
        await page.keyboard.press("Escape")
        await expect(dialog).to_have_count(0)
        await expect(opener).to_be_focused()
    await alice.open_whiteboard()
    await alice.check_accessibility("whiteboard")
    await page.get_by_role("button", name="Whiteboard", exact=True).click()
    await expect(page.locator(".board-canvas")).to_have_count(0)


async def test_keyboard_only_meeting_with_announcements_and_every_panel(
    people: PersonFactory,
) -> None:
    alice = await people("alice")
    bob = await people("bob")
    page = alice.page
    keys = page.keyboard

    meeting_id = await _keyboard_create_and_join(alice)
    await alice.record_announcements()

    # Bob comes in: Alice hears "Bob joined" once, and no tile's connection words.
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    await _wait_said_once(alice, "Bob joined")
    assert await alice.other_live_changes() == []
    assert await page.locator(".tile [aria-live]").count() == 0
    await alice.check_accessibility("room with others")

    # Mute with the keyboard; Bob sees it.
    await alice.tab_to(page.get_by_role("button", name="Turn off the microphone", exact=True))
    await keys.press("Space")
    await expect(
        page.get_by_role("button", name="Turn on the microphone", exact=True)
    ).to_be_focused()
    await expect(bob.tile(alice.uid).locator(".tile-mic")).to_be_visible()

    # Chat with the keyboard: the panel takes the focus to the message box, Enter sends, Escape
    # closes it and gives the focus back to the Chat button.
    chat = page.locator('.controls button[data-panel="chat"]')
    await alice.tab_to(chat)
    await keys.press("Enter")
    await expect(page.get_by_label("Message", exact=True)).to_be_focused()
    await keys.type("Typed without a mouse")
    await keys.press("Enter")
    await bob.wait_chat("Typed without a mouse")
    await keys.press("Escape")
    await expect(page.locator(".side-panel")).to_be_hidden()
    await expect(chat).to_be_focused()

    # A message while the chat is closed: the badge's count is in the button's name.
    await bob.send_chat("Bob answers")
    # (Chromium puts a space between the word and the hidden ", 1 unread": "Chat , 1 unread".)
    await expect(
        page.get_by_role("button", name=re.compile(r"^Chat\s?, 1 unread$"))
    ).to_be_visible()
    await _wait_said_once(alice, "Bob: Bob answers")

    await _walk_panels(alice, bob)

    # A caption Bob's browser sends on the captions data channel (the message a recogniser's
    # result becomes, docs/protocol.md) is shown to Alice, marked as captions and by whom.
    await _send_caption(
        bob, alice, {"t": "caption", "id": 0, "text": "Captions reach you", "final": True}
    )
    captions = page.get_by_role("region", name="Live captions")
    await expect(captions).to_contain_text("Bob: Captions reach you")
    await alice.check_accessibility("captions")
    await _send_caption(bob, alice, {"t": "caption-off"})
    await expect(captions).to_have_count(0)

    # Bob leaves: said once, by name.
    await alice.other_live_changes(reset=True)
    await bob.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    await expect(alice.tile(bob.uid)).to_have_count(0, timeout=20_000)
    await _wait_said_once(alice, "Bob left")
    assert await _said(alice, "Bob joined") == 1
    assert await alice.other_live_changes() == []

    # Alice leaves with the keyboard; the focus moves to the new view's heading.
    await alice.tab_to(page.get_by_role("button", name="Leave the meeting", exact=True))
    await keys.press("Enter")
    left = page.get_by_role("heading", name="You left the meeting")
    await expect(left).to_be_focused()
    await alice.check_accessibility("you left")


#: What the browser says of recognising English on this device (the Web Speech API's
#: `available`, Chrome 139+): only "available" means the app may offer captions.
ON_DEVICE = """async () => {
    const Class = window.SpeechRecognition || window.webkitSpeechRecognition;
    if (!Class || typeof Class.available !== "function") return "no api";
    return await Class.available({ langs: [document.documentElement.lang || navigator.language],
                                   processLocally: true });
}"""


async def test_no_captions_without_on_device_recognition_and_the_home_link(
    people: PersonFactory,
) -> None:
    """Headless Chromium here cannot recognise speech on the device (its language pack is at
    most "downloadable"): the caption control is not shown, in the bar nor in "More". And the
    room's "AVMeets home" link works with Enter, the home page's heading then has the focus."""
    alice = await people("alice")
    await alice.create_meeting(title="Speech")
    await alice.join_now()
    page = alice.page
    on_device = await page.evaluate(ON_DEVICE)
    assert on_device != "available", "this browser offers captions: test the control instead"
    await page.get_by_role("button", name="More options", exact=True).click()
    menu = page.get_by_role("menu", name="More options")
    await expect(menu.get_by_role("menuitemcheckbox", name="Audio only")).to_be_visible()
    await expect(page.get_by_text(re.compile("caption", re.I))).to_have_count(0)
    await page.keyboard.press("Escape")

    home = page.get_by_role("link", name="AVMeets home")
    await home.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Start a meeting")).to_be_visible()
    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_be_focused()
    # Focused to start reading there, not a control: no ring around it.
    ring = await heading.evaluate("(h) => getComputedStyle(h).outlineStyle")
    assert ring == "none", ring
