"""Two and three people meet in real Chromium: video, chat (group and private), safety codes."""

from __future__ import annotations

import re

from google.cloud import firestore
from playwright.async_api import expect

from tests.emulator.support.admin import admin_client, dump_all, matching
from tests.emulator.support.deadline import wait_for

from .conftest import PersonFactory

PASSWORD = "tulip orbit 42"


#: The people panel's safety codes that leave the list or overlap a button of their row.
_CODES_CLEAR = """() => {
    const list = document.querySelector(".people-list").getBoundingClientRect();
    const problems = [];
    for (const code of document.querySelectorAll(".people-list .safety-code:not([hidden])")) {
        // The text's own extent: an overflowing text does not widen its element's box.
        const range = document.createRange();
        range.selectNodeContents(code);
        const box = range.getBoundingClientRect();
        const text = code.textContent.trim();
        if (box.left < list.left || box.right > list.right) {
            problems.push(`${text}: outside the list`);
        }
        for (const button of code.closest("li").querySelectorAll("button")) {
            const b = button.getBoundingClientRect();
            const apart = b.right <= box.left || b.left >= box.right
                || b.bottom <= box.top || b.top >= box.bottom;
            if (!apart) problems.push(`${text}: under '${button.textContent.trim()}'`);
        }
    }
    return problems;
}"""


async def _cdr_legs(client: firestore.AsyncClient) -> dict[str, dict]:
    return matching(await dump_all(client), "cdrs")


async def test_two_people_with_password(people: PersonFactory) -> None:
    alice = await people("alice")
    bob = await people("bob")

    meeting_id = await alice.create_meeting(title="Design review", password=PASSWORD)
    await alice.screenshot("lobby")
    await alice.join_now()
    await expect(alice.page.locator(".room-title")).to_have_text("Design review")

    # Bob follows the link: the meeting is checked before the camera lobby, which asks for the
    # password at once. (Chrome logs the callable's HTTP 403 of "wrong-password".)
    bob.allow_console_error(r"status of 403 .*/join_meeting\)$")
    await bob.open_link(meeting_id)
    password = bob.page.get_by_label("Meeting password", exact=True)
    await expect(password).to_be_visible()
    await bob.check_accessibility("password in the lobby")
    await password.fill("not it")
    await bob.page.get_by_role("button", name="Join now", exact=True).click()
    await expect(bob.page.get_by_role("alert")).to_have_text("That password is not right.")
    await bob.check_accessibility("password prompt, wrong password")
    await bob.page.get_by_label("Meeting password", exact=True).fill(PASSWORD)
    await bob.page.get_by_role("button", name="Join", exact=True).click()
    await bob.wait_in_room()

    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    await alice.wait_video(bob)
    await bob.wait_video(alice)
    await expect(alice.tile(bob.uid)).to_have_attribute("data-path", "direct")
    await expect(alice.tile(bob.uid).locator(".tile-name")).to_have_text("Bob")

    # Both ends derive the same safety code from the two DTLS fingerprints.
    assert await alice.safety_code(bob) == await bob.safety_code(alice)

    await alice.send_chat("Hello Bob, can you see the slides?")
    message = await bob.wait_chat("Hello Bob, can you see the slides?")
    await expect(message.locator(".chat-from")).to_have_text("Alice")
    # The time as the person's locale writes it (Chromium's en-US here: "7:53 PM", not "07:53 PM").
    await expect(message.locator("time")).to_have_text(re.compile(r"^[1-9]\d?:\d\d\s[AP]M$"))
    # A web address is a link on both sides (axe checks its contrast in Alice's bubble below),
    # opened in a new tab with no referrer: the meeting's address stays in the meeting.
    await alice.send_chat("Slides: https://example.com/deck?p=2.")
    for person in (bob, alice):
        sent = await person.wait_chat("Slides: https://example.com/deck?p=2.")
        link = sent.get_by_role("link", name="https://example.com/deck?p=2", exact=True)
        await expect(link).to_have_attribute("href", "https://example.com/deck?p=2")
        await expect(link).to_have_attribute("target", "_blank")
        await expect(link).to_have_attribute("rel", re.compile(r"\bnoreferrer\b"))
    await bob.send_chat("Loud and clear.")
    await alice.wait_chat("Loud and clear.")
    await expect(alice.page.get_by_role("log", name="Chat messages")).to_have_attribute(
        "aria-live", "polite"
    )

    await alice.screenshot("room-chat")
    await alice.check_accessibility("room with chat")
    await bob.screenshot("room")

    # Both sides reported the connection, with stats, for the call data record; and the
    # answer's trigger has run (the callee's ICE credentials are on the leg), which may come
    # after both reports: the functions emulator can start a worker for it cold.
    client = admin_client()

    async def connected_leg() -> bool:
        legs = await _cdr_legs(client)
        return any(
            leg.get("state") == "connected"
            and "connect" in (leg.get("caller", {}).get("stats") or {})
            and "connect" in (leg.get("callee", {}).get("stats") or {})
            and bool(leg.get("callee", {}).get("iceUfrag"))
            for leg in legs.values()
        )

    await wait_for(
        connected_leg,
        timeout=20.0,
        what="a connected CDR leg with both sides' stats and the answer recorded",
        interval=0.5,
    )
    legs = await _cdr_legs(client)
    leg = next(iter(legs.values()))
    assert leg["caller"]["uid"] == bob.uid, "the newcomer sends the offer"
    assert leg["callee"]["uid"] == alice.uid
    assert leg["caller"]["stats"]["connect"]["relayed"] is False
    # Neither browser reports its first `connecting` (the server records it from the offer and
    # the answer), yet each side's timeline starts with it, before `connected`.
    for side in ("caller", "callee"):
        statuses = [entry["status"] for entry in leg[side]["timeline"]]
        assert statuses[:2] == ["connecting", "connected"], (side, statuses)

    # The web client beats by writing its own presence document (docs/protocol.md, `heartbeat`):
    # lastSeenAt moves past the join while the session stays the same (no close-out, no re-join).
    mid = meeting_id
    joined = (await client.document(f"meetings/{mid}/participants/{alice.uid}").get()).to_dict()
    assert joined is not None and joined["state"] == "joined", joined

    async def alice_beat() -> bool:
        presence = await client.document(f"meetings/{mid}/presence/{alice.uid}").get()
        seen = (presence.to_dict() or {}).get("lastSeenAt")
        return seen is not None and seen > joined["joinedAt"]

    await wait_for(alice_beat, timeout=20.0, what="Alice's browser to beat", interval=0.5)
    now = (await client.document(f"meetings/{mid}/participants/{alice.uid}").get()).to_dict()
    assert now is not None and now["session"] == joined["session"], "Alice was closed out"

    await bob.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    left = bob.page.get_by_role("heading", name="You left the meeting")
    await expect(left).to_be_focused()
    await bob.check_accessibility("you left")
    await expect(alice.tile(bob.uid)).to_have_count(0, timeout=20_000)

    async def leg_ended() -> bool:
        return all(leg.get("state") == "ended" for leg in (await _cdr_legs(client)).values())

    await wait_for(leg_ended, timeout=20.0, what="the CDR leg to end after Bob left", interval=0.5)
    gone = await client.document(f"meetings/{mid}/presence/{bob.uid}").get()
    assert not gone.exists, "Bob's presence document outlived his leave"


async def test_three_people_group_and_private_chat(people: PersonFactory) -> None:
    alice = await people("alice")
    bob = await people("bob")
    carol = await people("carol")

    meeting_id = await alice.create_meeting(title="Three of us")
    await alice.join_now()
    await bob.join(meeting_id)
    await carol.join(meeting_id)

    for me, others in ((alice, (bob, carol)), (bob, (alice, carol)), (carol, (alice, bob))):
        await me.wait_connected(*others)
    for me, others in ((alice, (bob, carol)), (bob, (alice, carol)), (carol, (alice, bob))):
        for other in others:
            await me.wait_video(other)
    await expect(alice.page.locator(".count")).to_have_text("3 people")

    await carol.send_chat("Hi both, Carol here")
    await alice.wait_chat("Hi both, Carol here")
    await bob.wait_chat("Hi both, Carol here")

    # A private message goes only on Bob's channel. The group message after it travels on the
    # same ordered channels, so once Carol has that one, the private one would have arrived.
    await alice.send_chat("Psst Bob, only for you", to=bob)
    private = await bob.wait_chat("Psst Bob, only for you")
    await expect(private).to_have_class(re.compile(r"\bprivate\b"))
    await expect(private.locator(".chat-to")).to_contain_text("private")
    await alice.send_chat("Back to everyone")
    await carol.wait_chat("Back to everyone")
    await bob.wait_chat("Back to everyone")
    assert "Psst Bob, only for you" not in await carol.chat_texts()

    for person in (alice, bob, carol):
        await person.screenshot("room")
    await alice.open_panel("People")
    await expect(alice.page.locator(".people-list li")).to_have_count(3)
    await expect(alice.page.locator(".people-list .safety-code:not([hidden])")).to_have_count(2)
    # Each code is readable whole: inside the list and clear of its row's buttons (beside a
    # host's three actions it ran under them and out of the panel).
    assert await alice.page.evaluate(_CODES_CLEAR) == []
    await alice.screenshot("people")
    await alice.check_accessibility("people panel, three people")
    # The list is searched by name, case and accents aside; nobody found is said so.
    search = alice.page.get_by_role("searchbox", name="Search for people", exact=True)
    await search.fill("CARÓL")
    await expect(alice.page.locator(".people-list li")).to_have_count(1)
    await expect(alice.page.locator(".people-list li")).to_have_attribute("data-uid", carol.uid)
    await expect(alice.page.locator(".people-search [role=status]")).to_have_text("1 of 3 people")
    await search.fill("zed")
    await expect(alice.page.locator(".people-list li")).to_have_count(0)
    await expect(alice.page.locator(".people-search [role=status]")).to_have_text(
        "No one here is called “zed”."
    )
    await alice.check_accessibility("people panel, nobody found")
    await search.fill("")
    await expect(alice.page.locator(".people-list li")).to_have_count(3)
