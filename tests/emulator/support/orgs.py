"""Organisations the emulator tests configure (as an operator does in `orgs/{id}`)."""

from __future__ import annotations

from google.cloud import firestore

#: An organisation that keeps chat and attendance of its members' meetings for two days.
ACME_DOMAIN = "acme.example"
ACME_ARCHIVING = {
    "name": "Acme",
    "domains": [ACME_DOMAIN],
    "retentionDays": 2,
    "storage": {"chat": True, "attendance": True},
}


async def acme_archiving(admin: firestore.AsyncClient) -> None:
    """Configure `orgs/acme` as ACME_ARCHIVING."""
    await admin.collection("orgs").document("acme").set(ACME_ARCHIVING)
