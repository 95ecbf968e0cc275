"""Trigger wiring only: every handler lives in ``avmeets.handlers`` (scheduled jobs in
``avmeets.jobs``) and returns the protocol's result types (``avmeets.protocol``); each function's
region, identity and resources come from ``avmeets.runtime_options``. See docs/architecture.md.

The Firebase CLI imports this module to discover the functions; keep it free of logic. Every
HTTP-signature function (callables, the blocking function, schedules) answers the functions
emulator's worker health probe itself (avmeets.probes); Firestore triggers never see it. Every
callable's CORS preflight answer may be kept by the browser for two hours (avmeets.preflight).
"""

import os
from typing import Any

from firebase_functions import firestore_fn, https_fn, identity_fn, options, scheduler_fn
from firebase_functions.params import SecretParam

from avmeets import db, handlers, jobs, logs, protocol, runtime_options
from avmeets.preflight import caches_preflight
from avmeets.probes import answers_health_probe

# Region, identity and each function's resources: avmeets/runtime_options.py (deploy-time).
RUNTIME = runtime_options.from_env(os.environ)
options.set_global_options(**runtime_options.global_options(RUNTIME))  # type: ignore[arg-type]
db.ensure_app()
logs.configure()


def _opts(name: str, **extra: Any) -> Any:
    return {**runtime_options.sdk_options(RUNTIME, name), **extra}


# The coturn shared secret (`firebase functions:secrets:set TURN_SECRET`; in the emulator
# functions/.secret.local). Only join_meeting mints TURN credentials, so only it holds the secret,
# and only when TURN is configured (TURN_URLS): a deploy without TURN needs no secret.
# avmeets.config reads it from the environment variable of the same name.
TURN_SECRET = SecretParam("TURN_SECRET")
TURN_SECRETS = [TURN_SECRET] if RUNTIME.turn_configured else []
CALLABLE = {"enforce_app_check": RUNTIME.enforce_app_check}


@answers_health_probe
@identity_fn.before_user_signed_in(**_opts("auth_callback"))
def auth_callback(event: identity_fn.AuthBlockingEvent) -> identity_fn.BeforeSignInResponse | None:
    return handlers.auth_callback(event)


@answers_health_probe
@identity_fn.before_user_created(**_opts("auth_create"))
def auth_create(event: identity_fn.AuthBlockingEvent) -> identity_fn.BeforeCreateResponse | None:
    return handlers.before_create(event)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("create_meeting", **CALLABLE))
def create_meeting(req: https_fn.CallableRequest[Any]) -> protocol.CreateMeetingResult:
    return handlers.create_meeting(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("join_meeting", secrets=TURN_SECRETS, **CALLABLE))
def join_meeting(req: https_fn.CallableRequest[Any]) -> protocol.JoinMeetingResult:
    return handlers.join_meeting(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("knock", **CALLABLE))
def knock(req: https_fn.CallableRequest[Any]) -> protocol.KnockResult:
    return handlers.knock(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("host_action", **CALLABLE))
def host_action(req: https_fn.CallableRequest[Any]) -> protocol.HostActionResult:
    return handlers.host_action(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("rename", **CALLABLE))
def rename(req: https_fn.CallableRequest[Any]) -> protocol.RenameResult:
    return handlers.rename(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("upload_object", **CALLABLE))
def upload_object(req: https_fn.CallableRequest[Any]) -> protocol.UploadObjectResult:
    return handlers.upload_object(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("org_admin", **CALLABLE))
def org_admin(req: https_fn.CallableRequest[Any]) -> protocol.OrgAdminResult:
    return handlers.org_admin(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("meeting_info", **CALLABLE))
def meeting_info(req: https_fn.CallableRequest[Any]) -> protocol.MeetingInfoResult:
    return handlers.meeting_info(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("leave_meeting", **CALLABLE))
def leave_meeting(req: https_fn.CallableRequest[Any]) -> protocol.LeaveMeetingResult:
    return handlers.leave_meeting(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("heartbeat", **CALLABLE))
def heartbeat(req: https_fn.CallableRequest[Any]) -> protocol.HeartbeatResult:
    return handlers.heartbeat(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("report_connection", **CALLABLE))
def report_connection(req: https_fn.CallableRequest[Any]) -> protocol.ReportConnectionResult:
    return handlers.report_connection(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("archive", **CALLABLE))
def archive(req: https_fn.CallableRequest[Any]) -> protocol.ArchiveResult:
    return handlers.archive(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("my_data", **CALLABLE))
def my_data(req: https_fn.CallableRequest[Any]) -> protocol.MyDataResult:
    return handlers.my_data(req)


@answers_health_probe
@caches_preflight
@https_fn.on_call(**_opts("delete_me", **CALLABLE))
def delete_me(req: https_fn.CallableRequest[Any]) -> protocol.DeleteMeResult:
    return handlers.delete_me(req)


@firestore_fn.on_document_created(
    document="meetings/{meetingId}/signals/{signalId}", **_opts("on_signal")
)
def on_signal(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    handlers.on_signal(event)


@answers_health_probe
@scheduler_fn.on_schedule(schedule="every 1 minutes", **_opts("sweep"))
def sweep(event: scheduler_fn.ScheduledEvent) -> None:
    jobs.sweep()


@answers_health_probe
@scheduler_fn.on_schedule(schedule="every 1 hours", **_opts("purge"))
def purge(event: scheduler_fn.ScheduledEvent) -> None:
    jobs.purge()
