"""The Firestore client of this instance and the names of the collections."""

from __future__ import annotations

from functools import cache

import firebase_admin
from google.cloud import firestore

from .config import settings

MEETINGS = "meetings"
PARTICIPANTS = "participants"
SIGNALS = "signals"
# Server-only collections: firestore.rules lets no client read or write them.
MEETING_SECRETS = "meeting_secrets"
JOIN_ATTEMPTS = "join_attempts"
IDENTITIES = "identities"
JOINS = "joins"
CDRS = "cdrs"
ORGS = "orgs"
ARCHIVES = "archives"


def ensure_app() -> None:
    """Initialise firebase-admin once (the SDK verifies ID tokens with it)."""
    if not firebase_admin._apps:
        firebase_admin.initialize_app(options={"projectId": settings().project_id})


@cache
def client() -> firestore.Client:
    """Firestore as admin: emulator without credentials, production with the runtime's."""
    s = settings()
    if s.firestore_emulator_host:
        # firebase_admin.firestore.client() insists on real credentials, even for the emulator.
        return firestore.Client(project=s.project_id)
    from firebase_admin import firestore as admin_firestore

    ensure_app()
    admin_client: firestore.Client = admin_firestore.client()
    return admin_client
