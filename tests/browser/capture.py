"""Loopback packet captures with tshark, and searching them for strings that must not be there.

A capture runs `tshark -i lo -w <pcap>` in a chosen network namespace: the island's (where the
browsers and their WebRTC traffic live, see island.py) or the machine's (the emulators). A child
process inherits the namespace of the thread that starts it, so a capture of the machine's `lo`
is started from a short-lived thread that first joins the namespace of one of the island's
forwarder threads (they work in the machine's namespace). dumpcap buffers what it writes and drops
the last few hundred milliseconds on SIGINT, so `Capture.sync()` waits, before the meeting and
before the stop, until a tagged probe sent on that `lo` is in the file.

`analyse()` reads a finished pcap four ways, because each alone can miss a string:

* `raw`: the pcap file's bytes: every packet as sent, even ones tshark does not dissect;
* `tcp`: each TCP stream direction's payload concatenated, for strings split across segments;
* `data`: tshark's `data` field: payloads no dissector claimed (such as DTLS 1.3 records, which
  tshark 4.0 does not parse) and bodies no dissector understood;
* `dissected`: every data source of `tshark -x` (reassembled, de-chunked, decompressed HTTP
  bodies, unmasked WebSocket frames) with the emulators' ports decoded as HTTP.

Each needle is also looked for base64-encoded (at the three alignments).
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar

from tests.emulator.support.deadline import wait_for

T = TypeVar("T")

TSHARK = os.environ.get("AVMEETS_TSHARK") or shutil.which("tshark") or "/usr/bin/tshark"
#: Kernel capture buffer in MiB: video on a loaded machine must not overflow it.
BUFFER_MIB = 128
#: The island's forwarder threads are named so (island.py); they live in the machine's namespace.
FORWARDER_PREFIX = "island-"
VIEWS = ("raw", "tcp", "data", "dissected")
#: UDP payloads, one after another: searched too, but not required to hold anything (the
#: machine's loopback carries no UDP but the capture's own probes).
UDP_VIEW = "udp"
#: Protocols whose packet counts a summary shows.
SUMMARY_PROTOCOLS = ("tcp", "udp", "http", "http2", "stun", "dtls")

#: Probes go to the discard port (the ICMP "port unreachable" answers do no harm).
PROBE_ADDRESS = ("127.0.0.1", 9)
PROBE_SIZE = 8192

_HEX_LINE = re.compile(r"^([0-9a-f]{4,})  ((?:[0-9a-f]{2} ){0,15}[0-9a-f]{2})(?:  |$)")
_CAPTURED = re.compile(r"^(\d+) packets? captured", re.MULTILINE)
_DROPPED = re.compile(r"^(\d+) packets? dropped", re.MULTILINE)


def tshark_missing() -> str | None:
    """None when tshark can be run, else why not."""
    if not Path(TSHARK).is_file() or not os.access(TSHARK, os.X_OK):
        return f"no tshark at {TSHARK} (nox -s browser_tests installs it)"
    return None


def netns_inode(path: str = "/proc/thread-self/ns/net") -> int:
    return os.stat(path).st_ino


def machine_netns() -> str:
    """A /proc path of the machine's network namespace, taken from an island forwarder thread."""
    for thread in threading.enumerate():
        if thread.name.startswith(FORWARDER_PREFIX) and thread.native_id is not None:
            path = f"/proc/self/task/{thread.native_id}/ns/net"
            if os.path.exists(path):
                return path
    raise RuntimeError("no island forwarder thread: is the island in use?")


def in_netns(netns: str | None, make: Callable[[], T]) -> T:
    """`make()` run in the network namespace at `netns` (None: this thread's own).

    Only a short-lived thread moves, so no other thread (an executor's worker, say) changes
    namespace. What `make()` creates stays in that namespace: a child process, a socket.
    """
    if netns is None:
        return make()
    made: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            fd = os.open(netns, os.O_RDONLY)
            try:
                os.setns(fd, os.CLONE_NEWNET)
            finally:
                os.close(fd)
            made.append(make())
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=run, name="in-netns")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return made[0]


@dataclass
class Capture:
    """One running `tshark -i lo -w pcap` in the namespace at `netns` (None: this thread's).

    `await started()` returns once packets are being written; `await sync()` once everything
    sent on that `lo` before it is in the file (dumpcap would lose the last few hundred
    milliseconds on SIGINT); `stop()` ends it and reads its packet counts.
    """

    label: str
    pcap: Path
    log: Path
    netns: str | None = None
    process: subprocess.Popen[bytes] | None = None
    packets: int | None = None
    dropped: int = 0
    probes: int = 0
    _log_file: IO[bytes] | None = None
    _probe: socket.socket | None = None

    def start(self) -> None:
        self._log_file = self.log.open("wb")
        argv = [TSHARK, "-n", "-i", "lo", "-B", str(BUFFER_MIB), "-w", str(self.pcap)]
        log = self._log_file
        self.process = in_netns(
            self.netns,
            lambda: subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log
            ),
        )
        # The socket belongs to the namespace it was made in, whichever thread sends on it.
        self._probe = in_netns(self.netns, lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))

    def messages(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def _check_running(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(
                f"tshark on {self.label} exited with {self.process.returncode}:\n{self.messages()}"
            )

    async def started(self, timeout: float) -> None:
        def capturing() -> bool:
            self._check_running()
            return "Capturing on" in self.messages() and self.pcap.exists()

        await wait_for(
            capturing,
            timeout=timeout,
            interval=0.1,
            what=f"tshark to capture on {self.label}",
            describe=lambda: self.messages()[-1000:],
        )
        await self.sync(timeout)

    async def sync(self, timeout: float) -> None:
        """Send tagged UDP probes on this `lo` until the first one is in the pcap file."""
        probe = self._probe
        assert probe is not None, "not started"
        self.probes += 1
        tag = f"avmeets-capture-probe-{secrets.token_hex(8)}".encode()
        # Big probes fill dumpcap's write buffer, so the file soon shows what it has.
        datagram = tag + bytes(PROBE_SIZE - len(tag))
        since = max(0, self.pcap.stat().st_size - len(datagram))

        def arrived() -> bool:
            self._check_running()
            probe.sendto(datagram, PROBE_ADDRESS)
            with self.pcap.open("rb") as stream:
                stream.seek(since)
                return tag in stream.read()

        await wait_for(
            arrived,
            timeout=timeout,
            interval=0.1,
            what=f"a probe to reach the capture file of {self.label}",
            describe=lambda: self.messages()[-1000:],
        )

    def stop(self, timeout: float = 60.0) -> None:
        """SIGINT (tshark flushes the file and prints its counts), then harder if need be."""
        if self._probe is not None:
            self._probe.close()
            self._probe = None
        process = self.process
        if process is None:
            return
        self.process = None
        try:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    process.terminate()
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
        finally:
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None
        text = self.messages()
        captured = _CAPTURED.search(text)
        self.packets = int(captured.group(1)) if captured else None
        self.dropped = sum(int(n) for n in _DROPPED.findall(text))


# --------------------------------------------------------------------------------- searching


def variants(needle: bytes) -> list[bytes]:
    """The needle and its base64 encodings at the three alignments (edge characters dropped)."""
    out = [needle]
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + needle)
        # Drop the characters that depend on the padding or on what follows.
        start = (pad * 8 + 5) // 6
        body = encoded[start : len(encoded) - 4]
        if len(body) >= 12:
            out.append(body)
    return out


@dataclass
class Analysis:
    """What one capture holds: per needle the views it was found in, and protocol counts."""

    label: str
    pcap_bytes: int
    packets: int = 0
    protocols: Counter[str] = field(default_factory=Counter)
    found: dict[str, set[str]] = field(default_factory=dict)
    #: Bytes searched per view (to show that each view had something in it).
    sizes: Counter[str] = field(default_factory=Counter)
    #: UDP payload bytes by what their first byte says they are (RFC 7983, RFC 9147 section 4).
    udp_bytes: Counter[str] = field(default_factory=Counter)

    def where(self, name: str) -> set[str]:
        return self.found.get(name, set())

    def summary(self) -> str:
        top = ", ".join(f"{p} {self.protocols[p]:,}" for p in SUMMARY_PROTOCOLS)
        views = ", ".join(f"{v} {self.sizes[v]:,} B" for v in (*VIEWS, UDP_VIEW))
        udp = ", ".join(f"{k} {n:,} B" for k, n in sorted(self.udp_bytes.items()))
        return (
            f"{self.label}: {self.packets:,} packets, pcap {self.pcap_bytes:,} B; "
            f"searched {views}; protocols: {top}; UDP payloads: {udp or 'none'}"
        )


def udp_kind(first: int) -> str:
    """What a UDP payload on a WebRTC port is, by its first byte (RFC 7983 demultiplexing)."""
    if first <= 3:
        return "stun"
    if 20 <= first <= 63:
        # 20-23: DTLS 1.2 records (22 the handshake); 32-63: DTLS 1.3 ciphertext records.
        return "dtls-handshake" if first == 22 else "dtls-encrypted"
    if 128 <= first <= 191:
        return "srtp"
    return "other"


class _Searcher:
    def __init__(self, needles: Mapping[str, bytes], analysis: Analysis) -> None:
        self.patterns = {name: variants(needle) for name, needle in needles.items()}
        self.analysis = analysis
        self.longest = max((len(v) for vs in self.patterns.values() for v in vs), default=1)

    def scan(self, view: str, blob: bytes | bytearray) -> None:
        self.analysis.sizes[view] += len(blob)
        for name, patterns in self.patterns.items():
            if any(pattern in blob for pattern in patterns):
                self.analysis.found.setdefault(name, set()).add(view)


def _lines(argv: list[str]) -> Iterator[str]:
    """stdout of a tshark run, line by line; fails with its stderr when it fails."""
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
    ) as process:
        stdout, stderr = process.stdout, process.stderr
        assert stdout is not None and stderr is not None
        errors: list[bytes] = []
        # stderr drained on the side, so that a chatty tshark never blocks on a full pipe.
        reader = threading.Thread(target=lambda: errors.append(stderr.read()))
        reader.start()
        for line in stdout:
            yield line.decode("latin-1").rstrip("\n")
        process.wait()
        reader.join()
        if process.returncode != 0:
            raise AssertionError(
                f"{' '.join(argv)} exited with {process.returncode}: "
                f"{b''.join(errors).decode(errors='replace')[-2000:]}"
            )


def _first(value: str) -> str:
    return value.split(",", 1)[0]


def _fields_pass(pcap: Path, search: _Searcher, analysis: Analysis) -> None:
    """Protocol counts, TCP streams reassembled per direction, and the `data` field."""
    argv = [
        TSHARK, "-n", "-r", str(pcap), "-T", "fields", "-E", "separator=/t",
        "-e", "frame.protocols", "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.seq_raw",
        "-e", "tcp.payload", "-e", "data", "-e", "udp.payload",
    ]  # fmt: skip
    streams: dict[tuple[str, str], bytearray] = {}
    seen: set[tuple[str, str, str]] = set()
    data = bytearray()
    udp_data = bytearray()
    for line in _lines(argv):
        columns = line.split("\t")
        if len(columns) < 7:
            continue
        protocols, stream, port, seq, payload, data_hex, udp_hex = columns[:7]
        analysis.packets += 1
        analysis.protocols.update(set(protocols.split(":")))
        if stream and payload:
            key = (_first(stream), _first(port))
            # A retransmission repeats a segment: keep the first copy.
            if (*key, _first(seq)) not in seen:
                seen.add((*key, _first(seq)))
                streams.setdefault(key, bytearray()).extend(bytes.fromhex(_first(payload)))
        for chunk in filter(None, data_hex.split(",")):
            data.extend(bytes.fromhex(chunk) + b"\0")
        udp = _first(udp_hex)
        if udp:
            analysis.udp_bytes[udp_kind(int(udp[:2], 16))] += len(udp) // 2
            udp_data.extend(bytes.fromhex(udp) + b"\0")
    for blob in streams.values():
        search.scan("tcp", blob)
    search.scan("data", data)
    search.scan(UDP_VIEW, udp_data)


def _dissected_pass(
    pcap: Path, search: _Searcher, http_ports: Iterable[int], analysis: Analysis
) -> None:
    """Every data source `tshark -x` shows for TCP packets, the emulator ports read as HTTP."""
    argv = [TSHARK, "-n", "-r", str(pcap), "-x", "-Y", "tcp"]
    for port in sorted(set(http_ports)):
        argv += ["-d", f"tcp.port=={port},http"]
    block = bytearray()
    for line in _lines(argv):
        match = _HEX_LINE.match(line)
        # A title line, a blank line or a new dump at offset 0 ends the data source.
        if block and (match is None or int(match.group(1), 16) == 0):
            search.scan("dissected", block)
            block = bytearray()
        if match is not None:
            block.extend(bytes.fromhex(match.group(2)))
    if block:
        search.scan("dissected", block)


def analyse(
    label: str, pcap: Path, needles: Mapping[str, bytes], http_ports: Iterable[int]
) -> Analysis:
    """Search a finished capture for every needle in every view (see the module docstring)."""
    raw = pcap.read_bytes()
    analysis = Analysis(label=label, pcap_bytes=len(raw))
    search = _Searcher(needles, analysis)
    search.scan("raw", raw)
    del raw
    _fields_pass(pcap, search, analysis)
    _dissected_pass(pcap, search, http_ports, analysis)
    return analysis


@contextlib.contextmanager
def stopping(captures: list[Capture]) -> Iterator[list[Capture]]:
    """Stop every capture on the way out, whatever happened."""
    try:
        yield captures
    finally:
        for capture in captures:
            with contextlib.suppress(Exception):
                capture.stop()
