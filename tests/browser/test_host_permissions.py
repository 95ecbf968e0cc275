"""What a host turns off for participants, in Chromium (docs/protocol.md section 5, "What hosts
may turn off"): the people panel's "Let participants" switches, the participant's page holding
itself to them (its microphone, camera and presentation off and kept off, its chat only to
those who run the meeting), and the host's page holding the participant to them whatever the
participant's browser sends: a page made to ignore them (its microphone track switched back
on, a media message saying so, a chat message to everyone written straight to the data
channel) is still silent, shown muted and unread on the host's page. Then the host lets that one
participant turn the microphone on (a raised hand given the floor), takes it back, and turns
microphones on for everyone: nothing comes back by itself.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from .conftest import PersonFactory, meet
from .support import MEDIA_TIMEOUT_MS, MESSAGE_TIMEOUT_MS, Person

MIC_OFF = "A host turned microphones off for participants. Raise your hand to ask to speak."
MIC_AGAIN = "You can turn your microphone on again."
#: Alice's page receives Bob's microphone: shown on, its track playing.
MIC_ON = "(r) => r.shown.audio && r.camera.some(([k, on]) => k === 'audio' && on)"
CHAT_OFF = (
    "A host turned the chat off for participants. You can still write privately to the host"
    " and co-hosts."
)

#: What `who`'s page receives of `uid`: the media its view shows, and whether each received
#: track plays (a disabled track plays silence or black).
RECEIVED = """(uid) => {
    const link = window.__avmeets.currentView().meeting.links.get(uid);
    if (!link) return null;
    const tracks = (stream) => stream.getTracks().map((t) => [t.kind, t.enabled]);
    return {
        shown: link.view.value.remoteMedia,
        camera: tracks(link.remoteStream),
        screen: tracks(link.screenStream),
    };
}"""

#: A browser that ignores the meeting's restrictions: the microphone track on again behind the
#: app's back, a media message saying so, and a chat message to everyone on the data channel.
IGNORE_THE_HOST = """() => {
    const meeting = window.__avmeets.currentView().meeting.meeting;
    meeting.local.audioTrack.enabled = true;
    const media = { t: "media", audio: true, video: true, screen: false, recording: false };
    const chat = { t: "chat", id: "sneak", text: "Sneaky hello", scope: "all" };
    for (const link of meeting.links.values()) {
        link.send("chat", JSON.stringify(media));
        link.send("chat", JSON.stringify(chat));
    }
}"""


async def received(who: Person, uid: str) -> dict[str, Any]:
    got: dict[str, Any] | None = await who.page.evaluate(RECEIVED, uid)
    assert got is not None, f"no connection to {uid}"
    return got


async def wait_received(who: Person, uid: str, want: Any, what: str) -> None:
    """Poll `who`'s view of `uid` until `want(received)` holds."""
    await who.page.wait_for_function(
        f"(uid) => {{ const r = ({RECEIVED})(uid); return !!r && ({want})(r); }}",
        arg=uid,
        timeout=MESSAGE_TIMEOUT_MS,
    )


async def wait_announced(who: Person, text: str, *, times: int) -> None:
    """Wait until `who`'s page has said `text` politely `times` times (record_announcements)."""
    await who.page.wait_for_function(
        "([text, times]) => (window.__announced || [])"
        ".filter((a) => a === `polite: ${text}`).length >= times",
        arg=[text, times],
        timeout=MESSAGE_TIMEOUT_MS,
    )


async def test_a_host_turns_things_off_for_participants(people: PersonFactory) -> None:
    _, (alice, bob) = await meet(people, "alice", "bob", title="Town hall")
    await bob.record_announcements()
    await bob.record_toasts()
    await alice.wait_video(bob)
    await wait_received(alice, bob.uid, MIC_ON, "Bob's microphone heard by Alice")

    # Bob presents; Alice sees it.
    await bob.page.get_by_role("button", name="Present: share your screen", exact=True).click()
    presentation = alice.page.locator(f'.main-view.presentation[data-uid="{bob.uid}"]')
    await expect(presentation).to_have_attribute("data-live", "true", timeout=MEDIA_TIMEOUT_MS)

    # Alice's switches: everything on at first.
    panel = await alice.open_people()
    let = panel.get_by_role("group", name="Let participants")
    switches = {
        what: let.get_by_role("switch", name=name, exact=True)
        for what, name in (
            ("mic", "Turn on their microphone"),
            ("camera", "Turn on their camera"),
            ("present", "Share their screen"),
            ("chat", "Send chat messages"),
        )
    }
    for switch in switches.values():
        await expect(switch).to_be_checked()

    # Microphones off: Bob's goes off and is said; pressing it keeps it off and says why.
    await switches["mic"].uncheck()
    mic_button = bob.page.get_by_role("button", name="Microphone: turned off by a host", exact=True)
    await expect(mic_button).to_be_visible(timeout=MESSAGE_TIMEOUT_MS)
    assert f"polite: {MIC_OFF}" in await bob.announcements()
    await mic_button.click()
    await bob.wait_toast("A host turned microphones off")
    await expect(mic_button).to_be_visible()
    assert (
        await bob.page.evaluate("() => window.__avmeets.currentView().meeting.meeting.local.micOn")
        is False
    )
    await wait_received(alice, bob.uid, "(r) => !r.shown.audio", "Bob shown muted to Alice")

    # Cameras and presenting off: Bob's camera and presentation stop; his saved choice stays.
    await switches["camera"].uncheck()
    await switches["present"].uncheck()
    await expect(
        bob.page.get_by_role("button", name="Camera: turned off by a host", exact=True)
    ).to_be_visible(timeout=MESSAGE_TIMEOUT_MS)
    await expect(presentation).to_have_count(0, timeout=MESSAGE_TIMEOUT_MS)
    await expect(
        bob.page.get_by_role("button", name="Present: turned off by a host", exact=True)
    ).to_be_visible()
    prefs = await bob.page.evaluate("() => JSON.parse(localStorage.getItem('avmeets:media-prefs'))")
    assert prefs["camOn"] is True and prefs["micOn"] is True, prefs

    # The chat off: Bob may write to Alice (the host) only.
    await switches["chat"].uncheck()
    await bob.open_panel("Chat")
    await expect(bob.page.locator(".chat-off")).to_have_text(CHAT_OFF, timeout=MESSAGE_TIMEOUT_MS)
    send = bob.page.get_by_role("button", name="Send message", exact=True)
    await expect(send).to_be_disabled()  # to everyone
    await alice.check_accessibility("people panel, participants' permissions off")
    await bob.check_accessibility("chat turned off by a host")

    # Bob's browser ignores all that; Alice's page holds him to it all the same.
    await bob.page.evaluate(IGNORE_THE_HOST)
    await bob.send_chat("Can I speak?", to=alice)
    await alice.wait_chat("Can I speak?")  # after the sneaky one, on the same ordered channel
    assert await alice.chat_message("Sneaky hello").count() == 0
    got = await received(alice, bob.uid)
    assert got["shown"]["audio"] is False and got["shown"]["video"] is False, got
    assert ["audio", False] in got["camera"] and ["video", False] in got["camera"], got
    assert all(not on for _, on in got["screen"]), got
    await expect(alice.tile(bob.uid).locator(".tile-mic")).to_be_visible()
    await expect(alice.tile(bob.uid)).to_have_class(re.compile(r"\bno-video\b"))

    # Bob raised his hand: Alice lets him alone turn his microphone on; Bob does, Alice hears.
    await bob.page.evaluate(
        "() => { window.__avmeets.currentView().meeting.meeting.local.audioTrack.enabled = false; }"
    )
    await alice.open_people()  # the chat had taken the side panel
    await alice.host_action(bob.uid, f"Let {bob.name} turn on their microphone")
    await wait_announced(bob, MIC_AGAIN, times=1)
    turn_on = bob.page.get_by_role("button", name="Turn on the microphone", exact=True)
    await turn_on.click()
    await wait_received(alice, bob.uid, MIC_ON, "Bob's microphone heard by Alice again")
    await expect(
        bob.page.get_by_role("button", name="Camera: turned off by a host", exact=True)
    ).to_be_visible()
    await bob.screenshot("let-to-speak")
    await alice.host_action(bob.uid, f"Stop letting {bob.name} turn on their microphone")
    await expect(mic_button).to_be_visible(timeout=MESSAGE_TIMEOUT_MS)
    await wait_received(alice, bob.uid, "(r) => !r.shown.audio", "Bob muted again")

    # Microphones on for everyone: nothing comes back by itself; Bob turns his on.
    await switches["mic"].check()
    await wait_announced(bob, MIC_AGAIN, times=2)
    await turn_on.click()
    await wait_received(alice, bob.uid, MIC_ON, "Bob's microphone heard by Alice again")
    await bob.screenshot("turned-off-by-a-host")
    await alice.screenshot("let-participants")
