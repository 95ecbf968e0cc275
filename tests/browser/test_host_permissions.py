"""What a host turns off for participants, in Chromium (docs/protocol.md section 5, "What hosts
may turn off"): the people panel's "Let participants" switches, the participant's page holding
itself to them (its microphone, camera and presentation off and kept off, its chat and files
only to those who run the meeting, no reactions, no drawing), and the host's page holding the
participant to them whatever the participant's browser sends: a page made to ignore them (its
microphone track switched back on, a media message saying so, a chat message, a reaction, a
stroke, a clearing of the board and a file to everyone written straight to the data channels)
is still silent, shown muted and unread, unshown and undrawn on the host's page. Then the host
lets that one participant turn the microphone on (a raised hand given the floor), takes it
back, and turns microphones on for everyone: nothing comes back by itself.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import FilePayload, expect

from .conftest import PersonFactory, meet
from .support import MEDIA_TIMEOUT_MS, MESSAGE_TIMEOUT_MS, Person

MIC_OFF = "A host turned microphones off for participants. Raise your hand to ask to speak."
MIC_AGAIN = "You can turn your microphone on again."
#: Alice's page receives Bob's microphone: shown on, its track playing.
MIC_ON = "(r) => r.shown.audio && r.camera.some(([k, on]) => k === 'audio' && on)"
QA_OFF = "A host turned the chat off for participants, and questions with it."
CHAT_OFF = (
    "A host turned the chat off for participants. You can still write privately to the host"
    " and co-hosts."
)
FILES_OFF = (
    "A host turned file sharing off for participants. You can still send files privately to the"
    " host and co-hosts."
)
BOARD_OFF = "A host turned drawing on the whiteboard off for participants."

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
#: app's back, a media message saying so, and on the data channels a chat message, a reaction,
#: a stroke, a clearing of the board and a file, all to everyone. Then a request for the board,
#: whose answer (kept in window.__boardIn) shows that the host's page read what came before it.
IGNORE_THE_HOST = """() => {
    const meeting = window.__avmeets.currentView().meeting.meeting;
    meeting.local.audioTrack.enabled = true;
    const media = { t: "media", audio: true, video: true, screen: false, recording: false };
    const chat = { t: "chat", id: "sneak", text: "Sneaky hello", scope: "all" };
    const stroke = { t: "stroke", id: "sneaky-stroke", color: "#d93025", width: 6, erase: false,
                     pts: [0, 0, 5000, 5000] };
    const file = { t: "file", fid: "sneaky", name: "sneaky.txt", size: 2, mime: "text/plain",
                   scope: "all" };
    window.__boardIn = [];
    for (const link of meeting.links.values()) {
        link.send("chat", JSON.stringify(media));
        link.send("chat", JSON.stringify(chat));
        link.send("gestures", JSON.stringify({ t: "react", emoji: "🎉" }));
        const board = link.channel("board");
        board.addEventListener("message", (e) => window.__boardIn.push(e.data));
        board.send(JSON.stringify(stroke));
        board.send(JSON.stringify({ t: "clear" }));
        board.send(JSON.stringify({ t: "sync-request" }));
        const files = link.channel("files");
        files.send(JSON.stringify(file));
        files.send(new Uint8Array([104, 105]).buffer);
        files.send(JSON.stringify({ t: "file-end", fid: "sneaky" }));
    }
}"""

#: What the host's page holds of the board, and of `uid`'s reactions, files and hand.
HELD_BY_HOST = """(uid) => {
    const session = window.__avmeets.currentView().meeting;
    return {
        strokes: [...session.board.strokes.keys()],
        reactions: (window.__reactions || []).filter((r) => r.startsWith(uid)),
        files: session.files.transfers.value.map((t) => t.value.name),
        hand: session.gestures.hands.value.has(uid),
    };
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
    await alice.record_announcements()
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
            ("files", "Send files"),
            ("reactions", "Send reactions"),
            ("whiteboard", "Draw on the whiteboard"),
            ("rename", "Rename themselves"),
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
    await bob.check_accessibility("chat turned off by a host")
    # Questions go to everyone, so the chat's switch holds them too.
    await bob.open_panel("Questions and answers", key="qa")
    await expect(bob.page.locator("#qa-off")).to_have_text(QA_OFF)
    await expect(bob.page.get_by_label("Ask a question", exact=True)).to_be_disabled()

    # Files, reactions and drawing off: Bob's controls say so, and do nothing.
    for what in ("files", "reactions", "whiteboard"):
        await switches[what].uncheck()
    react = bob.page.get_by_role("button", name="React: turned off by a host", exact=True)
    await expect(react).to_be_visible(timeout=MESSAGE_TIMEOUT_MS)
    await react.click()
    await bob.wait_toast("A host turned reactions off")
    await bob.open_panel("Files")
    await expect(bob.page.locator(".files-off")).to_have_text(FILES_OFF)
    pick = bob.page.locator("label.file-pick")  # the file input shares its name
    await expect(pick).to_have_attribute("aria-disabled", "true")
    await bob.check_accessibility("files turned off by a host")
    await bob.open_whiteboard()
    await expect(bob.page.locator(".board-off")).to_have_text(BOARD_OFF)
    await expect(bob.page.get_by_role("button", name="Pen", exact=True)).to_be_disabled()
    await bob.page.get_by_role("button", name="Whiteboard", exact=True).click()  # closed again
    await alice.check_accessibility("people panel, participants' permissions off")

    # Bob's browser ignores all that; Alice's page holds him to it all the same. Each check
    # waits for something Alice takes from Bob after the sneaky messages, on the same ordered
    # channel: a private message and a private file to her (the host), his raised hand, her
    # answer to his request for the board.
    drawn = await alice.page.evaluate(
        "() => window.__avmeets.currentView().meeting.board.begin('#111111', 6, false, 100, 100).id"
    )
    await alice.record_reactions()
    await bob.page.evaluate(IGNORE_THE_HOST)
    await bob.send_chat("Can I speak?", to=alice)
    await alice.wait_chat("Can I speak?")
    assert await alice.chat_message("Sneaky hello").count() == 0
    await bob.open_panel("Files")
    await bob.page.locator("#files-to").select_option(alice.uid)
    await expect(pick).not_to_have_attribute("aria-disabled", "true")
    question = FilePayload(name="question.txt", mimeType="text/plain", buffer=b"May I?")
    await bob.page.locator("#file-input").set_input_files(files=[question])
    await bob.page.get_by_role("button", name="Raise hand", exact=True).click()
    await bob.page.wait_for_function(
        "(id) => (window.__boardIn || []).some((m) => m.includes(id))", arg=drawn
    )
    await alice.page.wait_for_function(
        f"(uid) => {{ const held = ({HELD_BY_HOST})(uid);"
        " return held.hand && held.files.includes('question.txt'); }",
        arg=bob.uid,
        timeout=MESSAGE_TIMEOUT_MS,
    )
    held = await alice.page.evaluate(HELD_BY_HOST, bob.uid)
    assert held["strokes"] == [drawn], held  # neither his stroke nor his clearing
    assert held["reactions"] == [], held
    assert held["files"] == ["question.txt"], held
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
    await alice.open_people()  # the chat and the files had taken the side panel
    await alice.host_action(bob.uid, f"Let {bob.name} turn on their microphone")
    await wait_announced(bob, "A host lets you turn on your microphone.", times=1)
    turn_on = bob.page.get_by_role("button", name="Turn on the microphone", exact=True)
    await turn_on.click()
    await wait_received(alice, bob.uid, MIC_ON, "Bob's microphone heard by Alice again")
    await expect(
        bob.page.get_by_role("button", name="Camera: turned off by a host", exact=True)
    ).to_be_visible()
    await bob.screenshot("let-to-speak")
    await alice.host_action(bob.uid, f"Stop letting {bob.name} turn on their microphone")
    await expect(mic_button).to_be_visible(timeout=MESSAGE_TIMEOUT_MS)
    await wait_announced(bob, "A host no longer lets you turn on your microphone.", times=1)
    await wait_received(alice, bob.uid, "(r) => !r.shown.audio", "Bob muted again")

    # Microphones on for everyone: nothing comes back by itself; Bob turns his on.
    await switches["mic"].check()
    await wait_announced(bob, MIC_AGAIN, times=1)
    await turn_on.click()
    await wait_received(alice, bob.uid, MIC_ON, "Bob's microphone heard by Alice again")
    await bob.screenshot("turned-off-by-a-host")
    await alice.screenshot("let-participants")

    # Bob leaves and rejoins: the lobby says what is off, and holds nothing (his camera comes on
    # as he chose); back in the meeting, cameras are still off for participants.
    await bob.leave()
    await bob.page.get_by_role("button", name="Rejoin", exact=True).click()
    await expect(bob.page.locator(".lobby .notice")).to_have_text(
        "A host turned cameras, presenting, the chat, sending files, reactions and drawing on the"
        " whiteboard off for participants in this meeting.",
        timeout=MESSAGE_TIMEOUT_MS,
    )
    await expect(
        bob.page.get_by_role("button", name="Turn off the camera", exact=True)
    ).to_be_visible(timeout=MESSAGE_TIMEOUT_MS)
    await bob.join_now()
    await expect(
        bob.page.get_by_role("button", name="Camera: turned off by a host", exact=True)
    ).to_be_visible(timeout=MESSAGE_TIMEOUT_MS)

    # Renaming off for participants (the server refuses it): Bob's Rename says so. On again, he
    # renames himself; Alice's page shows it and says so; a reload keeps it.
    await switches["rename"].uncheck()
    await bob.open_people()
    held = bob.page.get_by_role("button", name="Rename: turned off by a host", exact=True)
    await expect(held).to_be_visible(timeout=MESSAGE_TIMEOUT_MS)
    await held.click()
    await bob.wait_toast("A host turned renaming off")
    await switches["rename"].check()
    await bob.page.get_by_role("button", name="Rename yourself", exact=True).click()
    field = bob.page.get_by_label("Your name", exact=True)
    await expect(field).to_be_focused()
    await field.fill("bob@example.com")
    save = bob.page.get_by_role("button", name="Save", exact=True)
    await save.click()
    await expect(bob.page.locator("#rename-problem")).to_contain_text("not an e-mail address")
    await bob.check_accessibility("renaming oneself")
    await field.fill("Robert")
    await save.click()
    await expect(alice.tile(bob.uid)).to_contain_text("Robert", timeout=MESSAGE_TIMEOUT_MS)
    await wait_announced(alice, "Bob is now Robert", times=1)
    await expect(bob.page.get_by_role("button", name="Rename yourself", exact=True)).to_be_focused()
    await bob.page.reload()
    await bob.wait_in_room()
    await expect(bob.page.locator(f'.tile[data-uid="{bob.uid}"]')).to_contain_text(
        "Robert (you)", timeout=MESSAGE_TIMEOUT_MS
    )
    await alice.wait_connected(bob)
    await expect(alice.tile(bob.uid)).to_contain_text("Robert")
