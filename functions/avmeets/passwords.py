"""Meeting passwords: salted scrypt (memory-hard), checked in constant time.

The encoded hash carries its parameters, so they can be raised later without breaking old
meetings. Nothing here logs or returns a password or a hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# n=2**15, r=8 → 32 MiB per hash, ~0.1 s on one core: costly to brute-force, cheap per join.
_N, _R, _P = 2**15, 8, 1
_DKLEN = 32
_SCHEME = "scrypt"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, dklen=_DKLEN, maxmem=256 * 1024 * 1024
    )


def hash_password(password: str) -> str:
    """Encode ``password`` with a fresh 16-byte salt as ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = _derive(password, salt, _N, _R, _P)
    return f"{_SCHEME}${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches ``encoded``; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != _SCHEME:
            return False
        expected = _unb64(digest)
        actual = _derive(password, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
