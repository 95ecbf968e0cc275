"""The addresses a connection actually used, as one side reports them (pure).

The join record's IP is the signalling request's; the call itself may run elsewhere (a VPN split
tunnel, IPv6 beside IPv4, a TURN relay). So each side reports both ends of its selected ICE
candidate pair (``report_connection``'s ``path``), and the leg keeps, per side:

* a **public** address (server-reflexive, peer-reflexive, relay, or a public host address) with
  its country and network, looked up like the join IP;
* a **private**, **loopback**, **reserved** (documentation, benchmarking and other special
  ranges some VPNs use) or **mDNS** (``<uuid>.local``) one only as such: its kind and candidate
  type, never the address (it says nothing about where anyone is, and much about their home
  network);
* **hidden**: the browser did not tell (Chromium hides a remote peer-reflexive address).

Validation (``INVALID_ARGUMENT`` naming the field): the address is an IP literal, an mDNS name or
``""``; an mDNS name only for a ``host`` candidate (reflexive and relay candidates are always IP
addresses); never an address no connection can use (unspecified ``0.0.0.0`` / ``::``,
multicast, broadcast). A report that fails these is refused whole: nothing of it is stored.
Sanity against the join IP: whether the local public address is the join IP is recorded
(``sameAsJoinIp``), not enforced: a difference is exactly what a split tunnel looks like, and
the reason to record the path at all.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from .errors import InvalidArgument
from .geo import classify
from .protocol import CANDIDATE_TYPES, ConnectionPath, PathEnd
from .store.documents import IpInfo, PathEndRecord, PathRecord

#: An mDNS host candidate name as browsers make them (RFC 8445 obfuscation: a UUID + ``.local``).
_MDNS: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.local")
#: Longest address text accepted (an IPv6 literal is at most 45 characters).
ADDRESS_MAX_CHARS: Final = 64
ENDS: Final = ("local", "remote")
_BROADCAST: Final = ipaddress.IPv4Address("255.255.255.255")

Lookup = Callable[[str], IpInfo]


def _end(value: Any, where: str) -> PathEnd:
    if not isinstance(value, dict) or set(value) != {"address", "candidateType"}:
        raise InvalidArgument(
            f"'{where}' must be an object with exactly 'address' and 'candidateType'.",
            field=where,
        )
    address = value["address"]
    kind = value["candidateType"]
    if kind not in CANDIDATE_TYPES:
        raise InvalidArgument(
            f"'{where}.candidateType' must be one of {', '.join(CANDIDATE_TYPES)}.",
            field=f"{where}.candidateType",
        )
    if not isinstance(address, str) or len(address) > ADDRESS_MAX_CHARS:
        raise InvalidArgument(
            f"'{where}.address' must be a string of at most {ADDRESS_MAX_CHARS} characters.",
            field=f"{where}.address",
        )
    address_kind(address, kind, f"{where}.address")
    return {"address": address, "candidateType": kind}


def parse(value: Any) -> ConnectionPath | None:
    """``report_connection``'s ``path``: None when absent (or null), else checked end by end."""
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != set(ENDS):
        raise InvalidArgument("'path' must be an object with 'local' and 'remote'.", field="path")
    return {
        "local": _end(value["local"], "path.local"),
        "remote": _end(value["remote"], "path.remote"),
    }


def address_kind(address: str, candidate_type: str, field: str = "address") -> str:
    """``public``, ``private``, ``loopback``, ``mdns`` or ``hidden``; ``InvalidArgument`` for an
    address no selected candidate can have."""
    if address == "":
        return "hidden"
    if _MDNS.fullmatch(address.lower()):
        if candidate_type != "host":
            raise InvalidArgument(
                f"'{field}': an mDNS name is only ever a host candidate's address.", field=field
            )
        return "mdns"
    kind = classify(address)
    if kind == "invalid" or "%" in address:
        raise InvalidArgument(
            f"'{field}' must be an IP address, an mDNS name (<uuid>.local) or empty.", field=field
        )
    if _unusable(address):
        raise InvalidArgument(
            f"'{field}' is not an address a connection can use (unspecified, multicast or "
            "broadcast).",
            field=field,
        )
    return kind


def _unusable(address: str) -> bool:
    addr = ipaddress.ip_address(_canonical(address))
    broadcast = isinstance(addr, ipaddress.IPv4Address) and addr == _BROADCAST
    return addr.is_unspecified or addr.is_multicast or broadcast


def _same_ip(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and _canonical(a or "") == _canonical(b or "")


def _canonical(ip: str) -> str:
    """One spelling per address (IPv6 compressed, IPv4-mapped as IPv4)."""
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return str(addr.ipv4_mapped)
    return str(addr)


def record_end(end: PathEnd, lookup: Lookup) -> PathEndRecord:
    """One end as the leg keeps it: a public address with its place, anything else by kind."""
    kind = address_kind(end["address"], end["candidateType"])
    out: PathEndRecord = {"candidateType": end["candidateType"], "kind": kind}  # type: ignore[typeddict-item]  # checked by address_kind
    if kind == "public":
        out["ip"] = _canonical(end["address"])
        out["ipInfo"] = lookup(out["ip"])
    return out


def record(path: ConnectionPath, join_ip: str | None, now: datetime, lookup: Lookup) -> PathRecord:
    """The ``path`` a leg side keeps for one report."""
    local = record_end(path["local"], lookup)
    remote = record_end(path["remote"], lookup)
    if local["kind"] == "public":
        local["sameAsJoinIp"] = _same_ip(local.get("ip"), join_ip)
    return {"local": local, "remote": remote, "at": now}
