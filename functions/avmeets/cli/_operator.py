"""Who is exporting: the operator identity an export's audit record names."""

from __future__ import annotations

import getpass
import os
import socket

import google.auth
from google.auth import exceptions as auth_exc
from google.auth.transport import requests as auth_requests

from .. import export_audit
from ._common import CliError

_TOKENINFO = "https://oauth2.googleapis.com/tokeninfo"
_TIMEOUT = 10.0


def whoami(*, emulator: bool) -> export_audit.Operator:
    """The operator to record (``export_audit.operator``); raises CliError when unknown."""
    identity = None if emulator else credential_identity()
    try:
        return export_audit.operator(
            identity, os.environ, emulator=emulator, local_user=_local_user()
        )
    except export_audit.AuditError as err:
        raise CliError(str(err)) from None


def _local_user() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def credential_identity() -> str | None:
    """The account of the Application Default Credentials: a service account's email, or the
    signed-in user's (from Google's tokeninfo); None when they name none."""
    try:
        credentials, _ = google.auth.default()
    except auth_exc.DefaultCredentialsError:
        return None
    email = getattr(credentials, "service_account_email", None)
    if isinstance(email, str) and email and email != "default":
        return email
    try:
        request = auth_requests.Request()
        credentials.refresh(request)
        email = getattr(credentials, "service_account_email", None)
        if isinstance(email, str) and email and email != "default":
            return email
        token = getattr(credentials, "token", None)
        if not token:
            return None
        answer = request.session.get(_TOKENINFO, params={"access_token": token}, timeout=_TIMEOUT)
        found = answer.json().get("email") if answer.ok else None
    except (auth_exc.GoogleAuthError, OSError, ValueError):
        return None
    return found if isinstance(found, str) and found else None
