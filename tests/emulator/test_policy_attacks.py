"""Attacks on organisation policy (issue 10, class 2), made as users would on the Auth emulator.

An organisation (`orgs/acme`, domain acme.example) claims its members by e-mail domain and may
restrict how they sign in, block some of them, and opt in to archives. The attacks:

* an account claims membership with an address it never verified (changed after sign-in);
* an account blocked after it signed in keeps working by refreshing its token;
* a member signs in with a provider the organisation does not allow (e-mail and password);
* an operator revokes an account's sessions, and its unexpired ID token keeps working;
* a sign-in the policy refuses still leaves a Firebase Auth account behind.

The deployment-wide restriction (`SIGN_IN_ORG`) is attacked in test_sign_in_org.py, which runs
in an emulator session of its own with that setting.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from google.cloud import firestore

from .support.admin import auth_accounts, dump_all
from .support.auth import (
    ADMIN_UPDATE_URL,
    SignInRefused,
    change_email,
    mark_email_verified,
    refresh,
    sign_in_with_google,
    sign_up_with_password,
)
from .support.config import HTTP_TIMEOUT
from .support.factories import Actors
from .support.refusals import database_unchanged, refused

ACME = {"name": "Acme", "domains": ["acme.example"], "storage": {"chat": True}}
CHAT = [{"text": "minutes", "at": 1_700_000_000_000}]


async def _account(uid: str) -> dict[str, Any]:
    """The Auth emulator's record of the account (as the Admin SDK reads it)."""
    return (await auth_accounts())[f"auth/{uid}"]


async def _acme(admin: firestore.AsyncClient, **extra: object) -> None:
    await admin.collection("orgs").document("acme").set({**ACME, **extra})


async def test_unverified_address_does_not_make_a_member(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """Eve signs in with Google as eve@example.com, then changes her address to one at Acme
    that she cannot verify: neither her meetings nor archives may carry Acme's name."""
    await _acme(admin)
    eve = await actors("eve")
    eve.user = await change_email(eve.user, "eve@acme.example")
    meeting_id = await eve.create_meeting(title="Acme all-hands (not)")
    meeting = (await admin.collection("meetings").document(meeting_id).get()).to_dict() or {}
    assert meeting.get("orgId") is None, meeting
    await eve.join(meeting_id)
    async with database_unchanged(admin):
        await refused(
            eve.call("archive", {"meetingId": meeting_id, "kind": "chat", "messages": CHAT}),
            "FAILED_PRECONDITION",
            "not-allowed-by-policy",
        )


async def test_blocked_after_sign_in_is_refused_and_its_sessions_revoked(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    await _acme(admin, signIn={"allowedProviders": ["google.com"]})
    ada = await actors("ada", email="ada@acme.example")
    meeting_id = await ada.create_meeting()
    blocked_at = time.time()
    await (
        admin.collection("orgs")
        .document("acme")
        .update({"signIn.blockedEmails": ["ada@acme.example"]})
    )
    async with database_unchanged(admin):
        await refused(ada.join(meeting_id), "PERMISSION_DENIED", "account-refused")
    # Her sessions were revoked: production refuses her refresh token from now on (no new ID
    # token once hers expires). The Auth emulator keeps refreshing revoked tokens (its
    # grantToken checks `disabled` only), so here: the revocation is recorded, and a token
    # refreshed anyway gets nothing either.
    assert int((await _account(ada.uid)).get("validSince", 0)) >= int(blocked_at)
    ada.user = await refresh(ada.user)
    await refused(ada.create_meeting(), "PERMISSION_DENIED", "account-refused")


async def test_revoked_session_is_refused(actors: Actors, admin: firestore.AsyncClient) -> None:
    """The operator revokes Ada's sessions (console or Admin SDK); her unexpired ID token must
    not keep working where the organisation's policy applies."""
    await _acme(admin, signIn={"allowedProviders": ["google.com"]})
    ada = await actors("ada", email="ada@acme.example")
    await ada.create_meeting()
    async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
        response = await client.post(
            ADMIN_UPDATE_URL,
            json={"localId": ada.uid, "validSince": str(int(time.time()) + 1)},
            headers={"Authorization": "Bearer owner"},
        )
        response.raise_for_status()
    async with database_unchanged(admin):
        await refused(ada.create_meeting(), "UNAUTHENTICATED")


async def test_provider_the_organisation_does_not_allow(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """Acme requires Google; Peter signs up with e-mail and password and verifies the address."""
    await _acme(admin, signIn={"allowedProviders": ["google.com"]})
    peter = await actors("peter", user=await sign_up_with_password("peter@acme.example"))
    peter.user = await mark_email_verified(peter.user)
    async with database_unchanged(admin):
        await refused(peter.create_meeting(), "PERMISSION_DENIED", "account-refused")


async def test_refused_sign_in_leaves_no_account(admin: firestore.AsyncClient) -> None:
    await _acme(admin, signIn={"allowedProviders": ["phone"]})
    with pytest.raises(SignInRefused) as refusal:
        await sign_in_with_google("Mallory", "mallory@acme.example")
    assert refusal.value.blocked, refusal.value
    assert await auth_accounts() == {}, "a refused person left an Auth account"
    assert [p for p in await dump_all(admin) if not p.startswith("orgs/")] == []
