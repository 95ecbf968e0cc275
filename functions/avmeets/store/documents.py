"""The shape of every stored document, declared once (docs/data-inventory.md in types).

The documents clients read (meeting, participant, signal) come from ``avmeets.protocol``; the
server-only ones are declared here. Pure modules build and read these; the store reads and
writes them. tests/unit/test_store_documents.py holds these shapes against the data inventory.
No ``from __future__ import annotations``: ``NotRequired`` must be seen at class creation.
"""

from datetime import datetime
from typing import Literal, NotRequired, TypedDict

from ..protocol import (
    CandidateType,
    ConnectionStats,
    ConnectionStatus,
    Engagement,
    LegState,
    LobbyDoc,
    MeetingDoc,
    OrgChange,
    ParticipantDoc,
    PresenceDoc,
    SignalCandidate,
    SignalDoc,
    SignalLimit,
)

__all__ = [
    "ArchiveDoc",
    "AttemptDoc",
    "AttendanceItem",
    "ChatItem",
    "CounterDoc",
    "ExportAuditDoc",
    "IdentityDoc",
    "IpInfo",
    "JoinRecordDoc",
    "LegDoc",
    "LegSide",
    "LegStats",
    "LobbyDoc",
    "MeetingAttemptDoc",
    "MeetingDoc",
    "MeetingSecretDoc",
    "OrgDoc",
    "ParticipantDoc",
    "PathEndRecord",
    "PathRecord",
    "PresenceDoc",
    "SignalCandidate",
    "SignalDoc",
    "SignalLimit",
    "UsageDayDoc",
    "UsageRow",
]

IpKind = Literal["public", "private", "loopback", "reserved", "invalid"]


class IpInfo(TypedDict):
    """What GeoIP says about an address (``avmeets.geo``); only ``kind`` and ``known`` when the
    address was never looked up."""

    kind: IpKind
    known: bool
    countryCode: NotRequired[str | None]
    countryName: NotRequired[str | None]
    city: NotRequired[str | None]
    asn: NotRequired[int | None]
    asOrg: NotRequired[str | None]


class MeetingSecretDoc(TypedDict):
    """``meeting_secrets/{meetingId}``."""

    passwordHash: str
    expiresAt: datetime


class AttemptDoc(TypedDict):
    """``join_attempts/{meetingId}_{uid}``: the password throttle of one caller."""

    attempts: int
    windowStartedAt: datetime
    lockedUntil: datetime | None
    expiresAt: datetime


class MeetingAttemptDoc(TypedDict):
    """``meeting_attempts/{meetingId}``: the password throttle of one meeting, all callers."""

    failures: int
    lastFailureAt: datetime
    nextAllowedAt: datetime | None
    expiresAt: datetime


class CounterDoc(TypedDict):
    """``quotas/{kind}~{subject}~{window}``: one kind's count for one subject and window, and
    the counts of its shorter windows limited too (``within``: minute stamp -> count)."""

    kind: str
    subject: str
    window: datetime
    count: NotRequired[int]
    within: NotRequired[dict[str, int]]
    expiresAt: datetime


class IdentityDoc(TypedDict):
    """``identities/{uid}``: who signed in, for the CDR."""

    uid: str
    name: str | None
    email: str | None
    phone: str | None
    provider: str
    orgId: str | None
    signInIp: str
    signInUserAgent: str | None
    lastSignInAt: datetime
    expiresAt: datetime


JoinEndCause = Literal["left", "rejoined", "heartbeat-timeout", "removed", "meeting-ended"]


class JoinRecordDoc(TypedDict):
    """``joins/{meetingId}_{uid}_{session}``: one join of one session."""

    meetingId: str
    uid: str
    session: str
    ip: str
    ipInfo: IpInfo
    userAgent: str | None
    joinedAt: datetime
    leftAt: datetime | None
    endCause: JoinEndCause | None
    #: The host who let this person in from the lobby (None: no lobby, or not needed).
    admittedBy: str | None
    #: The host who removed this session or ended the meeting (None: it ended otherwise).
    closedBy: str | None
    expiresAt: datetime
    #: Answers of this session whose trigger ran before their offer's had made the leg, by the
    #: offerer's session: the leg, once made, takes from here when this side started connecting.
    earlyAnswers: NotRequired[dict[str, "EarlyAnswer"]]


class EarlyAnswer(TypedDict):
    #: The answer's ``createdAt``.
    at: datetime
    #: Digest of its ICE credentials (as a leg side's ``iceUfrag``), or None.
    iceUfrag: str | None


class StatusChange(TypedDict):
    status: ConnectionStatus
    at: datetime


class ReportWindow(TypedDict):
    windowStart: datetime | None
    count: int


class StatsSnapshot(ConnectionStats, total=False):
    """``ConnectionStats`` as the server received them, and when."""

    at: datetime


class LegStats(TypedDict, total=False):
    connect: StatsSnapshot
    end: StatsSnapshot


PathKind = Literal["public", "private", "loopback", "reserved", "mdns", "hidden"]


class PathEndRecord(TypedDict):
    """One end of a side's selected candidate pair (``avmeets.connection_path``): the address
    and its place only when public; anything else by kind alone."""

    candidateType: CandidateType
    kind: PathKind
    ip: NotRequired[str]
    ipInfo: NotRequired[IpInfo]
    #: Local public end only: whether it is the side's join IP.
    sameAsJoinIp: NotRequired[bool]


class PathRecord(TypedDict):
    local: PathEndRecord
    remote: PathEndRecord
    at: datetime


class LegSide(TypedDict):
    """One end of a connection leg: who, from where, and how its connection went."""

    uid: str
    session: str
    name: str | None
    email: str | None
    phone: str | None
    provider: str | None
    ip: str | None
    ipInfo: IpInfo
    userAgent: str | None
    status: ConnectionStatus
    #: This side's own end is a relay candidate (its address hidden from the other side), from
    #: its latest stats; None until it reports them.
    relayed: NotRequired[bool | None]
    timeline: list[StatusChange]
    #: Status changes left out of ``timeline`` (it keeps the first and the latest ones).
    timelineDropped: NotRequired[int]
    #: Digest of the ICE username fragments of this side's latest description (offer or
    #: answer): a new one in an offer on an answered leg is an ICE restart.
    iceUfrag: NotRequired[str]
    reports: ReportWindow
    stats: LegStats
    #: The addresses the connection used, as this side last reported them.
    path: NotRequired[PathRecord]


LegEndCause = Literal[
    "hangup", "peer-left", "ice-failed", "heartbeat-timeout", "rejoined", "removed", "meeting-ended"
]
Disposition = Literal["ANSWERED", "NO ANSWER", "FAILED"]


class LegDoc(TypedDict):
    """``cdrs/{legId}``: one peer connection between two sessions (the CDR)."""

    meetingId: str
    legId: str
    seq: int
    uids: list[str]
    iceRestarts: int
    state: LegState
    startedAt: datetime
    answeredAt: datetime | None
    endedAt: datetime | None
    durationMs: int | None
    connectedMs: int | None
    disposition: Disposition | None
    endCause: LegEndCause | None
    updatedAt: datetime
    #: Either side reported a path through the relay (None until a side reports stats).
    relayed: NotRequired[bool | None]
    signalEvents: NotRequired[list[str]]
    expiresAt: datetime
    caller: LegSide
    callee: LegSide


class SignInPolicy(TypedDict, total=False):
    allowedProviders: list[str]
    requireVerifiedEmail: bool
    blockedEmails: list[str]


class StoragePolicy(TypedDict, total=False):
    """The opt-ins (``protocol.StorageKind``); a missing one is off."""

    chat: bool
    attendance: bool
    engagement: bool
    whiteboard: bool
    files: bool
    recordings: bool


class PrivacyPolicy(TypedDict, total=False):
    #: Members must hide their IP address from other participants (relay-only ICE).
    relayOnly: bool


class OrgDoc(TypedDict, total=False):
    """``orgs/{orgId}``: written by the operator, so every field may be missing."""

    name: str
    domains: list[str]
    #: The domains the operator verified as the organisation's (``avmeets org create|set
    #: --domain``): its admins may choose ``domains`` among these only.
    verifiedDomains: list[str]
    retentionDays: int
    signIn: SignInPolicy
    storage: StoragePolicy
    privacy: PrivacyPolicy


class ChatItem(TypedDict):
    """An archived chat message, written by ``fromUid`` (the member who archived it); ``to``
    the addressee of a private message (a member of the same organisation), None: everyone."""

    fromUid: str
    fromName: str
    to: str | None
    toName: str | None
    text: str
    at: datetime


class AttendanceItem(TypedDict):
    """A member's attendance of one session; ``engagement`` only where opted in."""

    uid: str
    displayName: str
    session: str
    joinedAt: datetime | None
    leftAt: datetime | None
    engagement: NotRequired[Engagement]


class StoredObject(TypedDict):
    """An object in the organisation's bucket path (``orgs/{orgId}/meetings/...``)."""

    path: str
    name: str
    contentType: str
    size: int


class ArchiveDoc(TypedDict):
    """``archives/{archiveId}``: what an opted-in organisation stores of one of its members
    (``archivedBy``): chat they wrote, their attendance, or an object they uploaded."""

    orgId: str
    meetingId: str
    kind: Literal["chat", "attendance", "file", "recording", "whiteboard"]
    archivedBy: str
    createdAt: datetime
    items: list[ChatItem] | list[AttendanceItem]
    #: Files, recordings and whiteboard snapshots: the object (its document is written before
    #: the upload starts, so the purge deletes the object even if the upload never finishes).
    object: NotRequired[StoredObject]
    expiresAt: datetime


class OrgAuditDoc(TypedDict):
    """``org_audits/{id}``: one change of an organisation's policy, by an admin or the operator."""

    orgId: str
    at: datetime
    #: The admin's e-mail address (or uid when it has none), or ``operator:<who>``.
    by: str
    byUid: str | None
    changes: list[OrgChange]
    expiresAt: datetime


ExportScope = Literal["meeting", "user"]


class ExportAuditDoc(TypedDict):
    """``export_audits/{exportId}-{part}``: one ``avmeets cdr export``, written before its output.

    Append-only: created once, never updated; the purge deletes it at ``expiresAt``. It names the
    legs by id only (no personal data of the people in them) and the operator who exported.
    """

    exportId: str
    part: int
    parts: int
    reference: str
    operator: str
    operatorSource: Literal["credentials", "environment", "emulator"]
    at: datetime
    scope: ExportScope
    since: datetime | None
    until: datetime | None
    format: Literal["json", "csv"]
    legCount: int
    legIds: list[str]
    expiresAt: datetime


class UsageRow(TypedDict):
    """One group of a day's aggregates: all, a country, or one network in a country."""

    country: str
    network: str
    asn: int | None
    meetings: int
    participants: int
    joins: int
    connections: int
    answered: int
    failed: int
    noAnswer: int
    open: int
    relayed: int
    rttMedianMs: float | None


class UsageDayDoc(TypedDict):
    """``usage_daily/{YYYY-MM-DD}``: the anonymous aggregates of one UTC day (``avmeets.usage``)."""

    day: str
    minGroupSize: int
    computedAt: datetime
    rows: list[UsageRow]
    expiresAt: datetime
