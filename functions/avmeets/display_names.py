"""Display names: what the others in a meeting call you (pure).

A person chooses their name in the lobby (``displayName`` of ``join_meeting`` and ``knock``);
without one the server takes the account's name. Neither may be, or fall back to, any part of
an e-mail address or a phone number: the others and their recordings see this name, and a
person's contact details are not theirs to see (docs/protocol.md, "Names").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Final

from .errors import InvalidArgument
from .protocol import Limits

MAX_CHARS: Final = Limits.DISPLAY_NAME_MAX_CHARS
#: Something@something.tld, as people write e-mail addresses (spaces around the @ included).
_EMAIL: Final = re.compile(r"[^\s@]+\s*@\s*[\w-]+(?:\s*\.\s*[\w-]+)+")
#: Seven or more digits in a row once spaces, dots, dashes and brackets are gone: a phone number.
_PHONE_DIGITS: Final = 7
_PHONE_NOISE: Final = re.compile(r"[\s().\-/]")
#: The alphabet of the generated guest names: no 0/O or 1/I to confuse.
_GUEST_LETTERS: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def normalise(text: str) -> str:
    """Trimmed, with runs of white space as one space (names are shown on one line)."""
    return " ".join(text.split())


def looks_like_contact(text: str) -> bool:
    """Whether ``text`` is, or contains, an e-mail address or a phone number."""
    if _EMAIL.search(text):
        return True
    digits = _PHONE_NOISE.sub("", text)
    return re.search(rf"\+?\d{{{_PHONE_DIGITS},}}", digits) is not None


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in text)


def check_chosen(text: str, *, email: str | None, phone: str | None) -> str:
    """A name the person typed, normalised; ``InvalidArgument`` (field ``displayName``) when
    it is empty, too long, has control characters, or is or holds contact details (the
    account's own e-mail address or phone number included, whatever their shape)."""
    name = normalise(text)
    if not name:
        raise InvalidArgument("'displayName' must not be empty.", field="displayName")
    if len(name) > MAX_CHARS:
        raise InvalidArgument(
            f"'displayName' must be at most {MAX_CHARS} characters.", field="displayName"
        )
    if _has_control(name):
        raise InvalidArgument(
            "'displayName' must not contain control characters.", field="displayName"
        )
    folded = name.casefold()
    own = [c.casefold() for c in (email, phone) if c]
    if looks_like_contact(name) or any(c in folded for c in own):
        raise InvalidArgument(
            "'displayName' must not be an e-mail address or a phone number: the others see it.",
            field="displayName",
        )
    return name


def guest_name(uid: str) -> str:
    """``Guest`` and four letters derived from the uid: the same person is the same guest."""
    digest = hashlib.sha256(uid.encode()).digest()
    return "Guest " + "".join(_GUEST_LETTERS[b % len(_GUEST_LETTERS)] for b in digest[:4])


def account_name(name: str | None, uid: str, *, email: str | None, phone: str | None) -> str:
    """The name to use when the person chose none: the account's (Google profile) name, unless
    it is missing, unusable or contact details (some profiles are named after the e-mail
    address); then a guest name. Never any part of the e-mail address or phone number."""
    candidate = normalise(name or "")[:MAX_CHARS].strip()
    if candidate:
        try:
            return check_chosen(candidate, email=email, phone=phone)
        except InvalidArgument:
            pass
    return guest_name(uid)
