"""Sign-in through the app's own UI: phone number and code (the Auth emulator's test SMS), and
the emulator-only "Sign in as a test user" form.

Google sign-in uses signInWithPopup, whose helper iframe loads Google's gapi script even against
the emulator; this machine has no internet. The test-user form signs in with the Auth emulator's
Google provider instead (an unsigned ID token, which the emulator accepts), through the same
signInWithIdp request, so the blocking function runs as for Google; the other browser tests use
the same sign-in through the app's test hook.
"""

from __future__ import annotations

import httpx
from playwright.async_api import expect

from tests.emulator.support.admin import admin_client, auth_accounts
from tests.emulator.support.config import AUTH_HOST, PROJECT_ID
from tests.emulator.support.deadline import wait_for
from tests.emulator.support.userstore import close_client

from .conftest import PersonFactory

PHONE = "+15550100199"


async def _sms_code(phone: str) -> str:
    url = f"http://{AUTH_HOST}/emulator/v1/projects/{PROJECT_ID}/verificationCodes"
    async with httpx.AsyncClient(timeout=10) as client:
        codes = (await client.get(url)).json().get("verificationCodes", [])
    matching = [c["code"] for c in codes if c.get("phoneNumber") == phone]
    assert matching, codes
    return str(matching[-1])


async def test_phone_sign_in_then_sign_out(people: PersonFactory) -> None:
    visitor = await people("visitor", sign_in=False)
    page = visitor.page
    await page.goto(visitor.web_url + "/m/abc-defg-hij")
    await expect(page.get_by_role("heading", name="Sign in to join the meeting")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign in with Google", exact=True)).to_be_focused()
    await visitor.screenshot("sign-in")
    await visitor.check_accessibility("sign-in to join")

    await page.get_by_label("Phone number", exact=True).fill("+1 555 010 0199")
    await page.get_by_role("button", name="Text me a code", exact=True).click()
    code = page.get_by_label("Code from the text message", exact=True)
    await expect(code).to_be_visible()
    await visitor.check_accessibility("sign-in code")
    await code.fill(await _sms_code(PHONE))
    await page.get_by_role("button", name="Sign in", exact=True).click()

    # Signed in, the meeting link is checked before the camera lobby: there is no such meeting.
    await expect(page.get_by_role("alert")).to_contain_text("There is no meeting abc-defg-hij")
    await visitor.check_accessibility("no such meeting")
    await page.get_by_role("button", name="Go to the home page", exact=True).click()

    # A meeting of one's own goes on to the lobby.
    await page.get_by_role("button", name="Create meeting", exact=True).click()
    await expect(page.get_by_role("heading", name="Ready to join?")).to_be_visible()
    # The name the others will see is asked for, never prefilled with the phone number (issue 12).
    name = page.get_by_label("Your name", exact=True)
    await expect(name).to_have_value("")
    await expect(name).to_be_focused()
    await visitor.check_accessibility("lobby, phone account")
    await page.get_by_role("link", name="Back to home").click()
    await expect(page.get_by_role("heading", name="Start a meeting")).to_be_visible()
    await page.get_by_role("button", name="Sign out", exact=True).click()
    await expect(page.get_by_role("button", name="Sign in with Google", exact=True)).to_be_visible()


async def test_sign_in_as_a_test_user_runs_the_blocking_function(people: PersonFactory) -> None:
    """The offline Google sign-in of the emulator: the blocking function stores the identity."""
    visitor = await people("tester", sign_in=False)
    page = visitor.page
    await page.goto(visitor.web_url + "/")
    form = page.get_by_role("form", name="Sign in as a test user")
    await expect(form).to_be_visible()
    await form.get_by_label("Name", exact=True).fill("Ada Lovelace")
    await form.get_by_label("E-mail", exact=True).fill("Ada@Example.com")
    await visitor.screenshot("test-user-form")
    await visitor.check_accessibility("sign-in with the test-user form")
    await form.get_by_role("button", name="Sign in as a test user", exact=True).click()
    await expect(page.get_by_role("heading", name="Start a meeting")).to_be_visible()
    # Signed in, the focus is on the home page's heading, not lost on the page's body.
    await expect(page.get_by_role("heading", level=1)).to_be_focused()
    await visitor.check_accessibility("home")

    (account,) = (await auth_accounts()).values()
    assert account["providerUserInfo"][0]["providerId"] == "google.com"
    uid = account["localId"]
    admin = admin_client()
    try:
        ref = admin.collection("identities").document(uid)

        async def stored() -> bool:
            return bool((await ref.get()).exists)

        await wait_for(stored, timeout=10.0, what=f"identities/{uid} from the blocking function")
        identity = (await ref.get()).to_dict() or {}
    finally:
        await close_client(admin)
    assert identity["uid"] == uid
    assert identity["provider"] == "google.com"
    assert identity["name"] == "Ada Lovelace"
    assert identity["email"] == "ada@example.com"

    # The same e-mail again is the same account, not a second one.
    await page.get_by_role("button", name="Sign out", exact=True).click()
    again = page.get_by_role("form", name="Sign in as a test user")
    await again.get_by_label("Name", exact=True).fill("Ada Lovelace")
    await again.get_by_label("E-mail", exact=True).fill("ada@example.com")
    await again.get_by_role("button", name="Sign in as a test user", exact=True).click()
    await expect(page.get_by_role("heading", name="Start a meeting")).to_be_visible()
    assert [a["localId"] for a in (await auth_accounts()).values()] == [uid]
