"""A local coturn (Debian package ``coturn``, binary ``turnserver``) in the REST-API mode
(``--use-auth-secret``) on 127.0.0.1, for the TURN tests (tests/emulator/test_turn.py) and the
browser tests' relay (tests/browser/conftest.py, privacy mode).

`running(...)` starts it with an empty configuration (never the system's) and yields once it
answers STUN; it is stopped whatever happens.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .network import LOOPBACK

REALM = "avmeets.test"
#: Relay ports coturn may allocate: a small range just above its listening port.
RELAY_PORTS = 40
START_TIMEOUT = 10.0
STUN_MAGIC_COOKIE = 0x2112A442


class CoturnMissing(RuntimeError):
    """turnserver is not installed."""


class CoturnFailed(RuntimeError):
    """turnserver exited, or did not answer STUN in time (the message holds its log)."""


@dataclass
class Coturn:
    port: int
    secret: str
    log: Path
    process: subprocess.Popen[bytes]
    command: list[str]  # what started it: `restart` runs it again

    @property
    def url(self) -> str:
        return f"turn:{LOOPBACK}:{self.port}?transport=udp"

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def restart(self) -> None:
        """Stop and start it again on the same port, with no allocation left. A browser context
        closed without releasing its allocation leaves it for its lifetime (10 min), and a new
        Chromium socket on the same local port (the system reuses them) is then answered 437
        (allocation mismatch) to every ALLOCATE: no relay candidate, no relay-only connection."""
        self.stop()
        self.start()

    def stop(self) -> None:
        """Stop relaying (an outage of the relay: every allocation is lost with it)."""
        _stop(self.process)

    def start(self) -> None:
        """Start it again on the same port (after ``stop``), answering before this returns."""
        self.process = _launch(self.command, self.log)
        _wait_until_answering(self)


def free_port() -> int:
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


def stun_answers(port: int) -> bool:
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


def _command(binary: str, port: int, secret: str, folder: Path) -> list[str]:
    config = folder / "turnserver.conf"
    config.write_text("")  # never the system's /etc/turnserver.conf
    return [
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
        str(port + 1),
        "--max-port",
        str(port + RELAY_PORTS),
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
        str(folder / "turnserver.pid"),
        "--userdb",
        str(folder / "turndb"),
        "--log-file",
        "stdout",
        "--verbose",
    ]


@contextlib.contextmanager
def running(
    folder: Path, *, port: int | None = None, secret: str | None = None
) -> Iterator[Coturn]:
    """Run coturn on 127.0.0.1:`port` (a free one by default) with `secret`; stop it after."""
    binary = shutil.which("turnserver")
    if binary is None:
        raise CoturnMissing(
            "turnserver not found: install the Debian package coturn "
            "(`nox -s tests`, `nox -s emulator_tests` and `nox -s browser_tests` do)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    secret = secret or secrets.token_urlsafe(24)
    log = folder / "turnserver.log"
    command = _command(binary, port, secret, folder)
    server = Coturn(port, secret, log, _launch(command, log), command)
    try:
        _wait_until_answering(server)
        yield server
    finally:
        _stop(server.process)


def _launch(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:  # appended: a restart keeps the earlier runs' log
        return subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )


def _wait_until_answering(server: Coturn) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not stun_answers(server.port):
        if server.process.poll() is not None:
            raise CoturnFailed(
                f"turnserver exited with {server.process.returncode}:\n{server.log_text()}"
            )
        if time.monotonic() >= deadline:
            raise CoturnFailed(
                f"turnserver did not answer STUN within {START_TIMEOUT}s:\n{server.log_text()}"
            )
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
