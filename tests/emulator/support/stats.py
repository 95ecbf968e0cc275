"""The `stats` object of `report_connection` (docs/protocol.md section 2), read from aiortc."""

from __future__ import annotations

from typing import Any

from aiortc import RTCPeerConnection
from aiortc.stats import (
    RTCInboundRtpStreamStats,
    RTCRemoteInboundRtpStreamStats,
    RTCTransportStats,
)


def _selected_pair(pc: RTCPeerConnection) -> Any:
    """aioice's nominated candidate pair of the (bundled) transport, or None."""
    transports = [t.receiver.transport for t in pc.getTransceivers()]
    if pc.sctp is not None:
        transports.append(pc.sctp.transport)
    for dtls in transports:
        connection = getattr(dtls.transport.iceGatherer, "_connection", None)
        nominated = getattr(connection, "_nominated", None) or {}
        if nominated:
            return next(iter(nominated.values()))
    return None


def connection_path(pc: RTCPeerConnection) -> dict[str, Any] | None:
    """`report_connection`'s `path`: both ends of the nominated pair, or None before one."""
    pair = _selected_pair(pc)
    if pair is None:
        return None
    return {
        end: {"address": str(c.host).split("%", 1)[0], "candidateType": c.type}
        for end, c in (("local", pair.local_candidate), ("remote", pair.remote_candidate))
    }


async def connection_stats(pc: RTCPeerConnection, duration_ms: int) -> dict[str, Any]:
    """Best-effort stats of a peer connection; keys it cannot fill are left out."""
    stats: dict[str, Any] = {"durationMs": max(0, duration_ms)}
    pair = _selected_pair(pc)
    if pair is not None:
        local, remote = pair.local_candidate, pair.remote_candidate
        stats["localCandidateType"] = local.type
        stats["remoteCandidateType"] = remote.type
        stats["protocol"] = local.transport.lower()
        stats["relayed"] = "relay" in (local.type, remote.type)
        stats["relayProtocol"] = None
    try:
        report = await pc.getStats()
    except Exception:  # a closed connection has no stats any more
        return stats
    values = list(report.values())
    transport = [s for s in values if isinstance(s, RTCTransportStats)]
    if transport:
        stats["bytesSent"] = int(sum(s.bytesSent for s in transport))
        stats["bytesReceived"] = int(sum(s.bytesReceived for s in transport))
    inbound = [s for s in values if isinstance(s, RTCInboundRtpStreamStats)]
    if inbound:
        stats["packetsLost"] = int(sum(max(0, s.packetsLost or 0) for s in inbound))
    rtts = [
        s.roundTripTime
        for s in values
        if isinstance(s, RTCRemoteInboundRtpStreamStats) and s.roundTripTime is not None
    ]
    if rtts:
        stats["rttMs"] = float(rtts[-1]) * 1000.0
    return stats
