"""``org_admin``: an organisation's admins read and change its policy, see its audit, export
what it stores. Admins are named by the ``orgAdmin`` custom claim, which only the operator's
command line sets (``avmeets org admins``); the claim is checked on every call."""

from __future__ import annotations

import logging
from datetime import timedelta

from .. import clock, org_policy
from ..config import MAX_RETENTION_DAYS, settings
from ..errors import NotFound, PermissionDenied
from ..meetings import Caller
from ..payloads import OrgAdmin
from ..protocol import ErrorReason, Limits, OrgAdminResult, OrgAuditEntry, OrgPolicy
from ..store import auth_users
from ..store import orgs as store
from ..store.documents import OrgDoc
from . import org_export
from .common import optimistic

log = logging.getLogger("avmeets")


def _policy(org_id: str, org: OrgDoc) -> OrgPolicy:
    return org_policy.view(org_id, org, settings().retention_days, MAX_RETENTION_DAYS)


def _audit(org_id: str) -> list[OrgAuditEntry]:
    return [
        {
            "at": entry["at"].isoformat().replace("+00:00", "Z"),
            "by": entry["by"],
            "changes": list(entry["changes"]),
        }
        for entry in store.audit(org_id, Limits.ORG_AUDIT_ENTRIES)
    ]


def org_admin(caller: Caller, admin_of: list[str], body: OrgAdmin) -> OrgAdminResult:
    if body.org_id not in admin_of:
        raise PermissionDenied(
            "You are not an admin of this organisation.", reason=ErrorReason.NOT_AN_ORG_ADMIN
        )
    if body.action == "set":
        assert body.changes is not None
        changes = body.changes
        by = caller.email or caller.uid

        def attempt() -> OrgDoc:
            current = store.org(body.org_id)
            if current.doc is None:
                raise NotFound("No organisation has this id.")
            claimed = {
                d: [o for o in store.orgs_claiming(d) if o != body.org_id]
                for d in changes.get("domains", [])
            }
            plan = org_policy.plan_changes(
                current.doc,
                changes,
                current=_policy(body.org_id, current.doc),
                max_days=MAX_RETENTION_DAYS,
                claimed_elsewhere=claimed,
            )
            if plan.fields:
                now = clock.now()
                entry = org_policy.audit_entry(
                    body.org_id,
                    by,
                    caller.uid,
                    plan.changes,
                    now,
                    now + timedelta(days=org_policy.AUDIT_DAYS),
                )
                store.change_org(body.org_id, current.version, plan.fields, entry)
                log.info(
                    "org policy changed: %s by %s: %s",
                    body.org_id,
                    caller.uid,
                    ", ".join(c["field"] for c in plan.changes),
                    extra={"orgId": body.org_id, "uid": caller.uid},
                )
            return current.doc

        optimistic(
            attempt,
            attempts=5,
            backoff=(0.05, 0.2),
            busy="Another admin is changing this organisation; try again.",
        )
    org = store.org(body.org_id).doc
    if org is None:
        raise NotFound("No organisation has this id.")
    result: OrgAdminResult = {"policy": _policy(body.org_id, org), "audit": _audit(body.org_id)}
    if body.action == "export":
        result["export"] = org_export.export(body.org_id)
    return result


def admin_of(uid: str) -> list[str]:
    """The organisations the account administers now: its ``orgAdmin`` claim as Firebase Auth
    holds it, not as the ID token carried it when issued (up to an hour earlier), so that the
    operator's ``avmeets org admins --remove`` takes effect at the next call. Admin calls are
    rare: one Auth lookup each."""
    return list(auth_users.admin_claim_of(uid))
