"""The caller's IP address, taken from X-Forwarded-For where a trusted proxy put it.

Every proxy appends the address it received the request from, so only entries appended by our
own front end can be trusted; anything left of them is whatever the client chose to send. How
many entries Google's front ends append in front of a Cloud Run function is not documented
precisely (docs/deploy.md, "Caller IP addresses", has the evidence), so the position is a
setting (XFF_TRUSTED_POSITION) and two safeguards hold whatever it is:

* an address of Google's own services (in Google's published goog.json ranges and not in the
  cloud.json ranges of Google Cloud customers) or a link-local one is never recorded as a
  caller's IP: the CDR says "unknown" instead of naming a Google proxy;
* the first request an instance sees logs, once and without any address, how many entries
  arrived and what kind of address each position holds, so an operator can set the position
  from facts after the first deploy.

The ranges are a snapshot shipped in ``data/google_ranges.json`` (its dates are inside; refresh
with ``python -m tools.google_ranges``), because the functions cannot fetch them.
"""

from __future__ import annotations

import bisect
import functools
import ipaddress
import json
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final, Literal

log = logging.getLogger("avmeets")

RANGES_RESOURCE: Final = "data/google_ranges.json"

#: What an address is, as far as the published ranges tell.
Kind = Literal["google-service", "google-cloud-customer", "link-local", "other", "invalid"]
#: Kinds never recorded as a caller's address.
REFUSED: Final[frozenset[str]] = frozenset({"google-service", "link-local"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_ip(forwarded_for: str | None, remote_addr: str | None, trusted_position: int) -> str:
    """The address at ``trusted_position`` counted from the right (1 = last entry).

    Falls back to the socket's peer address when the header is missing or shorter than the
    trusted position (no front end in the path, as in some local setups). Returns ``""`` (the
    CDR's "unknown") when nothing parses as an IP address, and when the address is one of
    Google's own services or link-local: a proxy's address, not the caller's. The first call
    with a header logs the self-check (:func:`self_check_once`).
    """
    entries = _entries(forwarded_for)
    chosen = _pick(entries, remote_addr, trusted_position)
    if forwarded_for is not None:
        self_check_once(entries, trusted_position)
    if not chosen:
        return ""
    if classify(chosen) in REFUSED:
        return ""
    return chosen


def _entries(forwarded_for: str | None) -> list[str]:
    return [e.strip() for e in (forwarded_for or "").split(",") if e.strip()]


def _pick(entries: Sequence[str], remote_addr: str | None, trusted_position: int) -> str:
    candidate = entries[-trusted_position] if len(entries) >= trusted_position else remote_addr
    return _parse(candidate)


def _parse(value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    # Strip a port: "1.2.3.4:5678" or "[2001:db8::1]:443".
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""


# --- Google's published ranges --------------------------------------------------------------


class RangeSet:
    """Sorted, merged integer intervals of one IP version: membership by binary search."""

    def __init__(self, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]):
        spans = sorted((int(n.network_address), int(n.broadcast_address)) for n in networks)
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __contains__(self, value: int) -> bool:
        i = bisect.bisect_right(self._starts, value) - 1
        return i >= 0 and value <= self._ends[i]


@dataclass(frozen=True)
class GoogleRanges:
    """goog.json (every Google range) and cloud.json (Google Cloud customers' ranges)."""

    goog: dict[int, RangeSet]
    cloud: dict[int, RangeSet]
    goog_date: str
    cloud_date: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GoogleRanges:
        def sets(prefixes: Iterable[str]) -> dict[int, RangeSet]:
            networks = [ipaddress.ip_network(p, strict=True) for p in prefixes]
            return {v: RangeSet(n for n in networks if n.version == v) for v in (4, 6)}

        return cls(
            goog=sets(data["goog"]["prefixes"]),
            cloud=sets(data["cloud"]["prefixes"]),
            goog_date=str(data["goog"].get("creationTime", "unknown")),
            cloud_date=str(data["cloud"].get("creationTime", "unknown")),
        )

    def kind(self, address: IPAddress) -> Kind:
        value = int(address)
        if address.is_link_local:
            return "link-local"
        if value in self.cloud[address.version]:
            return "google-cloud-customer"
        if value in self.goog[address.version]:
            return "google-service"
        return "other"


@functools.cache
def google_ranges() -> GoogleRanges:
    """The shipped snapshot, parsed once per instance."""
    text = resources.files("avmeets").joinpath(RANGES_RESOURCE).read_text(encoding="utf-8")
    return GoogleRanges.from_json(json.loads(text))


def classify(value: str | None) -> Kind:
    """What kind of address ``value`` is (``"invalid"`` when it is not one)."""
    parsed = _parse(value)
    if not parsed:
        return "invalid"
    address = ipaddress.ip_address(parsed)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return google_ranges().kind(address)


# --- the first-deploy self-check -------------------------------------------------------------


def self_check_report(entries: Sequence[str], trusted_position: int) -> dict[str, Any]:
    """What the self-check logs: counts and kinds, never an address (pure)."""
    kinds = [classify(e) for e in reversed(entries)]  # position 1 (the last entry) first
    chosen = kinds[trusted_position - 1] if len(kinds) >= trusted_position else "socket-peer"
    ranges = google_ranges()
    return {
        "entries": len(entries),
        "trustedPosition": trusted_position,
        "kindsFromRight": kinds,
        "chosenKind": chosen,
        "chosenRecorded": chosen not in REFUSED and chosen != "invalid",
        "rangesSnapshot": {"goog": ranges.goog_date, "cloud": ranges.cloud_date},
        "advice": _advice(kinds, trusted_position),
    }


def _advice(kinds: Sequence[str], trusted_position: int) -> str:
    if len(kinds) < trusted_position:
        return (
            "X-Forwarded-For is shorter than XFF_TRUSTED_POSITION: the socket's peer address is "
            "used; lower XFF_TRUSTED_POSITION."
        )
    if kinds[trusted_position - 1] in REFUSED:
        better = next(
            (i + 1 for i, k in enumerate(kinds) if i >= trusted_position and k not in REFUSED),
            None,
        )
        hint = f" Position {better} holds a non-Google address." if better else ""
        return (
            "The chosen entry is a Google address, recorded as unknown: raise "
            f"XFF_TRUSTED_POSITION past Google's own entries.{hint}"
        )
    return "The chosen entry is not a Google service address."


_checked = threading.Event()


def self_check_once(entries: Sequence[str], trusted_position: int) -> None:
    """Log the self-check report for the first request with a header this instance serves."""
    if _checked.is_set():
        return
    _checked.set()
    try:
        report = self_check_report(entries, trusted_position)
    except (OSError, ValueError, KeyError) as error:  # a broken snapshot must not fail a call
        log.warning("client IP self-check failed: %s", type(error).__name__)
        return
    log.info("client IP self-check: %s", json.dumps(report, sort_keys=True))
