"""A meeting participant built on aiortc that follows docs/protocol.md to the letter.

It signs in, joins through the callable, listens to the participants and to the signals addressed
to it (as the signed-in user, so the security rules apply), offers to the participants present when
it joins, answers offers, applies and deletes signals, and carries a "chat" data channel plus a
generated audio and video track on every connection. With `trickle=True` it sends its description
without candidates and the candidates as one `candidates` signal (batched trickle, section 4.6).
While joined it beats (writes its presence document) every `heartbeatSeconds` and reports
every connection-state change with `report_connection` (section 4.8); `close()` vanishes
silently, `leave()` reports `closed`, closes and calls `leave_meeting` (section 4.9).

All connection state is changed by one task that handles events one at a time: snapshots arrive on
the Firestore client's threads and are handed to that task through an asyncio queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import hashlib
import logging
import time
import traceback
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCDataChannel,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .auth import User, sign_in_with_google
from .callables import CallableError, call, create_request, entry_request, knock_while_waiting
from .media import ColorVideoTrack, SineAudioTrack
from .network import install_loopback_only, loopback_ice_servers
from .sdp import CandidateEntry, batches, extract_candidates, strip_candidates, to_rtc_candidate
from .stats import connection_path, connection_stats
from .userstore import UserAsyncClient, UserClient, close_client, signal_data

logger = logging.getLogger(__name__)

Role = Literal["offerer", "answerer"]

CHAT_LABEL = "chat"
#: docs/protocol.md section 4.6: a candidates signal holds at most 8 entries.
MAX_CANDIDATES_PER_SIGNAL = 8
#: The Firestore emulator's message when a rules lookup itself failed (not a rules refusal).
RULES_SERVICE_ERROR = "Service call error"
#: docs/protocol.md section 4, step 3: an offer still unanswered this long is written again,
#: the same SDP, at most MAX_REOFFERS times (as web/src/core/meeting/offerWatch.ts).
REOFFER_AFTER_S = 15.0
MAX_REOFFERS = 3
#: Attempts at writing one signal (a rules lookup that failed, or a transient refusal).
SIGNAL_WRITE_ATTEMPTS = 4
#: Refusals of a write by an emulator under load that a repeat gets past.
TRANSIENT_WRITE_ERRORS = (
    gexc.Aborted,
    gexc.Cancelled,
    gexc.ServiceUnavailable,
    gexc.DeadlineExceeded,
)
#: docs/protocol.md section 3: deleting an applied signal is repeated on transient errors.
DELETE_ATTEMPTS = 4
#: Heartbeats in a row answered UNAVAILABLE before the peer counts it as an error (the
#: suite's timeout is 10 beats; three transient misses in a row still leave it joined).
TRANSIENT_BEATS = 3
#: docs/protocol.md section 4 step 2: the first signal waits for the signals listener's first
#: snapshot (the emulator can lose changes that land while a listen is being set up). A listener
#: still silent after this long is an error of the test (it fails at teardown), not a note.
SIGNALS_LISTENING_WAIT = 20.0
#: heartbeat's reasons for "a host put you out: do not join again" (docs/protocol.md).
OUT_REASONS = ("removed", "meeting-ended")
#: docs/protocol.md section 2: a report answered NOT_FOUND (the signal trigger has not recorded
#: the offer yet) is repeated, after 0.5, 1, 2, … 32 s: with 50 peers meshing at once on CI's
#: slower machine one offer's trigger ran more than 15 s after the offer (2026-12-03).
REPORT_ATTEMPTS = 8
REPORT_BACKOFF = 0.5
#: docs/protocol.md section 4.9: leave_meeting is tried again on these, up to 4 attempts.
LEAVE_ATTEMPTS = 4
LEAVE_RETRIED = (
    "UNAVAILABLE",
    "DEADLINE_EXCEEDED",
    "INTERNAL",
    "UNKNOWN",
    "ABORTED",
    "RESOURCE_EXHAUSTED",
)
#: Statuses of RTCPeerConnection.connectionState that `report_connection` accepts.
REPORTED_STATUSES = ("new", "connecting", "connected", "disconnected", "failed", "closed")

_EPOCH_END = datetime.datetime.max.replace(tzinfo=datetime.UTC)


@dataclass
class Signal:
    """A signal document as received by its addressee."""

    id: str
    path: str
    data: dict[str, Any]

    @property
    def from_uid(self) -> str:
        return str(self.data.get("from"))

    @property
    def session(self) -> str:
        return str(self.data.get("session"))

    @property
    def to_session(self) -> str:
        return str(self.data.get("toSession"))

    @property
    def type(self) -> str:
        return str(self.data.get("type"))

    def sort_key(self) -> tuple[datetime.datetime, str]:
        created = self.data.get("createdAt")
        if not isinstance(created, datetime.datetime):
            created = _EPOCH_END
        return (created, self.id)


@dataclass
class SentSignal:
    id: str
    to: str
    to_session: str
    type: str
    sdp: str | None
    candidates: list[CandidateEntry] | None


@dataclass
class ParticipantChange:
    uid: str
    removed: bool
    data: dict[str, Any]


@dataclass
class _ParticipantsSnapshot:
    changes: list[ParticipantChange]


@dataclass
class _SignalsSnapshot:
    signals: list[Signal]


@dataclass
class _OfferTo:
    """Offer to these (uid, session) pairs: those present at our join, all at once."""

    targets: list[tuple[str, str]]


@dataclass
class _Out:
    """A heartbeat said a host put us out (removed, or the meeting ended)."""

    reason: str


def beat_refusal(mine: dict[str, Any] | None, session: str | None) -> str | None:
    """Why we are not in, from our own participant document (docs/protocol.md section 3), in
    the `heartbeat` callable's words; None while we are still in with this session."""
    if mine is None:
        return "not-joined"
    if mine.get("state") == "removed":
        return "removed"
    if mine.get("endCause") == "meeting-ended":
        return "meeting-ended"
    if mine.get("state") != "joined" or mine.get("session") != session:
        return "not-joined"
    return None


class _Stop:
    pass


_Event = _ParticipantsSnapshot | _SignalsSnapshot | _OfferTo | _Out | _Stop


@dataclass
class _MadeOffer:
    """An offer made before the join, for whichever participant the join gives it to."""

    pc: RTCPeerConnection
    channel: RTCDataChannel
    sdp: str
    candidates: list[CandidateEntry]


@dataclass
class Link:
    """One peer connection to one session of another participant."""

    uid: str
    remote_session: str
    role: Role
    pc: RTCPeerConnection
    channel: RTCDataChannel | None = None
    messages: list[str] = field(default_factory=list)
    frames: dict[str, int] = field(default_factory=lambda: {"audio": 0, "video": 0})
    remote_description_set: bool = False
    pending_candidates: list[CandidateEntry] = field(default_factory=list)
    candidates_docs_sent: int = 0
    candidates_docs_received: int = 0
    candidates_applied: int = 0
    end_of_candidates: bool = False
    states: list[str] = field(default_factory=list)
    closed_reason: str | None = None
    reported: list[str] = field(default_factory=list)
    final_stats: dict[str, Any] | None = None
    started_at: float = field(default_factory=time.monotonic)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    #: The SDP of the last offer applied (answerer): the same offer again is answered again.
    last_offer_sdp: str | None = None

    @property
    def connected(self) -> bool:
        return (
            self.pc.connectionState == "connected"
            and self.channel is not None
            and self.channel.readyState == "open"
        )

    def describe(self) -> str:
        channel = self.channel.readyState if self.channel is not None else "none"
        return (
            f"session={self.remote_session[:8]} role={self.role} "
            f"connection={self.pc.connectionState} ice={self.pc.iceConnectionState} "
            f"signaling={self.pc.signalingState} chat={channel} messages={len(self.messages)} "
            f"frames={self.frames} candidates(sent docs={self.candidates_docs_sent}, "
            f"received docs={self.candidates_docs_received}, applied={self.candidates_applied})"
        )

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await self.pc.close()
        await asyncio.gather(*self.tasks, return_exceptions=True)


def _color_of(label: str) -> tuple[int, int, int]:
    digest = hashlib.sha256(label.encode()).digest()
    return (digest[0], digest[1], digest[2])


async def _count_frames(track: MediaStreamTrack, link: Link) -> None:
    kind = track.kind
    while True:
        try:
            await track.recv()
        except MediaStreamError:
            return
        link.frames[kind] = link.frames.get(kind, 0) + 1


class MeetingPeer:
    """A participant of one meeting at a time. Create it, `sign_in()`, then `join()`."""

    def __init__(
        self,
        label: str,
        *,
        ip: str,
        trickle: bool = False,
        media: bool = True,
        user: User | None = None,
        heartbeat_seconds: float | None = None,
        beat: str = "presence",
        listen_first: bool = False,
        offer_in_join: bool = False,
    ) -> None:
        install_loopback_only()
        self.label = label
        #: Overrides the server's `heartbeatSeconds` (the load test: 50 peers at the suite's 2 s
        #: would be 25 writes/s to the documents the rules read on every signal).
        self.heartbeat_seconds = heartbeat_seconds
        #: How it beats: "presence" writes its presence document, as the web client does;
        #: "callable" calls `heartbeat` (docs/protocol.md: both are the protocol).
        self.beat = beat
        #: Start the signals listener before `join_meeting` (docs/protocol.md section 4, step
        #: 1, as the web client does). Off by default here: for these peers it gained nothing
        #: measurable (bench/results.md), and 50 listens opening during a burst of joins slowed
        #: the emulator's commits into contended joins (test_load.py). The bench measures both.
        self.listen_first = listen_first or offer_in_join
        #: Make the offers before the join and send them with it (docs/protocol.md section 4,
        #: step 1): the server writes them in the join's commit. aiortc fixes a connection's ICE
        #: servers when it is made, before the join hands out TURN credentials: these offers
        #: gather host candidates only, so peers that need the relay leave this off.
        self.offer_in_join = offer_in_join
        self.ip = ip
        self.trickle = trickle
        self.media = media
        self.user: User | None = user
        self.meeting_id: str | None = None
        self.session: str | None = None
        self.join_results: list[dict[str, Any]] = []
        self.links: dict[str, Link] = {}
        self.closed_links: list[Link] = []
        self.names: dict[str, str] = {}
        self.participants: dict[str, dict[str, Any]] = {}
        self.sent_signals: list[SentSignal] = []
        self.received_signals: list[Signal] = []
        self.deleted_signal_ids: list[str] = []
        self.errors: list[str] = []
        self.notes: list[str] = []
        self._ice_servers: list[RTCIceServer] = []
        self._store: UserAsyncClient | None = None
        self._listen_store: UserClient | None = None
        self._watches: list[Any] = []
        self._signals_listening = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._events: asyncio.Queue[_Event] = asyncio.Queue()
        self._processor: asyncio.Task[None] | None = None
        self._closing = False
        #: How many signals listens this peer has started (a lobby's is its join's too).
        self.signal_listens = 0
        #: The meeting whose signals the lobby already listens to (``enter_lobby``), if any.
        self._lobby: str | None = None
        self._seen_signal_ids: set[str] = set()
        self._seen_sessions: dict[str, list[str]] = {}
        self._orphan_candidates: dict[tuple[str, str], list[list[CandidateEntry]]] = {}
        self._reports: asyncio.Queue[tuple[Link, str]] = asyncio.Queue()
        self._background: list[asyncio.Task[None]] = []
        #: Writes beside the event processor still under way: offers, deletes of signals.
        self._spawned: set[asyncio.Future[None]] = set()
        self._vanishing = False
        self.heartbeats = 0
        self.reports: list[tuple[str, str, str, dict[str, Any] | None]] = []
        self._knocking: asyncio.Task[None] | None = None
        #: Our own participant document as the listener last saw it.
        self.own: dict[str, Any] = {}
        #: Why the server put us out (`removed`, `meeting-ended`), as a heartbeat was told.
        self.out_because: str | None = None

    # ----------------------------------------------------------------------------------- basics

    @property
    def uid(self) -> str:
        return self._require_user().uid

    @property
    def joined(self) -> bool:
        return self._processor is not None

    def _require_user(self) -> User:
        if self.user is None:
            raise RuntimeError(f"{self.label} is not signed in")
        return self.user

    def _require_store(self) -> UserAsyncClient:
        if self._store is None:
            self._store = UserAsyncClient(self._require_user())
        return self._store

    @property
    def store(self) -> UserAsyncClient:
        """The peer's own Firestore client (the rules apply), for attacks made as this peer."""
        return self._require_store()

    async def sign_in(self, email: str | None = None) -> User:
        self.user = await sign_in_with_google(self.label.capitalize(), email)
        return self.user

    async def call(self, name: str, data: dict[str, Any]) -> dict[str, Any]:
        """Call a callable as this peer, from its own (documentation-range) IP address."""
        return await call(name, data, self._require_user(), {"X-Forwarded-For": self.ip})

    async def create_meeting(
        self, *, title: str | None = None, password: str | None = None, lobby: bool | None = False
    ) -> str:
        """Create a meeting (``create_request`` says what is sent)."""
        data = create_request(title, password, lobby)
        result = await self.call("create_meeting", data)
        return str(result["meetingId"])

    # ------------------------------------------------------------------------------ join / leave

    async def knock(
        self, meeting_id: str, password: str | None = None, *, display_name: str | None = None
    ) -> dict[str, Any]:
        """`knock`; while waiting, knock again every `heartbeatSeconds` (docs/protocol.md), so the
        scheduled sweep does not withdraw us. Joining or closing stops it."""
        data = entry_request(meeting_id, password, display_name)
        result = await self.call("knock", data)
        self._stop_knocking()
        if result["state"] == "waiting":
            interval = float(result.get("heartbeatSeconds") or 20)
            self._knocking = asyncio.ensure_future(
                knock_while_waiting(lambda d: self.call("knock", d), data, interval, self.errors)
            )
        return result

    def _stop_knocking(self) -> None:
        if self._knocking is not None:
            self._knocking.cancel()
            self._knocking = None

    async def meeting_info(self, meeting_id: str) -> dict[str, Any]:
        return await self.call("meeting_info", {"meetingId": meeting_id})

    async def enter_lobby(self, meeting_id: str) -> dict[str, Any]:
        """What a client's lobby does before the person clicks Join: ``meeting_info`` (how many
        to offer to) and the signals listener started (docs/protocol.md section 4, step 1: the
        rules let anyone signed in read the signals addressed to them). ``join`` then uses this
        listener, already live, instead of waiting for one to be set up."""
        if self.joined:
            raise RuntimeError(f"{self.label} has already joined; close() or leave() first")
        await self._unwatch()
        self._reset_events(meeting_id)
        self._listen_signals()
        self._lobby = self.meeting_id
        try:
            info = await self.meeting_info(meeting_id)
            await self._wait_listening()
        except BaseException:
            await self._unwatch()
            self._lobby = None
            raise
        return info

    def _reset_events(self, meeting_id: str) -> None:
        """A fresh event queue for ``meeting_id`` (before a join; its listeners post to it)."""
        self._loop = asyncio.get_running_loop()
        self._events = asyncio.Queue()
        self._closing = False
        self._signals_listening = asyncio.Event()
        self.meeting_id = meeting_id.strip().lower()

    async def join(
        self,
        meeting_id: str,
        password: str | None = None,
        *,
        display_name: str | None = None,
        expect: int | None = None,
    ) -> dict[str, Any]:
        """Join (or re-join with a new session), start both listeners and offer to those present.

        With ``offer_in_join``, ``expect`` offers (default: ``meeting_info``'s ``present``, as a
        lobby knows it; 1 when it says null) are made first and sent with the join."""
        if self.joined:
            raise RuntimeError(f"{self.label} has already joined; close() or leave() first")
        self._stop_knocking()
        data = entry_request(meeting_id, password, display_name)
        # Listen for our signals before joining (docs/protocol.md section 4, step 1): the listen
        # is live by the time the join returns, so the offers below go out at once. Its events
        # wait in the queue until the processor starts, once the session is known. The lobby's
        # listener (enter_lobby) is that listener, set up already.
        listening_first = self._lobby == meeting_id.strip().lower()
        if not listening_first:
            await self._unwatch()  # the lobby of another meeting, if any
            self._reset_events(meeting_id)
            listening_first = self.listen_first
            if listening_first:
                self._listen_signals()
        self._lobby = None
        made: list[_MadeOffer] = []
        try:
            if self.offer_in_join:
                if expect is None:
                    present = (await self.meeting_info(meeting_id)).get("present")
                    expect = 1 if present is None else int(present)
                made = await self._make_offers(expect)
                # docs/protocol.md section 4 step 2: an answer to these can come before the
                # join returns, so the listen must be set up before they exist.
                await self._wait_listening()
                if made:
                    data["offers"] = [m.sdp for m in made]
            result = await self.call("join_meeting", data)
        except BaseException:
            for m in made:
                await m.pc.close()
            await self._unwatch()
            raise
        self.join_results.append(result)
        if not listening_first:
            self.meeting_id = str(result["meetingId"])
            self._listen_signals()
        elif str(result["meetingId"]) != self.meeting_id:  # the server normalised it otherwise
            await self._unwatch()
            self.meeting_id = str(result["meetingId"])
            self._signals_listening = asyncio.Event()
            self._listen_signals()
        self.session = str(result["session"])
        self._ice_servers = loopback_ice_servers(list(result.get("iceServers") or []))
        self._seen_signal_ids = set()
        self._seen_sessions = {}
        self._orphan_candidates = {}
        self.participants = {}
        self.own = {}
        self.out_because = None
        # A check of this harness, not a step of the protocol: it runs beside the offers below
        # (it used to hold them back by two round trips) and still fails the join loudly.
        probe = asyncio.ensure_future(self._probe_queries())
        self._reports = asyncio.Queue()
        self._vanishing = False
        interval = self.heartbeat_seconds or float(result.get("heartbeatSeconds") or 20)
        self._background = [
            asyncio.ensure_future(self._report_loop()),
            asyncio.ensure_future(self._heartbeat_loop(interval)),
        ]
        self._listen_participants()
        present = result.get("participants") or []
        for participant in present:
            self.names[participant["uid"]] = participant.get("displayName", "")
        # Before the processor starts: an answer to an offer of the join may be queued already.
        offered = await self._adopt_offers(present, made)
        self._processor = asyncio.ensure_future(self._process())
        targets = [(str(p["uid"]), str(p["session"])) for p in present if p["uid"] not in offered]
        if targets:
            self._events.put_nowait(_OfferTo(targets))
        # Return once others can reach us (the offers above are made meanwhile), so that a test
        # whose next peer joins at once never writes to a listen still being set up.
        await self._wait_listening()
        await probe
        return result

    async def close(self, *, keep_listening: bool = False) -> None:
        """Stop listening and close every connection, without leaving (like a closed tab).

        Nothing more is sent to the server: no report, no heartbeat, as when a tab vanishes.
        With ``keep_listening`` the listeners stay subscribed (what they deliver is dropped):
        ``leave`` unsubscribes them once the server has its leave.
        """
        self._closing = True
        self._vanishing = True
        self._stop_knocking()
        background, self._background = self._background, []
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        if not keep_listening:
            await self._unwatch()
        self._lobby = None
        processor, self._processor = self._processor, None
        if processor is not None:
            self._events.put_nowait(_Stop())
            try:
                await asyncio.wait_for(processor, timeout=15.0)
            except TimeoutError:
                self.errors.append(f"{self.label}: event processor did not stop within 15s")
        for uid in list(self.links):
            await self._close_link(uid, "closing")
        # A signal applied is deleted even when we close right after (the protocol asks it).
        if self._spawned:
            await asyncio.wait(set(self._spawned), timeout=15.0)

    async def leave(self) -> dict[str, Any]:
        """Report `closed`, close the connections, call leave_meeting (protocol section 4.9)."""
        meeting_id = self.meeting_id
        if meeting_id is None:
            raise RuntimeError(f"{self.label} never joined a meeting")
        # Section 4.9: report `closed` for each connection, close them, then leave. A snapshot:
        # the event processor may still add or drop a link while the stats are awaited.
        for link in list(self.links.values()):
            link.final_stats = await self._stats(link)
            self._reports.put_nowait((link, "closed"))
        if self._background:
            try:
                await asyncio.wait_for(self._reports.join(), timeout=30.0)
            except TimeoutError:
                self.errors.append(f"{self.label}: connection reports not sent within 30s")
        # The listeners go only once the server has the leave. The Python client cancels a
        # listener's stream when it unsubscribes, and the Firestore emulator, when a commit's
        # delivery meets a stream cancelled meanwhile, abandons the delivery to every other
        # listener and answers the commit CANCELLED, the write made (firestore-debug.log:
        # notifyTargetRemove on "call already cancelled"). Unsubscribing just before the leave
        # made exactly that: the others never saw this peer leave (a clean-clone CI run's
        # browser kept its tile). The web SDK removes targets on one stream and does not race.
        await self.close(keep_listening=True)
        try:
            # Section 4.9: a transient refusal is tried again (the web client: up to 4).
            for attempt in range(LEAVE_ATTEMPTS):
                try:
                    return await self.call("leave_meeting", {"meetingId": meeting_id})
                except CallableError as error:
                    if error.status not in LEAVE_RETRIED or attempt + 1 == LEAVE_ATTEMPTS:
                        raise
                    self.notes.append(f"leave_meeting answered {error}; trying again")
                    await asyncio.sleep(0.5 * 2**attempt)
            raise AssertionError("unreachable")
        finally:
            await self._unwatch()

    async def reports_sent(self, timeout: float = 30.0) -> None:
        """Wait until every connection report queued so far has been answered or given up
        (they go in the background, after the state change that queued them)."""
        await asyncio.wait_for(self._reports.join(), timeout=timeout)

    async def dispose(self) -> None:
        """close() and release the Firestore clients; the peer cannot be used afterwards."""
        await self.close()
        for client in (self._store, self._listen_store):
            await close_client(client)
        self._store = None
        self._listen_store = None

    # ------------------------------------------------------------------------------- inspection

    def link(self, uid: str) -> Link:
        try:
            return self.links[uid]
        except KeyError:
            raise AssertionError(f"{self.label} has no connection to {uid}") from None

    def connected_to(self, uid: str) -> bool:
        link = self.links.get(uid)
        return link is not None and link.connected

    def connected_to_all(self, uids: list[str]) -> bool:
        return all(self.connected_to(uid) for uid in uids)

    def receives_media_from(self, uid: str) -> bool:
        link = self.links.get(uid)
        return link is not None and link.frames["audio"] > 0 and link.frames["video"] > 0

    def messages_from(self, uid: str) -> list[str]:
        link = self.links.get(uid)
        return list(link.messages) if link is not None else []

    def send_chat(self, uid: str, text: str) -> None:
        link = self.link(uid)
        if link.channel is None or link.channel.readyState != "open":
            raise AssertionError(f"{self.label}: chat channel to {uid} is not open")
        link.channel.send(text)

    def describe(self) -> str:
        session = (self.session or "-")[:8]
        lines = [
            f"{self.label} uid={self.user.uid if self.user else '-'} session={session} "
            f"meeting={self.meeting_id} joined={self.joined} listeners="
            f"{[bool(getattr(w, 'is_active', False)) for w in self._watches]}"
        ]
        for uid, link in self.links.items():
            lines.append(f"  -> {self.names.get(uid, '?')} ({uid}): {link.describe()}")
        for link in self.closed_links[-4:]:
            lines.append(f"  closed {link.uid} ({link.closed_reason}): {link.describe()}")
        for note in self.notes[-5:]:
            lines.append(f"  note: {note}")
        for error in self.errors:
            lines.append(f"  ERROR: {error}")
        return "\n".join(lines)

    # ------------------------------------------------------------------------------- listeners

    def _meeting_path(self) -> tuple[str, str]:
        if self.meeting_id is None:
            raise RuntimeError(f"{self.label} has not joined")
        return ("meetings", self.meeting_id)

    async def _probe_queries(self) -> None:
        """Run both listener queries once, so that a refusal by the rules fails loudly here."""
        store = self._require_store()
        meeting = store.collection("meetings").document(self._meeting_path()[1])
        try:
            await meeting.collection("participants").get()
        except gexc.PermissionDenied as exc:
            raise AssertionError(f"{self.label} may not read the participants: {exc}") from exc
        try:
            await (
                meeting.collection("signals").where(filter=FieldFilter("to", "==", self.uid)).get()
            )
        except gexc.PermissionDenied as exc:
            raise AssertionError(f"{self.label} may not query its signals: {exc}") from exc

    def _listen_meeting(self) -> Any:
        if self._listen_store is None:
            self._listen_store = UserClient(self._require_user())
        return self._listen_store.collection("meetings").document(self._meeting_path()[1])

    def _listen_signals(self) -> None:
        """The rules let anyone signed in read the signals addressed to them, joined or not."""
        query = (
            self._listen_meeting()
            .collection("signals")
            .where(filter=FieldFilter("to", "==", self.uid))
        )
        self._watches.append(query.on_snapshot(self._on_signals_snapshot))
        self.signal_listens += 1

    def _listen_participants(self) -> None:
        participants = self._listen_meeting().collection("participants")
        self._watches.append(participants.on_snapshot(self._on_participants_snapshot))

    async def _unwatch(self) -> None:
        watches, self._watches = self._watches, []
        for watch in watches:
            await asyncio.to_thread(watch.unsubscribe)

    def _post(self, event: _Event) -> None:
        """Hand an event from a listener thread to the event loop (dropped once closing)."""
        loop = self._loop
        if self._closing or loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._events.put_nowait, event)

    def _on_participants_snapshot(self, docs: Any, changes: Any, read_time: Any) -> None:
        out = [
            ParticipantChange(
                uid=change.document.id,
                removed=change.type.name == "REMOVED",
                data=change.document.to_dict() or {},
            )
            for change in changes
        ]
        if out:
            self._post(_ParticipantsSnapshot(out))

    async def _wait_listening(self) -> None:
        if self._signals_listening.is_set():
            return
        try:
            await asyncio.wait_for(self._signals_listening.wait(), SIGNALS_LISTENING_WAIT)
        except TimeoutError:
            self.errors.append(f"signals listener silent for {SIGNALS_LISTENING_WAIT}s")
            self._signals_listening.set()  # said once; the peer carries on to show what follows

    def _on_signals_snapshot(self, docs: Any, changes: Any, read_time: Any) -> None:
        loop, listening = self._loop, self._signals_listening
        if not listening.is_set() and loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(listening.set)
        out = [
            Signal(
                id=change.document.id,
                path=change.document.reference.path,
                data=change.document.to_dict() or {},
            )
            for change in changes
            if change.type.name == "ADDED"
        ]
        if out:
            self._post(_SignalsSnapshot(out))

    # --------------------------------------------------------------------------- event handling

    async def _process(self) -> None:
        while True:
            event = await self._events.get()
            if isinstance(event, _Stop):
                return
            if self._closing:
                continue
            try:
                if isinstance(event, _OfferTo):
                    await self._offer_to_all(event.targets)
                elif isinstance(event, _Out):
                    for uid in list(self.links):
                        await self._close_link(uid, f"we are out: {event.reason}")
                elif isinstance(event, _ParticipantsSnapshot):
                    await self._on_participants(event.changes)
                else:
                    await self._on_signals(event.signals)
            except Exception:
                if not self._closing:
                    text = traceback.format_exc()
                    logger.error("%s: error handling %r:\n%s", self.label, event, text)
                    self.errors.append(f"while handling {type(event).__name__}: {text}")

    async def _on_participants(self, changes: list[ParticipantChange]) -> None:
        for change in changes:
            if change.uid == self.uid:
                self.own = change.data
                continue
            state = change.data.get("state")
            session = change.data.get("session")
            self.participants[change.uid] = change.data
            if change.data.get("displayName"):
                self.names[change.uid] = str(change.data["displayName"])
            history = self._seen_sessions.setdefault(change.uid, [])
            if isinstance(session, str) and session not in history:
                history.append(session)
            link = self.links.get(change.uid)
            if link is None:
                continue
            if change.removed:
                await self._close_link(change.uid, "participant document removed")
            elif state != "joined" and session == link.remote_session:
                # left, or removed by a host: gone either way (docs/protocol.md section 3)
                await self._close_link(change.uid, f"participant {state}")
            elif link.remote_session in history[:-1]:
                await self._close_link(change.uid, f"participant has a new session {session}")

    async def _on_signals(self, signals: list[Signal]) -> None:
        for signal in sorted(signals, key=Signal.sort_key):
            if signal.id in self._seen_signal_ids:
                continue
            self._seen_signal_ids.add(signal.id)
            self.received_signals.append(signal)
            try:
                await self._apply_signal(signal)
            except Exception:
                if self._closing:
                    return
                self._record_failure(f"_apply_signal {signal.type} {signal.id}")
            # Not awaited, as in the web client: a delete (retried under load) must not hold up
            # the signals queued behind this one, such as a newcomer's next answer.
            self._spawn(self._delete_signal(signal), f"_delete_signal {signal.type} {signal.id}")

    async def flush(self, timeout: float = 30.0) -> None:
        """Wait for the writes under way beside the event processing (offers, deletes of
        signals): what `sent_signals` and `deleted_signal_ids` say is then complete."""
        while self._spawned:
            _, pending = await asyncio.wait(set(self._spawned), timeout=timeout)
            if pending:
                raise AssertionError(f"{self.label}: {len(pending)} writes still under way")

    def _spawn(self, work: Awaitable[None], what: str) -> None:
        """Run ``work`` beside the event processor; a failure is an error of this peer (unless
        it is closing), and `close` waits for what is still under way."""

        async def run() -> None:
            try:
                await work
            except Exception:
                if not self._closing:
                    self._record_failure(what)

        task = asyncio.ensure_future(run())
        self._spawned.add(task)
        task.add_done_callback(self._spawned.discard)

    def _record_failure(self, what: str) -> None:
        text = traceback.format_exc()
        logger.error("%s: %s failed:\n%s", self.label, what, text)
        self.errors.append(f"{what}: {text}")

    async def _apply_signal(self, signal: Signal) -> None:
        if signal.to_session != self.session:
            self.notes.append(f"ignored {signal.type} {signal.id} for another session")
        elif signal.type == "offer":
            await self._on_offer(signal)
        elif signal.type == "answer":
            await self._on_answer(signal)
        elif signal.type == "candidates":
            await self._on_candidates(signal)
        else:
            self.notes.append(f"ignored signal {signal.id} of type {signal.type!r}")

    # ----------------------------------------------------------------- heartbeat and reports

    async def _heartbeat_loop(self, interval: float) -> None:
        """Beat every `heartbeatSeconds` (docs/protocol.md `heartbeat`); the wait paces."""
        transient = 0
        while True:
            await asyncio.sleep(interval)
            try:
                if self.beat == "callable":
                    await self.call("heartbeat", {"meetingId": self.meeting_id})
                else:
                    if not await self._write_presence():
                        continue  # refused as too early: the next beat is on time
                self.heartbeats += 1
                transient = 0
            except CallableError as exc:
                if exc.reason in OUT_REASONS:  # a host put us out: stop, as a client must
                    self.out_because = exc.reason
                    self._events.put_nowait(_Out(str(exc.reason)))
                    return
                # UNAVAILABLE is retryable (docs/protocol.md): the next beat repeats it. Only a
                # run of them long enough to let the participant lapse is an error.
                transient = transient + 1 if exc.status == "UNAVAILABLE" else TRANSIENT_BEATS
                if transient >= TRANSIENT_BEATS:
                    self.errors.append(f"heartbeat failed: {exc!r}")
                else:
                    self.notes.append(f"heartbeat repeated after: {exc!r}")
            except Exception as exc:
                self.errors.append(f"heartbeat failed: {exc!r}")

    async def _write_presence(self) -> bool:
        """One beat as the web client makes it: `lastSeenAt` of our presence document to the
        server's time. A refused one is explained by our own participant document, raised as
        the callable would have said it."""
        assert self.meeting_id is not None
        meeting = self._require_store().collection("meetings").document(self.meeting_id)
        try:
            await (
                meeting.collection("presence")
                .document(self.uid)
                .update({"lastSeenAt": firestore.SERVER_TIMESTAMP})
            )
            return True
        except (gexc.PermissionDenied, gexc.NotFound) as refused:
            snap = await meeting.collection("participants").document(self.uid).get()
            mine = snap.to_dict() if snap.exists else None
            reason = beat_refusal(mine, self.session)
            if reason is None:
                self.notes.append(f"beat refused while joined (too early?): {refused!r}")
                return False
            raise CallableError("FAILED_PRECONDITION", str(refused), {"reason": reason}) from None
        except gexc.ServiceUnavailable as busy:
            raise CallableError("UNAVAILABLE", str(busy), None) from None

    async def _stats(self, link: Link) -> dict[str, Any]:
        duration = int((time.monotonic() - link.started_at) * 1000)
        try:
            return await connection_stats(link.pc, duration)
        except Exception as exc:  # stats are best effort; never let them break a connection
            self.notes.append(f"stats of {link.uid} failed: {exc!r}")
            return {"durationMs": duration}

    async def _report_loop(self) -> None:
        """Send `report_connection` for each connection-state change, one at a time, in order."""
        while True:
            link, status = await self._reports.get()
            try:
                if link.reported and link.reported[-1] == status:
                    continue
                if status == "connecting" and not link.reported:
                    # The first `connecting` is the server's: it records it from the offer
                    # (caller) or the answer (callee) (docs/protocol.md, report_connection).
                    continue
                if status == "connected":
                    stats: dict[str, Any] | None = await self._stats(link)
                elif status in ("closed", "failed"):
                    stats = link.final_stats or await self._stats(link)
                else:
                    stats = None
                data: dict[str, Any] = {
                    "meetingId": self.meeting_id,
                    "peer": link.uid,
                    "peerSession": link.remote_session,
                    "role": "caller" if link.role == "offerer" else "callee",
                    "status": status,
                }
                if stats is not None:
                    data["stats"] = stats
                    path = connection_path(link.pc)
                    if path is not None:
                        data["path"] = path
                link.reported.append(status)
                await self._report(link, status, data, stats)
            finally:
                self._reports.task_done()

    async def _report(
        self, link: Link, status: str, data: dict[str, Any], stats: dict[str, Any] | None
    ) -> None:
        """One report, as docs/protocol.md says: NOT_FOUND (the server has not seen the offer
        of this connection yet) is repeated a few times; `leg-ended` means the record of this
        connection is closed and there is nothing more to report."""
        for attempt in range(REPORT_ATTEMPTS):
            try:
                await self.call("report_connection", data)
                self.reports.append((link.uid, link.remote_session, status, stats))
                return
            except CallableError as exc:
                if exc.reason == "leg-ended":
                    self.notes.append(f"report {status} to {link.uid}: the leg has ended")
                    return
                if exc.status == "NOT_FOUND" and attempt + 1 < REPORT_ATTEMPTS:
                    await asyncio.sleep(REPORT_BACKOFF * 2**attempt)
                    continue
                if exc.status == "PERMISSION_DENIED" and await self._put_out():
                    # A host removed us or ended the meeting: the server has ended our legs
                    # (docs/protocol.md section 5) and takes no report from us any more.
                    self.notes.append(f"report {status} to {link.uid}: we are out ({exc.reason})")
                    return
                self.errors.append(f"report_connection {status} to {link.uid}: {exc!r}")
                return
            except Exception as exc:
                self.errors.append(f"report_connection {status} to {link.uid}: {exc!r}")
                return

    async def _put_out(self) -> bool:
        """Whether a host put us out: our own participant document (which we may always read)
        says `removed`, or that the meeting ended (docs/protocol.md section 5)."""
        if self.out_because is not None:
            return True
        path = (*self._meeting_path(), "participants", self.uid)
        own = (
            await self._require_store().collection(*path[:-1]).document(path[-1]).get()
        ).to_dict()
        return beat_refusal(own, self.session) in OUT_REASONS

    async def _delete_signal(self, signal: Signal) -> None:
        # A delete is idempotent, so transient refusals are repeated (as the web client does):
        # under load the emulator answers ABORTED "Transaction lock timeout" while the on_signal
        # trigger holds the document, and once (CI, 2026-12-03) CANCELLED "call already
        # cancelled" for a call this client never cancelled.
        for attempt in range(DELETE_ATTEMPTS):
            try:
                await self._require_store().document(signal.path).delete()
                break
            except TRANSIENT_WRITE_ERRORS as exc:
                if attempt + 1 == DELETE_ATTEMPTS:
                    raise
                self.notes.append(f"delete of signal {signal.id} retried: {exc.message}")
                await asyncio.sleep(0.2 * (attempt + 1))
            except gexc.PermissionDenied as exc:
                # Gone already (docs/protocol.md section 3): the listener delivered it, so it was
                # addressed to us, and the rules refuse only a delete of a missing one. An
                # attempt above went through before its answer was lost (CI, 2026-12-05), or
                # the server removed it.
                self.notes.append(f"signal {signal.id} already gone: {exc.message}")
                break
        self.deleted_signal_ids.append(signal.id)

    # ----------------------------------------------------------------------- peer connections

    def _configuration(self) -> RTCConfiguration:
        return RTCConfiguration(
            iceServers=list(self._ice_servers), bundlePolicy=RTCBundlePolicy.MAX_BUNDLE
        )

    def _new_link(
        self, uid: str, session: str, role: Role, pc: RTCPeerConnection | None = None
    ) -> Link:
        pc = pc or RTCPeerConnection(self._configuration())
        link = Link(uid=uid, remote_session=session, role=role, pc=pc)

        @pc.on("connectionstatechange")
        def on_connection_state() -> None:
            link.states.append(pc.connectionState)
            if not self._vanishing and pc.connectionState in REPORTED_STATUSES:
                self._reports.put_nowait((link, pc.connectionState))

        @pc.on("datachannel")
        def on_datachannel(channel: RTCDataChannel) -> None:
            if channel.label == CHAT_LABEL:
                self._bind_chat(link, channel)

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            link.tasks.append(asyncio.ensure_future(_count_frames(track, link)))

        self.links[uid] = link
        return link

    def _bind_chat(self, link: Link, channel: RTCDataChannel) -> None:
        link.channel = channel

        @channel.on("message")
        def on_message(message: str | bytes) -> None:
            link.messages.append(message if isinstance(message, str) else message.decode())

    def _add_media(self, pc: RTCPeerConnection) -> None:
        if self.media:
            color = _color_of(self.label)
            pc.addTrack(SineAudioTrack(frequency=300.0 + color[0]))
            pc.addTrack(ColorVideoTrack(color))

    async def _close_link(self, uid: str, reason: str) -> None:
        link = self.links.pop(uid, None)
        if link is None:
            return
        link.closed_reason = reason
        self.closed_links.append(link)
        if not self._vanishing and link.final_stats is None:
            link.final_stats = await self._stats(link)
        await link.close()

    async def _offer_to_all(self, targets: list[tuple[str, str]]) -> None:
        """Offer to everyone present, as the web client does: the descriptions are made one
        after the other (CPU on this loop), their writes go out at once and are not waited for
        here, so an answer is applied while other offers are still being written. Offers made
        and written one after the other, in a meeting of 8 the newcomer's last offer left
        seven round trips late and the answers waited behind it (bench/results.md)."""
        for uid, session in targets:
            link = await self._prepare_offer(uid, session)
            if link is not None:
                self._spawn(self._send_description(link, "offer"), f"offer to {uid}")

    async def _make_offers(self, count: int) -> list[_MadeOffer]:
        """``count`` offers for the join, made at once (each gathers its own candidates); if one
        cannot be made, those that were are closed and the error raised."""
        results = await asyncio.gather(
            *(self._make_offer() for _ in range(count)), return_exceptions=True
        )
        made = [r for r in results if isinstance(r, _MadeOffer)]
        failure = next((r for r in results if isinstance(r, BaseException)), None)
        if failure is not None:
            for offer in made:
                await offer.pc.close()
            raise failure
        return made

    async def _make_offer(self) -> _MadeOffer:
        """A connection with its offer as local description, for nobody yet (the join's)."""
        pc = RTCPeerConnection(
            RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        )
        self._add_media(pc)  # tracks before the data channel, as in _prepare_offer
        channel = pc.createDataChannel(CHAT_LABEL)
        await pc.setLocalDescription(await pc.createOffer())
        sdp = pc.localDescription.sdp
        candidates: list[CandidateEntry] = []
        if self.trickle:
            candidates, sdp = extract_candidates(sdp), strip_candidates(sdp)
        return _MadeOffer(pc=pc, channel=channel, sdp=sdp, candidates=candidates)

    async def _adopt_offers(
        self, present: list[dict[str, Any]], made: list[_MadeOffer]
    ) -> set[str]:
        """Give each offer the join wrote (``participants[].offer``) its link; close the
        offers nobody got. Returns the uids offered to."""
        used: dict[int, dict[str, Any]] = {
            int(p["offer"]): p for p in present if isinstance(p.get("offer"), int)
        }
        for index, offer in enumerate(made):
            participant = used.get(index)
            if participant is None:
                await offer.pc.close()
                continue
            link = self._new_link(
                str(participant["uid"]), str(participant["session"]), "offerer", offer.pc
            )
            self._bind_chat(link, offer.channel)
            self.sent_signals.append(
                SentSignal(
                    id="(join)",
                    to=link.uid,
                    to_session=link.remote_session,
                    type="offer",
                    sdp=offer.sdp,
                    candidates=None,
                )
            )
            self._watch_offer(link, offer.sdp)
            # Trickled only by a trickling peer; else they are in the offer's SDP.
            trickled = batches(offer.candidates, MAX_CANDIDATES_PER_SIGNAL) if self.trickle else []
            for batch in trickled:
                self._spawn(
                    self._send_signal(link, "candidates", candidates=batch),
                    f"candidates to {link.uid}",
                )
                link.candidates_docs_sent += 1
        return {str(p["uid"]) for p in used.values()}

    async def _prepare_offer(self, uid: str, session: str) -> Link | None:
        """A new connection to ``uid`` with its offer as local description, or None when we
        already have one to that session."""
        existing = self.links.get(uid)
        if existing is not None:
            if existing.remote_session == session:
                return None
            await self._close_link(uid, "offering to a new session")
        link = self._new_link(uid, session, "offerer")
        # Tracks before the data channel: with max-bundle, aiortc 1.16 closes the shared transport
        # when the answer arrives if the SCTP transport was created first.
        self._add_media(link.pc)
        self._bind_chat(link, link.pc.createDataChannel(CHAT_LABEL))
        await link.pc.setLocalDescription(await link.pc.createOffer())
        return link

    async def _on_offer(self, signal: Signal) -> None:
        link = self.links.get(signal.from_uid)
        if link is not None and link.remote_session != signal.session:
            await self._close_link(signal.from_uid, "offer from a new session")
            link = None
        offer = RTCSessionDescription(sdp=str(signal.data.get("sdp", "")), type="offer")
        if link is not None and link.last_offer_sdp == offer.sdp:
            # The offerer did not get our answer and sent its offer again (section 4, step 3):
            # the same answer again, the connection untouched.
            self.notes.append(f"offer {signal.id} from {signal.from_uid} again: answered again")
            await self._send_description(link, "answer")
            return
        if link is None:
            link = self._new_link(signal.from_uid, signal.session, "answerer")
            await link.pc.setRemoteDescription(offer)
            self._add_media(link.pc)
        else:  # renegotiation on an established connection: same remote session
            await link.pc.setRemoteDescription(offer)
        link.remote_description_set = True
        link.last_offer_sdp = offer.sdp
        for entries in self._orphan_candidates.pop((signal.from_uid, signal.session), []):
            link.candidates_docs_received += 1
            link.pending_candidates.extend(entries)
        await link.pc.setLocalDescription(await link.pc.createAnswer())
        await self._send_description(link, "answer")
        await self._apply_pending(link)

    async def _on_answer(self, signal: Signal) -> None:
        link = self.links.get(signal.from_uid)
        if link is None or link.remote_session != signal.session:
            self.notes.append(f"ignored answer {signal.id} from an unknown connection")
            return
        if link.pc.signalingState != "have-local-offer":
            self.notes.append(f"ignored answer {signal.id} in state {link.pc.signalingState}")
            return
        answer = RTCSessionDescription(sdp=str(signal.data.get("sdp", "")), type="answer")
        await link.pc.setRemoteDescription(answer)
        link.remote_description_set = True
        await self._apply_pending(link)

    async def _on_candidates(self, signal: Signal) -> None:
        entries: list[CandidateEntry] = list(signal.data.get("candidates") or [])
        link = self.links.get(signal.from_uid)
        if link is None or link.remote_session != signal.session:
            key = (signal.from_uid, signal.session)
            self._orphan_candidates.setdefault(key, []).append(entries)
            return
        link.candidates_docs_received += 1
        link.pending_candidates.extend(entries)
        if link.remote_description_set:
            await self._apply_pending(link)

    async def _apply_pending(self, link: Link) -> None:
        entries, link.pending_candidates = link.pending_candidates, []
        for entry in entries:
            candidate = to_rtc_candidate(entry)
            await link.pc.addIceCandidate(candidate)
            if candidate is None:
                link.end_of_candidates = True
            else:
                link.candidates_applied += 1

    async def _send_description(self, link: Link, kind: Literal["offer", "answer"]) -> None:
        description = link.pc.localDescription
        if description is None:
            raise RuntimeError("no local description to send")
        sdp = description.sdp
        entries: list[CandidateEntry] = []
        if self.trickle:
            entries = extract_candidates(sdp)
            sdp = strip_candidates(sdp)
        await self._send_signal(link, kind, sdp=sdp)
        if kind == "offer":
            self._watch_offer(link, sdp)
        if self.trickle:
            for batch in batches(entries, MAX_CANDIDATES_PER_SIGNAL):
                await self._send_signal(link, "candidates", candidates=batch)
                link.candidates_docs_sent += 1

    def _watch_offer(self, link: Link, sdp: str) -> None:
        """Write the offer ``sdp`` again while it goes unanswered (docs/protocol.md section 4,
        step 3): under load the emulator has lost an offer whose write it answered CANCELLED
        "call already cancelled" (a CI run, 2026-12-07), and nothing else would move the link."""

        async def watch() -> None:
            for _ in range(MAX_REOFFERS):
                await asyncio.sleep(REOFFER_AFTER_S)
                if self._closing or self.links.get(link.uid) is not link:
                    return
                if link.pc.signalingState != "have-local-offer":
                    return
                self.notes.append(f"offer to {link.uid} unanswered: sent again")
                try:
                    await self._send_signal(link, "offer", sdp=sdp)
                except Exception:
                    if not self._closing:
                        self._record_failure(f"offer to {link.uid} sent again")
                    return

        link.tasks.append(asyncio.ensure_future(watch()))

    async def _out_of_reach(self, link: Link) -> bool:
        """Whether the rules now refuse any signal of ours to ``link``'s session: its participant
        left, has another session or is in another room than we are (docs/protocol.md section
        3). Read as the rules read them, with our own client (a participant reads the roster)."""
        participants = self._require_store().collection(*self._meeting_path(), "participants")
        theirs = (await participants.document(link.uid).get()).to_dict() or {}
        mine = (await participants.document(self.uid).get()).to_dict() or {}
        return (
            theirs.get("state") != "joined"
            or theirs.get("session") != link.remote_session
            or theirs.get("room") != mine.get("room")
        )

    async def _send_signal(
        self,
        link: Link,
        kind: str,
        *,
        sdp: str | None = None,
        candidates: list[CandidateEntry] | None = None,
    ) -> None:
        if self.session is None:
            raise RuntimeError("no session")
        data = signal_data(
            from_uid=self.uid,
            session=self.session,
            to_uid=link.uid,
            to_session=link.remote_session,
            type=kind,
            sdp=sdp,
            candidates=[dict(entry) for entry in candidates] if candidates is not None else None,
        )
        await self._wait_listening()
        ref = self._require_store().collection(*self._meeting_path(), "signals").document()
        for attempt in range(SIGNAL_WRITE_ATTEMPTS):
            try:
                await ref.create(data)
                break
            except gexc.PermissionDenied as exc:
                # Under heavy load the Firestore emulator's rules engine can fail its own
                # exists()/get() lookups ("Service call error") and deny a valid write. Only
                # that is retried.
                if RULES_SERVICE_ERROR in str(exc) and attempt + 1 < SIGNAL_WRITE_ATTEMPTS:
                    self.notes.append(f"signal to {link.uid} retried: rules service call error")
                elif await self._out_of_reach(link):
                    # Refused because the addressee left, joined again or went to another
                    # room while this was under way (the rules take a signal only to a joined
                    # participant's current session in one's own room): a page drops it too,
                    # and the roster's change closes the link.
                    self.notes.append(f"{kind} to {link.uid}'s gone session refused")
                    return
                else:
                    raise
            except TRANSIENT_WRITE_ERRORS as exc:
                # Repeated as the web SDK repeats a write: under load the emulator once
                # answered a signal's create CANCELLED "call already cancelled" (a benchmark
                # run, 2026-12-05), whether or not it had stored it.
                if attempt + 1 == SIGNAL_WRITE_ATTEMPTS:
                    raise
                self.notes.append(f"signal to {link.uid} retried: {exc.message}")
            except gexc.AlreadyExists:
                if attempt == 0:
                    raise
                break  # the attempt before stored it; only its answer was lost
            await asyncio.sleep(0.2 * (attempt + 1))
        self.sent_signals.append(
            SentSignal(
                id=ref.id,
                to=link.uid,
                to_session=link.remote_session,
                type=kind,
                sdp=sdp,
                candidates=candidates,
            )
        )
