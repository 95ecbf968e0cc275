"""Sign-in of end users on the Auth emulator, as the browser app would with Google."""

from __future__ import annotations

import json
import secrets
import urllib.parse
from dataclasses import dataclass
from typing import Any

import httpx

from .config import AUTH_HOST, HTTP_TIMEOUT
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
    async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as client:
        response = await post_retrying_hang_ups(lambda: client.post(SIGN_IN_URL, json=request))
    body = response.json()
    if response.status_code != 200 or "idToken" not in body:
        message = str(body.get("error", {}).get("message", body))
        raise SignInRefused(message, body)
    return User(uid=body["localId"], id_token=body["idToken"], email=email, name=name)
