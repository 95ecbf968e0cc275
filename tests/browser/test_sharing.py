"""Files, whiteboard and recordings: peer to peer, and recordings kept in the browser."""

from __future__ import annotations

import asyncio
import os
import re
from hashlib import sha256
from pathlib import Path

from playwright.async_api import Dialog, expect

from .conftest import PersonFactory, meet
from .support import Person, selected_pair, sha256_file

FILE_SIZE = 8 * 1024 * 1024 + 12345  # not a multiple of the 64 KiB chunk


async def _meet(people: PersonFactory, *labels: str) -> tuple[str, list[Person]]:
    return await meet(people, *labels, title="Sharing")


def _accept_dialogs(person: Person) -> None:
    person.page.on("dialog", lambda dialog: asyncio.ensure_future(_accept(dialog)))


async def _accept(dialog: Dialog) -> None:
    await dialog.accept()


async def test_file_arrives_byte_identical(
    people: PersonFactory, tmp_path: Path, island: bool
) -> None:
    _, (alice, bob) = await _meet(people, "alice", "bob")
    if island:
        for person, other in ((alice, bob), (bob, alice)):
            pair = await selected_pair(person, other.uid)
            # Only loopback (the remote end is often peer-reflexive, its address then hidden).
            assert pair["localAddress"] in ("127.0.0.1", "::1"), pair

    source = tmp_path / "quarterly report.bin"
    source.write_bytes(os.urandom(FILE_SIZE))
    expected = sha256_file(source)

    await bob.open_panel("Files")
    await bob.track_progress()
    await alice.open_panel("Files")
    await alice.track_progress()
    await alice.page.locator("#files-to").select_option(bob.uid)
    await alice.page.locator("#file-input").set_input_files(str(source))

    digest, size = await bob.received_file_sha256(source.name)
    assert size == FILE_SIZE
    assert digest == expected
    await expect(bob.page.locator('.file-row[data-direction="in"]')).to_contain_text("private")
    sent = alice.page.locator('.file-row[data-direction="out"]')
    await expect(sent).to_have_attribute("data-status", "done", timeout=30_000)
    await expect(sent.locator("progress")).to_have_attribute("value", str(FILE_SIZE))

    # Progress was shown on both sides while the file travelled, not only at the end.
    for person, direction in ((bob, "in"), (alice, "out")):
        values = await person.progress_seen(direction)
        assert any(0 < value < maximum for value, maximum in values), (person.label, values[:20])
    await alice.screenshot("files")
    await alice.check_accessibility("files panel, sent")
    await bob.screenshot("files")
    await bob.check_accessibility("files panel, received")


#: Files dragged from the desktop and dropped on the stage, as the browser would deliver them
#: (`[name, text]` pairs): a "dragover" first (is it taken?), then, in a second call, the "drop".
_DRAG_FILES = """(files) => {
    const dt = new DataTransfer();
    for (const [name, text] of files) dt.items.add(new File([text], name, { type: "text/plain" }));
    window.__dragged = dt;
    const over = new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: dt });
    document.querySelector(".stage").dispatchEvent(over);
    return over.defaultPrevented;
}"""
_DROP_FILES = """() => {
    const drop = new DragEvent("drop", {
        bubbles: true, cancelable: true, dataTransfer: window.__dragged,
    });
    document.querySelector(".stage").dispatchEvent(drop);
    return drop.defaultPrevented;
}"""


async def test_files_dropped_and_the_chat_saved(people: PersonFactory) -> None:
    """Files dropped anywhere in the meeting go to everyone, as chosen ones would (several at
    once); the chat is saved to a text file on this device, as this browser received it; a
    message deleted by its sender leaves everyone's chat."""
    meeting_id, (alice, bob) = await _meet(people, "alice", "bob")
    files = [["agenda.txt", "1. Polls\n2. Lunch\n"], ["notes.txt", "é ✓ plain text"]]
    assert await alice.page.evaluate(_DRAG_FILES, files)
    await expect(alice.page.locator(".file-drop")).to_have_text("Drop to send to everyone")
    assert await alice.page.evaluate(_DROP_FILES)
    await expect(alice.page.locator(".file-drop")).to_have_count(0)
    await expect(alice.page.locator("#panel-title")).to_have_text("Files")
    await bob.open_panel("Files")
    for name, text in files:
        digest, size = await bob.received_file_sha256(name)
        assert (digest, size) == (sha256(text.encode()).hexdigest(), len(text.encode())), name

    # The chat, saved: Bob's message and Alice's private answer, with who and to whom.
    await bob.send_chat("Lunch at noon?\nOr later")
    await alice.send_chat("Noon is fine", to=bob)
    await expect(alice.page.locator(".chat-message")).to_have_count(2)
    async with alice.page.expect_download() as info:
        await alice.page.get_by_role("button", name="Save the chat", exact=True).click()
    download = await info.value
    assert re.fullmatch(r"avmeets-chat-[a-z-]+-[\d-]+\.txt", download.suggested_filename)
    path = await download.path()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith('Chat of the meeting "Sharing"'), lines
    assert re.fullmatch(r"\[.+\] Bob: Lunch at noon\?", lines[2]), lines
    assert lines[3] == "  Or later", lines
    assert re.fullmatch(r"\[.+\] You → Bob \(private\): Noon is fine", lines[4]), lines

    # Alice answers Bob's question to everyone in reply: Bob's page quotes it above her answer
    # from its own copy (only a reference travels), and the quote leads to the question.
    question = alice.chat_message("Lunch at noon?")
    await question.get_by_role("button", name="Reply", exact=True).click()
    replying = alice.page.locator(".chat-replying")
    await expect(replying).to_have_text("Replying to Bob: Lunch at noon? Or later")
    await expect(alice.page.locator("#chat-to")).to_have_value("")  # to everyone, as the question
    box = alice.page.get_by_label("Message", exact=True)
    await expect(box).to_be_focused()
    await alice.check_accessibility("replying in the chat")
    await box.fill("Noon, at the café")
    await alice.page.get_by_role("button", name="Send message", exact=True).click()
    await expect(replying).to_have_count(0)
    answer = await bob.wait_chat("Noon, at the café")
    quote = answer.get_by_role("button", name=re.compile(r"^In reply to You: Lunch at noon\?"))
    await expect(quote).to_have_text("You: Lunch at noon? Or later")
    await quote.click()
    focused = bob.page.locator(".chat-log .chat-message:focus")
    await expect(focused).to_have_attribute("data-from", bob.uid)
    await expect(focused.locator(".chat-text")).to_have_text("Lunch at noon?\nOr later")
    # Bob reacts to her answer; she adds hers with his chip; he takes his back.
    await answer.get_by_role("button", name="React", exact=True).click()
    await answer.get_by_role("button", name="React with 👍", exact=True).click()
    await expect(answer.get_by_role("button", name="React", exact=True)).to_be_focused()
    mine_there = alice.chat_message("Noon, at the café")
    chip = mine_there.locator(".chat-reaction")
    await expect(chip).to_have_attribute("aria-label", "👍 1: Bob")
    await expect(chip).to_have_attribute("aria-pressed", "false")
    await alice.check_accessibility("a chat message with a reaction")
    await chip.click()
    await expect(chip).to_have_attribute("aria-label", "👍 2: Bob, you")
    bob_chip = answer.locator(".chat-reaction")
    await expect(bob_chip).to_have_attribute("aria-label", "👍 2: you, Alice")
    await expect(bob_chip).to_have_attribute("aria-pressed", "true")
    await bob_chip.click()
    await expect(chip).to_have_attribute("aria-label", "👍 1: you")
    await expect(bob_chip).to_have_attribute("aria-pressed", "false")
    # A reply to a private message goes privately to its sender; Escape drops the reply only.
    await bob.chat_message("Noon is fine").get_by_role("button", name="Reply", exact=True).click()
    await expect(bob.page.locator("#chat-to")).to_have_value(alice.uid)
    await bob.page.keyboard.press("Escape")
    await expect(bob.page.locator(".chat-replying")).to_have_count(0)
    await expect(bob.page.locator("#panel-title")).to_have_text("Chat")

    # Bob deletes a message sent to the wrong meeting: gone from Alice's chat too, word for word.
    await bob.send_chat("Wrong meeting, sorry")
    await alice.wait_chat("Wrong meeting, sorry")
    mine = bob.chat_message("Wrong meeting, sorry")
    await mine.get_by_role("button", name="Delete for everyone", exact=True).click()
    await expect(mine).to_have_count(0)
    await expect(alice.chat_message("Wrong meeting, sorry")).to_have_count(0)
    await expect(alice.page.locator(".chat-log .chat-deleted")).to_have_text("Message deleted")
    await expect(bob.page.locator(".chat-log .chat-deleted")).to_have_text("Message deleted")
    await alice.check_accessibility("chat with a deleted message")

    # Alice fixes a typo in her private answer: Bob's copy changes, marked edited on both.
    answer = alice.chat_message("Noon is fine")
    await answer.get_by_role("button", name="Edit message", exact=True).click()
    box = alice.page.get_by_role("textbox", name="Edit message", exact=True)
    await expect(box).to_be_focused()
    await box.fill("Noon is fine, see you at the café")
    await alice.check_accessibility("editing a chat message")
    await box.press("Enter")
    for person in (alice, bob):
        edited = person.chat_message("Noon is fine")  # one message, its text replaced
        await expect(edited.locator(".chat-text")).to_have_text("Noon is fine, see you at the café")
        await expect(edited.locator(".chat-edited")).to_have_text("(edited)")

    # Bob reads further up while Alice writes: his log stays where he is and offers the way down
    # to what came; his own message always brings the end into view.
    await bob.send_chat("Minutes\n" + "\n".join(f"{n}. item" for n in range(1, 31)))
    log = bob.page.get_by_role("log", name="Chat messages", exact=True)
    # Scrolled up as a person would, the scroll told at once (the browser's own event follows).
    await log.evaluate("(log) => { log.scrollTop = 0; log.dispatchEvent(new Event('scroll')); }")
    await alice.send_chat("Shall we read the minutes?")
    await bob.wait_chat("Shall we read the minutes?")
    jump = bob.page.get_by_role("button", name="1 new message ↓", exact=True)
    await expect(jump).to_be_visible()
    assert await log.evaluate("(log) => log.scrollTop") == 0
    await bob.check_accessibility("new messages below")
    await jump.click()
    await expect(jump).to_have_count(0)
    assert await log.evaluate(_AT_END)

    # Alice, the host, pins Bob's agenda for everyone, above the chat on both pages; Bob, a
    # participant, has no pin. Carol, joining later, never got the message, yet sees its words
    # pinned (its link live) from the host. Bob deletes it: the pin goes for everyone.
    await bob.send_chat("Agenda: https://example.org/agenda")
    agenda = await alice.wait_chat("Agenda:")
    await agenda.get_by_role("button", name="Pin for everyone", exact=True).click()
    unpin = agenda.get_by_role("button", name="Unpin the message", exact=True)
    await expect(unpin).to_have_attribute("aria-pressed", "true")
    for person, by in (
        (alice, "Pinned by You · Bob wrote:"),
        (bob, "Pinned by Alice · You wrote:"),
    ):
        pinned = person.page.get_by_role("region", name="Pinned message", exact=True)
        await expect(pinned.locator(".chat-pinned-by")).to_have_text(by)
        await expect(pinned.locator(".chat-text")).to_have_text(
            "Agenda: https://example.org/agenda"
        )
    await expect(bob.page.get_by_role("button", name="Pin for everyone", exact=True)).to_have_count(
        0
    )
    await alice.check_accessibility("a pinned chat message")
    await alice.screenshot("pinned")
    carol = await people("carol")
    await carol.join_from_home(meeting_id)
    long_name = "Carolina Esmeralda Montgomery-Fitzgerald of Longview"  # a name that wraps
    await carol.page.get_by_label("Your name", exact=True).fill(long_name)
    await carol.join_now()
    await carol.wait_connected(alice, bob)
    await carol.open_panel("Chat")
    carol_pin = carol.page.get_by_role("region", name="Pinned message", exact=True)
    link = carol_pin.get_by_role("link", name="https://example.org/agenda", exact=True)
    await expect(link).to_have_attribute("href", "https://example.org/agenda")
    await expect(carol.chat_message("Agenda:")).to_have_count(0)  # the message itself never came
    async with carol.page.expect_download() as info:  # her saved chat has it first
        await carol.page.get_by_role("button", name="Save the chat", exact=True).click()
    saved = Path(await (await info.value).path()).read_text(encoding="utf-8").splitlines()
    assert saved[2] == "Pinned by Alice (Bob wrote): Agenda: https://example.org/agenda", saved
    await (
        bob.chat_message("Agenda:")
        .get_by_role("button", name="Delete for everyone", exact=True)
        .click()
    )
    for person in (alice, bob, carol):
        await expect(person.page.locator(".chat-pinned")).to_have_count(0)
    # A private message to someone with a long name: the line of who, when and the tools wraps
    # within the message, nothing sticking out of it.
    await alice.send_chat("Welcome, Carol", to=carol)
    await carol.wait_chat("Welcome, Carol")
    await expect(alice.chat_message("Welcome, Carol").locator(".chat-to")).to_contain_text(
        long_name
    )
    assert await alice.page.evaluate(_OVERFLOWING_MESSAGES) == []


#: Whether a region of the whiteboard (x0, y0, x1, y1 as fractions) has red ink.
_RED_INK = """([x0, y0, x1, y1]) => {
    const c = document.querySelector(".board-canvas");
    const x = Math.floor(x0 * c.width), y = Math.floor(y0 * c.height);
    const w = Math.floor((x1 - x0) * c.width), h = Math.floor((y1 - y0) * c.height);
    const d = c.getContext("2d").getImageData(x, y, w, h).data;
    let red = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && d[i] > 150 && d[i + 1] < 90) red++;
    return red > 20;
}"""


#: The chat messages whose content sticks out of them sideways (their texts).
_OVERFLOWING_MESSAGES = """() => [...document.querySelectorAll(".chat-log .chat-message")]
    .filter((m) => m.scrollWidth > m.clientWidth + 1)
    .map((m) => m.textContent)"""


#: Whether a scrolled box shows its end.
_AT_END = "(box) => box.scrollHeight - box.scrollTop - box.clientHeight <= 48"


#: Whether a region of the whiteboard (x0, y0, x1, y1 as fractions) has no ink at all.
_NO_INK = """([x0, y0, x1, y1]) => {
    const c = document.querySelector(".board-canvas");
    const g = c.getContext("2d");
    const x = Math.floor(x0 * c.width), y = Math.floor(y0 * c.height);
    const w = Math.floor((x1 - x0) * c.width), h = Math.floor((y1 - y0) * c.height);
    const d = g.getImageData(x, y, w, h).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return false;
    return true;
}"""


async def test_whiteboard_strokes_and_late_joiner(people: PersonFactory) -> None:
    meeting_id, (alice, bob) = await _meet(people, "alice", "bob")

    # Alice draws while Bob's board is closed: the strokes reach his board state all the same.
    await alice.draw_stroke([(0.1, 0.1), (0.3, 0.2), (0.2, 0.35)])
    await alice.wait_ink((0.08, 0.08, 0.32, 0.37))
    await bob.open_whiteboard()
    await bob.wait_ink((0.08, 0.08, 0.32, 0.37))

    # Bob draws in red; Alice sees it live.
    await bob.page.get_by_role("button", name="Red pen", exact=True).click()
    await bob.draw_stroke([(0.6, 0.6), (0.9, 0.8)])
    await alice.wait_ink((0.58, 0.58, 0.92, 0.82))
    # Bob undoes it (the button), and it is gone from Alice's board too; Ctrl+Shift+Z brings it
    # back. His undo takes only his own stroke: Alice's stays.
    undo = bob.page.get_by_role("button", name="Undo", exact=True)
    await undo.click()
    await alice.page.wait_for_function(_NO_INK, arg=[0.58, 0.58, 0.92, 0.82])
    await expect(undo).to_be_disabled()
    await bob.page.locator(".board-canvas").press("Control+Shift+z")
    await alice.wait_ink((0.58, 0.58, 0.92, 0.82))
    await alice.wait_ink((0.08, 0.08, 0.32, 0.37))

    # Alice drags a rectangle: Bob gets its outline, one stroke, with nothing inside it.
    rectangle = alice.page.get_by_role("button", name="Rectangle", exact=True)
    await rectangle.click()
    await expect(rectangle).to_have_attribute("aria-pressed", "true")
    await alice.draw_stroke([(0.5, 0.1), (0.8, 0.4)])
    for edge in ((0.48, 0.08, 0.82, 0.12), (0.48, 0.38, 0.82, 0.42), (0.48, 0.08, 0.52, 0.42)):
        await bob.wait_ink(edge)
    assert await bob.page.evaluate(_NO_INK, [0.55, 0.15, 0.75, 0.35])

    # Alice writes "Plan B" and, on a second line (Shift+Enter), "Friday" where she clicks: Bob's
    # board has both lines (ink well right of the point, where a dot would not reach, and one
    # line height below it), in one stroke message.
    await alice.page.get_by_role("button", name="Text", exact=True).click()
    box = await (await alice.open_whiteboard()).bounding_box()
    assert box is not None
    await alice.page.mouse.click(box["x"] + 0.1 * box["width"], box["y"] + 0.6 * box["height"])
    typed = alice.page.get_by_role("textbox", name=re.compile(r"^Text for the whiteboard"))
    await expect(typed).to_be_focused()
    await typed.fill("Plan B")
    await typed.press("Shift+Enter")
    await typed.press_sequentially("Friday")
    await expect(typed).to_have_value("Plan B\nFriday")
    await expect(typed).to_have_attribute("rows", "2")  # the box grew with its lines
    # An Enter that confirms an input method's composition (Chinese, Japanese) is not "done".
    await typed.dispatch_event("keydown", {"key": "Enter", "isComposing": True, "bubbles": True})
    await expect(typed).to_have_value("Plan B\nFriday")
    await typed.press("Enter")
    await expect(typed).to_have_count(0)
    words = (0.13, 0.6, 0.18, 0.645)
    await bob.wait_ink(words)
    await bob.wait_ink((0.11, 0.655, 0.16, 0.69))  # "Friday", 1.2 text heights lower
    assert await bob.page.evaluate(_NO_INK, [0.1, 0.71, 0.3, 0.78])  # two lines, at their size

    # Alice selects her text and drags it 0.3 right and 0.2 down, then Shift+Up nudges it 0.05
    # back up: Bob's board has it there and nothing where it was.
    await alice.page.get_by_role("button", name="Select", exact=True).click()
    await alice.draw_stroke([(0.12, 0.62), (0.42, 0.82)])
    canvas = alice.page.locator(".board-canvas")
    await expect(canvas).to_have_attribute("aria-label", re.compile("Selected: the text “Plan B”"))
    await expect(canvas).to_be_focused()
    await bob.wait_ink((0.43, 0.8, 0.48, 0.845))
    await canvas.press("Shift+ArrowUp")
    moved, moved_second = (0.43, 0.75, 0.48, 0.795), (0.41, 0.805, 0.46, 0.84)
    await bob.wait_ink(moved)
    await bob.wait_ink(moved_second)
    await bob.page.wait_for_function(_NO_INK, arg=[0.1, 0.6, 0.3, 0.7])
    await bob.page.wait_for_function(_NO_INK, arg=[0.4, 0.85, 0.6, 0.9])
    await alice.check_accessibility("a text selected on the whiteboard")
    # A double click opens it with its words; one line in place of two reaches Bob; Ctrl+Z
    # brings the two lines back.
    await alice.page.mouse.dblclick(box["x"] + 0.45 * box["width"], box["y"] + 0.77 * box["height"])
    await expect(typed).to_have_value("Plan B\nFriday")
    await typed.fill("Plan C")
    await typed.press("Enter")
    await bob.page.wait_for_function(_NO_INK, arg=list(moved_second))
    await bob.wait_ink(moved)
    await expect(canvas).to_be_focused()
    await canvas.press("Control+z")
    await bob.wait_ink(moved_second)
    # From the keyboard alone: Escape lets go, N selects the topmost item (her text, moved last),
    # N again the one under it (the rectangle), Shift+N back up; the canvas's label says which.
    await canvas.press("Escape")
    await expect(canvas).to_have_attribute("aria-label", re.compile("N selects the topmost item"))
    for key, chosen in (("n", "the text “Plan B”"), ("n", "a drawing"), ("Shift+N", "the text")):
        await canvas.press(key)
        await expect(canvas).to_have_attribute("aria-label", re.compile(f"Selected: {chosen}"))
    # Red chosen while her text is selected turns it red on Bob's board; Ctrl+Z, black again.
    await alice.page.get_by_role("button", name="Red pen", exact=True).click()
    await bob.page.wait_for_function(_RED_INK, arg=list(moved))
    await canvas.press("Control+z")
    await bob.page.wait_for_function(f"(r) => !({_RED_INK})(r)", arg=list(moved))
    await bob.wait_ink(moved)
    # Bob selects Alice's first stroke and deletes it, for her too; his Ctrl+Z puts it back.
    await bob.page.get_by_role("button", name="Select", exact=True).click()
    bob_box = await (await bob.open_whiteboard()).bounding_box()
    assert bob_box is not None
    await bob.page.mouse.click(
        bob_box["x"] + 0.2 * bob_box["width"], bob_box["y"] + 0.15 * bob_box["height"]
    )
    bob_canvas = bob.page.locator(".board-canvas")
    await expect(bob_canvas).to_have_attribute("aria-label", re.compile("Selected: a drawing"))
    await bob_canvas.press("Delete")
    await alice.page.wait_for_function(_NO_INK, arg=[0.08, 0.08, 0.32, 0.37])
    await bob_canvas.press("Control+z")
    await alice.wait_ink((0.08, 0.08, 0.32, 0.37))
    # Bob copies it and pastes a copy beside it (0.02 right and down): its foot, below the
    # original's, reaches Alice; his Ctrl+Z takes the copy off, and the original stays.
    await bob.page.mouse.click(
        bob_box["x"] + 0.2 * bob_box["width"], bob_box["y"] + 0.15 * bob_box["height"]
    )
    await expect(bob_canvas).to_have_attribute("aria-label", re.compile("Ctrl\\+C copies it"))
    await bob_canvas.press("Control+c")
    await bob_canvas.press("Control+v")
    await expect(bob_canvas).to_have_attribute("aria-label", re.compile("Selected: a drawing"))
    copy_foot = (0.21, 0.362, 0.235, 0.385)
    await alice.wait_ink(copy_foot)
    await bob_canvas.press("Control+z")
    await alice.page.wait_for_function(_NO_INK, arg=list(copy_foot))
    await alice.wait_ink((0.08, 0.08, 0.32, 0.37))
    # Several at once: a box dragged from an empty spot selects Alice's first stroke and the
    # rectangle it touches; dragging one moves both, 0.1 down, for Alice too; one Ctrl+Z moves
    # both back. Ctrl+A selects all four things on the board.
    await bob.draw_stroke([(0.03, 0.03), (0.55, 0.45)])
    await expect(bob_canvas).to_have_attribute("aria-label", re.compile("Selected: 2 things"))
    await bob.draw_stroke([(0.2, 0.15), (0.2, 0.25)])
    top_edge, moved_top_edge = (0.55, 0.08, 0.75, 0.12), (0.55, 0.18, 0.75, 0.22)
    await alice.wait_ink(moved_top_edge)
    await alice.page.wait_for_function(_NO_INK, arg=list(top_edge))
    await alice.wait_ink((0.08, 0.18, 0.32, 0.47))  # the first stroke, lower
    await bob_canvas.press("Control+z")
    await alice.wait_ink(top_edge)
    await alice.page.wait_for_function(_NO_INK, arg=list(moved_top_edge))
    await bob_canvas.press("Control+a")
    await expect(bob_canvas).to_have_attribute("aria-label", re.compile("Selected: 4 things"))
    await bob_canvas.press("Escape")

    # Carol joins later and gets the whole board from a peer.
    carol = await people("carol")
    await carol.join(meeting_id)
    await carol.wait_connected(alice, bob)
    await carol.open_whiteboard()
    await carol.wait_ink((0.08, 0.08, 0.32, 0.37))
    await carol.wait_ink((0.58, 0.58, 0.92, 0.82))
    await carol.wait_ink((0.78, 0.08, 0.82, 0.42))  # the rectangle's right side
    await carol.wait_ink(moved)  # the text where Alice moved it, both its lines
    await carol.wait_ink(moved_second)
    for person in (alice, bob, carol):
        await person.screenshot("whiteboard")

    # Clear wipes everyone's board.
    _accept_dialogs(alice)
    await alice.page.get_by_role("button", name="Clear", exact=True).click()
    for person in (alice, bob, carol):
        await person.page.wait_for_function(
            """() => {
                const c = document.querySelector(".board-canvas");
                const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return false;
                return true;
            }""",
            timeout=15_000,
        )


#: A select's width in the page and the width it takes on its own (a clone beside it, out of the
#: flow: the same font, no flex to shrink it).
_SELECT_WIDTHS = """(selector) => {
    const select = document.querySelector(selector);
    const alone = select.cloneNode(true);
    alone.style.position = "absolute";
    alone.style.visibility = "hidden";
    select.after(alone);
    const natural = alone.getBoundingClientRect().width;
    alone.remove();
    return [select.getBoundingClientRect().width, natural];
}"""


#: The share of a played recording's top band (y 40-140, where a grid of two leaves the cells'
#: backgrounds and one person alone would fill it with their video) that is background.
_TOP_BAND_EMPTY = """() => {
    const v = document.querySelector(".recording-video");
    const c = document.createElement("canvas");
    c.width = 1280;
    c.height = 720;
    const ctx = c.getContext("2d");
    ctx.drawImage(v, 0, 0, 1280, 720);
    const px = ctx.getImageData(0, 40, 1280, 100).data;
    const near = (i, [r, g, b]) =>
        Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 24;
    let empty = 0;
    for (let i = 0; i < px.length; i += 4) {
        if (near(i, [0x15, 0x18, 0x1d]) || near(i, [0x26, 0x2a, 0x31])) empty++;
    }
    return empty / (px.length / 4);
}"""


async def test_recording_stays_in_browser_storage(people: PersonFactory) -> None:
    """A recording is kept in the recorder's browser only, and plays back whole; it shows the
    recorder too while her self view is hidden (her own tile is then not on her page)."""
    _, (alice, bob) = await _meet(people, "alice", "bob")
    await alice.wait_video(bob)
    _accept_dialogs(alice)

    # Self view hidden: her own tile leaves her page, not Bob's; she is told.
    await alice.record_toasts()
    await alice.control("Hide self view")
    await expect(alice.tile(alice.uid)).to_have_count(0)
    await alice.wait_toast(
        "Your self view is hidden: the others still see you. More, Hide self view brings it back."
    )
    await bob.wait_video(alice)
    await bob.record_toasts()
    started = await alice.page.evaluate("Date.now()")
    await alice.page.get_by_role("button", name="Record to this browser", exact=True).click()
    await expect(
        alice.page.get_by_role("button", name="Stop recording", exact=True)
    ).to_be_visible()
    # Bob is told that Alice records.
    await expect(bob.page.locator(".rec-banner")).to_contain_text("Alice recording")
    await alice.page.wait_for_function(
        "() => Number(document.querySelector('.rec-clock')?.dataset.bytes || 0) > 100000",
        timeout=30_000,
    )
    await alice.screenshot("recording")

    # Paused: Bob is told, the clock stands still, and the pause is left out of the recording.
    await alice.page.get_by_role("button", name="Pause recording", exact=True).click()
    paused = await alice.page.evaluate("Date.now()")
    await bob.wait_toast("Alice paused recording")
    await expect(bob.page.locator(".rec-banner")).to_contain_text("Alice (paused) recording")
    clock = alice.page.locator(".rec-clock")
    await expect(clock).to_contain_text("paused")
    # The time recorded, "0:05 paused" (the size may still grow by the chunk the pause flushed).
    shown = (await clock.text_content() or "").split(" · ")[0]
    await alice.page.wait_for_timeout(3000)  # a pause long enough to tell apart in the length
    await expect(clock).to_contain_text(f"{shown} · ")
    await alice.page.get_by_role("button", name="Resume recording", exact=True).click()
    resumed = await alice.page.evaluate("Date.now()")
    await bob.wait_toast("Alice resumed recording")
    await expect(bob.page.locator(".rec-banner")).to_contain_text("Alice recording")
    await alice.page.get_by_role("button", name="Stop recording", exact=True).click()
    stopped = await alice.page.evaluate("Date.now()")
    # Back again, her self view is as before.
    await alice.page.get_by_role("button", name="More options", exact=True).click()
    hidden = alice.page.get_by_role("menuitemcheckbox", name=re.compile("^Hide self view"))
    await expect(hidden).to_have_attribute("aria-checked", "true")
    await hidden.click()
    await expect(alice.tile(alice.uid).locator("video")).to_have_count(1)
    await expect(
        alice.page.get_by_role("button", name="Record to this browser", exact=True)
    ).to_be_visible()
    await expect(bob.page.locator(".rec-banner")).to_be_hidden()

    await alice.open_panel("Recordings")
    # The period's choice shows its whole text ("7 days"): as wide as it would be on its own.
    width, natural = await alice.page.evaluate(_SELECT_WIDTHS, ".recording-keep select")
    assert width >= natural, (width, natural)
    row = alice.page.locator(".recording-row")
    await expect(row).to_have_count(1)
    size = int(await row.get_attribute("data-size") or 0)
    assert size > 100000
    # Its length: the time it ran less the pause (each measured between clicks, hence the margin).
    length = int(await row.get_attribute("data-duration-ms") or 0)
    ran, pause = stopped - started, resumed - paused
    assert ran - pause - 1500 <= length <= ran - pause + 1500, (length, ran, pause)
    await expect(row).not_to_contain_text("incomplete")

    # Played back from IndexedDB: a real 1280x720 video.
    await row.get_by_role("button", name=re.compile("^Play")).click()
    await alice.page.wait_for_function(
        """() => {
            const v = document.querySelector(".recording-video");
            return v && v.readyState >= 2 && v.videoWidth === 1280 && v.videoHeight === 720;
        }""",
        timeout=20_000,
    )
    # Two people side by side, Alice with Bob, although her own tile was not on her page.
    await alice.page.wait_for_function(
        "() => document.querySelector('.recording-video').currentTime > 1"
    )
    empty = await alice.page.evaluate(_TOP_BAND_EMPTY)
    assert empty > 0.95, empty
    async with alice.page.expect_download() as info:
        await row.get_by_role("button", name=re.compile("^Download")).click()
    download = await info.value
    assert re.fullmatch(
        r"avmeets-[a-z-]+-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.webm", download.suggested_filename
    )
    path = await download.path()
    assert path is not None and Path(path).stat().st_size == size
    await alice.screenshot("recordings")
    await alice.check_accessibility("recordings")

    await row.get_by_role("button", name=re.compile("^Delete")).click()
    await expect(alice.page.locator(".recording-row")).to_have_count(0)
    await expect(alice.page.locator(".recording-list")).to_contain_text("No recordings yet")
