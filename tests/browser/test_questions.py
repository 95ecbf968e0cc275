"""Q&A, in Chromium: anyone asks the meeting a question on the "qa" data channel, everyone
upvotes it once, a host marks it answered and the asker is told; someone who joins later gets
the questions, votes and marks of those present; the asker withdraws it. Forged marks, another's
withdrawal and the questions of someone whose chat a host turned off are ignored: the web unit
tests (qa.test.ts) and the sabotage `question-mark-forged`."""

from __future__ import annotations

from playwright.async_api import expect

from .conftest import PersonFactory, meet

TITLE = "Questions and answers"
QUESTION = "When is the release?"


async def test_questions_and_answers(people: PersonFactory) -> None:
    meeting_id, (alice, bob) = await meet(people, "alice", "bob", title="All hands")
    carol = await people("carol")
    await alice.record_announcements()
    await bob.record_toasts()

    # Bob asks (Enter posts); a blank question is refused with a word.
    await bob.open_panel(TITLE, key="qa")
    bob_panel = bob.page.locator(".qa-panel")
    await expect(bob_panel).to_contain_text("No questions yet.")
    await bob_panel.get_by_role("button", name="Post", exact=True).click()
    await expect(bob_panel.get_by_role("status")).to_have_text("Write the question.")
    await bob_panel.get_by_label("Ask a question", exact=True).fill(QUESTION)
    await bob.page.keyboard.press("Enter")  # Enter posts, as in the chat
    bob_item = bob_panel.locator(".qa-item")
    await expect(bob_item).to_contain_text("You")
    await expect(bob_item).to_contain_text("0 upvotes")
    await expect(bob_item.get_by_role("button", name="Mark answered", exact=True)).to_have_count(0)

    # Alice, with the panel closed, hears of it and finds the control marked.
    await alice.page.wait_for_function(
        "(t) => (window.__announced || []).some((a) => a.includes(t))",
        arg=f"Bob asks: {QUESTION} (Q&A)",
    )
    await alice.open_panel(TITLE, key="qa")
    alice_item = alice.page.locator(".qa-item")
    await expect(alice_item).to_contain_text(QUESTION)
    upvote = alice_item.get_by_role("button", name="Upvote (0)", exact=True)
    await expect(upvote).to_have_attribute("aria-pressed", "false")
    await upvote.click()
    await expect(alice_item.get_by_role("button", name="Upvote (1)", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    await expect(bob_item).to_contain_text("1 upvote")
    await alice.check_accessibility("questions: a host's view")

    # Carol joins later: she gets Bob's question with Alice's vote, and adds hers.
    await carol.join(meeting_id)
    await carol.wait_connected(alice, bob)
    await carol.open_panel(TITLE, key="qa")
    carol_item = carol.page.locator(".qa-item")
    await expect(carol_item).to_contain_text(QUESTION)
    await carol_item.get_by_role("button", name="Upvote (1)", exact=True).click()
    await expect(bob_item).to_contain_text("2 upvotes")
    await expect(alice_item.get_by_role("button", name="Upvote (2)", exact=True)).to_be_visible()

    # Alice marks it answered: everyone sees it under Answered, and Bob is told.
    await alice_item.get_by_role("button", name="Mark answered", exact=True).click()
    for person in (alice, bob, carol):
        answered = person.page.locator(".qa-group").filter(has_text="Answered (1)")
        await expect(answered).to_contain_text(QUESTION)
    await bob.wait_toast(f"A host marked your question answered: {QUESTION}")
    await expect(carol_item.get_by_role("button", name="Reopen", exact=True)).to_have_count(0)
    await bob.check_accessibility("questions: the asker's view")
    await bob.screenshot("questions")

    # Bob withdraws it: gone from every page.
    await bob_item.get_by_role("button", name="Withdraw", exact=True).click()
    for person in (alice, bob, carol):
        await expect(person.page.locator(".qa-item")).to_have_count(0)
        await expect(person.page.locator(".qa-panel")).to_contain_text("No questions yet.")
