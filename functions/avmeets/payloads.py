"""Parsing of callable request data into typed requests.

Every callable accepts exactly the documented keys with the documented types and sizes; anything
else is an ``InvalidArgument`` that names the field, raised before anything is read or written.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from . import meeting_ids
from .errors import InvalidArgument

MAX_TITLE = 100
MAX_PASSWORD = 128


@dataclass(frozen=True)
class CreateMeeting:
    title: str | None
    password: str | None


@dataclass(frozen=True)
class JoinMeeting:
    meeting_id: str
    password: str | None


@dataclass(frozen=True)
class LeaveMeeting:
    meeting_id: str


def _object(data: Any, allowed: set[str], required: set[str] | None = None) -> dict[str, Any]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidArgument("The request data must be an object.")
    extra = sorted(set(data) - allowed)
    if extra:
        raise InvalidArgument(f"Unknown field: {extra[0]!r}.", field=extra[0])
    missing = sorted((required or set()) - set(data))
    if missing:
        raise InvalidArgument(f"Missing field: {missing[0]!r}.", field=missing[0])
    return data


def _text(data: dict[str, Any], key: str, max_len: int, *, strip: bool) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidArgument(f"{key!r} must be a string.", field=key)
    if strip:
        value = value.strip()
    if not value:
        raise InvalidArgument(f"{key!r} must not be empty.", field=key)
    if len(value) > max_len:
        raise InvalidArgument(f"{key!r} must be at most {max_len} characters.", field=key)
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise InvalidArgument(f"{key!r} must not contain control characters.", field=key)
    return value


def _meeting_id(data: dict[str, Any]) -> str:
    value = data.get("meetingId")
    if not isinstance(value, str):
        raise InvalidArgument("'meetingId' must be a string.", field="meetingId")
    normalised = meeting_ids.normalise(value[:64])
    if not meeting_ids.is_valid(normalised):
        raise InvalidArgument(
            "'meetingId' must look like abc-defg-hij (ten letters).", field="meetingId"
        )
    return normalised


def parse_create(data: Any) -> CreateMeeting:
    obj = _object(data, {"title", "password"})
    return CreateMeeting(
        title=_text(obj, "title", MAX_TITLE, strip=True),
        password=_text(obj, "password", MAX_PASSWORD, strip=False),
    )


def parse_join(data: Any) -> JoinMeeting:
    obj = _object(data, {"meetingId", "password"}, {"meetingId"})
    return JoinMeeting(
        meeting_id=_meeting_id(obj),
        password=_text(obj, "password", MAX_PASSWORD, strip=False),
    )


def parse_leave(data: Any) -> LeaveMeeting:
    obj = _object(data, {"meetingId"}, {"meetingId"})
    return LeaveMeeting(meeting_id=_meeting_id(obj))
