"""The meeting experience with three people in Chromium (Carol on a phone-sized window): who
speaks is highlighted and gets the stage, hands and reactions reach everyone, a presentation
fills the stage for everyone while the presenter's camera stays visible, pin (for me) and
spotlight (for everyone, by a host), join and leave notices. Screenshots of the presentation
view, the active speaker and the phone layout go to tests/browser/screenshots/.

Chromium's fake microphone beeps, so everyone "speaks" until muted: the speaker is made by muting
the others.
"""

from __future__ import annotations

import re

from playwright.async_api import ViewportSize, expect

from .conftest import PersonFactory
from .support import MEDIA_TIMEOUT_MS, Person

PHONE = ViewportSize(width=390, height=844)
SPEAKING = re.compile(r"\bspeaking\b")


async def _three(people: PersonFactory) -> tuple[Person, Person, Person]:
    alice = await people("alice")
    bob = await people("bob")
    carol = await people("carol")
    await carol.page.set_viewport_size(PHONE)
    meeting_id = await alice.create_meeting(title="Quarterly review")
    await alice.join_now()
    await alice.record_toasts()
    await bob.join(meeting_id)
    await alice.wait_toast("Bob joined")
    await carol.join(meeting_id)
    await alice.wait_toast("Carol joined")
    for me, others in ((alice, (bob, carol)), (bob, (alice, carol)), (carol, (alice, bob))):
        await me.wait_connected(*others)
    for person in (alice, bob, carol):
        await person.record_toasts()
    return alice, bob, carol


async def _mute(person: Person) -> None:
    await person.page.get_by_role("button", name="Turn off the microphone", exact=True).click()


async def test_speaker_hands_reactions_presentation_pin_spotlight(people: PersonFactory) -> None:
    alice, bob, carol = await _three(people)

    # Active speaker: only Bob's microphone is on.
    await _mute(alice)
    await _mute(carol)
    for viewer in (alice, carol):
        await expect(viewer.tile(bob.uid)).to_have_class(SPEAKING, timeout=MEDIA_TIMEOUT_MS)
        await expect(viewer.tile(bob.uid)).to_have_attribute("data-speaking", "true")
    for quiet in (alice, carol):
        await expect(bob.tile(quiet.uid)).to_have_attribute("data-speaking", "false")
    # On the phone, three people are enough for the speaker to get the stage.
    main = carol.page.locator(".main-view.camera")
    await expect(main).to_have_attribute("data-uid", bob.uid)
    await alice.screenshot("active-speaker")
    await carol.screenshot("phone-active-speaker")

    # A raised hand reaches everyone, is announced, and leads the people list.
    await carol.page.get_by_role("button", name="Raise hand", exact=True).click()
    for viewer in (alice, bob):
        await expect(viewer.tile(carol.uid).locator(".tile-hand")).to_be_visible()
    await alice.wait_toast("Carol raised a hand")
    await alice.open_panel("People")
    await expect(alice.page.locator(".people-list li").first).to_have_attribute(
        "data-uid", carol.uid
    )
    await carol.page.get_by_role("button", name="Lower hand", exact=True).click()
    await expect(alice.tile(carol.uid).locator(".tile-hand")).to_be_hidden()
    # The host lowers every raised hand at once: each person's own client lowers it, says who.
    for person in (bob, carol):
        await person.record_toasts()
        await person.page.get_by_role("button", name="Raise hand", exact=True).click()
    panel = alice.page.locator(".side-panel")
    await expect(panel.locator(".hands-summary")).to_contain_text("2 raised hands")
    await panel.get_by_role("button", name="Lower all hands", exact=True).click()
    for person in (bob, carol):
        await expect(alice.tile(person.uid).locator(".tile-hand")).to_be_hidden()
        await person.wait_toast("Alice lowered your hand")
        await expect(
            person.page.get_by_role("button", name="Raise hand", exact=True)
        ).to_be_visible()
    await expect(panel.locator(".hands-summary")).to_have_count(0)

    # A reaction floats over the sender's tile everywhere (for 4 s: recorded as it appears).
    for viewer in (alice, carol):
        await viewer.record_reactions()
    await bob.page.get_by_role("button", name="React", exact=True).click()
    await bob.page.get_by_role("menuitem", name="Celebrate").click()
    for viewer in (alice, carol):
        await viewer.wait_reaction(bob.uid, "🎉")

    # Alice presents: her screen fills everyone's stage, her camera stays first in the row.
    await alice.page.get_by_role("button", name="Present: share your screen", exact=True).click()
    for viewer in (bob, carol):
        screen = viewer.page.locator(f'.main-view.presentation[data-uid="{alice.uid}"]')
        await expect(screen).to_have_attribute("data-live", "true", timeout=MEDIA_TIMEOUT_MS)
        await expect(viewer.page.locator(".strip .tile").first).to_have_attribute(
            "data-uid", alice.uid
        )
        await viewer.wait_video(alice)
    await expect(alice.page.locator(".main-view.presentation.own")).to_contain_text(
        "You are presenting"
    )
    await bob.page.wait_for_function(
        """(uid) => { const v = document.querySelector(`.presentation[data-uid="${uid}"] video`);
                     return v && v.videoWidth >= 640 && v.getBoundingClientRect().width > 600; }""",
        arg=alice.uid,
    )
    await bob.screenshot("presentation")
    await carol.screenshot("phone-presentation")
    await carol.check_accessibility("phone, a presentation")
    await alice.screenshot("presenting")

    # Pin is for me only: Bob pins Carol, the others keep the presentation.
    await bob.tile_menu(carol.uid, "Pin Carol for me")
    pinned = bob.page.locator(".main-view.camera")
    await expect(pinned).to_have_attribute("data-uid", carol.uid)
    await expect(pinned).to_contain_text("Pinned for you")
    await expect(carol.page.locator(".main-view.presentation")).to_have_count(1)
    await bob.page.get_by_role("button", name="Unpin", exact=True).click()
    await expect(bob.page.locator(".main-view.presentation")).to_have_count(1)

    # Spotlight is for everyone, and said so; only a host or co-host sets it (Bob's menu for
    # Carol has "Pin" and no spotlight).
    await bob.tile(carol.uid).get_by_role("button", name="Options for Carol", exact=True).click()
    await expect(bob.page.get_by_role("menuitem", name="Pin Carol for me")).to_be_visible()
    await expect(bob.page.get_by_role("menuitem", name=re.compile("Spotlight"))).to_have_count(0)
    await bob.page.keyboard.press("Escape")
    await bob.record_toasts()
    await alice.tile_menu(carol.uid, "Spotlight Carol for everyone")
    for viewer in (alice, bob, carol):
        spot = viewer.page.locator(".main-view.camera")
        await expect(spot).to_have_attribute("data-uid", carol.uid)
        await expect(spot).to_contain_text("Spotlight")
    await bob.wait_toast("Alice put Carol in the spotlight for everyone")
    await alice.screenshot("spotlight")
    await alice.check_accessibility("spotlight")
    await alice.tile_menu(carol.uid, "End the spotlight")
    await expect(bob.page.locator(".main-view.presentation")).to_have_count(1)

    await alice.page.get_by_role(
        "button", name="Stop presenting: stop sharing your screen", exact=True
    ).click()
    await expect(bob.page.locator(".main-view.presentation")).to_have_count(0)

    # Leaving is announced.
    await carol.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    await alice.wait_toast("Carol left")
    await expect(alice.tile(carol.uid)).to_have_count(0, timeout=20_000)
