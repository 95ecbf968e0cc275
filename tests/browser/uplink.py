"""What one Chromium participant uploads: its senders' caps and the bytes on the wire.

Shared by the bandwidth test (test_bandwidth.py) and the benchmark (bench/uplink_child.py). Read
through the app's emulator-only test hook: `window.__avmeets.currentView().meeting.links`, each a
PeerLink with its RTCPeerConnection (`pc`) and its media slots (`media.encodings()`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Page

from tests.emulator.support.deadline import wait_for
from tests.emulator.support.peer import MeetingPeer

from .support import Person

#: The promise of the mesh's bandwidth adaptation (web/src/core/meeting/bandwidth.ts).
UPLINK_BUDGET_KBPS = 2500


async def meet(sender: Person, robots: list[MeetingPeer], title: str) -> None:
    """The aiortc peers join first, then the browser from its home page, so that it offers to
    each of them (all its media slots); returns once every peer receives its audio and video."""
    meeting_id = await robots[0].create_meeting(title=title)
    for peer in robots:
        await peer.join(meeting_id)
    await sender.page.goto(sender.web_url + "/")
    await sender.join(meeting_id)
    try:
        await sender.wait_connected(*(peer.uid for peer in robots))
    except AssertionError as error:  # what the peers saw says which side stopped
        seen = [peer.describe() for peer in robots]
        raise AssertionError("\n".join([str(error), *seen])) from error
    for peer in robots:
        await wait_for(
            lambda p=peer: p.receives_media_from(sender.uid),  # type: ignore[misc]
            timeout=60.0,
            what=f"{peer.label} to receive the browser's audio and video",
            describe=peer.describe,
        )


_SAMPLE = """async () => {
    const meeting = window.__avmeets.currentView().meeting;
    const out = {};
    for (const [uid, link] of meeting.links) {
        const report = await link.pc.getStats();
        const entry = { bytesSent: 0, video: [], encodings: link.media.encodings(),
                        state: link.pc.connectionState, quality: link.view.value.quality,
                        cameraPreference: link.media.cameraDegradation(),
                        availableOutgoingBitrate: 0 };
        report.forEach((s) => {
            if (s.type === "transport") {
                entry.bytesSent += s.bytesSent || 0;
                const pair = s.selectedCandidatePairId && report.get(s.selectedCandidatePairId);
                if (pair) entry.availableOutgoingBitrate = pair.availableOutgoingBitrate || 0;
            }
            if (s.type === "outbound-rtp" && s.kind === "video" && s.bytesSent > 0) {
                const source = s.mediaSourceId && report.get(s.mediaSourceId);
                entry.video.push({ mid: s.mid, frameHeight: s.frameHeight || 0,
                                   sourceHeight: (source && source.height) || 0,
                                   framesPerSecond: s.framesPerSecond || 0,
                                   targetBitrate: s.targetBitrate || 0,
                                   qualityLimitationReason: s.qualityLimitationReason || "",
                                   qualityLimitationDurations:
                                       s.qualityLimitationDurations || {} });
            }
        });
        out[uid] = entry;
    }
    return out;
}"""


@dataclass
class LinkSample:
    bytes_sent: int
    state: str
    encodings: dict[str, Any]
    video: list[dict[str, Any]]
    #: What the app makes of the connection (web/src/core/meeting/quality.ts), for diagnosis.
    quality: dict[str, Any]
    #: The sender's bandwidth estimate on the selected pair (bit/s; 0 when not reported).
    available_outgoing_bitrate: float = 0.0
    #: The camera sender's degradationPreference (None: the browser's default).
    camera_preference: str | None = None


@dataclass
class Sample:
    at: float
    links: dict[str, LinkSample] = field(default_factory=dict)

    @property
    def bytes_sent(self) -> int:
        return sum(link.bytes_sent for link in self.links.values())


async def sample(page: Page) -> Sample:
    raw = await page.evaluate(_SAMPLE)
    out = Sample(at=time.monotonic())
    for uid, entry in raw.items():
        out.links[uid] = LinkSample(
            bytes_sent=int(entry["bytesSent"]),
            state=str(entry["state"]),
            encodings=dict(entry["encodings"] or {}),
            video=list(entry["video"]),
            quality=dict(entry["quality"] or {}),
            available_outgoing_bitrate=float(entry.get("availableOutgoingBitrate") or 0),
            camera_preference=entry.get("cameraPreference"),
        )
    return out


def kbps(before: Sample, after: Sample, uids: list[str] | None = None) -> float:
    """Total kbit/s sent (all bytes of the transports: media, headers, RTCP, data) between two
    samples, over the links to `uids` (all by default)."""
    keys = uids if uids is not None else list(after.links)
    sent = sum(
        after.links[k].bytes_sent - before.links[k].bytes_sent for k in keys if k in before.links
    )
    seconds = after.at - before.at
    return sent * 8 / 1000 / seconds if seconds > 0 else 0.0


async def measure(page: Page, seconds: float) -> tuple[float, Sample]:
    """The total upload rate over the next `seconds`, and the sample at its end."""
    first = await sample(page)
    await asyncio.sleep(seconds)
    last = await sample(page)
    return kbps(first, last), last


def capped_kbps(last: Sample) -> float:
    """What the senders' caps allow in total (video and audio maxBitrate, kbit/s); a sender
    without a cap counts as unbounded (inf)."""
    total = 0.0
    for link in last.links.values():
        for slot, encoding in link.encodings.items():
            if not encoding or encoding.get("active") is False:
                continue
            cap = encoding.get("maxBitrate")
            if cap is None:
                if slot in ("mic", "camera"):
                    return float("inf")
                continue  # an empty screen slot sends nothing
            total += cap / 1000
    return total


def limitation_shares(before: Sample, after: Sample) -> dict[str, float]:
    """The share of the time between two samples each video encoder spent limited by each
    reason (qualityLimitationDurations: "none", "cpu", "bandwidth", "other"), summed over the
    encoders and normalised: why the sent resolution is what it is."""
    spent: dict[str, float] = {}
    for uid, link in after.links.items():
        earlier = {v.get("mid"): v for v in before.links[uid].video} if uid in before.links else {}
        for video in link.video:
            was = (earlier.get(video.get("mid")) or {}).get("qualityLimitationDurations") or {}
            for reason, seconds in (video.get("qualityLimitationDurations") or {}).items():
                spent[reason] = spent.get(reason, 0.0) + float(seconds) - float(was.get(reason, 0))
    total = sum(v for v in spent.values() if v > 0)
    return {k: round(v / total, 3) for k, v in sorted(spent.items()) if v > 0} if total else {}
