"""``avmeets cdr export``: the connection legs of a meeting or a user, for lawful requests.

Also the Firestore connection the operator commands share (``connect``, ``firestore_errors``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.auth import exceptions as auth_exc
from google.cloud import firestore

from .. import cdr_export, clock, export_audit, meeting_ids
from ..config import Settings, settings
from ..store import audit, legs
from ._common import CliError

#: Exit code for bad arguments, as argparse uses.
USAGE = 2
_PROBE_TIMEOUT = 20.0


def register(sub: Any) -> None:
    cdr = sub.add_parser(
        "cdr",
        help="Call Data Records",
        description="Call Data Records: the connection legs the server keeps for a week at most.",
    )
    actions = cdr.add_subparsers(dest="cdr_command", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="export the legs of a meeting or a user (JSON or CSV)",
        description=(
            "Export connection legs (documents of `cdrs`) for a lawful request, sorted by start "
            "time. Every export first writes an append-only audit record (the reference, who, "
            "when, the legs by id; `avmeets audit` lists them); without one nothing is printed. "
            "Runs against the Firestore emulator when FIRESTORE_EMULATOR_HOST is set, else "
            "against the project of the Application Default Credentials."
        ),
    )
    export.add_argument(
        "--reference",
        metavar="REF",
        required=True,
        help="the lawful request this export answers (e.g. the order's number); recorded in "
        "the audit trail. The operator recorded is the credentials' account, else "
        f"{export_audit.OPERATOR_ENV}",
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--meeting", metavar="ID", help="meeting id, e.g. abc-defg-hij")
    which.add_argument(
        "--user",
        metavar="EMAIL_OR_UID",
        help="an email (matched case-insensitively, also through the identities) or a uid",
    )
    export.add_argument(
        "--since",
        metavar="T",
        help="only legs started at or after T (ISO 8601 date or date-time; naive means UTC)",
    )
    export.add_argument(
        "--until",
        metavar="T",
        help="only legs started before T (a date alone includes that whole day)",
    )
    export.add_argument("--format", choices=("json", "csv"), default="json", help="default: json")
    export.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    add_project_argument(export)
    export.set_defaults(run=run_export)


def add_project_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project",
        metavar="PROJECT_ID",
        help="Google Cloud project (default: GCLOUD_PROJECT, else that of the credentials)",
    )


def run_export(args: argparse.Namespace) -> int:
    from ._operator import whoami  # the credentials' identity: only an export needs it

    query = export_query(args)
    try:
        reference = export_audit.check_reference(args.reference)
    except export_audit.AuditError as err:
        raise CliError(str(err), USAGE) from None
    who = whoami(emulator=bool(current_settings().firestore_emulator_host))
    with firestore_errors():
        client = connect(args.project)
        found = legs.find_legs(client, query)
        at = clock.now()
        # The audit record comes first: an export whose record could not be written prints
        # nothing (firestore_errors turns the failure into a message).
        records = export_audit.records(
            export_id=export_audit.new_export_id(at),
            reference=reference,
            who=who,
            at=at,
            scope="meeting" if query.meeting_id is not None else "user",
            since=query.since,
            until=query.until,
            fmt=args.format,
            leg_ids=[str(leg["id"]) for leg in found],
        )
        audit.append(client, records)
    text = cdr_export.render(found, args.format)
    write_output(text, args.output)
    print(
        f"avmeets: audit record {records[0]['exportId']} (reference {reference!r}, "
        f"operator {who.identity})",
        file=sys.stderr,
    )
    print(f"avmeets: exported {len(found)} leg{'s' if len(found) != 1 else ''}", file=sys.stderr)
    return 0


def export_query(args: argparse.Namespace) -> cdr_export.ExportQuery:
    """The arguments as a query; bad ones raise CliError with exit code 2."""
    since = parse_time_arg("--since", args.since)
    until = parse_time_arg("--until", args.until, end=True)
    if since is not None and until is not None and since >= until:
        raise CliError(f"--since ({args.since}) must be before --until ({args.until})", USAGE)
    meeting_id = None
    user = None
    if args.meeting is not None:
        meeting_id = meeting_ids.normalise(args.meeting)
        if not meeting_ids.is_valid(meeting_id):
            raise CliError(
                f"not a meeting id: {args.meeting!r} (expected three groups of letters, "
                "e.g. abc-defg-hij)",
                USAGE,
            )
    else:
        user = args.user.strip()
        if not user or "/" in user or len(user) > 254:
            raise CliError(f"not an email or uid: {args.user!r}", USAGE)
        if cdr_export.is_email(user):
            local, _, domain = user.rpartition("@")
            if not local or not domain or " " in user:
                raise CliError(f"not an email address: {args.user!r}", USAGE)
    return cdr_export.ExportQuery(meeting_id=meeting_id, user=user, since=since, until=until)


def parse_time_arg(option: str, value: str | None, *, end: bool = False) -> datetime | None:
    if value is None:
        return None
    try:
        return cdr_export.parse_time(value, end=end)
    except ValueError as err:
        raise CliError(f"{option}: {err}", USAGE) from None


def write_output(text: str, path: str | None) -> None:
    if path is None or path == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. `| head`: the reader has what it wanted
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(tmp, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise CliError(f"cannot write {path}: {err.strerror or err}") from None


# --- the Firestore connection the commands share -----------------------------------------


def connect(project: str | None = None) -> firestore.Client:
    """An admin client: the emulator when FIRESTORE_EMULATOR_HOST is set (checked to answer),
    else the project of the Application Default Credentials. Raises CliError."""
    s = current_settings()
    if s.firestore_emulator_host:
        _check_emulator(s.firestore_emulator_host)
        client = firestore.Client(project=project or s.project_id)
        where = f"the Firestore emulator at {s.firestore_emulator_host}"
    else:
        try:
            client = firestore.Client(project=project)
        except auth_exc.DefaultCredentialsError:
            raise CliError(
                "no Google Cloud credentials: run `gcloud auth application-default login` or "
                "set GOOGLE_APPLICATION_CREDENTIALS (or FIRESTORE_EMULATOR_HOST for the emulator)"
            ) from None
        except OSError as err:  # "Project was not passed and could not be determined ..."
            raise CliError(
                f"no Google Cloud project: pass --project or set GCLOUD_PROJECT ({err})"
            ) from None
        where = f"Firestore of project {client.project}"
    # One cheap read, without the client's minutes of retries, so that a wrong project, missing
    # permissions or no network give one message now.
    try:
        legs.probe(client, timeout=_PROBE_TIMEOUT)
    except (gexc.GoogleAPIError, auth_exc.GoogleAuthError) as err:
        raise CliError(f"cannot use {where}: {describe(err)}") from None
    return client


def _check_emulator(host: str) -> None:
    name, _, port = host.rpartition(":")
    try:
        with socket.create_connection((name.strip("[]") or "127.0.0.1", int(port)), timeout=3):
            pass
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise CliError(
            f"cannot reach the Firestore emulator at {host} (FIRESTORE_EMULATOR_HOST): {reason}"
        ) from None


def describe(err: BaseException) -> str:
    """One line about a Firestore or credentials error, with what to do about it."""
    if isinstance(err, auth_exc.RefreshError | gexc.Unauthenticated):
        return (
            f"the credentials were rejected ({_first_line(err)}); "
            "run `gcloud auth application-default login`"
        )
    if isinstance(err, auth_exc.GoogleAuthError):
        return f"credentials problem: {_first_line(err)}"
    if isinstance(err, gexc.PermissionDenied):
        return f"permission denied ({_first_line(err)}); check the project and the account's roles"
    if isinstance(err, gexc.NotFound):
        return f"no Firestore database there ({_first_line(err)})"
    if isinstance(err, gexc.FailedPrecondition) and "index" in str(err).lower():
        return (
            f"Firestore needs an index for this query; deploy firestore.indexes.json "
            f"(firebase deploy --only firestore:indexes): {_first_line(err)}"
        )
    if isinstance(err, gexc.ServiceUnavailable | gexc.DeadlineExceeded | gexc.RetryError):
        return f"Firestore does not answer ({_first_line(err)})"
    return _first_line(err)


def _first_line(err: BaseException) -> str:
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    line = str(message).strip().splitlines()[0] if str(message).strip() else type(err).__name__
    return line[:300]


@contextlib.contextmanager
def firestore_errors() -> Iterator[None]:
    """Turn Firestore and credentials errors into one CliError message."""
    try:
        yield
    except (gexc.GoogleAPIError, auth_exc.GoogleAuthError) as err:
        raise CliError(f"Firestore: {describe(err)}") from None


def current_settings() -> Settings:
    """The settings from the environment; a bad value is an operator error."""
    try:
        return settings()
    except ValueError as err:
        raise CliError(f"bad configuration: {err}") from None
