"""The Auth blocking functions' decisions: may this person have an account, may they sign in,
and who are they (CDR)."""

from __future__ import annotations

import logging

from .. import clock
from ..config import settings
from ..errors import PermissionDenied
from ..sign_in import SignIn, check_policy, identity_record, member_domain
from ..store import people
from ..store.documents import OrgDoc
from .common import expiry

log = logging.getLogger("avmeets")


def _checked(attempt: SignIn, event: str) -> tuple[str | None, OrgDoc | None]:
    """The organisation of the attempt's verified address, once the policy allows it."""
    org_id, org = people.org_of_domain(member_domain(attempt))
    try:
        check_policy(attempt, org, settings().sign_in_org, org_id)
    except PermissionDenied:
        log.info("%s refused by policy: uid=%s org=%s", event, attempt.uid, org_id)
        raise
    return org_id, org


def before_create(attempt: SignIn) -> None:
    """Before Firebase Auth stores a new account: the same policy as at sign-in, so a person the
    policy refuses leaves no account behind. Records nothing (the sign-in that follows does)."""
    _checked(attempt, "account creation")


def sign_in(attempt: SignIn) -> None:
    """Enforce the organisation's sign-in policy (``PermissionDenied``), then record the
    identity for the CDR."""
    org_id, org = _checked(attempt, "sign-in")
    now = clock.now()
    people.put_identity(identity_record(attempt, org_id, now, expiry(now, org)))
