"""The audit trail of lawful exports: every ``avmeets cdr export`` leaves a record first.

Pure: checking the request reference, deciding who the operator is from what the credentials and
the environment say, and building the append-only records (``export_audits``, written by
``store.audit``). A record names the request, the operator, the time, the query's scope and
times, and the legs by id only: nothing about the people in them.

Records are kept ``AUDIT_RETENTION_DAYS`` (two years), far beyond the CDR's week: the export is
itself a disclosure of personal data, and the person concerned, a court or a data protection
authority must be able to check it (which request, who, which records) long after the records
exported are gone. Leg ids (``{meetingId}_{session}_{session}``) identify nobody once the legs
have been deleted.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from .store.documents import ExportAuditDoc, ExportScope

AUDIT_RETENTION_DAYS: Final = 730
#: Leg ids per record: a record stays far below Firestore's 1 MiB document limit (ids are
#: about 80 characters); a larger export is several records of one ``exportId``.
LEG_IDS_PER_RECORD: Final = 4000
REFERENCE_MAX_CHARS: Final = 200
#: The environment variable naming the operator where the credentials cannot.
OPERATOR_ENV: Final = "AVMEETS_OPERATOR"
OPERATOR_MAX_CHARS: Final = 200

OperatorSource = Literal["credentials", "environment", "emulator"]


class AuditError(ValueError):
    """A reference or an operator identity that an export cannot be recorded with."""


def check_reference(text: str | None) -> str:
    """The request reference, trimmed: 1 to 200 characters, no control characters."""
    value = (text or "").strip()
    if not value:
        raise AuditError("a request reference is required (--reference, e.g. the court order no.)")
    if len(value) > REFERENCE_MAX_CHARS:
        raise AuditError(f"the reference must be at most {REFERENCE_MAX_CHARS} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise AuditError("the reference must not contain control characters")
    return value


@dataclass(frozen=True)
class Operator:
    identity: str
    source: OperatorSource


def operator(
    credential_identity: str | None,
    env: Mapping[str, str],
    *,
    emulator: bool,
    local_user: str,
) -> Operator:
    """Who exports: the credentials' account where they name one (a service account, or the
    signed-in user's email), else ``AVMEETS_OPERATOR``; against the emulator, the local user.
    Against a real project with neither, no export (``AuditError``)."""
    if credential_identity and credential_identity.strip():
        return Operator(_clean(credential_identity), "credentials")
    named = env.get(OPERATOR_ENV, "")
    if named.strip():
        return Operator(_clean(named), "environment")
    if emulator:
        return Operator(_clean(f"local:{local_user}"), "emulator")
    raise AuditError(
        "cannot tell who is exporting: the credentials name no account; set "
        f"{OPERATOR_ENV} to your identity (it goes into the export's audit record)"
    )


def _clean(identity: str) -> str:
    value = "".join(ch for ch in identity.strip() if unicodedata.category(ch) not in ("Cc", "Cs"))
    return value[:OPERATOR_MAX_CHARS] or "unknown"


def new_export_id(at: datetime) -> str:
    """Sortable by time, unique: ``20260301T120000Z-1a2b3c4d``."""
    return f"{at.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(4)}"


def records(
    *,
    export_id: str,
    reference: str,
    who: Operator,
    at: datetime,
    scope: ExportScope,
    since: datetime | None,
    until: datetime | None,
    fmt: Literal["json", "csv"],
    leg_ids: Sequence[str],
) -> list[ExportAuditDoc]:
    """The audit records of one export: one per ``LEG_IDS_PER_RECORD`` legs (at least one, so an
    export that found nothing is recorded too)."""
    ids = list(leg_ids)
    chunks = [ids[i : i + LEG_IDS_PER_RECORD] for i in range(0, len(ids), LEG_IDS_PER_RECORD)]
    chunks = chunks or [[]]
    expires = at + timedelta(days=AUDIT_RETENTION_DAYS)
    return [
        {
            "exportId": export_id,
            "part": n,
            "parts": len(chunks),
            "reference": reference,
            "operator": who.identity,
            "operatorSource": who.source,
            "at": at,
            "scope": scope,
            "since": since,
            "until": until,
            "format": fmt,
            "legCount": len(ids),
            "legIds": chunk,
            "expiresAt": expires,
        }
        for n, chunk in enumerate(chunks, 1)
    ]


def record_id(doc: ExportAuditDoc) -> str:
    return f"{doc['exportId']}-{doc['part']}"
