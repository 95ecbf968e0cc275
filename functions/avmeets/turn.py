"""Ephemeral TURN credentials in coturn's REST-API form (``use-auth-secret``).

coturn started with ``--use-auth-secret --static-auth-secret=<secret>`` accepts any username of
the form ``<expiry unix time>:<anything>`` whose password is ``base64(HMAC-SHA1(secret,
username))``, as long as the expiry has not passed. The function holds the same secret, so it can
mint credentials without talking to coturn, and they stop working on their own. Pure: no I/O, no
clock (the caller passes ``now``), no configuration reads.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from .protocol import IceServer

#: Schemes that carry TURN credentials; ``stun:`` URLs need none.
TURN_SCHEMES = ("turn", "turns")
#: Query keys a TURN URL may carry (RFC 7065); only ``transport`` is defined.
_TRANSPORTS = ("udp", "tcp")


@dataclass(frozen=True)
class TurnCredential:
    """One credential: the RTCIceServer ``username`` and ``credential``, and when it expires."""

    username: str
    credential: str
    expires_at: int


def parse_turn_urls(raw: str) -> tuple[str, ...]:
    """Split a comma-separated list of TURN URLs; raise ValueError on a malformed one.

    Accepted: ``turn:host[:port][?transport=udp|tcp]`` and the same with ``turns:``. Empty items
    (a trailing comma, spaces) are dropped.
    """
    urls: list[str] = []
    for item in raw.split(","):
        url = item.strip()
        if not url:
            continue
        scheme, sep, rest = url.partition(":")
        if not sep or scheme.lower() not in TURN_SCHEMES:
            raise ValueError(f"TURN URL must start with turn: or turns:, not {url!r}")
        hostport, _, query = rest.partition("?")
        if not hostport or hostport.startswith("//"):
            raise ValueError(f"TURN URL has no host: {url!r}")
        host, port = _split_host_port(hostport, url)
        if not host:
            raise ValueError(f"TURN URL has no host: {url!r}")
        if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
            raise ValueError(f"TURN URL has a bad port: {url!r}")
        if query:
            key, eq, value = query.partition("=")
            if key != "transport" or not eq or value not in _TRANSPORTS:
                raise ValueError(f"TURN URL query must be transport=udp or tcp: {url!r}")
        urls.append(url)
    return tuple(urls)


def _split_host_port(hostport: str, url: str) -> tuple[str, str | None]:
    if hostport.startswith("["):  # [IPv6]:port
        end = hostport.find("]")
        if end < 0:
            raise ValueError(f"TURN URL has an unterminated IPv6 address: {url!r}")
        host, tail = hostport[1:end], hostport[end + 1 :]
        if tail and not tail.startswith(":"):
            raise ValueError(f"TURN URL has junk after the address: {url!r}")
        return host, tail[1:] if tail else None
    host, sep, port = hostport.partition(":")
    return host, port if sep else None


def mint(secret: str, uid: str, now: int, ttl_seconds: int) -> TurnCredential:
    """A credential for ``uid`` valid until ``now + ttl_seconds`` (both in unix seconds)."""
    if not secret:
        raise ValueError("the TURN secret is empty")
    if ttl_seconds < 1:
        raise ValueError("the TURN credential lifetime must be at least 1 second")
    if ":" in uid:
        # coturn takes the part before the first ':' as the expiry; keep the username parseable.
        raise ValueError("a uid in a TURN username may not contain ':'")
    expires_at = int(now) + ttl_seconds
    username = f"{expires_at}:{uid}"
    return TurnCredential(username, credential_for(secret, username), expires_at)


def credential_for(secret: str, username: str) -> str:
    """coturn's REST-API password of ``username``: base64(HMAC-SHA1(secret, username))."""
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def ice_servers(
    urls: tuple[str, ...], secret: str, uid: str, now: int, ttl_seconds: int
) -> list[IceServer]:
    """The RTCIceServer dicts (one entry for all URLs) of a fresh credential; [] without URLs."""
    if not urls:
        return []
    cred = mint(secret, uid, now, ttl_seconds)
    return [{"urls": list(urls), "username": cred.username, "credential": cred.credential}]
