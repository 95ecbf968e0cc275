"""Getting into a meeting and finding one's way: the meeting checked before the camera lobby,
errors with the next useful action, the invitation in the empty room, a phone's lobby on one
screen, labelled controls with a "More" menu on a phone, the whiteboard beside an open panel.
"""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.emulator.support.actors import Actor
from tests.emulator.support.auth import sign_in_with_google
from tests.emulator.support.userstore import UserAsyncClient

from .conftest import PersonFactory

PASSWORD = "violet harbour 7"


async def test_unknown_meeting_is_said_before_the_camera(people: PersonFactory) -> None:
    alice = await people("alice")
    await alice.open_link("zzz-zzzz-zzz")
    alert = alice.page.get_by_role("alert")
    await expect(alert.get_by_role("heading")).to_have_text("There is no meeting zzz-zzzz-zzz")
    # No lobby, so no camera was asked for; no "Try again" that cannot succeed.
    await expect(alice.page.get_by_role("heading", name="Ready to join?")).to_have_count(0)
    assert await alice.page.evaluate("() => document.querySelectorAll('video').length") == 0
    await expect(alert.get_by_role("button", name="Try again", exact=True)).to_have_count(0)
    await expect(alert.get_by_role("heading")).to_be_focused()
    await alice.check_accessibility("unknown meeting")
    await alice.page.get_by_role("button", name="Go to the home page", exact=True).click()
    await expect(alice.page.get_by_role("heading", name="Start a meeting")).to_be_visible()


async def test_invitation_in_the_empty_room(people: PersonFactory, web_url: str) -> None:
    alice = await people("alice")
    await alice.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=web_url)
    meeting_id = await alice.create_meeting(title="Board game night", password=PASSWORD)
    await alice.join_now()
    card = alice.page.locator(".invite-card")
    await expect(card).to_be_visible()
    await expect(card.get_by_label("Meeting link", exact=True)).to_have_value(
        f"{web_url}/m/{meeting_id}"
    )
    await expect(card).to_contain_text(meeting_id)
    await expect(card.locator(".invite-password")).to_have_attribute("data-password", "true")
    await card.get_by_role("button", name="Copy invitation", exact=True).click()
    text = await alice.page.evaluate("() => navigator.clipboard.readText()")
    assert text.startswith('Join my AVMeets meeting "Board game night": '), text
    assert f"Meeting code: {meeting_id}" in text and "A password is needed" in text, text
    assert PASSWORD not in text
    await alice.screenshot("invitation")
    await alice.check_accessibility("room alone, the invitation")

    # Someone joins: the card gives way to the grid; the top bar's Invite opens the same.
    bob = await people("bob")
    bob.allow_console_error(r"status of 403 .*/join_meeting\)$")
    await bob.open_link(meeting_id)
    await bob.page.get_by_label("Meeting password", exact=True).fill(PASSWORD)
    await bob.page.get_by_role("button", name="Join now", exact=True).click()
    await bob.wait_in_room()
    await expect(card).to_have_count(0)
    await alice.page.get_by_role("button", name=re.compile(r"^Invite ")).click()
    dialog = alice.page.get_by_role("dialog", name="Invite people")
    await expect(dialog.locator(".invite-password")).to_have_attribute("data-password", "true")
    await dialog.get_by_role("button", name="Done", exact=True).click()


async def test_a_phone_lobby_shows_the_preview_and_join_now_together(
    people: PersonFactory,
) -> None:
    """On a small phone the lobby opens with the camera preview, the meeting's title and "Join
    now" on one screen; it used to open scrolled down to the focused button, the preview and
    the title above the screen. Held sideways, the preview stays in view beside the form."""
    bob = await people("bob")
    page = bob.page
    await page.set_viewport_size({"width": 375, "height": 667})
    await bob.create_meeting(title="Weekly design review")
    join = page.get_by_role("button", name="Join now", exact=True)
    await expect(join).to_be_focused()
    preview = page.locator(".lobby-preview")
    for part in (
        preview,
        page.get_by_role("heading", name='Ready to join "Weekly design review"?', exact=True),
        page.get_by_label("Microphone", exact=True),
        page.get_by_label("Camera", exact=True),
        page.get_by_role(
            "switch", name="Hide my IP address from the other participants", exact=True
        ),
        join,
    ):
        await expect(part).to_be_in_viewport(ratio=1)
    await bob.screenshot("phone-lobby")
    await bob.check_accessibility("phone lobby")

    async def initials_above_the_buttons() -> None:
        avatar = await page.locator(".lobby-avatar").bounding_box()
        toggles = await page.locator(".lobby-toggles .btn-round").first.bounding_box()
        assert avatar is not None and toggles is not None
        assert avatar["y"] + avatar["height"] <= toggles["y"], (avatar, toggles)

    # With the camera off, the initials sit above the on/off buttons, not under them.
    await page.get_by_role("button", name="Turn off the camera", exact=True).click()
    await initials_above_the_buttons()
    await bob.screenshot("phone-lobby-camera-off")

    await page.set_viewport_size({"width": 667, "height": 375})
    await join.focus()
    await expect(join).to_be_in_viewport(ratio=1)
    await expect(preview).to_be_in_viewport(ratio=1)
    await initials_above_the_buttons()
    await bob.screenshot("phone-lobby-sideways")
    await bob.check_accessibility("phone lobby, sideways")
    await bob.join_now()


async def test_phone_controls_and_the_whiteboard_beside_a_panel(people: PersonFactory) -> None:
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title="Sketches")
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)

    # Every control has a visible word; on a phone the bar keeps one row and the rest is in More.
    await bob.page.set_viewport_size({"width": 390, "height": 844})
    bar = bob.page.locator(".controls")
    box = await bar.bounding_box()
    assert box is not None and box["height"] < 110, box
    for word in ("Microphone", "Camera", "Raise hand", "Chat", "More", "Leave"):
        await expect(bar.locator(".ctl-text", has_text=word).first).to_be_visible()
    await bob.page.get_by_role("button", name="More options", exact=True).click()
    menu = bob.page.get_by_role("menu", name="More options")
    for item in ("Whiteboard", "People", "Files", "Audio only"):
        await expect(
            menu.get_by_role("menuitem", name=item).or_(
                menu.get_by_role("menuitemcheckbox", name=item)
            )
        ).to_be_visible()
    await bob.screenshot("phone-more-menu")
    await bob.check_accessibility("phone, the More menu", within=".controls .menu")
    await bob.page.keyboard.press("Escape")
    await expect(menu).to_have_count(0)
    await bob.screenshot("phone-room")
    await bob.check_accessibility("phone room")

    # The whiteboard with the chat open beside it: the canvas fits between them.
    canvas = await alice.open_whiteboard()
    await alice.open_panel("Chat")
    # The canvas follows the stage's new size (a ResizeObserver): poll until it has.
    await alice.page.wait_for_function(
        """() => {
            const c = document.querySelector(".board-canvas").getBoundingClientRect();
            const p = document.querySelector(".side-panel").getBoundingClientRect();
            return c.width > 0 && c.right <= p.left + 1;
        }"""
    )
    panel = await alice.page.locator(".side-panel").bounding_box()
    board = await canvas.bounding_box()
    viewport = alice.page.viewport_size
    assert panel is not None and board is not None and viewport is not None
    assert board["x"] >= 0 and board["x"] + board["width"] <= panel["x"] + 1, (board, panel)
    assert board["y"] >= 0 and board["y"] + board["height"] <= viewport["height"], (board, viewport)
    assert board["width"] > 300, board
    await alice.screenshot("whiteboard-beside-chat")
    await alice.check_accessibility("whiteboard beside the chat")


async def test_a_crowded_meeting_is_joined_with_the_microphone_off(people: PersonFactory) -> None:
    """As Meet: into a meeting of five or more, the lobby turns the microphone off and says why,
    for this meeting only (the saved choice stays on); the person may turn it on again."""
    crowd: list[Actor] = []
    try:
        for n in range(5):  # by the callables alone: present, never connecting
            user = await sign_in_with_google(f"Guest{n}", None)
            crowd.append(Actor(user=user, ip=f"203.0.113.{40 + n}", store=UserAsyncClient(user)))
        meeting_id = await crowd[0].create_meeting(title="Town hall")
        for guest in crowd:
            await guest.join(meeting_id)
        dana = await people("dana")
        await dana.open_link(meeting_id)
        notice = dana.page.get_by_text(
            "Your microphone is off: 5 people are already in this meeting. Turn it on to speak."
        )
        await expect(notice).to_be_visible()
        mic_on = dana.page.get_by_role("button", name="Turn on the microphone", exact=True)
        await expect(mic_on).to_be_visible()
        saved = "() => JSON.parse(localStorage.getItem('avmeets:media-prefs') || '{}').micOn"
        assert await dana.page.evaluate(saved) is not False
        await dana.check_accessibility("lobby of a crowded meeting")
        await mic_on.click()
        await expect(
            dana.page.get_by_role("button", name="Turn off the microphone", exact=True)
        ).to_be_visible()
        await expect(notice).to_have_count(0)
    finally:
        for guest in crowd:
            await guest.dispose()
