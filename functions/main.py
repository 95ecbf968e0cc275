"""Trigger wiring only: every handler lives in ``avmeets.handlers``.

The Firebase CLI imports this module to discover the functions; keep it free of logic.
"""

from firebase_functions import firestore_fn, https_fn, identity_fn, options

from avmeets import db, handlers

options.set_global_options(region="us-central1", max_instances=20)
db.ensure_app()


@identity_fn.before_user_signed_in()
def auth_callback(event: identity_fn.AuthBlockingEvent) -> identity_fn.BeforeSignInResponse | None:
    return handlers.auth_callback(event)


@https_fn.on_call()
def create_meeting(req: https_fn.CallableRequest) -> dict:
    return handlers.create_meeting(req)


@https_fn.on_call()
def join_meeting(req: https_fn.CallableRequest) -> dict:
    return handlers.join_meeting(req)


@https_fn.on_call()
def leave_meeting(req: https_fn.CallableRequest) -> dict:
    return handlers.leave_meeting(req)


@firestore_fn.on_document_created(document="meetings/{meetingId}/signals/{signalId}")
def on_signal(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    handlers.on_signal(event)
