"""TURN through a real coturn: relay-only aiortc peers with avmeets.turn credentials.

A local coturn (Debian package ``coturn``, binary ``turnserver``) runs in the REST-API mode
(``--use-auth-secret``) on 127.0.0.1 with a random port and the test's secret. Two aiortc peers
that may only use relay candidates connect through it and exchange a data-channel message; a
credential whose expiry has passed is refused, so no relay candidate is gathered.

These tests need coturn but no Firebase emulator: they live here for the loopback-only peer
support (support/network.py, support/stats.py) and because the emulator session is the one that
has the system tools installed. The suite's autouse emulator fixture is overridden below, so the
file also runs on its own: ``pytest tests/emulator/test_turn.py``.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aioice import stun
from aioice.turn import make_integrity_key
from aiortc import (
    RTCConfiguration,
    RTCDataChannel,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.rtcconfiguration import RTCIceTransportPolicy

from avmeets import turn

from .support import coturn as coturn_support
from .support.coturn import Coturn
from .support.deadline import wait_for
from .support.network import LOOPBACK, install_loopback_only
from .support.stats import connection_stats

CONNECT_TIMEOUT = 30.0


@pytest.fixture(autouse=True)
def clean_emulators() -> Iterator[None]:
    """Override of the suite's fixture: these tests use no emulator, nothing to clean."""
    yield


def ice_server(server: Coturn, uid: str, now: int, ttl_seconds: int = 600) -> RTCIceServer:
    (entry,) = turn.ice_servers((server.url,), server.secret, uid, now, ttl_seconds)
    return RTCIceServer(
        urls=entry["urls"], username=entry["username"], credential=entry["credential"]
    )


@pytest.fixture
def coturn(tmp_path: Path) -> Iterator[Coturn]:
    try:
        with coturn_support.running(tmp_path) as server:
            yield server
    except (coturn_support.CoturnMissing, coturn_support.CoturnFailed) as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture
async def pcs() -> AsyncIterator[list[RTCPeerConnection]]:
    """Peer connections made by the test, closed at the end whatever happened."""
    install_loopback_only()
    made: list[RTCPeerConnection] = []
    try:
        yield made
    finally:
        for pc in made:
            with contextlib.suppress(Exception):
                await pc.close()


def _relay_only(server: RTCIceServer) -> RTCConfiguration:
    # aiortc 1.16 / aioice 0.13 implement the relay policy: no host or srflx candidate at all.
    return RTCConfiguration(iceServers=[server], iceTransportPolicy=RTCIceTransportPolicy.RELAY)


def _candidate_lines(sdp: str) -> list[str]:
    return [line for line in sdp.splitlines() if line.startswith("a=candidate:")]


def _addresses(line: str) -> list[str]:
    # a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
    fields = line.split()
    found = [fields[4]]
    if "raddr" in fields:
        found.append(fields[fields.index("raddr") + 1])
    return found


async def test_relay_only_peers_talk_through_coturn(
    coturn: Coturn, pcs: list[RTCPeerConnection]
) -> None:
    now = int(time.time())
    caller = RTCPeerConnection(_relay_only(ice_server(coturn, "alice", now)))
    callee = RTCPeerConnection(_relay_only(ice_server(coturn, "bob", now)))
    pcs += [caller, callee]
    received: list[str] = []
    channel = caller.createDataChannel("chat")

    @callee.on("datachannel")
    def on_datachannel(remote: RTCDataChannel) -> None:
        @remote.on("message")
        def on_message(message: str | bytes) -> None:
            received.append(message if isinstance(message, str) else message.decode())

    await caller.setLocalDescription(await caller.createOffer())
    offer = caller.localDescription
    await callee.setRemoteDescription(RTCSessionDescription(sdp=offer.sdp, type=offer.type))
    await callee.setLocalDescription(await callee.createAnswer())
    answer = callee.localDescription
    await caller.setRemoteDescription(RTCSessionDescription(sdp=answer.sdp, type=answer.type))

    for name, sdp in (("offer", offer.sdp), ("answer", answer.sdp)):
        lines = _candidate_lines(sdp)
        assert lines, f"the {name} has no candidate at all:\n{sdp}\n{coturn.log_text()}"
        assert all(" typ relay" in line for line in lines), f"{name} has non-relay candidates"
        for line in lines:
            assert {a for a in _addresses(line) if a != "0.0.0.0"} <= {LOOPBACK}, line

    def describe() -> str:
        return (
            f"caller={caller.connectionState} callee={callee.connectionState} "
            f"chat={channel.readyState}\n{coturn.log_text()[-4000:]}"
        )

    await wait_for(
        lambda: channel.readyState == "open",
        timeout=CONNECT_TIMEOUT,
        what="the data channel through coturn to open",
        describe=describe,
    )
    channel.send("hello through coturn")
    await wait_for(
        lambda: received == ["hello through coturn"],
        timeout=10.0,
        what="the message to arrive through coturn",
        describe=describe,
    )
    for pc in (caller, callee):
        stats = await connection_stats(pc, 0)
        assert stats.get("localCandidateType") == "relay", stats
        assert stats.get("remoteCandidateType") == "relay", stats
        assert stats.get("relayed") is True, stats
    # And coturn saw it: both allocated with their minted username and bound channels to the
    # other's relayed address.
    for uid in ("alice", "bob"):
        username = f"{now + 600}:{uid}"
        assert _log_has(coturn, f"user <{username}>: incoming packet ALLOCATE processed, success")
        assert _log_has(
            coturn, f"user <{username}>: incoming packet CHANNEL_BIND processed, success"
        )


def _log_has(coturn: Coturn, text: str) -> bool:
    return text in coturn.log_text()


async def _gather_relay_candidates(server: RTCIceServer, pcs: list[RTCPeerConnection]) -> list[str]:
    pc = RTCPeerConnection(_relay_only(server))
    pcs.append(pc)
    pc.createDataChannel("chat")
    await pc.setLocalDescription(await pc.createOffer())  # gathers: tries to allocate
    return [line for line in _candidate_lines(pc.localDescription.sdp) if " typ relay" in line]


async def test_expired_credential_is_refused(coturn: Coturn, pcs: list[RTCPeerConnection]) -> None:
    # Minted two hours ago for one hour: the username's expiry is an hour in the past.
    minted_at = int(time.time()) - 7200
    expired = ice_server(coturn, "mallory", minted_at, ttl_seconds=3600)
    username = f"{minted_at + 3600}:mallory"
    assert expired.username == username and minted_at + 3600 < time.time()
    assert await _gather_relay_candidates(expired, pcs) == []
    # coturn refused the credential itself (not only the unauthenticated first request).
    await wait_for(
        lambda: _log_has(
            coturn, f"user <{username}>: incoming packet message processed, error 401"
        ),
        timeout=5.0,
        what="coturn to refuse the expired username with 401",
        describe=lambda: coturn.log_text()[-4000:],
    )
    assert _log_has(coturn, f"Cannot find credentials of user <{username}>")
    assert not _log_has(coturn, "ALLOCATE processed, success"), coturn.log_text()[-4000:]


async def test_credential_of_another_secret_is_refused(
    coturn: Coturn, pcs: list[RTCPeerConnection]
) -> None:
    now = int(time.time())
    (forged,) = turn.ice_servers((coturn.url,), "not-" + coturn.secret, "mallory", now, 600)
    server = RTCIceServer(
        urls=forged["urls"], username=forged["username"], credential=forged["credential"]
    )
    assert await _gather_relay_candidates(server, pcs) == []
    await wait_for(
        lambda: _log_has(coturn, f"user <{forged['username']}>: incoming packet"),
        timeout=5.0,
        what="coturn to see the forged credential",
        describe=lambda: coturn.log_text()[-4000:],
    )
    assert not _log_has(coturn, "ALLOCATE processed, success"), coturn.log_text()[-4000:]


def _allocate(sock: socket.socket, server: Coturn, credential: RTCIceServer) -> int:
    """One ALLOCATE from `sock` (its 5-tuple), answered with its credential after the 401
    challenge: 200 when it succeeds, else the error code of the final answer."""
    assert isinstance(credential.username, str) and isinstance(credential.credential, str)

    def ask(attributes: dict[str, object], key: bytes | None = None) -> stun.Message:
        request = stun.Message(stun.Method.ALLOCATE, stun.Class.REQUEST, attributes=attributes)
        if key is not None:
            request.add_message_integrity(key)
        request.add_fingerprint()
        sock.sendto(bytes(request), (LOOPBACK, server.port))
        return stun.parse_message(sock.recv(2048))

    base: dict[str, object] = {"REQUESTED-TRANSPORT": 17 << 24, "LIFETIME": 600}
    answer = ask(dict(base))
    if answer.message_class == stun.Class.ERROR and answer.attributes["ERROR-CODE"][0] == 401:
        realm, nonce = answer.attributes["REALM"], answer.attributes["NONCE"]
        key = make_integrity_key(credential.username, realm, credential.credential)
        signed = {**base, "USERNAME": credential.username, "REALM": realm, "NONCE": nonce}
        answer = ask(signed, key)
    if answer.message_class == stun.Class.ERROR:
        return int(answer.attributes["ERROR-CODE"][0])
    return 200


def test_a_restart_drops_an_allocation_left_behind(coturn: Coturn) -> None:
    """An allocation whose client went away without releasing it (a closed browser context)
    holds its 5-tuple: a new client on the same local port, which the system reuses, is
    answered 437 (allocation mismatch) until it expires, ten minutes on; no relay candidate.
    The browser tests' relay (tests/browser/conftest.py, `fresh_relay`) is restarted for each
    test that needs it, for this: a CI run's relay-only page was refused so and never connected."""
    credential = ice_server(coturn, "alice", int(time.time()))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as first:
        first.settimeout(2.0)
        first.bind((LOOPBACK, 0))
        port = first.getsockname()[1]
        assert _allocate(first, coturn, credential) == 200
    # The same local port, a new client (new transactions), nothing released in between.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as again:
        again.settimeout(2.0)
        again.bind((LOOPBACK, port))
        assert _allocate(again, coturn, credential) == 437
        coturn.restart()
        assert _allocate(again, coturn, credential) == 200
