"""Meeting ids: unguessable, yet easy to read out and type (``abc-defg-hij``)."""

from __future__ import annotations

import re
import secrets
import string

_LETTERS = string.ascii_lowercase
_GROUPS = (3, 4, 3)  # 26**10 ≈ 1.4e14 ids, about 47 bits; joins are throttled on top.
PATTERN = re.compile(r"^[a-z]{3}-[a-z]{4}-[a-z]{3}$")


def new_meeting_id() -> str:
    """A fresh random id from the OS's CSPRNG."""
    return "-".join("".join(secrets.choice(_LETTERS) for _ in range(n)) for n in _GROUPS)


def normalise(raw: str) -> str:
    """Accept what people type: any case, spaces, missing dashes (``ABC DEFG HIJ``)."""
    letters = "".join(ch for ch in raw.lower() if ch in _LETTERS)
    if len(letters) != sum(_GROUPS):
        return raw.strip().lower()
    return f"{letters[:3]}-{letters[3:7]}-{letters[7:]}"


def is_valid(meeting_id: str) -> bool:
    return bool(PATTERN.match(meeting_id))
