"""Sign-in runs the blocking function, which records the identity in `identities/{uid}`."""

from __future__ import annotations

import pytest
from google.cloud import firestore

from .support.auth import SignInRefused, sign_in_with_google
from .support.deadline import wait_for


async def test_sign_in_records_identity(admin: firestore.AsyncClient) -> None:
    user = await sign_in_with_google("Ada Lovelace", "ada@example.com")

    ref = admin.collection("identities").document(user.uid)

    async def stored() -> bool:
        return bool((await ref.get()).exists)

    # The blocking function writes before the sign-in completes; poll briefly all the same.
    await wait_for(stored, timeout=5.0, what=f"identities/{user.uid}")
    identity = (await ref.get()).to_dict() or {}
    assert identity["uid"] == user.uid
    assert identity["name"] == "Ada Lovelace"
    assert identity["email"] == "ada@example.com"
    assert identity["provider"] == "google.com"
    assert isinstance(identity.get("signInIp"), str)
    assert identity.get("lastSignInAt") is not None
    assert identity.get("expiresAt") is not None


async def test_sign_in_again_updates_the_same_identity(admin: firestore.AsyncClient) -> None:
    first = await sign_in_with_google("Grace Hopper", "grace@example.com", sub="1906")
    ref = admin.collection("identities").document(first.uid)
    before = (await ref.get()).to_dict() or {}

    second = await sign_in_with_google("Grace Hopper", "grace@example.com", sub="1906")
    assert second.uid == first.uid

    async def renewed() -> bool:
        data = (await ref.get()).to_dict() or {}
        return bool(data.get("lastSignInAt") and data["lastSignInAt"] > before["lastSignInAt"])

    await wait_for(renewed, timeout=5.0, what="the second sign-in to renew lastSignInAt")
    identities = await admin.collection("identities").get()
    assert [doc.id for doc in identities] == [first.uid]


async def test_organisation_policy_refuses_sign_in_with_a_reason(
    admin: firestore.AsyncClient,
) -> None:
    """An organisation that allows only phone sign-in refuses its members' Google sign-in."""
    await (
        admin.collection("orgs")
        .document("acme")
        .set(
            {"name": "Acme", "domains": ["acme.example"], "signIn": {"allowedProviders": ["phone"]}}
        )
    )
    with pytest.raises(SignInRefused) as refused:
        await sign_in_with_google("Mallory", "mallory@acme.example")
    assert "requires signing in with phone" in str(refused.value)
    # Nothing about the refused user is kept; other domains still sign in.
    identities = [d async for d in admin.collection("identities").stream()]
    assert identities == []
    outsider = await sign_in_with_google("Oscar", "oscar@example.org")
    assert (await admin.collection("identities").document(outsider.uid).get()).exists
