"""Trigger wiring only: every handler lives in ``avmeets.handlers``.

The Firebase CLI imports this module to discover the functions; keep it free of logic.
"""

from typing import Any

from firebase_functions import firestore_fn, https_fn, identity_fn, options, scheduler_fn
from firebase_functions.params import SecretParam

from avmeets import db, handlers, jobs, logs

options.set_global_options(region="us-central1", max_instances=20)
db.ensure_app()
logs.configure()

# The coturn shared secret (`firebase functions:secrets:set TURN_SECRET`; in the emulator
# functions/.secret.local). Only join_meeting mints TURN credentials, so only it holds the secret;
# avmeets.config reads it from the environment variable of the same name.
TURN_SECRET = SecretParam("TURN_SECRET")


@identity_fn.before_user_signed_in()
def auth_callback(event: identity_fn.AuthBlockingEvent) -> identity_fn.BeforeSignInResponse | None:
    return handlers.auth_callback(event)


@https_fn.on_call()
def create_meeting(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return handlers.create_meeting(req)


@https_fn.on_call(secrets=[TURN_SECRET])
def join_meeting(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return handlers.join_meeting(req)


@https_fn.on_call()
def meeting_info(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return handlers.meeting_info(req)


@https_fn.on_call()
def leave_meeting(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return handlers.leave_meeting(req)


@https_fn.on_call()
def heartbeat(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return handlers.heartbeat(req)


@https_fn.on_call()
def report_connection(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return handlers.report_connection(req)


@https_fn.on_call()
def archive(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return handlers.archive(req)


@firestore_fn.on_document_created(document="meetings/{meetingId}/signals/{signalId}")
def on_signal(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    handlers.on_signal(event)


@scheduler_fn.on_schedule(schedule="every 1 minutes")
def sweep(event: scheduler_fn.ScheduledEvent) -> None:
    jobs.sweep()


@scheduler_fn.on_schedule(
    schedule="every 1 hours", timeout_sec=540, memory=options.MemoryOption.MB_512
)
def purge(event: scheduler_fn.ScheduledEvent) -> None:
    jobs.purge()
