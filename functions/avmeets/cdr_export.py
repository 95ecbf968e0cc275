"""CDR export for lawful requests: the connection legs of a meeting or of a user, as JSON or CSV.

Pure: which legs a query means, parsing the operator's times, and formatting legs as JSON or CSV.
``store.legs.find_legs`` reads them (``cdrs``, and ``identities`` to resolve an email to uids).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

SIDES = ("caller", "callee")


@dataclass(frozen=True)
class ExportQuery:
    """Which legs: those of one meeting, or those of one user (an email or a uid)."""

    meeting_id: str | None = None
    user: str | None = None
    #: ``startedAt >= since`` (inclusive).
    since: datetime | None = None
    #: ``startedAt < until`` (exclusive; a date given alone means the end of that day).
    until: datetime | None = None

    def __post_init__(self) -> None:
        if (self.meeting_id is None) == (self.user is None):
            raise ValueError("give exactly one of meeting_id and user")
        if self.since is not None and self.until is not None and self.since >= self.until:
            raise ValueError("since must be before until")


# --- the operator's input ------------------------------------------------------------------------


def parse_time(text: str, *, end: bool = False) -> datetime:
    """An ISO 8601 date or date-time as an aware UTC datetime; naive means UTC.

    A date alone is the start of that day, or with ``end`` the start of the next one (so that
    ``--until 2026-05-01`` includes the whole of 1 May). Raises ValueError with a readable message.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("empty time")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        try:
            day = date.fromisoformat(raw)
        except ValueError as err:
            raise ValueError(f"not a valid date: {text!r} ({err})") from None
        start = datetime.combine(day, time(0), tzinfo=UTC)
        return start + timedelta(days=1) if end else start
    candidate = raw[:-1] + "+00:00" if raw[-1:] in ("Z", "z") else raw
    try:
        value = datetime.fromisoformat(candidate)
    except ValueError:
        raise ValueError(
            f"not an ISO 8601 date or date-time: {text!r} "
            "(examples: 2026-05-01, 2026-05-01T12:30, 2026-05-01T12:30:00+02:00)"
        ) from None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def is_email(user: str) -> bool:
    return "@" in user


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_variants(email: str) -> list[str]:
    """The spellings to look up (Firestore compares exactly): as given, all lower case, and with
    only the domain lowered. The comparison on the legs found is case-insensitive."""
    raw = email.strip()
    local, _, domain = raw.rpartition("@")
    return sorted({raw, raw.lower(), f"{local}@{domain.lower()}"})


def leg_matches_user(leg: Mapping[str, Any], email: str, uids: Iterable[str]) -> bool:
    """Whether a leg belongs to the user: one side has the email (any case) or one of the uids."""
    wanted = set(uids)
    for side in SIDES:
        party = leg.get(side)
        if not isinstance(party, Mapping):
            continue
        mail = party.get("email")
        if isinstance(mail, str) and normalise_email(mail) == email:
            return True
        if party.get("uid") in wanted:
            return True
    leg_uids = leg.get("uids")
    return isinstance(leg_uids, list) and any(u in wanted for u in leg_uids)


def sort_legs(legs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """By ``startedAt`` (legs without one last), then by id."""

    def key(leg: Mapping[str, Any]) -> tuple[int, datetime, str]:
        started = leg.get("startedAt")
        if isinstance(started, datetime):
            return (0, _utc(started), str(leg.get("id", "")))
        return (1, datetime.min.replace(tzinfo=UTC), str(leg.get("id", "")))

    return sorted(legs, key=key)


# --- formatting ----------------------------------------------------------------------------------


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime) -> str:
    """A timestamp as ISO 8601 in UTC with a ``Z``."""
    return _utc(value).isoformat().replace("+00:00", "Z")


def jsonable(value: Any) -> Any:
    """Firestore values as JSON values: timestamps as ISO strings, references as paths."""
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    path = getattr(value, "path", None)
    if isinstance(path, str):  # a DocumentReference
        return path
    if hasattr(value, "latitude") and hasattr(value, "longitude"):  # a GeoPoint
        return {"latitude": value.latitude, "longitude": value.longitude}
    return str(value)


def leg_json(leg: Mapping[str, Any]) -> dict[str, Any]:
    """A leg as a JSON object: ``id`` first, then every stored field, keys sorted."""
    rest = {k: v for k, v in leg.items() if k != "id"}
    return {"id": leg.get("id"), **jsonable(rest)}


def to_json(legs: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps([leg_json(leg) for leg in legs], indent=2, ensure_ascii=False) + "\n"


_LEG_COLUMNS: tuple[tuple[str, str], ...] = (
    ("leg_id", "id"),
    ("meeting_id", "meetingId"),
    ("seq", "seq"),
    ("state", "state"),
    ("started_at", "startedAt"),
    ("answered_at", "answeredAt"),
    ("ended_at", "endedAt"),
    ("duration_ms", "durationMs"),
    ("connected_ms", "connectedMs"),
    ("disposition", "disposition"),
    ("end_cause", "endCause"),
    ("ice_restarts", "iceRestarts"),
)
#: Per side: column suffix and the path inside the side's map ("stats." paths are read from the
#: latest stats phase, ``end`` if the side reported one, else ``connect``).
_SIDE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("uid", "uid"),
    ("session", "session"),
    ("name", "name"),
    ("email", "email"),
    ("phone", "phone"),
    ("provider", "provider"),
    ("ip", "ip"),
    ("ip_kind", "ipInfo.kind"),
    ("country_code", "ipInfo.countryCode"),
    ("country", "ipInfo.countryName"),
    ("city", "ipInfo.city"),
    ("asn", "ipInfo.asn"),
    ("as_org", "ipInfo.asOrg"),
    ("user_agent", "userAgent"),
    ("status", "status"),
    ("stats_phase", "stats.phase"),
    ("local_candidate_type", "stats.localCandidateType"),
    ("remote_candidate_type", "stats.remoteCandidateType"),
    ("protocol", "stats.protocol"),
    ("relay_protocol", "stats.relayProtocol"),
    ("relayed", "stats.relayed"),
    ("rtt_ms", "stats.rttMs"),
    ("bytes_sent", "stats.bytesSent"),
    ("bytes_received", "stats.bytesReceived"),
    ("packets_lost", "stats.packetsLost"),
)
CSV_COLUMNS: tuple[str, ...] = (
    *(name for name, _ in _LEG_COLUMNS),
    *(f"{side}_{name}" for side in SIDES for name, _ in _SIDE_COLUMNS),
)


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def latest_stats(party: Any) -> tuple[str | None, Mapping[str, Any]]:
    """The side's last stats report: ``end`` when present, else ``connect``."""
    stats = _get(party, "stats")
    if isinstance(stats, Mapping):
        for phase in ("end", "connect"):
            if isinstance(stats.get(phase), Mapping):
                return phase, stats[phase]
    return None, {}


def cell(value: Any) -> str:
    """A CSV cell; a text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))
    text = str(value)
    if text[:1] in ("=", "@", "\t", "\r") or (
        text[:1] in ("+", "-") and not re.fullmatch(r"[+-][0-9][0-9 ().-]*", text)
    ):
        return "'" + text
    return text


def leg_row(leg: Mapping[str, Any]) -> dict[str, str]:
    """One CSV row of a leg, keyed by ``CSV_COLUMNS``."""
    row = {name: cell(leg.get(key)) for name, key in _LEG_COLUMNS}
    for side in SIDES:
        party = leg.get(side)
        phase, stats = latest_stats(party)
        for name, path in _SIDE_COLUMNS:
            if path == "stats.phase":
                value: Any = phase
            elif path.startswith("stats."):
                value = stats.get(path.removeprefix("stats."))
            else:
                value = _get(party, path)
            row[f"{side}_{name}"] = cell(value)
    return row


def to_csv(legs: Sequence[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for leg in legs:
        writer.writerow(leg_row(leg))
    return out.getvalue()


FORMATS = {"json": to_json, "csv": to_csv}


def render(legs: Sequence[Mapping[str, Any]], fmt: str) -> str:
    try:
        return FORMATS[fmt](legs)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (json or csv)") from None
