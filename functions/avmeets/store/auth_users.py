"""Firebase Auth accounts as the callables' policy needs them (firebase-admin; the Auth
emulator when FIREBASE_AUTH_EMULATOR_HOST is set): is a session still valid, end an account's
sessions, delete an account the policy refuses."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from .. import db


@dataclass(frozen=True)
class Sessions:
    """What decides whether an ID token of the account is still good."""

    disabled: bool
    #: ID tokens issued (``iat``) before this, in epoch seconds, are revoked (0: none are).
    valid_after: int


def sessions(uid: str) -> Sessions | None:
    """The account's session state; None when there is no such account (deleted)."""
    from firebase_admin import auth  # only the policy's checks need it

    db.ensure_app()
    try:
        user = auth.get_user(uid)
    except auth.UserNotFoundError:
        return None
    valid_after_ms = user.tokens_valid_after_timestamp or 0
    return Sessions(disabled=bool(user.disabled), valid_after=int(valid_after_ms // 1000))


def revoke_sessions(uid: str) -> None:
    """Revoke the account's refresh tokens: no new ID token, and existing ones fail the
    revocation check."""
    from firebase_admin import auth

    db.ensure_app()
    auth.revoke_refresh_tokens(uid)


def delete_account(uid: str) -> None:
    """Delete the account (nothing happens when it is gone already)."""
    from firebase_admin import auth

    db.ensure_app()
    with contextlib.suppress(auth.UserNotFoundError):
        auth.delete_user(uid)
