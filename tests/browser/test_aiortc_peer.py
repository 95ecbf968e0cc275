"""A browser and a Python aiortc peer (tests/emulator/support/peer.py) meet and chat."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator

import pytest_asyncio
from aiortc import RTCCertificate
from playwright.async_api import expect

from tests.emulator.support.deadline import wait_for
from tests.emulator.support.peer import MeetingPeer

from .conftest import PersonFactory
from .support import ROOT, Person, average_color

ROBOT_IP = "203.0.113.77"


@pytest_asyncio.fixture
async def robot() -> AsyncIterator[MeetingPeer]:
    peer = MeetingPeer("robot", ip=ROBOT_IP, trickle=True)
    try:
        await peer.sign_in()
        yield peer
    finally:
        await peer.dispose()
    assert not peer.errors, peer.errors


def _robot_rgb() -> tuple[int, int, int]:
    # ColorVideoTrack paints bgr24 frames of the label's color (support/peer.py, media.py).
    b, g, r = hashlib.sha256(b"robot").digest()[:3]
    return r, g, b


WORDLIST = ROOT / "web" / "node_modules" / "@scure" / "bip39" / "wordlists" / "english.js"


def device_code(fingerprint: str) -> str:
    """The app's device code (web/src/core/meeting/safety.ts, v2) of a "sha-256 <HEX>"."""
    source = WORDLIST.read_text(encoding="utf-8")
    found = re.search(r"`([^`]*)`", source)
    assert found is not None
    words = found[1].split("\n")
    assert len(words) == 2048
    salt = b"AVMeets device code v2"
    digest = hashlib.pbkdf2_hmac("sha256", fingerprint.encode(), salt, 100_000, 8)
    value = int.from_bytes(digest, "big")
    return " ".join(words[(value >> (64 - 11 * (i + 1))) & 0x7FF] for i in range(4))


def safety_code(local: str, remote: str) -> str:
    """The app's safety code of a connection: both device codes, sorted, joined by " · "."""
    return " · ".join(sorted([device_code(local), device_code(remote)]))


def _fingerprints(robot: MeetingPeer, uid: str) -> tuple[str, str]:
    """The aiortc end's own certificate's sha-256 and the browser's verified one."""
    pc = robot.link(uid).pc
    dtls = pc.sctp.transport if pc.sctp is not None else None
    assert dtls is not None and pc.remoteDescription is not None
    mine = next(f.value for f in dtls.getLocalParameters().fingerprints if f.algorithm == "sha-256")
    # aiortc checked the browser's certificate against every fingerprint of its SDP.
    theirs = re.search(
        r"^a=fingerprint:sha-256 ([0-9A-Fa-f:]+)\s*$", pc.remoteDescription.sdp, re.M
    )
    assert theirs is not None
    return f"sha-256 {mine.upper()}", f"sha-256 {theirs[1].upper()}"


def robot_safety_code(robot: MeetingPeer, uid: str) -> str:
    """What the aiortc end computes: its own certificate and the browser's verified fingerprint."""
    return safety_code(*_fingerprints(robot, uid))


def mitm_codes(robot: MeetingPeer, uid: str) -> set[str]:
    """The codes the two ends would show with a man in the middle, which terminates DTLS with
    each of them under a certificate of its own: each end's real certificate and the middle's."""
    middle = RTCCertificate.generateCertificate()
    forged = next(f.value for f in middle.getFingerprints() if f.algorithm == "sha-256")
    return {safety_code(real, f"sha-256 {forged.upper()}") for real in _fingerprints(robot, uid)}


def _chat_texts(peer: MeetingPeer, uid: str) -> list[str]:
    texts = []
    for raw in peer.messages_from(uid):
        try:
            message = json.loads(raw)
        except ValueError:
            continue
        if message.get("t") == "chat":
            texts.append(message.get("text"))
    return texts


async def _check_meeting(alice: Person, robot: MeetingPeer) -> None:
    await alice.wait_connected(robot.uid)
    await wait_for(
        lambda: robot.connected_to(alice.uid),
        timeout=45.0,
        what="the aiortc peer's link",
        describe=robot.describe,
    )
    await alice.wait_video(robot.uid)
    r, g, b = await average_color(alice, robot.uid)
    er, eg, eb = _robot_rgb()
    assert abs(r - er) < 40 and abs(g - eg) < 40 and abs(b - eb) < 40, ((r, g, b), (er, eg, eb))
    await wait_for(
        lambda: robot.receives_media_from(alice.uid),
        timeout=30.0,
        what="audio and video frames from the browser",
        describe=robot.describe,
    )
    await expect(alice.tile(robot.uid).locator(".tile-name")).to_have_text("Robot")

    await alice.send_chat("Hello robot")
    await wait_for(
        lambda: "Hello robot" in _chat_texts(robot, alice.uid),
        timeout=15.0,
        what="the browser's chat at the aiortc peer",
        describe=robot.describe,
    )
    robot.send_chat(alice.uid, "beep boop")
    await alice.wait_chat("beep boop")
    # The browser shows the code that the other end derives from the same two certificates.
    shown = await alice.safety_code(robot.uid)
    assert shown == robot_safety_code(robot, alice.uid)
    # A signalling path in the middle would have terminated DTLS with each end under its own
    # certificate: each end would then derive its code from that certificate instead of the
    # other end's, and the two codes would differ from each other and from this one.
    assert shown not in mitm_codes(robot, alice.uid)


async def test_browser_then_aiortc_peer(people: PersonFactory, robot: MeetingPeer) -> None:
    alice = await people("alice")
    meeting_id = await alice.create_meeting(title="Human and robot")
    await alice.join_now()
    await robot.join(meeting_id)  # the newcomer offers: aiortc calls the browser
    await _check_meeting(alice, robot)
    await alice.screenshot("with-robot")

    await robot.leave()
    await expect(alice.tile(robot.uid)).to_have_count(0, timeout=20_000)


async def test_aiortc_peer_then_browser(people: PersonFactory, robot: MeetingPeer) -> None:
    meeting_id = await robot.create_meeting(title="Robot first")
    await robot.join(meeting_id)
    alice = await people("alice")
    await alice.join(meeting_id)  # the browser offers to the aiortc peer
    await _check_meeting(alice, robot)
    await alice.screenshot("with-robot")
