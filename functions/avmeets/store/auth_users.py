"""Firebase Auth accounts as the callables' policy needs them (firebase-admin; the Auth
emulator when FIREBASE_AUTH_EMULATOR_HOST is set): is a session still valid, end an account's
sessions, delete an account the policy refuses."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from .. import db
from ..protocol import ORG_ADMIN_CLAIM


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


@dataclass(frozen=True)
class Account:
    uid: str
    email: str | None
    #: The organisations the account administers (the ``orgAdmin`` custom claim).
    admin_of: tuple[str, ...]


def _admin_of(claims: dict[str, object] | None) -> tuple[str, ...]:
    value = (claims or {}).get(ORG_ADMIN_CLAIM)
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def admin_claim_of(uid: str) -> tuple[str, ...]:
    """The organisations the account's ``orgAdmin`` claim names now (none if no account)."""
    from firebase_admin import auth

    db.ensure_app()
    try:
        return _admin_of(auth.get_user(uid).custom_claims)
    except auth.UserNotFoundError:
        return ()


def account_by_email(email: str) -> Account | None:
    from firebase_admin import auth

    db.ensure_app()
    try:
        user = auth.get_user_by_email(email)
    except auth.UserNotFoundError:
        return None
    return Account(user.uid, user.email, _admin_of(user.custom_claims))


def set_admin_of(uid: str, org_ids: tuple[str, ...]) -> None:
    """Set the account's ``orgAdmin`` claim (its other custom claims kept). Its ID tokens
    carry it from their next refresh (at most an hour; a new sign-in at once)."""
    from firebase_admin import auth

    db.ensure_app()
    claims = dict(auth.get_user(uid).custom_claims or {})
    if org_ids:
        claims[ORG_ADMIN_CLAIM] = sorted(set(org_ids))
    else:
        claims.pop(ORG_ADMIN_CLAIM, None)
    auth.set_custom_user_claims(uid, claims or None)


def admins_of(org_id: str) -> list[Account]:
    """Every account administering ``org_id`` (a scan of the accounts: operator use only)."""
    from firebase_admin import auth

    db.ensure_app()
    return [
        Account(user.uid, user.email, _admin_of(user.custom_claims))
        for user in auth.list_users().iterate_all()
        if org_id in _admin_of(user.custom_claims)
    ]
