"""The Firestore client of this instance (the store's connection) and firebase-admin's app."""

from __future__ import annotations

from functools import cache

import firebase_admin
from google.cloud import firestore

from .config import settings


def ensure_app() -> None:
    """Initialise firebase-admin once (the SDK verifies ID tokens with it)."""
    try:
        firebase_admin.get_app()
    except ValueError:
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
