"""An organisation's policy as its admins see and change it: plain data and the time in.

``view`` turns the stored ``orgs/{orgId}`` (written by the operator, so every field may be
missing) into the protocol's ``OrgPolicy``; ``plan_changes`` checks an admin's changes against
the rules below and says what would be written and what the audit records.

* ``retentionDays`` at most the service's maximum;
* ``domains`` only among the organisation's ``verifiedDomains`` (set by the operator): a domain
  decides who is a member, and so whose data may be stored. An admin who could add any domain
  could make every ``gmail.com`` account a "member" and store its chat;
* a change that changes nothing is not written and not audited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import FailedPrecondition, InvalidArgument
from .protocol import (
    SIGN_IN_PROVIDERS,
    STORAGE_KINDS,
    ErrorReason,
    OrgChange,
    OrgPolicy,
    OrgPolicyChanges,
    OrgStoragePolicy,
)
from .store.documents import OrgAuditDoc, OrgDoc

#: How long an organisation's policy changes stay in its audit (``org_audits``).
AUDIT_DAYS = 365


def view(org_id: str, org: Mapping[str, Any], default_days: int, max_days: int) -> OrgPolicy:
    storage = org.get("storage") or {}
    sign_in = org.get("signIn") or {}
    flags: OrgStoragePolicy = {k: storage.get(k) is True for k in STORAGE_KINDS}  # type: ignore[assignment]
    days = org.get("retentionDays")
    return {
        "orgId": org_id,
        "name": str(org.get("name") or org_id),
        "domains": [str(d) for d in org.get("domains") or []],
        "allowedProviders": [
            p for p in sign_in.get("allowedProviders") or [] if p in SIGN_IN_PROVIDERS
        ],
        "retentionDays": min(days, max_days)
        if isinstance(days, int) and days > 0
        else default_days,
        "maxRetentionDays": max_days,
        "storage": flags,
    }


@dataclass(frozen=True)
class PolicyPlan:
    """What ``set`` writes: Firestore field paths and values, and the audit's changes."""

    fields: dict[str, Any]
    changes: list[OrgChange]


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def plan_changes(
    org: Mapping[str, Any],
    changes: OrgPolicyChanges,
    *,
    current: OrgPolicy,
    max_days: int,
    claimed_elsewhere: Mapping[str, list[str]],
) -> PolicyPlan:
    """Check ``changes`` against ``org`` (as stored; ``current`` is its view) and plan them.

    ``claimed_elsewhere``: for each requested domain, the other organisations claiming it.
    Raises ``InvalidArgument`` (a value the service never accepts) or ``FailedPrecondition``
    (a value this organisation may not have now); nothing is planned then.
    """
    fields: dict[str, Any] = {}
    audit: list[OrgChange] = []

    def change(field: str, path: str, old: Any, new: Any) -> None:
        if old != new:
            fields[path] = new
            audit.append({"field": field, "old": _json(old), "new": _json(new)})

    if "name" in changes:
        change("name", "name", current["name"], changes["name"])
    if "retentionDays" in changes:
        days = changes["retentionDays"]
        if days > max_days:
            raise InvalidArgument(
                f"'retentionDays' must be at most {max_days} (the service's maximum).",
                field="retentionDays",
            )
        change("retentionDays", "retentionDays", current["retentionDays"], days)
    if "domains" in changes:
        verified = {str(d) for d in org.get("verifiedDomains") or []}
        for domain in changes["domains"]:
            if domain not in verified:
                raise FailedPrecondition(
                    f"{domain} is not one of the organisation's verified domains "
                    f"({', '.join(sorted(verified)) or 'none'}); ask the operator to verify it.",
                    reason=ErrorReason.DOMAIN_NOT_VERIFIED,
                    field="domains",
                )
            if claimed_elsewhere.get(domain):
                raise FailedPrecondition(
                    f"{domain} belongs to another organisation.",
                    reason=ErrorReason.DOMAIN_NOT_VERIFIED,
                    field="domains",
                )
        change("domains", "domains", current["domains"], changes["domains"])
    if "allowedProviders" in changes:
        change(
            "allowedProviders",
            "signIn.allowedProviders",
            current["allowedProviders"],
            changes["allowedProviders"],
        )
    for kind, flag in (changes.get("storage") or {}).items():
        change(f"storage.{kind}", f"storage.{kind}", current["storage"][kind], flag)  # type: ignore[literal-required]
    return PolicyPlan(fields, audit)


def audit_entry(
    org_id: str,
    by: str,
    by_uid: str | None,
    changes: list[OrgChange],
    now: datetime,
    until: datetime,
) -> OrgAuditDoc:
    return {
        "orgId": org_id,
        "at": now,
        "by": by,
        "byUid": by_uid,
        "changes": changes,
        "expiresAt": until,
    }


def new_org(name: str, domains: list[str]) -> OrgDoc:
    """An organisation as the operator creates it: its domains verified, nothing stored."""
    return {
        "name": name,
        "domains": list(domains),
        "verifiedDomains": list(domains),
        "storage": {k: False for k in STORAGE_KINDS},  # type: ignore[typeddict-item]
    }
