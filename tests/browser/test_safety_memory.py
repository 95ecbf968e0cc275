"""Safety codes that remember: a device keeps its certificate, so a person's code is the same in
the next meeting (no warning, the control), and a changed device certificate raises a warning.

Alice and Bob meet three times. In the first meeting Bob is new to Alice's browser and she
marks his code as verified; in the second nothing changed: the same code, no warning. Then Bob's
stored certificate is swapped for a new one (as a new device, or a machine in the middle,
would present): in the third meeting Alice's browser warns, and only about Bob.
"""

from __future__ import annotations

from playwright.async_api import expect

from .conftest import PersonFactory
from .support import Person

SWAP_CERTIFICATE = """async () => {
    const algorithm = { name: "ECDSA", namedCurve: "P-256" };
    const made = await RTCPeerConnection.generateCertificate(algorithm);
    const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open("avmeets-device");
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
    });
    await new Promise((resolve, reject) => {
        const tx = db.transaction("keys", "readwrite");
        tx.objectStore("keys").put(made, "dtls");
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
    });
    db.close();
}"""


async def meet(alice: Person, bob: Person) -> str:
    meeting_id = await alice.create_meeting()
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    return await alice.safety_code(bob)


async def trust_of(person: Person, other: Person) -> tuple[str, str]:
    """Open the safety dialog: (what the browser knows of the code, the other's four words)."""
    await person.tile(other.uid).locator(".tile-safety").click()
    dialog = person.page.get_by_role("dialog")
    status = dialog.locator(".safety-trust")
    await expect(status).not_to_have_attribute("data-trust", "checking")
    return (
        str(await status.get_attribute("data-trust")),
        await dialog.locator('[data-code="theirs"]').inner_text(),
    )


async def close_dialog(person: Person) -> None:
    await person.page.get_by_role("dialog").get_by_role("button", name="Close", exact=True).click()


async def leave(*persons: Person) -> None:
    for person in persons:
        await person.leave()
        await person.page.get_by_role("button", name="Home", exact=True).click()


async def test_a_changed_device_certificate_raises_the_warning(people: PersonFactory) -> None:
    alice = await people("alice")
    bob = await people("bob")
    warning = alice.page.locator(".safety-warning")

    # 1. First meeting: Bob is new here; Alice compares the codes and marks them verified.
    first = await meet(alice, bob)
    assert (await trust_of(bob, alice))[0] == "new"
    await close_dialog(bob)
    status, bobs_words = await trust_of(alice, bob)
    assert status == "new"
    await alice.page.get_by_role(
        "button", name="The codes match: mark as verified", exact=True
    ).click()
    await expect(alice.page.locator(".safety-trust")).to_have_attribute("data-trust", "verified")
    await close_dialog(alice)
    await expect(warning).to_have_count(0)
    await leave(alice, bob)

    # 2. The control: nothing changed, so the same code, remembered, and no warning.
    second = await meet(alice, bob)
    assert second == first
    assert await trust_of(alice, bob) == ("verified", bobs_words)
    await close_dialog(alice)
    assert (await trust_of(bob, alice))[0] == "known"
    await close_dialog(bob)
    await expect(warning).to_have_count(0)
    await alice.screenshot("control-no-warning")
    await leave(alice, bob)

    # 3. Bob's device certificate is swapped: Alice is warned, about Bob only.
    await bob.page.evaluate(SWAP_CERTIFICATE)
    await bob.page.reload()
    await expect(bob.page.get_by_role("heading", name="Start a meeting")).to_be_visible()
    third = await meet(alice, bob)
    assert third != first
    await expect(warning).to_have_count(1)
    await expect(warning).to_have_attribute("data-uid", bob.uid)
    await expect(warning).to_contain_text("Bob's safety code is not the one you saw")
    await alice.screenshot("warning")
    await alice.check_accessibility("safety warning")
    await expect(bob.page.locator(".safety-warning")).to_have_count(0)  # Alice's did not change
    await warning.get_by_role("button", name="Compare codes", exact=True).click()
    dialog = alice.page.get_by_role("dialog")
    await expect(dialog.locator(".safety-trust")).to_have_attribute("data-trust", "changed")
    new_words = await dialog.locator('[data-code="theirs"]').inner_text()
    assert new_words != bobs_words
    # Bob reads out his own code: the words Alice's browser shows for him.
    await bob.tile(alice.uid).locator(".tile-safety").click()
    mine = await bob.page.get_by_role("dialog").locator('[data-code="mine"]').inner_text()
    assert mine == new_words
    await dialog.get_by_role("button", name="The codes match: mark as verified", exact=True).click()
    await expect(dialog.locator(".safety-trust")).to_have_attribute("data-trust", "verified")
    await expect(warning).to_have_count(0)
