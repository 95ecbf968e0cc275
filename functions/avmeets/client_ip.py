"""The caller's IP address, taken from X-Forwarded-For where a trusted proxy put it.

Every proxy appends the address it received the request from, so only entries appended by our
own front end can be trusted; anything left of them is whatever the client chose to send.
"""

from __future__ import annotations

import ipaddress


def client_ip(forwarded_for: str | None, remote_addr: str | None, trusted_position: int) -> str:
    """The address at ``trusted_position`` counted from the right (1 = last entry).

    Falls back to the socket's peer address when the header is missing or shorter than the
    trusted position (no front end in the path, as in some local setups). Returns ``""`` when
    nothing parses as an IP address.
    """
    entries = [e.strip() for e in (forwarded_for or "").split(",") if e.strip()]
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
