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
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiortc import (
    RTCConfiguration,
    RTCDataChannel,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.rtcconfiguration import RTCIceTransportPolicy

from avmeets import turn

from .support.deadline import wait_for
from .support.network import LOOPBACK, install_loopback_only
from .support.stats import connection_stats

REALM = "avmeets.test"
#: Relay ports coturn may allocate: a small range above a free port found at start.
RELAY_PORTS = 40
START_TIMEOUT = 10.0
CONNECT_TIMEOUT = 30.0
STUN_MAGIC_COOKIE = 0x2112A442


@pytest.fixture(autouse=True)
def clean_emulators() -> Iterator[None]:
    """Override of the suite's fixture: these tests use no emulator, nothing to clean."""
    yield


@dataclass
class Coturn:
    port: int
    secret: str
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"turn:{LOOPBACK}:{self.port}?transport=udp"

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def ice_server(self, uid: str, now: int, ttl_seconds: int = 600) -> RTCIceServer:
        (server,) = turn.ice_servers((self.url,), self.secret, uid, now, ttl_seconds)
        return RTCIceServer(
            urls=server["urls"], username=server["username"], credential=server["credential"]
        )


def _free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind((LOOPBACK, 0))
            port = int(udp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind((LOOPBACK, port))
                except OSError:
                    continue
            if port + RELAY_PORTS < 65535:
                return port
    raise RuntimeError("no free port on 127.0.0.1")


def _stun_answers(port: int) -> bool:
    """Whether a STUN Binding request to 127.0.0.1:port gets a response within 0.2 s."""
    transaction = secrets.token_bytes(12)
    request = (
        (0x0001).to_bytes(2, "big")
        + (0).to_bytes(2, "big")
        + STUN_MAGIC_COOKIE.to_bytes(4, "big")
        + transaction
    )
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        try:
            sock.sendto(request, (LOOPBACK, port))
            data = sock.recv(2048)
        except OSError:  # timeout, or ICMP port unreachable before coturn listens
            return False
    return len(data) >= 20 and data[8:20] == transaction


@pytest.fixture
def coturn(tmp_path: Path) -> Iterator[Coturn]:
    binary = shutil.which("turnserver")
    if binary is None:
        pytest.fail(
            "turnserver not found: install the Debian package coturn "
            "(`nox -s tests` and `nox -s emulator_tests` do)",
            pytrace=False,
        )
    port = _free_port()
    relay_min = port + 1
    secret = secrets.token_urlsafe(24)
    log = tmp_path / "turnserver.log"
    config = tmp_path / "turnserver.conf"
    config.write_text("")  # never the system's /etc/turnserver.conf
    command = [
        binary,
        "-c",
        str(config),
        "--listening-ip",
        LOOPBACK,
        "--relay-ip",
        LOOPBACK,
        "--listening-port",
        str(port),
        "--min-port",
        str(relay_min),
        "--max-port",
        str(relay_min + RELAY_PORTS - 1),
        "--use-auth-secret",
        f"--static-auth-secret={secret}",
        "--realm",
        REALM,
        "--fingerprint",
        "--no-tls",
        "--no-dtls",
        "--no-cli",
        "--allow-loopback-peers",
        "--pidfile",
        str(tmp_path / "turnserver.pid"),
        "--userdb",
        str(tmp_path / "turndb"),
        "--log-file",
        "stdout",
        "--verbose",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = Coturn(port, secret, log, process)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _stun_answers(port):
            if process.poll() is not None:
                pytest.fail(
                    f"turnserver exited with {process.returncode}:\n{server.log_text()}",
                    pytrace=False,
                )
            if time.monotonic() >= deadline:
                pytest.fail(
                    f"turnserver did not answer STUN within {START_TIMEOUT}s:\n{server.log_text()}",
                    pytrace=False,
                )
            time.sleep(0.05)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


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
    caller = RTCPeerConnection(_relay_only(coturn.ice_server("alice", now)))
    callee = RTCPeerConnection(_relay_only(coturn.ice_server("bob", now)))
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
    expired = coturn.ice_server("mallory", minted_at, ttl_seconds=3600)
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
