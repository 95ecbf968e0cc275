"""A deployment limited to one organisation (`SIGN_IN_ORG`), attacked through other providers.

These tests need the functions to run with `SIGN_IN_ORG` set, a deploy-time setting, so
`nox -s emulator_tests` runs them in an emulator session of their own (marker `sign_in_org`,
SIGN_IN_ORG=acme); the main session deselects them.

Firebase Auth does not run blocking functions for anonymous or custom-token sign-ins, and the
e-mail/password provider creates accounts whose address nobody verified. Each of those used to
get everything a member gets. Now the policy runs before an account is created (so a refused
person leaves nothing behind) and again at every callable (so a provider that skips the blocking
functions gains nothing, and its account is deleted).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from google.cloud import firestore

from .support.admin import auth_accounts, dump_all
from .support.auth import (
    SignInRefused,
    change_email,
    sign_in_with_google,
    sign_up_anonymously,
    sign_up_with_password,
)
from .support.deadline import wait_for
from .support.factories import Actors
from .support.refusals import refused

ORG_ID = os.environ.get("SIGN_IN_ORG") or "acme"
pytestmark = pytest.mark.sign_in_org


@pytest_asyncio.fixture(autouse=True)
async def org(admin: firestore.AsyncClient) -> AsyncIterator[None]:
    if not os.environ.get("SIGN_IN_ORG"):
        pytest.fail("run with SIGN_IN_ORG set: `nox -s emulator_tests` does", pytrace=False)
    await (
        admin.collection("orgs").document(ORG_ID).set({"name": "Acme", "domains": ["acme.example"]})
    )
    yield


async def _no_account_left(uid: str) -> None:
    await wait_for(lambda: _absent(uid), timeout=10.0, what=f"the Auth account {uid} to be deleted")


async def _absent(uid: str) -> bool:
    return f"auth/{uid}" not in await auth_accounts()


async def test_members_sign_in_and_meet(actors: Actors, admin: firestore.AsyncClient) -> None:
    """Positive control: a verified Acme address signed in with Google gets everything."""
    ada = await actors("ada", email="ada@acme.example")
    meeting_id = await ada.create_meeting()
    await ada.join(meeting_id)
    meeting = (await admin.collection("meetings").document(meeting_id).get()).to_dict() or {}
    assert meeting["orgId"] == ORG_ID


async def test_outsider_is_refused_before_an_account_exists(admin: firestore.AsyncClient) -> None:
    with pytest.raises(SignInRefused) as refusal:
        await sign_in_with_google("Oscar", "oscar@example.org")
    assert refusal.value.blocked, refusal.value
    assert await auth_accounts() == {}
    assert [p for p in await dump_all(admin) if not p.startswith("orgs/")] == []


async def test_anonymous_account_gets_nothing(actors: Actors, admin: firestore.AsyncClient) -> None:
    anon = await actors("anon", user=await sign_up_anonymously())
    await refused(anon.create_meeting(), "PERMISSION_DENIED", "account-refused")
    await _no_account_left(anon.uid)
    assert [p for p in await dump_all(admin) if not p.startswith("orgs/")] == []


async def test_password_account_with_an_acme_address_gets_nothing(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """Anyone can type an Acme address into a sign-up form; nobody verified it."""
    try:
        user = await sign_up_with_password("ceo@acme.example")
    except SignInRefused as refusal:
        assert refusal.blocked, refusal
        assert await auth_accounts() == {}
        return
    mallory = await actors("mallory", user=user)
    await refused(mallory.create_meeting(), "PERMISSION_DENIED", "account-refused")
    assert [p for p in await dump_all(admin) if not p.startswith("orgs/")] == []


async def test_member_who_moves_to_an_unverified_address_is_refused(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    eve = await actors("eve", email="eve@acme.example")
    eve.user = await change_email(eve.user, "eve@example.org")
    await refused(eve.create_meeting(), "PERMISSION_DENIED", "account-refused")
