"""What the Auth blocking function decides and records, as plain data.

An organisation (``orgs/{orgId}``) claims email domains and may set a sign-in policy for its
members; a deployment may be limited to one organisation (``SIGN_IN_ORG``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import PermissionDenied
from .store.documents import IdentityDoc


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


def check_policy(
    sign_in: SignIn,
    member_org: Mapping[str, Any] | None,
    required_org_id: str | None,
    member_org_id: str | None,
) -> None:
    """Raise ``PermissionDenied`` with a reason a person understands, or return to allow.

    ``member_org`` is the organisation that claims the email's domain (if any).
    """
    if required_org_id is not None and member_org_id != required_org_id:
        domains = ", ".join((member_org or {}).get("domains", [])) if member_org else None
        detail = f" ({domains})" if domains else ""
        raise PermissionDenied(
            f"Sign-in is limited to accounts of the organisation {required_org_id}{detail}."
        )
    if member_org is None:
        return
    policy = member_org.get("signIn") or {}
    providers = policy.get("allowedProviders")
    if providers and sign_in.provider not in providers:
        raise PermissionDenied(
            f"Your organisation requires signing in with {', '.join(providers)}."
        )
    if policy.get("requireVerifiedEmail") and not sign_in.email_verified:
        raise PermissionDenied("Your organisation requires a verified email address.")
    blocked = {str(x).lower() for x in policy.get("blockedEmails", [])}
    if sign_in.email and sign_in.email.lower() in blocked:
        raise PermissionDenied("This account has been blocked by its organisation.")


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
