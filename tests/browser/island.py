"""A loopback-only network namespace for the browser tests ("the island").

Chromium uses every interface it finds for WebRTC: even when the app signals only 127.0.0.1
candidates, Chromium pairs them with its socket on the machine's other addresses. So the test
process moves its main thread into a fresh network namespace that has nothing but `lo`; Chromium
(started by Playwright from that thread) and the in-test aiortc peers live there and can only use
loopback. The emulators keep running in the machine's namespace: for each of their ports a
forwarder listens on the island's 127.0.0.1 and relays to the same port on the host's 127.0.0.1.

Needs CAP_SYS_ADMIN (root, as in CI); `available()` says whether it can work here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import threading
from collections.abc import Iterable, Iterator

logger = logging.getLogger(__name__)

_NS_PATH = "/proc/thread-self/ns/net"


def available() -> str | None:
    """None when an island can be made here, else why not."""
    if not hasattr(os, "unshare") or not hasattr(os, "setns"):
        return "this Python has no os.unshare/os.setns (Linux, Python 3.12+)"
    if not os.path.exists(_NS_PATH):
        return "no network namespaces here"
    result: list[str | None] = []

    def probe() -> None:
        try:
            os.unshare(os.CLONE_NEWNET)  # only this probing thread moves
            result.append(None)
        except OSError as error:
            result.append(f"cannot create a network namespace: {error}")

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return result[0]


def _pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


def _relay(inner: socket.socket, outer: socket.socket) -> None:
    """Copy both ways until both sides are done, then close both sockets."""
    back = threading.Thread(target=_pump, args=(outer, inner), daemon=True)
    back.start()
    _pump(inner, outer)
    back.join()
    inner.close()
    outer.close()


class Island:
    """Enter with `enter(ports)`; `leave()` returns the main thread to the machine's namespace."""

    def __init__(self) -> None:
        self._host_ns: int | None = None
        self._listeners: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stop = threading.Event()

    def enter(self, addresses: Iterable[tuple[str, int]]) -> None:
        self._host_ns = os.open(_NS_PATH, os.O_RDONLY)
        os.unshare(os.CLONE_NEWNET)
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        for host, port in sorted(set(addresses)):
            listener = socket.create_server((host, port), reuse_port=False)
            listener.settimeout(0.5)
            self._listeners.append(listener)
            thread = threading.Thread(
                target=self._serve, args=(listener, host, port), name=f"island-{port}", daemon=True
            )
            self._threads.append(thread)
        for thread in self._threads:
            thread.start()

    def _serve(self, listener: socket.socket, host: str, port: int) -> None:
        # This thread works in the machine's namespace: its outgoing connections reach the
        # emulators. The listening socket was made in the island and stays there.
        assert self._host_ns is not None
        os.setns(self._host_ns, os.CLONE_NEWNET)
        while not self._stop.is_set():
            try:
                inner, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                outer = socket.create_connection((host, port), timeout=10)
            except OSError as error:
                logger.warning("island: %s:%s unreachable: %s", host, port, error)
                inner.close()
                continue
            outer.settimeout(None)
            inner.settimeout(None)
            threading.Thread(target=_relay, args=(inner, outer), daemon=True).start()

    def leave(self) -> None:
        self._stop.set()
        for listener in self._listeners:
            with contextlib.suppress(OSError):
                listener.close()
        for thread in self._threads:
            thread.join(timeout=2)
        if self._host_ns is not None:
            os.setns(self._host_ns, os.CLONE_NEWNET)
            os.close(self._host_ns)
            self._host_ns = None


def split(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


@contextlib.contextmanager
def routed_interface(name: str, peer: str, address: str) -> Iterator[str]:
    """An interface of the island with ``address`` and the default route, removed afterwards:
    a veth pair (this kernel has no dummy interfaces). Chromium only gathers host candidates on
    an interface that routes somewhere; packets to the address stay local. Only in the island
    (the caller checks), never in the machine's namespace."""
    commands = (
        ["ip", "link", "add", name, "type", "veth", "peer", "name", peer],
        ["ip", "addr", "add", f"{address}/32", "dev", name],
        # No IPv6 link-local addresses: one appearing later is a network change to Chromium.
        ["ip", "link", "set", "dev", name, "addrgenmode", "none"],
        ["ip", "link", "set", "dev", peer, "addrgenmode", "none"],
        ["ip", "link", "set", name, "up"],
        ["ip", "link", "set", peer, "up"],
        ["ip", "route", "add", "default", "dev", name],
    )
    try:
        for command in commands:
            subprocess.run(command, check=True, capture_output=True)
        yield address
    finally:
        subprocess.run(["ip", "link", "del", name], check=False, capture_output=True)
