"""Who signs in (``identities``) and the organisations that claim their email domains
(``orgs``, written by the operator)."""

from __future__ import annotations

from google.cloud.firestore_v1.base_query import FieldFilter

from . import names
from .core import client, data, typed
from .documents import IdentityDoc, OrgDoc


def put_identity(doc: IdentityDoc) -> None:
    # A plain set: the same sign-in event twice writes the same document.
    client().collection(names.IDENTITIES).document(doc["uid"]).set(data(doc))


def org_of_domain(domain: str | None) -> tuple[str | None, OrgDoc | None]:
    """The organisation claiming an email domain, as (id, document); (None, None) if none."""
    if domain is None:
        return None, None
    query = (
        client()
        .collection(names.ORGS)
        .where(filter=FieldFilter("domains", "array_contains", domain))
        .limit(1)
    )
    for snap in query.stream():
        return snap.id, typed(snap, OrgDoc)
    return None, None


def org(org_id: object) -> OrgDoc | None:
    """The organisation ``org_id`` (as stored on a meeting: maybe missing or not a string)."""
    if not isinstance(org_id, str) or not org_id:
        return None
    return typed(client().collection(names.ORGS).document(org_id).get(), OrgDoc)
