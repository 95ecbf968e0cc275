"""Sign-in of end users on the Auth emulator, as the browser app would with Google."""

from __future__ import annotations

import json
import secrets
import urllib.parse
from dataclasses import dataclass, replace
from typing import Any

from .config import AUTH_HOST, HTTP_TIMEOUT, PROJECT_ID
from .http_client import async_client
from .transport import post_retrying_hang_ups

SIGN_IN_URL = (
    f"http://{AUTH_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithIdp?key=fake-api-key"
)


@dataclass(frozen=True)
class User:
    uid: str
    id_token: str
    email: str
    name: str
    provider: str = "google.com"
    #: The refresh token of the sign-in ("" when unknown): `refresh()` trades it for a new ID token.
    refresh_token: str = ""


class SignInRefused(Exception):
    """The Auth emulator refused the sign-in (for instance the blocking function said no)."""

    def __init__(self, message: str, body: Any) -> None:
        super().__init__(message)
        self.message = message
        self.body = body

    @property
    def blocked(self) -> bool:
        return "BLOCKING_FUNCTION_ERROR_RESPONSE" in self.message


def google_claims(name: str, email: str, sub: str | None = None) -> dict[str, Any]:
    """The claims of an unsigned Google ID token, which the emulator accepts for fake IdPs."""
    return {
        "sub": sub or str(secrets.randbelow(10**20)),
        "email": email,
        "email_verified": True,
        "name": name,
    }


async def sign_in_with_google(
    name: str, email: str | None = None, *, sub: str | None = None
) -> User:
    """Sign `name` in with Google; a unique example.com address is made when `email` is None."""
    if email is None:
        slug = "".join(ch for ch in name.lower() if ch.isalnum()) or "user"
        email = f"{slug}.{secrets.token_hex(3)}@example.com"
    claims = google_claims(name, email, sub)
    post_body = urllib.parse.urlencode({"id_token": json.dumps(claims), "providerId": "google.com"})
    request = {
        "postBody": post_body,
        "requestUri": "http://localhost",
        "returnSecureToken": True,
        "returnIdpCredential": True,
    }
    async with async_client(HTTP_TIMEOUT) as client:
        response = await post_retrying_hang_ups(lambda: client.post(SIGN_IN_URL, json=request))
    body = response.json()
    if response.status_code != 200 or "idToken" not in body:
        message = str(body.get("error", {}).get("message", body))
        raise SignInRefused(message, body)
    return User(
        uid=body["localId"],
        id_token=body["idToken"],
        email=email,
        name=name,
        refresh_token=body.get("refreshToken", ""),
    )


# --- other providers and account changes (the attacks of tests/emulator/test_policy_attacks.py)

API = f"http://{AUTH_HOST}/identitytoolkit.googleapis.com/v1"
TOKEN_URL = f"http://{AUTH_HOST}/securetoken.googleapis.com/v1/token?key=fake-api-key"
ADMIN_UPDATE_URL = f"{API}/projects/{PROJECT_ID}/accounts:update"


async def _post(url: str, **kwargs: Any) -> Any:
    async with async_client(HTTP_TIMEOUT) as client:
        response = await post_retrying_hang_ups(lambda: client.post(url, **kwargs))
    body = response.json()
    if response.status_code != 200:
        message = str(body.get("error", {}).get("message", body))
        raise SignInRefused(message, body)
    return body


async def sign_up_anonymously() -> User:
    """`signInAnonymously()`: an account with no identity at all (no blocking function runs)."""
    body = await _post(f"{API}/accounts:signUp?key=fake-api-key", json={"returnSecureToken": True})
    return User(
        uid=body["localId"],
        id_token=body["idToken"],
        email="",
        name="",
        provider="anonymous",
        refresh_token=body.get("refreshToken", ""),
    )


async def sign_up_with_password(email: str, password: str = "correct horse battery") -> User:
    """`createUserWithEmailAndPassword()`: the address is unverified until its owner clicks."""
    body = await _post(
        f"{API}/accounts:signUp?key=fake-api-key",
        json={"email": email, "password": password, "returnSecureToken": True},
    )
    return User(
        uid=body["localId"],
        id_token=body["idToken"],
        email=email,
        name="",
        provider="password",
        refresh_token=body.get("refreshToken", ""),
    )


async def refresh(user: User) -> User:
    """A new ID token from the refresh token, as the JS SDK fetches one every hour."""
    body = await _post(
        TOKEN_URL,
        data={"grant_type": "refresh_token", "refresh_token": user.refresh_token},
    )
    return replace(user, id_token=body["id_token"], refresh_token=body["refresh_token"])


async def change_email(user: User, email: str) -> User:
    """`updateEmail()` by the signed-in user: the new address is not verified."""
    body = await _post(
        f"{API}/accounts:update?key=fake-api-key",
        json={"idToken": user.id_token, "email": email, "returnSecureToken": True},
    )
    return replace(
        user,
        id_token=body.get("idToken", user.id_token),
        refresh_token=body.get("refreshToken", user.refresh_token),
        email=email,
    )


async def mark_email_verified(user: User) -> User:
    """The owner of the mailbox clicked the verification link (set through the emulator's
    admin API), then the client refreshed its token to carry `email_verified: true`."""
    await _post(
        ADMIN_UPDATE_URL,
        json={"localId": user.uid, "emailVerified": True},
        headers={"Authorization": "Bearer owner"},
    )
    return await refresh(user)
