"""Moving ICE candidates out of an aiortc SDP and back (the protocol's batched trickle)."""

from __future__ import annotations

from typing import TypedDict

from aiortc import RTCIceCandidate
from aiortc.sdp import candidate_from_sdp


class CandidateEntry(TypedDict):
    candidate: str
    sdpMid: str | None
    sdpMLineIndex: int | None


END_OF_CANDIDATES: CandidateEntry = {"candidate": "", "sdpMid": None, "sdpMLineIndex": None}


def _lines(sdp: str) -> list[str]:
    return [line for line in sdp.replace("\r\n", "\n").split("\n") if line]


def strip_candidates(sdp: str) -> str:
    """The SDP without its `a=candidate` and `a=end-of-candidates` lines."""
    kept = [
        line
        for line in _lines(sdp)
        if not line.startswith("a=candidate:") and line != "a=end-of-candidates"
    ]
    return "\r\n".join(kept) + "\r\n"


def extract_candidates(sdp: str) -> list[CandidateEntry]:
    """The SDP's candidates as browser-style entries (`candidate:...`, sdpMid, sdpMLineIndex).

    A candidate repeated in several media sections (one bundled transport) is listed once, with
    the first section that carries it, as a browser's `onicecandidate` would report it.
    """
    sections: list[list[str]] = []
    for line in _lines(sdp):
        if line.startswith("m="):
            sections.append([])
        elif sections:
            sections[-1].append(line)
    entries: list[CandidateEntry] = []
    seen: set[str] = set()
    for index, section in enumerate(sections):
        mid = next((line[len("a=mid:") :] for line in section if line.startswith("a=mid:")), None)
        for line in section:
            if line.startswith("a=candidate:"):
                value = line[len("a=") :]
                if value not in seen:
                    seen.add(value)
                    entries.append({"candidate": value, "sdpMid": mid, "sdpMLineIndex": index})
    return entries


def to_rtc_candidate(entry: CandidateEntry) -> RTCIceCandidate | None:
    """The aiortc candidate of an entry, or None for the end-of-candidates marker."""
    text = entry["candidate"]
    if text == "":
        return None
    if text.startswith("candidate:"):
        text = text[len("candidate:") :]
    candidate = candidate_from_sdp(text)
    candidate.sdpMid = entry["sdpMid"]
    candidate.sdpMLineIndex = entry["sdpMLineIndex"]
    return candidate


def batches(entries: list[CandidateEntry], size: int = 50) -> list[list[CandidateEntry]]:
    """Split entries plus the end marker into signal-sized batches (at most `size` entries)."""
    everything = [*entries, END_OF_CANDIDATES]
    return [everything[i : i + size] for i in range(0, len(everything), size)]
