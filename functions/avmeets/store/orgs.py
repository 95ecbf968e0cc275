"""Organisations' policies (``orgs``) and the audit of their changes (``org_audits``)."""

from __future__ import annotations

from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from . import names
from .core import Versioned, client, data, typed, unchanged_since, versioned
from .documents import OrgAuditDoc, OrgDoc


def _org(org_id: str) -> Any:
    return client().collection(names.ORGS).document(org_id)


def org(org_id: str) -> Versioned[OrgDoc]:
    return versioned(_org(org_id).get(), OrgDoc)


def create_org(org_id: str, doc: OrgDoc, audit: OrgAuditDoc) -> None:
    """Create the organisation (``AlreadyExists`` if it exists) with its first audit entry."""
    batch = client().batch()
    batch.create(_org(org_id), data(doc))
    batch.create(client().collection(names.ORG_AUDITS).document(), data(audit))
    batch.commit()


def change_org(org_id: str, version: Any, fields: dict[str, Any], audit: OrgAuditDoc) -> None:
    """Write ``fields`` of the organisation and its audit entry together, only if the
    organisation is unchanged since ``version`` (two admins saving at once: one re-reads)."""
    batch = client().batch()
    batch.update(_org(org_id), fields, option=unchanged_since(version))
    batch.create(client().collection(names.ORG_AUDITS).document(), data(audit))
    batch.commit()


def orgs_claiming(domain: str) -> list[str]:
    """The ids of the organisations whose ``domains`` hold ``domain``."""
    query = (
        client()
        .collection(names.ORGS)
        .where(filter=FieldFilter("domains", "array_contains", domain))
    )
    return [snap.id for snap in query.stream()]


def all_orgs() -> list[tuple[str, OrgDoc]]:
    out: list[tuple[str, OrgDoc]] = []
    for snap in client().collection(names.ORGS).stream():
        doc = typed(snap, OrgDoc)
        if doc is not None:
            out.append((snap.id, doc))
    return out


def audit(org_id: str, limit: int) -> list[OrgAuditDoc]:
    """The organisation's newest audit entries first."""
    query = (
        client()
        .collection(names.ORG_AUDITS)
        .where(filter=FieldFilter("orgId", "==", org_id))
        .order_by("at", direction=firestore.Query.DESCENDING)
        .limit(limit)
    )
    out: list[OrgAuditDoc] = []
    for snap in query.stream():
        doc = typed(snap, OrgAuditDoc)
        if doc is not None:
            out.append(doc)
    return out
