"""The client ↔ functions protocol, defined once: every callable's request and result, the
Firestore documents a client reads or writes, their statuses, the error reasons and the limits.

Everything else is derived from this module or checked against it:

* ``avmeets.payloads`` parses requests with these keys, choices and limits;
* ``web/src/protocol.gen.ts`` is generated from it (``python -m tools.gen_protocol``);
* tests/unit/test_protocol_*.py hold docs/protocol.md's tables, firestore.rules' signal shape and
  every ``reason=`` the server raises against it.

Plain data only: no Firestore, no Functions SDK, so the generator and the tests import it as is.
This module does not use ``from __future__ import annotations``: ``NotRequired`` must be seen by
``TypedDict`` at class creation. Timestamps are ``datetime`` here and ``Timestamp`` (a Firestore
Timestamp) in TypeScript. Adding to the protocol: add it here, run the generator, update
docs/protocol.md; the tests say what else drifted.
"""

import enum
from datetime import datetime
from typing import Final, Literal, NotRequired, TypedDict, get_args

# --- statuses and choices ------------------------------------------------------------------------

#: ``RTCPeerConnection.connectionState`` as reported by ``report_connection``.
ConnectionStatus = Literal["new", "connecting", "connected", "disconnected", "failed", "closed"]
#: ``caller``: the side that sent the offer of a connection; ``callee``: the other one.
Role = Literal["caller", "callee"]
#: A connection leg of the CDR as ``report_connection`` answers it.
LegState = Literal["connecting", "connected", "ended"]
CandidateType = Literal["host", "srflx", "prflx", "relay"]
TransportProtocol = Literal["udp", "tcp"]
RelayProtocol = Literal["udp", "tcp", "tls"]
ArchiveKind = Literal["chat", "attendance"]
#: What an organisation may opt in to storing of its own members (``orgs/{orgId}.storage``).
#: ``engagement``: time the tab was visible and focused, camera and microphone on-time (sent
#: with attendance); ``files``, ``recordings``, ``whiteboard``: objects in Cloud Storage.
StorageKind = Literal["chat", "attendance", "engagement", "whiteboard", "files", "recordings"]
#: An object a member uploads to the organisation's store (``upload_object``).
ObjectKind = Literal["file", "recording", "whiteboard"]
#: What an organisation admin does with ``org_admin``.
OrgAdminAction = Literal["get", "set", "export"]
#: A sign-in provider an organisation may allow (``firebase.sign_in_provider``).
SignInProvider = Literal["google.com", "phone", "password"]
MeetingState = Literal["open", "ended"]
#: ``removed``: a host removed the participant; it may come back only if a host admits it again.
ParticipantState = Literal["joined", "left", "removed"]
#: Why the server closed a participant out.
ParticipantEndCause = Literal["left", "heartbeat-timeout", "removed", "meeting-ended"]
#: ``host``: the meeting's creator; ``cohost``: made one by the host; both run the meeting.
ParticipantRole = Literal["host", "cohost", "participant"]
#: A knock on a meeting's lobby: waiting for a host, let in, turned away, given up (the knocker
#: left or went silent), or the meeting ended while it waited.
LobbyState = Literal["waiting", "admitted", "denied", "withdrawn", "ended"]
#: What ``join_meeting`` would do with the caller now (``meeting_info``): let it in, ask it to
#: knock (a lobby, or a host removed it), refuse it (the meeting is locked, a host denied it).
MeetingEntry = Literal["join", "knock", "locked", "denied"]
#: What a host (or co-host) may do with ``host_action`` (``PERSON_ACTIONS`` name a person), and
#: what anyone present does for themselves with it (``SELF_ACTIONS``).
HostActionName = Literal[
    "admit",
    "deny",
    "remove",
    "make-cohost",
    "revoke-cohost",
    "admit-all",
    "lock",
    "unlock",
    "lobby-on",
    "lobby-off",
    "end",
    "restrict",
    "allow",
    "permit",
    "unpermit",
    "rooms-open",
    "move",
    "rooms-close",
    "ask-help",
    "cancel-help",
    "help-later",
]
#: What a host may turn off for the participants who do not run the meeting (``restrict``) and
#: on again (``allow``), or let one participant do all the same (``permit``, ``unpermit``):
#: presenting a screen, the chat, their microphone, their camera, sending files, sending
#: reactions, drawing on the whiteboard, renaming themselves (``rename``: the server refuses it).
HostPermission = Literal[
    "present", "chat", "mic", "camera", "files", "reactions", "whiteboard", "rename"
]
SignalType = Literal["offer", "answer", "candidates"]
#: Where a record shown by ``my_data`` is stored (a collection, or Firebase Auth's account).
StoredIn = Literal[
    "auth",
    "identities",
    "joins",
    "cdrs",
    "meetings",
    "participants",
    "archives",
    "join_attempts",
    "quotas",
]
#: What ``delete_me`` does to a record: delete it now, or keep it until its ``deleteAfter``.
OnDelete = Literal["deleted", "kept"]
#: Why the server deleted a participant's signals: too many pending to one addressee, too many
#: a minute, or an offer for a new connection beyond the leg quotas.
SignalLimitReason = Literal["pending", "rate", "legs"]

CONNECTION_STATUSES: Final[tuple[ConnectionStatus, ...]] = get_args(ConnectionStatus)
ROLES: Final[tuple[Role, ...]] = get_args(Role)
LEG_STATES: Final[tuple[LegState, ...]] = get_args(LegState)
CANDIDATE_TYPES: Final[tuple[CandidateType, ...]] = get_args(CandidateType)
TRANSPORT_PROTOCOLS: Final[tuple[TransportProtocol, ...]] = get_args(TransportProtocol)
RELAY_PROTOCOLS: Final[tuple[RelayProtocol, ...]] = get_args(RelayProtocol)
ARCHIVE_KINDS: Final[tuple[ArchiveKind, ...]] = get_args(ArchiveKind)
STORAGE_KINDS: Final[tuple[StorageKind, ...]] = get_args(StorageKind)
OBJECT_KINDS: Final[tuple[ObjectKind, ...]] = get_args(ObjectKind)
#: The opt-in each object kind needs.
OBJECT_STORAGE_KIND: Final[dict[ObjectKind, StorageKind]] = {
    "file": "files",
    "recording": "recordings",
    "whiteboard": "whiteboard",
}
ORG_ADMIN_ACTIONS: Final[tuple[OrgAdminAction, ...]] = get_args(OrgAdminAction)
SIGN_IN_PROVIDERS: Final[tuple[SignInProvider, ...]] = get_args(SignInProvider)
#: The custom claim (a list of organisation ids) that makes an account an organisation admin;
#: only the operator command line (``avmeets org admins``) sets it.
ORG_ADMIN_CLAIM: Final = "orgAdmin"
SIGNAL_TYPES: Final[tuple[SignalType, ...]] = get_args(SignalType)
PARTICIPANT_ROLES: Final[tuple[ParticipantRole, ...]] = get_args(ParticipantRole)
#: The roles that run a meeting (firestore.rules lets them read the lobby).
HOST_ROLES: Final[tuple[ParticipantRole, ...]] = ("host", "cohost")
LOBBY_STATES: Final[tuple[LobbyState, ...]] = get_args(LobbyState)
HOST_ACTIONS: Final[tuple[HostActionName, ...]] = get_args(HostActionName)
#: The host actions about one person: ``uid`` is required with these and refused with the others.
PERSON_ACTIONS: Final[tuple[HostActionName, ...]] = (
    "admit",
    "deny",
    "remove",
    "make-cohost",
    "revoke-cohost",
    "permit",
    "unpermit",
    "move",
    "help-later",
)
#: What anyone present does for themselves (no ``uid``): ask the hosts to come to their breakout
#: room, or no longer ask.
SELF_ACTIONS: Final[tuple[HostActionName, ...]] = ("ask-help", "cancel-help")
#: The host actions only the meeting's creator may take (co-hosts may take all the others).
CREATOR_ACTIONS: Final[tuple[HostActionName, ...]] = ("make-cohost", "revoke-cohost")
#: The host actions about a permission: ``what`` is required with these and refused otherwise.
PERMISSION_ACTIONS: Final[tuple[HostActionName, ...]] = ("restrict", "allow", "permit", "unpermit")
HOST_PERMISSIONS: Final[tuple[HostPermission, ...]] = get_args(HostPermission)
#: Breakout rooms (``rooms-open``): how many at most, and their names' length.
MAX_ROOMS: Final = 20
MAX_ROOM_NAME: Final = 40
#: The longest timer ``rooms-open`` may set (``minutes``): four hours.
MAX_ROOM_MINUTES: Final = 240

# --- error reasons -------------------------------------------------------------------------------


class ErrorReason(enum.StrEnum):
    """``details.reason`` of a callable error: what a client can act on (docs/protocol.md)."""

    MEETING_ENDED = "meeting-ended"
    PASSWORD_REQUIRED = "password-required"
    WRONG_PASSWORD = "wrong-password"
    TOO_MANY_ATTEMPTS = "too-many-attempts"
    MEETING_FULL = "meeting-full"
    CONTENDED = "contended"
    NOT_JOINED = "not-joined"
    RATE_LIMITED = "rate-limited"
    NOT_ALLOWED_BY_POLICY = "not-allowed-by-policy"
    BACKEND_UNAVAILABLE = "backend-unavailable"
    #: The meeting has a lobby (or the caller was removed): call ``knock`` and wait for a host.
    KNOCK_REQUIRED = "knock-required"
    MEETING_LOCKED = "meeting-locked"
    #: A host turned the caller's knock away.
    DENIED = "denied"
    #: A host removed the caller from the meeting.
    REMOVED = "removed"
    NOT_A_HOST = "not-a-host"
    #: The caller is not an admin of the organisation named.
    NOT_AN_ORG_ADMIN = "not-an-org-admin"
    #: An admin chose a domain the operator has not verified as the organisation's, or one
    #: that another organisation has.
    DOMAIN_NOT_VERIFIED = "domain-not-verified"
    RECENT_SIGN_IN_REQUIRED = "recent-sign-in-required"
    LEG_ENDED = "leg-ended"
    ACCOUNT_REFUSED = "account-refused"
    #: A host turned off what the caller asked for (``rename``) for participants.
    TURNED_OFF = "turned-off"
    #: ``move`` while the meeting has no breakout rooms open, or ``ask-help`` from outside one.
    NO_ROOMS = "no-rooms"


#: The callable status code each reason comes with.
ERROR_CODES: Final[dict[ErrorReason, str]] = {
    ErrorReason.MEETING_ENDED: "FAILED_PRECONDITION",
    ErrorReason.PASSWORD_REQUIRED: "PERMISSION_DENIED",
    ErrorReason.WRONG_PASSWORD: "PERMISSION_DENIED",
    ErrorReason.TOO_MANY_ATTEMPTS: "RESOURCE_EXHAUSTED",
    ErrorReason.MEETING_FULL: "RESOURCE_EXHAUSTED",
    ErrorReason.CONTENDED: "UNAVAILABLE",
    ErrorReason.NOT_JOINED: "FAILED_PRECONDITION",
    ErrorReason.RATE_LIMITED: "RESOURCE_EXHAUSTED",
    ErrorReason.NOT_ALLOWED_BY_POLICY: "FAILED_PRECONDITION",
    ErrorReason.BACKEND_UNAVAILABLE: "UNAVAILABLE",
    ErrorReason.KNOCK_REQUIRED: "PERMISSION_DENIED",
    ErrorReason.MEETING_LOCKED: "FAILED_PRECONDITION",
    ErrorReason.DENIED: "PERMISSION_DENIED",
    ErrorReason.REMOVED: "FAILED_PRECONDITION",
    ErrorReason.NOT_A_HOST: "PERMISSION_DENIED",
    ErrorReason.NOT_AN_ORG_ADMIN: "PERMISSION_DENIED",
    ErrorReason.DOMAIN_NOT_VERIFIED: "FAILED_PRECONDITION",
    ErrorReason.RECENT_SIGN_IN_REQUIRED: "FAILED_PRECONDITION",
    ErrorReason.LEG_ENDED: "FAILED_PRECONDITION",
    ErrorReason.ACCOUNT_REFUSED: "PERMISSION_DENIED",
    ErrorReason.TURNED_OFF: "PERMISSION_DENIED",
    ErrorReason.NO_ROOMS: "FAILED_PRECONDITION",
}

# --- limits --------------------------------------------------------------------------------------


class Limits:
    """Sizes a client must respect; the parsers and firestore.rules enforce them."""

    TITLE_MAX_CHARS: Final = 100
    PASSWORD_MAX_CHARS: Final = 128
    #: peer uids and sessions in ``report_connection``.
    ID_MAX_CHARS: Final = 128
    #: A typed meeting id is cut to this before it is normalised.
    MEETING_ID_INPUT_MAX_CHARS: Final = 64
    SESSION_MAX_CHARS: Final = 64
    SDP_MAX_CHARS: Final = 32_768
    #: Offers one ``join_meeting`` may carry (one for each participant it expects to find).
    OFFERS_PER_JOIN: Final = 15
    CANDIDATES_PER_SIGNAL: Final = 8
    CANDIDATE_MAX_CHARS: Final = 1024
    SDP_MID_MAX_CHARS: Final = 64
    SDP_M_LINE_INDEX_MAX: Final = 64
    CHAT_MESSAGES_MAX: Final = 1000
    CHAT_TEXT_MAX_CHARS: Final = 4000
    #: A chosen display name, after trimming.
    DISPLAY_NAME_MAX_CHARS: Final = 64
    #: People ``rooms-open`` may place at once (``assign``).
    ASSIGN_MAX: Final = 500
    #: UTF-8 bytes of all the ``from`` and ``text`` of one archive (a Firestore document holds
    #: at most 1 MiB; the rest is the archive's other fields and overhead).
    ARCHIVE_MAX_BYTES: Final = 800_000
    #: An uploaded object's file name (the server makes the object's path, not the client).
    OBJECT_NAME_MAX_CHARS: Final = 200
    CONTENT_TYPE_MAX_CHARS: Final = 100
    #: Bytes of one uploaded object (files, recordings, whiteboard snapshots).
    OBJECT_MAX_BYTES: Final = 2 * 1024**3
    #: Milliseconds any engagement figure may count (a week).
    ENGAGEMENT_MAX_MS: Final = 7 * 24 * 3600 * 1000
    #: An organisation's e-mail domains and blocked addresses, each.
    ORG_DOMAINS_MAX: Final = 50
    ORG_NAME_MAX_CHARS: Final = 100
    #: Audit entries ``org_admin`` returns (newest first).
    ORG_AUDIT_ENTRIES: Final = 100
    #: Signals of one sender to one addressee that may be stored (not yet applied) at once.
    PENDING_SIGNALS_PER_PEER: Final = 16
    #: Status changes a CDR leg keeps per side: the first half and the latest half.
    TIMELINE_ENTRIES: Final = 24
    #: ICE restarts a CDR leg counts at most.
    ICE_RESTARTS_MAX: Final = 20


class Quotas:
    """How much one account, one meeting or one participant may do; beyond a quota the server
    answers ``RESOURCE_EXHAUSTED`` (``rate-limited``, with ``retryAfterSeconds``), or deletes
    the signal and says so in the sender's ``signalLimit``. Windows are fixed: a minute, an
    hour or a day (UTC) from its start."""

    #: ``create_meeting`` per account.
    MEETINGS_PER_MINUTE: Final = 5
    MEETINGS_PER_DAY: Final = 100
    #: ``join_meeting`` calls past the password check per account (joins and re-joins, all
    #: meetings, whether admitted or refused as full).
    JOINS_PER_MINUTE: Final = 10
    JOINS_PER_DAY: Final = 500
    #: Joins admitted to one meeting (counted on the meeting document, exactly: every join
    #: writes it anyway, and joins commit one at a time).
    MEETING_JOINS_PER_HOUR: Final = 300
    #: New knocks on one meeting's lobby.
    MEETING_KNOCKS_PER_HOUR: Final = 300
    #: Meeting ids an account named that do not exist (any callable); beyond it, every call
    #: naming a meeting is refused until the window ends, so existence cannot be probed.
    PROBES_PER_MINUTE: Final = 10
    PROBES_PER_DAY: Final = 100
    #: New CDR legs per account (as the offering side) and per meeting (the meeting's counted
    #: from its legs in the record, so a burst of offers at once may pass it by a few).
    LEGS_PER_DAY: Final = 1000
    MEETING_LEGS_PER_DAY: Final = 3000
    #: Signal documents one participant writes in a meeting, not counting the callee's first
    #: answer on each leg (its offer was counted; ``cdr.is_first_answer``).
    SIGNALS_PER_MINUTE: Final = 120
    #: ``rename`` calls that pass its checks, per account (all meetings).
    RENAMES_PER_HOUR: Final = 10
    #: How long the rules refuse the signals of a participant the server caught over a limit.
    SIGNAL_BLOCK_SECONDS: Final = 30
    #: Wrong passwords for one meeting, from all callers together, before each further attempt
    #: has to wait (1 s after the first one over, doubling up to ``PASSWORD_MAX_DELAY_SECONDS``).
    #: ``archive`` calls per account (a client archives every ~10 s and at leave).
    ARCHIVES_PER_MINUTE: Final = 20
    #: ``upload_object`` sessions per account (files, recordings, whiteboard snapshots).
    UPLOADS_PER_DAY: Final = 200
    PASSWORD_FREE_FAILURES_PER_MEETING: Final = 10
    PASSWORD_MAX_DELAY_SECONDS: Final = 300


#: ``meetingId`` after normalisation: 10 lowercase letters grouped 3-4-3.
MEETING_ID_PATTERN: Final = r"^[a-z]{3}-[a-z]{4}-[a-z]{3}$"

#: ``report_connection`` stats that are numbers: (min, max, integer only, may be null).
STAT_RANGES: Final[dict[str, tuple[int, int, bool, bool]]] = {
    "rttMs": (0, 600_000, False, True),
    "bytesSent": (0, 10**15, True, False),
    "bytesReceived": (0, 10**15, True, False),
    "packetsLost": (-(10**12), 10**12, True, True),
    "durationMs": (0, 10**10, True, True),
}
#: Epoch milliseconds of an archived chat message.
CHAT_AT_MAX: Final = 10**14
#: The engagement figures a member's browser counts (milliseconds), sent with attendance.
ENGAGEMENT_FIELDS: Final = ("visibleMs", "focusedMs", "cameraOnMs", "micOnMs")

# --- callables -----------------------------------------------------------------------------------


class IceServer(TypedDict):
    """The W3C ``RTCIceServer`` dictionary: pass the list to ``new RTCPeerConnection``."""

    urls: list[str]
    username: NotRequired[str]
    credential: NotRequired[str]


class CreateMeetingRequest(TypedDict):
    title: NotRequired[str]
    password: NotRequired[str]
    #: Knocks wait for a host; default: on without a password, off with one.
    lobby: NotRequired[bool]


class CreateMeetingResult(TypedDict):
    meetingId: str
    iceServers: list[IceServer]


class JoinMeetingRequest(TypedDict):
    meetingId: str
    password: NotRequired[str]
    #: The name the others see; default: the account's name (never its email or phone).
    displayName: NotRequired[str]
    #: Offers made before the join (SDP, as an ``offer`` signal's ``sdp``): the server writes
    #: them as the caller's offer signals to those present, in the join's own commit.
    offers: NotRequired[list[str]]


class ParticipantSummary(TypedDict):
    """Another participant present at the moment of a join, with its current session."""

    uid: str
    displayName: str
    session: str
    role: ParticipantRole
    #: Index into the request's ``offers`` of the offer the server wrote to this participant.
    offer: NotRequired[int]


class JoinMeetingResult(TypedDict):
    meetingId: str
    title: str | None
    session: str
    participants: list[ParticipantSummary]
    iceServers: list[IceServer]
    heartbeatSeconds: int
    #: The caller's name and role as the others see them.
    displayName: str
    role: ParticipantRole
    #: Present (true) when the caller's organisation requires relay-only ICE: its members'
    #: IP addresses hidden from the other participants.
    relayOnly: NotRequired[Literal[True]]
    #: The breakout room the caller joined (1-based; absent: the main room). ``participants``
    #: are those present in the same room.
    room: NotRequired[int]
    #: The server's clock as it answered (epoch ms): what the client's timers go by (TURN
    #: expiry, breakout rooms' closing), whatever its own device clock says.
    serverTime: int


class KnockRequest(TypedDict):
    meetingId: str
    password: NotRequired[str]
    displayName: NotRequired[str]


class KnockResult(TypedDict):
    """``waiting``: knock again every ``heartbeatSeconds`` until a host decides; ``admitted``:
    call ``join_meeting``."""

    state: Literal["waiting", "admitted"]
    heartbeatSeconds: int


class HostActionRequest(TypedDict):
    meetingId: str
    action: HostActionName
    #: The person acted on: required for the actions about one person, refused otherwise.
    uid: NotRequired[str]
    #: The permission ``restrict`` / ``allow`` / ``permit`` / ``unpermit`` is about: required
    #: with them, refused otherwise.
    what: NotRequired[HostPermission]
    #: ``rooms-open``'s breakout rooms, by name (1 to ``MAX_ROOMS``, each 1 to ``MAX_ROOM_NAME``
    #: characters, different): required with it, refused otherwise.
    rooms: NotRequired[list[str]]
    #: ``rooms-open``'s first placement, uid to room number (1-based); anyone else present
    #: stays in the main room. Optional with it, refused otherwise.
    assign: NotRequired[dict[str, int]]
    #: ``rooms-open``: participants may move themselves (``move`` with their own uid) to any
    #: room or back to the main room while these rooms are open. Optional (false), refused
    #: with other actions.
    choose: NotRequired[bool]
    #: ``rooms-open``: the rooms close by themselves this many minutes (1 to
    #: ``MAX_ROOM_MINUTES``) after they open. Optional (absent or null: only a host closes
    #: them). ``rooms-close``: they close this many minutes from now, not at once (a
    #: countdown; a sooner close time is kept). Refused with other actions.
    minutes: NotRequired[int | None]
    #: ``move``'s room number (0: the main room): required with it, refused otherwise.
    room: NotRequired[int]


class HostActionResult(TypedDict):
    action: HostActionName
    #: False when the meeting or the person already was as the action asks.
    changed: bool


class RenameRequest(TypedDict):
    meetingId: str
    #: The new name, by the rules of a name typed at ``join_meeting``.
    displayName: str


class RenameResult(TypedDict):
    #: The name as stored (normalised).
    displayName: str
    #: False when it already was the caller's name.
    changed: bool


class MeetingInfoRequest(TypedDict):
    meetingId: str


class StoredBy(TypedDict):
    """What a participant's organisation stores of them in this meeting, fixed at their join
    from its policy then: the room shows it to everyone, and nothing else of them is stored
    (the server also re-checks the organisation's current policy at every store)."""

    orgId: str
    orgName: str
    kinds: list[StorageKind]


class StorageNotice(TypedDict):
    """One organisation that stores something of its members in a meeting."""

    orgName: str
    kinds: list[StorageKind]
    #: Its members in the meeting now.
    members: int


class MeetingInfoResult(TypedDict):
    """What a client may know of a meeting before joining it (nothing is written)."""

    exists: bool
    state: MeetingState | None
    hasPassword: bool
    #: Only when the meeting has no password: the password protects the title too.
    title: str | None
    #: The meeting has no seat for the caller right now (one is always kept for the host).
    full: bool
    #: The caller's organisation requires relay-only ICE.
    relayOnly: bool
    #: What joining would do for the caller now (null: no such meeting, or it ended).
    entry: MeetingEntry | None
    #: What the organisations of the people in the meeting now store of their members (empty:
    #: nothing beyond the CDR); shown before joining. Counts only: no names before joining.
    storage: list[StorageNotice]
    #: What the caller's own organisation would store of the caller in this meeting, and
    #: that organisation's name (null when it stores nothing).
    storedOfYou: list[StorageKind]
    storedOfYouBy: str | None
    #: How many others are in the meeting now (null where the title is: a password, or no open
    #: meeting): a client makes that many offers to send with its join.
    present: int | None
    #: What the hosts turned off that would hold the caller on joining now (section 5): the
    #: meeting's ``restricted`` less what a host let them do; empty for the host and co-hosts,
    #: and, like the title, where a password protects the meeting from the caller.
    turnedOff: list[HostPermission]


class LeaveMeetingRequest(TypedDict):
    meetingId: str


class LeaveMeetingResult(TypedDict):
    left: Literal[True]


class HeartbeatRequest(TypedDict):
    meetingId: str


class HeartbeatResult(TypedDict):
    intervalSeconds: int


class ConnectionStats(TypedDict, total=False):
    """The selected candidate pair and counters of a connection (W3C webrtc-stats)."""

    localCandidateType: CandidateType
    remoteCandidateType: CandidateType
    protocol: TransportProtocol
    relayProtocol: RelayProtocol | None
    relayed: bool
    rttMs: float | None
    bytesSent: int
    bytesReceived: int
    packetsLost: int | None
    durationMs: int | None


class PathEnd(TypedDict):
    """One end of the selected ICE candidate pair as the reporting browser sees it: an IP
    address, an mDNS host name (``<uuid>.local``) or ``""`` when the browser hides it."""

    address: str
    candidateType: CandidateType


class ConnectionPath(TypedDict):
    """The reporter's own (``local``) and the other side's (``remote``) end of the pair."""

    local: PathEnd
    remote: PathEnd


class ReportConnectionRequest(TypedDict):
    meetingId: str
    peer: str
    peerSession: str
    role: Role
    status: ConnectionStatus
    stats: NotRequired[ConnectionStats]
    path: NotRequired[ConnectionPath]


class ReportConnectionResult(TypedDict):
    legId: str
    state: LegState


class ArchiveMessage(TypedDict):
    """One chat message the caller wrote: text, epoch milliseconds, and for a private message
    the addressee's uid (absent: to everyone). The server adds the caller as its author."""

    text: str
    at: int
    to: NotRequired[str]


class Engagement(TypedDict):
    """Milliseconds of the caller's session, counted by its browser: the tab visible, the
    window focused, the camera on, the microphone on."""

    visibleMs: int
    focusedMs: int
    cameraOnMs: int
    micOnMs: int


class ArchiveRequest(TypedDict):
    meetingId: str
    kind: ArchiveKind
    #: chat only, 1 to ``CHAT_MESSAGES_MAX``.
    messages: NotRequired[list[ArchiveMessage]]
    #: attendance only, optional: stored only if the organisation opted in to ``engagement``.
    engagement: NotRequired[Engagement]


class ArchiveResult(TypedDict):
    #: null when nothing was stored (every message skipped).
    archiveId: str | None
    #: Messages (chat) or records (attendance) stored.
    items: int
    #: Private messages not stored: their addressee is not a member who is stored too.
    skipped: int


class UploadObjectRequest(TypedDict):
    meetingId: str
    kind: ObjectKind
    #: The file's name as the member chose it (shown in the export, not used as the path).
    name: str
    contentType: str
    size: int
    #: The client's key of this upload (an id): a repeat of the same request (after a lost
    #: answer) gets the same object, not a second one.
    requestId: NotRequired[str]


class UploadObjectResult(TypedDict):
    objectId: str
    #: A resumable upload session for exactly ``size`` bytes: PUT the bytes to it (in chunks
    #: with ``Content-Range``; a ``PUT`` with ``Content-Range: bytes */size`` asks how far it
    #: got). Valid for a week (Cloud Storage's session lifetime).
    uploadUrl: str


class OrgStoragePolicy(TypedDict):
    """Each opt-in of an organisation: true stores that kind of its members' data."""

    chat: bool
    attendance: bool
    engagement: bool
    whiteboard: bool
    files: bool
    recordings: bool


class OrgPolicy(TypedDict):
    """An organisation's policy as its admins see and change it."""

    orgId: str
    name: str
    domains: list[str]
    #: Empty: every provider the service offers.
    allowedProviders: list[SignInProvider]
    retentionDays: int
    #: The service's maximum (``retentionDays`` may not exceed it).
    maxRetentionDays: int
    storage: OrgStoragePolicy


class OrgStorageChanges(TypedDict):
    """The opt-ins ``set`` changes (at least one)."""

    chat: NotRequired[bool]
    attendance: NotRequired[bool]
    engagement: NotRequired[bool]
    whiteboard: NotRequired[bool]
    files: NotRequired[bool]
    recordings: NotRequired[bool]


class OrgPolicyChanges(TypedDict):
    """The fields ``org_admin`` ``set`` changes (at least one); the others stay."""

    name: NotRequired[str]
    domains: NotRequired[list[str]]
    allowedProviders: NotRequired[list[SignInProvider]]
    retentionDays: NotRequired[int]
    storage: NotRequired[OrgStorageChanges]


class OrgChange(TypedDict):
    field: str
    #: Values as JSON text.
    old: str
    new: str


class OrgAuditEntry(TypedDict):
    """One change of an organisation's policy: who (the admin's e-mail), when, what."""

    at: str
    by: str
    changes: list[OrgChange]


class ExportedChat(TypedDict):
    meetingId: str
    at: str
    fromUid: str
    fromName: str
    #: null: to everyone.
    to: str | None
    text: str


class ExportedAttendance(TypedDict):
    meetingId: str
    uid: str
    displayName: str
    joinedAt: str | None
    leftAt: str | None
    #: Present only where engagement was stored.
    engagement: NotRequired[Engagement]


class ExportedObject(TypedDict):
    meetingId: str
    objectId: str
    kind: ObjectKind
    name: str
    contentType: str
    size: int
    uploadedBy: str
    at: str


class OrgExport(TypedDict):
    chat: list[ExportedChat]
    attendance: list[ExportedAttendance]
    objects: list[ExportedObject]


class OrgAdminRequest(TypedDict):
    orgId: str
    action: OrgAdminAction
    #: ``set`` only.
    changes: NotRequired[OrgPolicyChanges]


class OrgAdminResult(TypedDict):
    policy: OrgPolicy
    #: Newest first, at most ``Limits.ORG_AUDIT_ENTRIES``.
    audit: list[OrgAuditEntry]
    #: ``export`` only.
    export: NotRequired[OrgExport]


class MyDataRequest(TypedDict):
    """No fields: the caller's own data."""


class StoredField(TypedDict):
    """One stored field: its path (maps by dots, list items by ``[n]``) and its value as text
    (timestamps ISO 8601 UTC, lists and numbers as JSON), null when the stored value is null."""

    field: str
    value: str | None


class MyRecord(TypedDict):
    """One record the server keeps about the caller, as ``my_data`` and ``delete_me`` show it."""

    storedIn: StoredIn
    id: str
    meetingId: str | None
    #: When it happened (joined, started, signed in...), ISO 8601 UTC.
    at: str | None
    #: Connection legs only: the other side's display name (nothing else of theirs).
    otherName: str | None
    fields: list[StoredField]
    #: When the purge deletes it at the latest (its ``expiresAt``; it runs hourly), ISO 8601.
    deleteAfter: str | None
    onDelete: OnDelete
    #: In plain words, why a record is kept when the caller deletes their data ("" if deleted).
    why: str


class MyDataResult(TypedDict):
    uid: str
    retrievedAt: str
    retentionDays: int
    records: list[MyRecord]


class DeleteMeRequest(TypedDict):
    #: Must be ``true``: deleting cannot be undone.
    confirm: Literal[True]


class DeletedCount(TypedDict):
    storedIn: StoredIn
    count: int


class DeleteMeResult(TypedDict):
    deleted: list[DeletedCount]
    kept: list[MyRecord]
    accountDeleted: bool


#: name -> (request, result) of every callable.
CALLABLES: Final[dict[str, tuple[type, type]]] = {
    "create_meeting": (CreateMeetingRequest, CreateMeetingResult),
    "join_meeting": (JoinMeetingRequest, JoinMeetingResult),
    "meeting_info": (MeetingInfoRequest, MeetingInfoResult),
    "leave_meeting": (LeaveMeetingRequest, LeaveMeetingResult),
    "heartbeat": (HeartbeatRequest, HeartbeatResult),
    "report_connection": (ReportConnectionRequest, ReportConnectionResult),
    "archive": (ArchiveRequest, ArchiveResult),
    "upload_object": (UploadObjectRequest, UploadObjectResult),
    "org_admin": (OrgAdminRequest, OrgAdminResult),
    "knock": (KnockRequest, KnockResult),
    "host_action": (HostActionRequest, HostActionResult),
    "rename": (RenameRequest, RenameResult),
    "my_data": (MyDataRequest, MyDataResult),
    "delete_me": (DeleteMeRequest, DeleteMeResult),
}

# --- documents a client reads or writes ----------------------------------------------------------


class MeetingDoc(TypedDict):
    """``meetings/{meetingId}``: read by its participants."""

    title: str | None
    createdBy: str
    createdAt: datetime
    hasPassword: bool
    maxParticipants: int
    state: MeetingState
    #: No new joins or knocks (hosts and the participants present may still re-join).
    locked: bool
    #: Newcomers knock and wait for a host.
    lobby: bool
    #: What a host turned off for participants (not hosts or co-hosts), in ``HOST_PERMISSIONS``
    #: order; absent until a host first restricts something.
    restricted: NotRequired[list[HostPermission]]
    #: The breakout rooms a host opened, by name (room n is ``rooms[n - 1]``); absent or empty:
    #: none.
    rooms: NotRequired[list[str]]
    #: While ``rooms`` are open: participants may move themselves between them (``choose``).
    roomsChoice: NotRequired[bool]
    #: When the open rooms close by themselves (``minutes``); absent or null: no timer.
    roomsCloseAt: NotRequired[datetime | None]
    orgId: str | None
    lastActivityAt: datetime
    #: Joins admitted since ``joinsSince`` (the start of an hour), for
    #: ``Quotas.MEETING_JOINS_PER_HOUR``; absent until the first join.
    joinsSince: NotRequired[datetime]
    joins: NotRequired[int]
    expiresAt: datetime


class SignalLimit(TypedDict):
    """Set on a participant when the server deleted signals of its current session for
    exceeding a limit (``Limits.PENDING_SIGNALS_PER_PEER``, ``Quotas.SIGNALS_PER_MINUTE``, the
    leg quotas): the latest reason, how many it deleted, and until when the rules refuse its
    signals."""

    reason: SignalLimitReason
    dropped: int
    blockedUntil: datetime


class ParticipantDoc(TypedDict):
    """``meetings/{meetingId}/participants/{uid}``: read by the meeting's participants."""

    uid: str
    displayName: str
    session: str
    state: ParticipantState
    role: ParticipantRole
    joinedAt: datetime
    leftAt: datetime | None
    endCause: NotRequired[ParticipantEndCause | None]
    signalLimit: NotRequired[SignalLimit]
    #: Absent or null: nothing of this participant is stored beyond the CDR.
    storedBy: NotRequired[StoredBy | None]
    #: What a host let this participant do although it is turned off for participants
    #: (``permit``); kept across a reload, not once they leave. Absent: nothing.
    permitted: NotRequired[list[HostPermission]]
    #: The breakout room a host put this participant in (1-based); absent or null: the main
    #: room. Participants connect only within a room (the rules refuse signals across).
    room: NotRequired[int | None]
    #: While this participant, in a breakout room, asks the hosts to come (``ask-help``): when
    #: it asked. Absent otherwise: gone when it cancels, a host visits its room, it moves or
    #: the rooms close, and when it leaves.
    helpAt: NotRequired[datetime]
    #: While it asks, when a host answered "later" (``help-later``): the call stands, the hosts
    #: are busy. Gone with ``helpAt``.
    helpLaterAt: NotRequired[datetime]
    expiresAt: datetime


class PresenceDoc(TypedDict):
    """``meetings/{meetingId}/presence/{uid}``: a joined participant's liveness, apart from the
    roster so that a beat is one write that nobody's listener pays for. The server creates it
    at the join and deletes it at the close-out; the participant itself moves only
    ``lastSeenAt`` (to ``request.time``, at most once per ``minGapSeconds``)."""

    uid: str
    #: The participant's current session (as on its participant document).
    session: str
    lastSeenAt: datetime
    #: The least time between two beats the rules accept (half ``heartbeatSeconds``).
    minGapSeconds: int
    #: The server's: which shard of the sweep's index holds this participant (from the uid).
    sweepShard: int
    expiresAt: datetime


class LobbyDoc(TypedDict):
    """``meetings/{meetingId}/lobby/{uid}``: a knock, read by the hosts and by the knocker."""

    uid: str
    displayName: str
    #: The knocker's account belongs to the organisation of the meeting (its creator's).
    sameOrg: bool
    #: A host removed this person from the meeting before.
    wasRemoved: bool
    state: LobbyState
    knockedAt: datetime
    lastSeenAt: datetime
    decidedAt: datetime | None
    decidedBy: str | None
    expiresAt: datetime


class SignalCandidate(TypedDict):
    """One trickled ICE candidate; ``candidate: ""`` marks the end of candidates."""

    candidate: str
    sdpMid: str | None
    sdpMLineIndex: int | None


SignalDoc = TypedDict(
    "SignalDoc",
    {
        "from": str,
        "session": str,
        "to": str,
        "toSession": str,
        "type": SignalType,
        "sdp": NotRequired[str],
        "candidates": NotRequired[list[SignalCandidate]],
        "createdAt": datetime,
    },
)
SignalDoc.__doc__ = (
    "``meetings/{meetingId}/signals/{signalId}``: written by the sender, read by the addressee."
)

#: The key a signal of each type carries besides the common ones.
SIGNAL_PAYLOAD_KEY: Final[dict[SignalType, str]] = {
    "offer": "sdp",
    "answer": "sdp",
    "candidates": "candidates",
}
