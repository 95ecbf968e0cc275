"""The Auth blocking function's decision: may this person sign in, and who are they (CDR)."""

from __future__ import annotations

import logging

from .. import clock
from ..config import settings
from ..errors import PermissionDenied
from ..sign_in import SignIn, check_policy, email_domain, identity_record
from ..store import people
from .common import expiry

log = logging.getLogger("avmeets")


def sign_in(attempt: SignIn) -> None:
    """Enforce the organisation's sign-in policy (``PermissionDenied``), then record the
    identity for the CDR."""
    org_id, org = people.org_of_domain(email_domain(attempt.email))
    try:
        check_policy(attempt, org, settings().sign_in_org, org_id)
    except PermissionDenied:
        log.info("sign-in refused by policy: uid=%s org=%s", attempt.uid, org_id)
        raise
    now = clock.now()
    people.put_identity(identity_record(attempt, org_id, now, expiry(now, org)))
