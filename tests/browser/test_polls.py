"""A poll, in Chromium: the host asks everyone a question on the "polls" data channel; each
answer goes to the host's browser only; someone who joins while it is open gets it; ending it
shares how many chose each answer, never who chose what. Only a host or co-host is offered the
form (a forged poll from anyone else is ignored: the web unit tests, polls.test.ts)."""

from __future__ import annotations

from playwright.async_api import expect

from .conftest import PersonFactory, meet


async def test_a_poll(people: PersonFactory) -> None:
    meeting_id, (alice, bob) = await meet(people, "alice", "bob", title="Lunch")
    carol = await people("carol")

    # Bob does not run the meeting: nothing to answer yet, and no form to ask with.
    await bob.record_toasts()
    await bob.open_panel("Polls")
    bob_panel = bob.page.locator(".polls-panel")
    await expect(bob_panel).to_contain_text("No poll yet.")
    await expect(bob_panel.get_by_role("button", name="Ask", exact=True)).to_have_count(0)
    await bob.page.get_by_role("button", name="Close the panel", exact=True).click()

    # Alice asks; a blank question is refused with a word, a third answer added.
    await alice.open_panel("Polls")
    form = alice.page.locator(".poll-ask")
    await form.get_by_role("button", name="Ask", exact=True).click()
    await expect(form.get_by_role("status")).to_have_text("Write the question.")
    await form.get_by_label("Question", exact=True).fill("Where do we eat?")
    await form.get_by_label("Answer 1", exact=True).fill("Pizza")
    await form.get_by_label("Answer 2", exact=True).fill("Salad")
    await form.get_by_role("button", name="Add an answer", exact=True).click()
    await form.get_by_label("Answer 3", exact=True).fill("Soup")
    await alice.check_accessibility("polls: asking")
    await form.get_by_role("button", name="Ask", exact=True).click()
    alice_poll = alice.page.locator(".poll")
    await expect(alice_poll).to_contain_text("You asked")
    await expect(alice_poll).to_contain_text("0 of 2 answered")

    # Bob is told, answers Salad; Alice's counts follow, Bob sees none before the end.
    await bob.wait_toast("Alice asks: Where do we eat? Open Polls to answer.")
    await bob.open_panel("Polls")
    bob_poll = bob.page.locator(".poll")
    await expect(bob_poll).to_contain_text("Answers go to Alice's browser only.")
    await bob_poll.get_by_label("Salad", exact=True).check()
    await bob_poll.get_by_role("button", name="Answer", exact=True).click()
    await expect(bob_poll).to_contain_text("Your answer: Salad.")
    await expect(bob_poll.locator(".poll-counts")).to_have_count(0)
    await expect(alice_poll).to_contain_text("1 of 2 answered")
    await expect(alice_poll).to_contain_text("Salad: 1 vote, 100 %")
    await bob.check_accessibility("polls: answering")

    # Carol comes while it is open: she gets it and answers Pizza; so does Alice.
    await carol.join(meeting_id)
    await carol.wait_connected(alice)
    await carol.open_panel("Polls")
    carol_poll = carol.page.locator(".poll")
    await expect(carol_poll).to_contain_text("Where do we eat?")
    await carol_poll.get_by_label("Pizza", exact=True).check()
    await carol_poll.get_by_role("button", name="Answer", exact=True).click()
    await alice_poll.get_by_label("Pizza", exact=True).check()
    await alice_poll.get_by_role("button", name="Answer", exact=True).click()
    await expect(alice_poll).to_contain_text("3 of 3 answered")

    # Ended: everyone sees the counts, Bob his own marked.
    await alice_poll.get_by_role(
        "button", name="End the poll and share the results", exact=True
    ).click()
    for poll in (alice_poll, bob_poll, carol_poll):
        await expect(poll).to_contain_text("The poll ended: 3 answered.")
        await expect(poll).to_contain_text("Pizza: 2 votes, 67 %")
        await expect(poll).to_contain_text("Soup: 0 votes, 0 %")
    await expect(bob_poll).to_contain_text("Salad: 1 vote, 33 % (yours)")
    await expect(bob_poll.get_by_role("button", name="Change my answer", exact=True)).to_have_count(
        0
    )
    await bob.screenshot("poll-results")
    await bob.check_accessibility("polls: results")
    # The host may ask again.
    await expect(form.get_by_label("Question", exact=True)).to_have_value("")
