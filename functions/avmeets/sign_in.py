"""What the Auth blocking function decides and records, as plain data.

An organisation (``orgs/{orgId}``) claims email domains and may set a sign-in policy for its
members; a deployment may be limited to one organisation (``SIGN_IN_ORG``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Protocol

from .errors import AccountBlocked, PermissionDenied
from .protocol import ErrorReason
from .store.documents import IdentityDoc

#: Sign-in providers for which Firebase Auth runs no blocking function: their accounts exist
#: before any policy could refuse them, so a refused one is deleted at its first callable.
NO_BLOCKING_FUNCTION: Final = frozenset({"anonymous", "custom"})


class PolicyFacts(Protocol):
    """What the policy looks at, whether at sign-in (``SignIn``) or at a callable (a token)."""

    @property
    def provider(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def email_verified(self) -> bool: ...


@dataclass(frozen=True)
class SignIn:
    """The facts about one sign-in that the policy and the CDR need."""

    uid: str
    name: str | None
    email: str | None
    email_verified: bool
    phone: str | None
    provider: str
    ip: str
    user_agent: str | None


def email_domain(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


def member_domain(facts: PolicyFacts) -> str | None:
    """The e-mail domain that makes an organisation's member: only a verified address does
    (anyone can type an address into a sign-up form or change theirs to one)."""
    return email_domain(facts.email) if facts.email_verified else None


def check_policy(
    facts: PolicyFacts,
    member_org: Mapping[str, Any] | None,
    required_org_id: str | None,
    member_org_id: str | None,
) -> None:
    """Raise ``PermissionDenied`` (``account-refused``) with a reason a person understands, or
    return to allow; ``AccountBlocked`` for an address the organisation blocked.

    ``member_org`` is the organisation that claims the domain of the verified address (if
    any): see ``member_domain``. Runs before an account is created, at every sign-in and at
    every callable, with the same answer.
    """
    if required_org_id is not None and member_org_id != required_org_id:
        domains = ", ".join((member_org or {}).get("domains", [])) if member_org else None
        detail = f" ({domains})" if domains else ""
        raise PermissionDenied(
            f"Sign-in is limited to accounts of the organisation {required_org_id}{detail}, "
            "with a verified address.",
            reason=ErrorReason.ACCOUNT_REFUSED,
        )
    if member_org is None:
        return
    policy = member_org.get("signIn") or {}
    providers = policy.get("allowedProviders")
    if providers and facts.provider not in providers:
        raise PermissionDenied(
            f"Your organisation requires signing in with {', '.join(providers)}.",
            reason=ErrorReason.ACCOUNT_REFUSED,
        )
    if policy.get("requireVerifiedEmail") and not facts.email_verified:
        raise PermissionDenied(
            "Your organisation requires a verified email address.",
            reason=ErrorReason.ACCOUNT_REFUSED,
        )
    blocked = {str(x).lower() for x in policy.get("blockedEmails", [])}
    if facts.email and facts.email.lower() in blocked:
        raise AccountBlocked(
            "This account has been blocked by its organisation.", reason=ErrorReason.ACCOUNT_REFUSED
        )


def identity_record(
    sign_in: SignIn, org_id: str | None, now: datetime, expires_at: datetime
) -> IdentityDoc:
    """The ``identities/{uid}`` document: who the user is, for the CDR, and when it expires."""
    return {
        "uid": sign_in.uid,
        "name": sign_in.name,
        "email": sign_in.email,
        "phone": sign_in.phone,
        "provider": sign_in.provider,
        "orgId": org_id,
        "signInIp": sign_in.ip,
        "signInUserAgent": sign_in.user_agent,
        "lastSignInAt": now,
        "expiresAt": expires_at,
    }
