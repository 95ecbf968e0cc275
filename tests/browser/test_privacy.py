"""The privacy proofs: what people share in a meeting never crosses the wire in plaintext, never
reaches the server, and after the retention period nothing about the meeting is left.

Three people meet in Chromium and share a group message, a private message, a file and
whiteboard strokes, each carrying its own random marker. Meanwhile tshark captures both loopback
interfaces: the island's (the browsers and their WebRTC traffic, see island.py) and the
machine's (the emulators). Then:

1. neither capture holds any marker (capture.py searches raw packets, TCP streams, undissected
   payloads and dissected HTTP bodies). So that a broken capture cannot pass, each capture must
   also hold the meeting's traffic (STUN and DTLS on the island, HTTP on both) and control
   strings sent in plaintext on purpose: the meeting title, posted to create_meeting (TCP), and
   on the island one UDP datagram, found among the UDP payloads like WebRTC's would be;
2. no Firestore document and no Auth emulator account holds a marker, the file's name or bytes,
   a chat text or whiteboard data, and every field is one that docs/data-inventory.md lists;
3. one `avmeets purge` at a time past the longest retention leaves no document whose path or
   any value names the meeting, a participant, a session or an email, and no Auth account.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import secrets
import socket
import sys
import threading
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from google.cloud import firestore
from playwright.async_api import expect

from avmeets.config import MAX_RETENTION_DAYS
from tests.emulator.support.admin import (
    Dump,
    admin_client,
    auth_accounts,
    dump_all,
    matching,
    settled_dump,
)
from tests.emulator.support.ci import require
from tests.emulator.support.config import PROJECT_ID
from tests.emulator.support.deadline import wait_for
from tests.emulator.support.inventory import load_inventory, undocumented
from tests.emulator.support.userstore import close_client

from . import capture
from .conftest import PersonFactory
from .support import ROOT, Emulators, Person, selected_pair, sha256_file

#: Seconds the whole test may take: a meeting, two capture analyses and a purge on two cores.
TIMEOUT = 600
#: How long tshark may take to start capturing, or to write out what it has captured.
CAPTURE_TIMEOUT = 30.0
#: File size: two chunks of 64 KiB and a bit, so the bytes needle lies in a later chunk.
FILE_SIZE = 150_000
#: Data-channel message prefixes (JSON as the app sends it): seen anywhere, the protocol leaked.
PROTOCOL_PREFIXES = {
    "chat protocol": b'{"t":"chat"',
    "file protocol": b'{"t":"file"',
    "whiteboard protocol": b'{"t":"stroke"',
}
#: The views of a capture (capture.py) that must find the control string sent in plaintext.
CONTROL_VIEWS = {"raw", "tcp", "dissected"}
#: ... and those of the island's capture that must find the control sent in a UDP datagram
#: (WebRTC's own transport), so that a search blind to UDP payloads cannot pass.
UDP_CONTROL_VIEWS = {"raw", capture.UDP_VIEW}


def _marker(kind: str) -> str:
    """Lowercase letters and digits only: unchanged by URL or JSON encoding."""
    return f"{kind}{secrets.token_hex(12)}"


@dataclass(frozen=True)
class Shared:
    """What the three people share, and the needles that must not leak."""

    group_text: str
    private_text: str
    file_name: str
    file_bytes: bytes
    #: A slice of the file's random bytes (no text in it: a needle for raw bytes).
    file_sample: bytes
    board_marker: str
    control: str
    udp_control: str
    markers: dict[str, str]

    @classmethod
    def make(cls) -> Shared:
        markers = {
            "group chat": _marker("grp"),
            "private chat": _marker("prv"),
            "file name": _marker("fnm"),
            "file content": _marker("fct"),
            "whiteboard": _marker("wbd"),
        }
        noise = os.urandom(FILE_SIZE)
        header = f"CONFIDENTIAL {markers['file content']}\n".encode()
        file_bytes = header + noise[len(header) :]
        return cls(
            group_text=f"The plan for everyone {markers['group chat']}",
            private_text=f"Only for you {markers['private chat']}",
            file_name=f"minutes-{markers['file name']}.txt",
            file_bytes=file_bytes,
            file_sample=file_bytes[100_000:100_032],
            board_marker=markers["whiteboard"],
            control=_marker("ctl"),
            udp_control=_marker("udp"),
            markers=markers,
        )

    def wire_needles(self, stroke_ids: Iterable[str]) -> dict[str, bytes]:
        """Needles for the packet captures."""
        needles = {name: marker.encode() for name, marker in self.markers.items()}
        needles["file bytes"] = self.file_sample
        for n, stroke_id in enumerate(stroke_ids):
            needles[f"drawn stroke id {n + 1}"] = stroke_id.encode()
        needles.update(PROTOCOL_PREFIXES)
        return needles

    def stored_needles(self, stroke_ids: Iterable[str]) -> dict[str, bytes]:
        """Needles for the database and the Auth accounts: the wire's and the whole texts."""
        needles = self.wire_needles(stroke_ids)
        needles["group chat text"] = self.group_text.encode()
        needles["private chat text"] = self.private_text.encode()
        needles["file name (whole)"] = self.file_name.encode()
        needles["file bytes (hex)"] = self.file_sample.hex().encode()
        return needles


# ------------------------------------------------------------------------------- searching


def _flatten(value: Any, out: list[bytes]) -> None:
    """Every key and value of a record as bytes (bytes values as they are)."""
    if isinstance(value, dict):
        for key, item in value.items():
            out.append(str(key).encode())
            _flatten(item, out)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _flatten(item, out)
    elif isinstance(value, (bytes, bytearray)):
        out.append(bytes(value))
    elif isinstance(value, str):
        out.append(value.encode("utf-8", "surrogatepass"))
    else:
        # A reference stands for its path; numbers and timestamps for their text.
        out.append(str(getattr(value, "path", value)).encode())


def holders(records: Mapping[str, Any], needles: Mapping[str, bytes]) -> list[str]:
    """`path: needle name` for each record whose path, keys or values contain a needle."""
    patterns = {name: capture.variants(needle) for name, needle in needles.items()}
    found: list[str] = []
    for path, data in records.items():
        parts = [path.encode()]
        _flatten(data, parts)
        blob = b"\0".join(parts)
        found.extend(
            f"{path}: {name}"
            for name, variants in patterns.items()
            if any(variant in blob for variant in variants)
        )
    return found


# -------------------------------------------------------------------------------- captures


def _capture_problem() -> None:
    require(capture.tshark_missing())


def _send_udp_control(text: str) -> None:
    """One datagram in plaintext on the WebRTC side's loopback (this thread is in the island),
    to the discard port like the capture's probes."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(f"control {text}".encode(), capture.PROBE_ADDRESS)


def _new_captures(tmp_path: Path, island: bool) -> list[capture.Capture]:
    def one(label: str, netns: str | None) -> capture.Capture:
        name = label.replace(" ", "-")
        return capture.Capture(
            label=label, pcap=tmp_path / f"{name}.pcapng", log=tmp_path / f"{name}.log", netns=netns
        )

    if not island:
        return [one("lo", None)]
    host = capture.machine_netns()
    # The proof needs two distinct interfaces: this thread is in the island, the forwarders not.
    assert capture.netns_inode() != capture.netns_inode(host), "this thread is not in the island"
    return [one("island lo", None), one("host lo", host)]


def _http_ports(emulators: Emulators, web_url: str) -> set[int]:
    """Ports whose TCP traffic tshark should read as HTTP: the emulators, hosting, the hub."""
    addresses = [emulators.auth, emulators.firestore, emulators.functions]
    hub = os.environ.get("FIREBASE_EMULATOR_HUB")
    if hub:
        addresses.append(hub)
    ports = {int(address.rsplit(":", 1)[1]) for address in addresses}
    web = urllib.parse.urlsplit(web_url)
    ports.add(web.port or (443 if web.scheme == "https" else 80))
    return ports


# --------------------------------------------------------------------------------- meeting


async def _everyone_connected(persons: list[Person]) -> None:
    for person in persons:
        await person.wait_connected(*(p for p in persons if p is not person))
    for person in persons:
        for other in persons:
            if other is not person:
                pair = await selected_pair(person, other.uid)
                # Only loopback, so that the WebRTC traffic is on the captured interface.
                assert pair["localAddress"] in ("127.0.0.1", "::1"), pair


async def _board_has(person: Person, stroke_id: str) -> None:
    await person.page.wait_for_function(
        "(id) => window.__avmeets.currentView().meeting.board.strokes.has(id)",
        arg=stroke_id,
        timeout=30_000,
        polling=200,
    )


async def _share_everything(
    alice: Person, bob: Person, carol: Person, shared: Shared, tmp_path: Path
) -> list[str]:
    """Group chat, a private chat, a file to everyone and whiteboard strokes; returns the ids
    of the strokes drawn with the mouse."""
    await carol.send_chat(shared.group_text)
    await alice.wait_chat(shared.group_text)
    await bob.wait_chat(shared.group_text)
    await alice.send_chat(shared.private_text, to=bob)
    await bob.wait_chat(shared.private_text)
    # The group message after it travels on the same ordered channel to Carol.
    await alice.send_chat("Back to everyone")
    await carol.wait_chat("Back to everyone")
    assert shared.private_text not in await carol.chat_texts()

    source = tmp_path / shared.file_name
    source.write_bytes(shared.file_bytes)
    await alice.open_panel("Files")
    await alice.page.locator("#files-to").select_option("")
    await alice.page.locator("#file-input").set_input_files(str(source))
    for person in (bob, carol):
        await person.open_panel("Files")
        digest, size = await person.received_file_sha256(shared.file_name)
        assert (digest, size) == (sha256_file(source), FILE_SIZE), person.label

    # A stroke drawn with the mouse: the board protocol carries only points, a colour and a
    # random stroke id; that id is the needle.
    await bob.draw_stroke([(0.1, 0.1), (0.3, 0.2), (0.2, 0.35)])
    for person in (alice, carol):
        await person.open_whiteboard()
        await person.wait_ink((0.08, 0.08, 0.32, 0.37))
    stroke_ids: list[str] = await bob.page.evaluate(
        "() => [...window.__avmeets.currentView().meeting.board.strokes.keys()]"
    )
    assert stroke_ids, "Bob's board holds no stroke"
    # Strokes carry no text, so the marker goes in as a stroke id, sent through the app's own
    # board channel (PeerLink.send) exactly as Board sends a stroke.
    sent = await bob.page.evaluate(
        """(id) => {
            const meeting = window.__avmeets.currentView().meeting;
            const message = JSON.stringify({
                t: "stroke", id, color: "#1a73e8", width: 6, erase: false,
                pts: [2000, 7000, 4000, 7600, 6000, 7000],
            });
            let sent = 0;
            for (const link of meeting.links.values()) if (link.send("board", message)) sent++;
            return sent;
        }""",
        shared.board_marker,
    )
    assert sent == 2, f"the marked stroke went on {sent} board channels, not 2"
    for person in (alice, carol):
        await _board_has(person, shared.board_marker)
        for stroke_id in stroke_ids:
            await _board_has(person, stroke_id)
    return stroke_ids


async def _everyone_leaves(persons: list[Person], client: firestore.AsyncClient) -> Dump:
    for person in persons:
        await person.leave()
        await expect(person.page.get_by_role("heading", name="You left the meeting")).to_be_visible(
            timeout=90_000
        )

    states: list[str] = []

    async def all_closed() -> bool:
        dump = await dump_all(client)
        states[:] = [
            f"{path}: {data.get('state')}"
            for path, data in {**matching(dump, "participants"), **matching(dump, "cdrs")}.items()
        ]
        participants = matching(dump, "participants").values()
        legs = matching(dump, "cdrs").values()
        # Each person's own leave closes them out (endCause "left"); the sweep is not run here,
        # so a leave that did not reach the server cannot pass for one that did.
        return bool(participants) and (
            all(p.get("state") == "left" and p.get("endCause") == "left" for p in participants)
            and all(leg.get("state") == "ended" for leg in legs)
        )

    await wait_for(
        all_closed,
        timeout=120.0,
        interval=2.0,
        what="every participant left and every leg ended",
        describe=lambda: "\n".join(states),
    )
    return await settled_dump(client, quiet=2.0)


# ------------------------------------------------------------------------------------ purge


async def _purge(now: datetime) -> dict[str, Any]:
    """`avmeets purge --now` as an operator runs it, against the Firestore emulator."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)]),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "avmeets.cli", "purge", "--now", now.isoformat(),
        "--format", "json", "--project", PROJECT_ID,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout=180)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode == 0, err.decode(errors="replace")
    report: dict[str, Any] = json.loads(out)
    return report


def _identifiers(dump: Dump, meeting_id: str, persons: list[Person]) -> dict[str, bytes]:
    """What names the meeting and its people: the id, uids, emails and every session."""
    needles = {"meeting id": meeting_id.encode()}
    for person in persons:
        needles[f"{person.label} uid"] = person.uid.encode()
        needles[f"{person.label} email"] = person.email.encode()
    sessions = {
        data["session"]
        for data in (*matching(dump, "participants").values(), *matching(dump, "joins").values())
        if isinstance(data.get("session"), str)
    }
    for n, session in enumerate(sorted(sessions)):
        needles[f"session {n + 1}"] = session.encode()
    return needles


# ------------------------------------------------------------------------------------ tests


def _split_and_compressed_exchange(split: str, packed: str) -> int:
    """One HTTP exchange on loopback: a request whose body has `split` cut across two TCP
    segments, answered with a gzip body holding `packed`. Returns the server's port."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(30)  # a client that never comes must not hold the thread forever
    port = int(server.getsockname()[1])
    first_part = threading.Event()
    failures: list[BaseException] = []
    body = f"note={split}".encode()
    head = f"POST /notes HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    cut = len(head) + len(body) - len(split) // 2
    first, second = (head + body)[:cut], (head + body)[cut:]

    def serve() -> None:
        try:
            with server, server.accept()[0] as connection:
                connection.settimeout(30)
                received = b""
                while len(received) < len(first) + len(second):
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                    if len(received) >= len(first):
                        first_part.set()
                answer = gzip.compress(f"saved {packed}".encode())
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                    + f"Content-Length: {len(answer)}\r\n\r\n".encode()
                    + answer
                )
        except BaseException as error:
            failures.append(error)
            first_part.set()

    thread = threading.Thread(target=serve, name="split-server", daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.sendall(first)
            # The second half goes only once the first has arrived: two segments for sure.
            assert first_part.wait(timeout=30), "the server did not get the first segment"
            client.sendall(second)
            response = b""
            while chunk := client.recv(65536):
                response += chunk
            assert response.startswith(b"HTTP/1.1 200 OK"), response[:100]
    finally:
        thread.join(timeout=30)
    if failures:
        raise failures[0]
    return port


async def test_the_capture_search_sees_split_and_compressed_strings(tmp_path: Path) -> None:
    """The search finds what a plain grep of the pcap misses: a string cut across two TCP
    segments and one inside a gzip-compressed HTTP body."""
    _capture_problem()
    split, packed = _marker("spl"), _marker("gzp")
    one = capture.Capture(label="lo", pcap=tmp_path / "lo.pcapng", log=tmp_path / "lo.log")
    with capture.stopping([one]):
        one.start()
        await one.started(CAPTURE_TIMEOUT)
        port = await asyncio.to_thread(_split_and_compressed_exchange, split, packed)
        await one.sync(CAPTURE_TIMEOUT)
        await asyncio.to_thread(one.stop)
    needles = {"split": split.encode(), "packed": packed.encode()}
    analysis = await asyncio.to_thread(capture.analyse, "lo", one.pcap, needles, [port])
    assert "raw" not in analysis.where("split"), analysis.summary()
    assert analysis.where("split") >= {"tcp", "dissected"}, analysis.found
    assert not analysis.where("packed") & {"raw", "tcp"}, analysis.found
    assert "dissected" in analysis.where("packed"), analysis.found


@pytest.mark.timeout(TIMEOUT)
async def test_shared_content_is_never_in_plaintext_nor_stored_and_the_meeting_is_purged(
    people: PersonFactory, island: bool, emulators: Emulators, web_url: str, tmp_path: Path
) -> None:
    _capture_problem()
    shared = Shared.make()
    captures = _new_captures(tmp_path, island)
    client = admin_client()
    try:
        with capture.stopping(captures):
            for one in captures:
                one.start()
            for one in captures:
                await one.started(CAPTURE_TIMEOUT)

            persons = [await people(name) for name in ("alice", "bob", "carol")]
            alice, bob, carol = persons
            meeting_id = await alice.create_meeting(title=f"Review {shared.control}")
            await alice.join_now()
            await bob.join(meeting_id)
            await carol.join(meeting_id)
            await _everyone_connected(persons)
            await expect(alice.page.locator(".count")).to_have_text("3 people")

            stroke_ids = await _share_everything(alice, bob, carol, shared, tmp_path)
            _send_udp_control(shared.udp_control)
            # A snapshot: heartbeats every 2 s keep the database from ever settling now.
            during = await dump_all(client)
            after = await _everyone_leaves(persons, client)
            for one in captures:
                await one.sync(CAPTURE_TIMEOUT)
                await asyncio.to_thread(one.stop)

        # 1. The wire: nothing shared is in any capture, which did see the meeting.
        wire = shared.wire_needles(stroke_ids)
        needles = {
            **wire,
            "control": shared.control.encode(),
            "udp control": shared.udp_control.encode(),
        }
        ports = _http_ports(emulators, web_url)
        analyses = []
        for one in captures:
            assert one.packets, f"tshark on {one.label} captured nothing:\n{one.messages()}"
            assert one.dropped == 0, f"{one.label} dropped {one.dropped} packets: incomplete"
            analyses.append(
                await asyncio.to_thread(capture.analyse, one.label, one.pcap, needles, ports)
            )
        report = "\n".join(a.summary() for a in analyses)
        print(report)  # shown with -rP: what was captured and searched
        for analysis in analyses:
            assert analysis.protocols["http"] > 0, f"no HTTP on {analysis.label}\n{report}"
            assert all(analysis.sizes[view] for view in capture.VIEWS), report
            # The control went in plaintext: each view of TCP payloads must find it (tshark's
            # `data` field only where no dissector claims the HTTP body, so not required).
            seen = analysis.where("control")
            assert seen >= CONTROL_VIEWS, (
                f"{analysis.label}: the plaintext control string was found only in "
                f"{sorted(seen)}: the capture or its search is broken\n{report}"
            )
        webrtc = analyses[0]
        seen = webrtc.where("udp control")
        assert seen >= UDP_CONTROL_VIEWS, (
            f"{webrtc.label}: the plaintext UDP control was found only in {sorted(seen)}: the "
            f"search of UDP payloads is broken\n{report}"
        )
        for protocol in ("stun", "dtls"):
            assert webrtc.protocols[protocol] > 0, f"no {protocol} on {webrtc.label}\n{report}"
        assert webrtc.udp_bytes["srtp"] > 0, f"no media on {webrtc.label}\n{report}"
        # The file went to two people over DTLS: the encrypted records hold at least its bytes.
        assert webrtc.udp_bytes["dtls-encrypted"] >= 2 * FILE_SIZE, (
            f"the data channels' traffic is not on {webrtc.label}\n{report}"
        )
        leaks = [
            f"{analysis.label}: {name} in {sorted(analysis.where(name))}"
            for analysis in analyses
            for name in wire
            if analysis.where(name)
        ]
        assert not leaks, "in plaintext on the wire:\n" + "\n".join(leaks) + "\n" + report

        # 2. The server: nothing shared is stored, and only what the inventory lists.
        accounts = await auth_accounts()
        assert len(accounts) == 3, sorted(accounts)
        stored = shared.stored_needles(stroke_ids)
        found = holders(during, stored) + holders(after, stored) + holders(accounts, stored)
        assert not found, "stored on the server:\n" + "\n".join(sorted(set(found)))
        # The scan is not blind: it finds what is stored on purpose (the title, the emails).
        control = {"control": shared.control.encode()}
        assert [h.split(":")[0] for h in holders(after, control)] == [f"meetings/{meeting_id}"]
        assert holders(accounts, {"email": alice.email.encode()}) == [f"auth/{alice.uid}: email"]
        inventory = load_inventory()
        problems = [
            *undocumented(during, inventory),
            *undocumented(after, inventory),
            *undocumented(accounts, inventory),  # Auth's own fields, as the inventory lists them
        ]
        assert not problems, "fields missing from docs/data-inventory.md:\n" + "\n".join(
            sorted(set(problems))
        )

        # 3. After the longest retention and one purge, nothing about the meeting is left.
        identifiers = _identifiers(after, meeting_id, persons)
        assert holders(after, identifiers), "the database held nothing about the meeting"
        for collection in ("meetings", "participants", "joins", "cdrs", "identities"):
            assert matching(after, collection), f"no {collection} before the purge"
        purge_at = datetime.now(UTC) + timedelta(days=MAX_RETENTION_DAYS, hours=1)
        purged = await _purge(purge_at)
        left = await settled_dump(client, quiet=1.0)
        remains = holders(left, identifiers)
        assert not remains, (
            f"after `avmeets purge --now {purge_at.isoformat()}`, still about the meeting:\n"
            + "\n".join(remains)
            + f"\npurge report: {json.dumps(purged['deleted'])}"
        )
        # Only the anonymous daily aggregates outlive the week, by design (docs/data-inventory.md:
        # counts of groups of at least ten people), and nothing in them names anyone (above).
        kept = [path for path in left if not path.startswith("usage_daily/")]
        assert not kept, f"documents left after the purge: {sorted(left)}"
        assert purged["total"] >= len(after), purged
        # The people's Auth accounts went too: idle for longer than the retention period at the
        # purge's time (functions/avmeets/accounts.py).
        accounts_left = await auth_accounts()
        assert accounts_left == {}, f"Auth accounts left after the purge: {sorted(accounts_left)}"
        assert purged["accounts"]["deleted"] == len(persons), purged["accounts"]
        print(f"purge: {json.dumps(purged['deleted'])}; accounts: {purged['accounts']}")
    finally:
        await close_client(client)
