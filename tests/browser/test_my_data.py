"""A person sees and deletes their own data in the browser, and the stores confirm it.

Alice and Bob meet in Chromium. Alice opens "My data": her account, identity, join and the call
record of her connection with Bob (her side, and Bob by his name only), each with the date it
is deleted, and what would stay if she deleted it all. She deletes it: her identity, joins,
participant entry and account go at once; the call record stays, as the page told her, until it
expires. The privacy page links there and lists every stored field of the inventory.
"""

from __future__ import annotations

from datetime import datetime

from playwright.async_api import expect

from tests.emulator.support.admin import admin_client, auth_accounts, dump_all
from tests.emulator.support.inventory import load_inventory

from .conftest import PersonFactory


def iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


async def test_a_person_sees_and_deletes_their_data(people: PersonFactory) -> None:
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title="Planning")
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    # What the room said goes with it: a toast shown as Alice leaves does not follow her out.
    await bob.send_chat("See you tomorrow")
    await expect(alice.page.locator(".toast", has_text="See you tomorrow")).to_be_visible()
    await alice.leave()
    home = alice.page.get_by_role("button", name="Home", exact=True)
    await expect(home).to_be_visible()
    assert await alice.page.locator(".toast").all_inner_texts() == []
    await home.click()

    await alice.page.get_by_role("link", name="My data").first.click()
    page = alice.page
    await expect(page.get_by_role("heading", name="My data")).to_be_visible()
    legs = page.locator('.mydata-record[data-stored-in="cdrs"]')
    await expect(legs).to_have_count(1)
    await expect(legs.locator("h3")).to_have_text(f"Connection with Bob in {meeting_id}")
    for where in ("auth", "identities", "joins", "participants", "meetings"):
        await expect(page.locator(f'.mydata-record[data-stored-in="{where}"]')).not_to_have_count(0)
    await alice.screenshot("my-data")
    await alice.check_accessibility("my data")

    # Each record's deletion date is the stored expiresAt; nothing of Bob but his name.
    client = admin_client()
    stored = await dump_all(client)
    (leg_path,) = [p for p in stored if p.startswith("cdrs/")]
    leg_id = leg_path.split("/", 1)[1]
    record = page.locator(f'.mydata-record[data-record-id="{leg_id}"]')
    await expect(record.locator("[data-delete-after]")).to_have_attribute(
        "data-delete-after", iso(stored[leg_path]["expiresAt"])
    )
    await expect(record.locator(".mydata-kept")).to_contain_text("also Bob's record")
    # Every stored field, opened, as the person may read it.
    await page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    text = await page.locator("main").inner_text()
    assert alice.email in text
    for secret in (bob.email, bob.uid):
        assert secret not in text, secret

    # Delete: what stays is said before, and after.
    danger = page.locator(".mydata-danger")
    # The leg, and (when Alice offered) her daily leg count, which goes with the legs.
    kept_records = await page.locator(".mydata-record .mydata-kept").count()
    assert kept_records >= 1
    stays = f"{kept_records} record{'' if kept_records == 1 else 's'} must stay until"
    await expect(danger.locator(".mydata-kept")).to_contain_text(stays)
    delete = danger.get_by_role("button", name="Delete my data now", exact=True)
    await expect(delete).to_be_disabled()
    await danger.get_by_label("I understand that this cannot be undone", exact=True).check()
    await delete.click()
    await expect(page.get_by_role("heading", name="Your data has been deleted")).to_be_visible(
        timeout=30_000
    )
    kept = page.locator('.mydata-record[data-stored-in="cdrs"]')
    await expect(kept).to_have_count(1)
    await alice.screenshot("deleted")
    await alice.check_accessibility("my data deleted")

    after = await dump_all(client)
    assert f"identities/{alice.uid}" not in after
    assert not [p for p, d in after.items() if p.startswith("joins/") and d["uid"] == alice.uid]
    assert f"meetings/{meeting_id}/participants/{alice.uid}" not in after
    assert leg_path in after  # Bob's record of the call too: until it expires
    assert alice.uid not in {a["localId"] for a in (await auth_accounts()).values()}
    assert bob.uid in {a["localId"] for a in (await auth_accounts()).values()}

    # Signed out: home is the sign-in page now.
    await page.goto(alice.web_url + "/")
    await expect(page.get_by_role("heading", name="Private video meetings")).to_be_visible()


async def test_the_privacy_page_lists_every_stored_field(people: PersonFactory) -> None:
    visitor = await people("visitor", sign_in=False)
    page = visitor.page
    await page.goto(visitor.web_url + "/")
    await page.get_by_role("link", name="What AVMeets stores, and for how long").click()
    await expect(page.get_by_role("heading", name="Privacy", exact=True)).to_be_visible()
    inventory = load_inventory()
    shown = await page.locator("[data-collection]").evaluate_all(
        "els => els.map(e => e.dataset.collection)"
    )
    assert shown == list(inventory)
    fields = await page.locator("[data-collection='cdrs/{legId}'] [data-field]").count()
    assert fields == len(inventory["cdrs/{legId}"][1])
    await expect(page.get_by_role("link", name="Sign in")).to_have_attribute("href", "/my-data")
    await visitor.screenshot("privacy")
    await visitor.check_accessibility("privacy")
