"""Keep every WebRTC peer on the loopback interface.

aioice gathers host candidates on every interface except 127.0.0.1, and aiortc falls back to a
public STUN server when it is given no ICE servers. The test peers may only use 127.0.0.1, so both
are replaced here, and ICE servers that the server hands out are kept only if they are on loopback.
"""

from __future__ import annotations

from typing import Any

import aioice.ice
from aiortc import RTCIceServer
from aiortc.rtcicetransport import RTCIceGatherer, parse_stun_turn_uri

LOOPBACK = "127.0.0.1"


def _loopback_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
    return [LOOPBACK]


def _no_default_ice_servers(cls: type[RTCIceGatherer]) -> list[RTCIceServer]:
    return []


def install_loopback_only() -> None:
    """Patch aioice and aiortc (idempotent) so that peers gather 127.0.0.1 candidates only."""
    aioice.ice.get_host_addresses = _loopback_addresses
    RTCIceGatherer.getDefaultIceServers = classmethod(_no_default_ice_servers)  # type: ignore[method-assign,assignment]


def loopback_ice_servers(servers: list[dict[str, Any]]) -> list[RTCIceServer]:
    """The `iceServers` of a callable result, keeping only the URLs whose host is 127.0.0.1."""
    kept: list[RTCIceServer] = []
    for server in servers:
        urls = server.get("urls", [])
        if isinstance(urls, str):
            urls = [urls]
        local = []
        for url in urls:
            try:
                host = parse_stun_turn_uri(url)["host"]
            except ValueError:
                continue
            if host == LOOPBACK:
                local.append(url)
        if local:
            kept.append(
                RTCIceServer(
                    urls=local, username=server.get("username"), credential=server.get("credential")
                )
            )
    return kept
