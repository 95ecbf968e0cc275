"""Meetings with their participants, signals, password hash and attempt counters, and the join
records: everything a join, a leave, a heartbeat or the signal trigger reads and writes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.field_path import FieldPath

from . import names
from .core import Contended, Gone, Versioned, client, data, typed, unchanged_since, versioned
from .documents import (
    AttemptDoc,
    CounterDoc,
    JoinRecordDoc,
    LobbyDoc,
    MeetingAttemptDoc,
    MeetingDoc,
    MeetingSecretDoc,
    ParticipantDoc,
    PresenceDoc,
    SignalDoc,
    SignalLimit,
)

R = TypeVar("R")
#: Signals deleted per batch when a participant leaves.
_SIGNAL_PAGE = 200
#: A call for a host's help ended (cancelled, answered by a visit, a move, the rooms' closing, a
#: leave): its time and a host's "later" go together.
_NO_HELP: dict[str, Any] = {"helpAt": firestore.DELETE_FIELD, "helpLaterAt": firestore.DELETE_FIELD}


def _meeting(meeting_id: str) -> firestore.DocumentReference:
    ref: firestore.DocumentReference = client().collection(names.MEETINGS).document(meeting_id)
    return ref


def _participant(meeting_id: str, uid: str) -> firestore.DocumentReference:
    ref: firestore.DocumentReference = (
        _meeting(meeting_id).collection(names.PARTICIPANTS).document(uid)
    )
    return ref


def _join(record_id: str) -> firestore.DocumentReference:
    ref: firestore.DocumentReference = client().collection(names.JOINS).document(record_id)
    return ref


def _secret(meeting_id: str) -> firestore.DocumentReference:
    ref: firestore.DocumentReference = (
        client().collection(names.MEETING_SECRETS).document(meeting_id)
    )
    return ref


# --- meetings ------------------------------------------------------------------------------------


def meeting(meeting_id: str) -> Versioned[MeetingDoc]:
    return versioned(_meeting(meeting_id).get(), MeetingDoc)


def meeting_exists(meeting_id: str) -> bool:
    return bool(_meeting(meeting_id).get().exists)


def create_meeting(meeting_id: str, doc: MeetingDoc, secret: MeetingSecretDoc | None) -> bool:
    """Create the meeting (and its password hash) at once; False when the id is taken."""
    batch = client().batch()
    batch.create(_meeting(meeting_id), data(doc))
    if secret is not None:
        batch.create(_secret(meeting_id), data(secret))
    try:
        batch.commit()
    except gexc.AlreadyExists:
        return False
    return True


def secret(meeting_id: str) -> MeetingSecretDoc | None:
    return typed(_secret(meeting_id).get(), MeetingSecretDoc)


@dataclass(frozen=True)
class JoinReads:
    """What a join decides on, as read together (``join_reads``)."""

    meeting: Versioned[MeetingDoc]
    participant: Versioned[ParticipantDoc]
    knock: Versioned[LobbyDoc]
    counters: dict[str, CounterDoc]


def join_reads(meeting_id: str, uid: str, counter_ids: list[str]) -> JoinReads:
    """The meeting, the caller's participant document and knock, and the quota counters
    ``counter_ids`` (those that exist), in one round trip: a join's checks used to read them
    one after another, each a round trip on the join's critical path."""
    knock_ref = _meeting(meeting_id).collection(names.LOBBY).document(uid)
    quotas = client().collection(names.QUOTAS)
    refs = [_meeting(meeting_id), _participant(meeting_id, uid), knock_ref]
    refs += [quotas.document(i) for i in dict.fromkeys(counter_ids)]
    got = {s.reference.path: s for s in client().get_all(refs)}
    meeting_snap, participant_snap, knock_snap = (got[r.path] for r in refs[:3])
    counters = {
        s.id: doc for r in refs[3:] if (doc := typed(s := got[r.path], CounterDoc)) is not None
    }
    return JoinReads(
        versioned(meeting_snap, MeetingDoc),
        versioned(participant_snap, ParticipantDoc),
        versioned(knock_snap, LobbyDoc),
        counters,
    )


# --- participants --------------------------------------------------------------------------------


def participant(meeting_id: str, uid: str) -> Versioned[ParticipantDoc]:
    return versioned(_participant(meeting_id, uid).get(), ParticipantDoc)


def participants_of(meeting_id: str, uids: Sequence[str]) -> dict[str, ParticipantDoc | None]:
    """The participant documents of ``uids`` by uid (None where there is none), in one round
    trip: the signal trigger reads both ends of a signal so."""
    wanted = list(dict.fromkeys(uids))
    if not wanted:
        return {}
    refs = participant_refs(meeting_id, wanted)
    return participants_by_uid(wanted, refs, {s.reference.path: s for s in client().get_all(refs)})


def participant_refs(meeting_id: str, uids: Sequence[str]) -> list[firestore.DocumentReference]:
    """The participant documents of ``uids``, for a read that takes other documents with them
    (``participants_by_uid`` then sorts them out)."""
    return [_participant(meeting_id, uid) for uid in uids]


def participants_by_uid(
    uids: Sequence[str], refs: Sequence[firestore.DocumentReference], got: Mapping[str, Any]
) -> dict[str, ParticipantDoc | None]:
    """``participant_refs``' documents, read into ``got`` (snapshots by path), by uid."""
    return {uid: typed(got[r.path], ParticipantDoc) for uid, r in zip(uids, refs, strict=True)}


def participants(meeting_id: str, *, joined_only: bool = False) -> list[ParticipantDoc]:
    query: Any = _meeting(meeting_id).collection(names.PARTICIPANTS)
    if joined_only:
        query = query.where(filter=FieldFilter("state", "==", "joined"))
    return [d for d in (typed(s, ParticipantDoc) for s in query.stream()) if d is not None]


def participants_versioned(meeting_id: str) -> list[Versioned[ParticipantDoc]]:
    """Every participant document of the meeting with its version (a conditional write's)."""
    snapshots = _meeting(meeting_id).collection(names.PARTICIPANTS).stream()
    return [versioned(s, ParticipantDoc) for s in snapshots]


def place_in_rooms(
    meeting_id: str,
    meeting_version: Any,
    meeting_fields: Mapping[str, Any],
    moves: Sequence[tuple[str, Any, int | None]],
    answered: Sequence[tuple[str, Any]] = (),
) -> None:
    """Breakout rooms opened, closed or someone moved, at once: the meeting's fields (its
    ``rooms``) and each ``(uid, version, room)`` (None: the main room), every document only if
    unchanged since read, so that a join in between (which writes its room) makes it retry.
    Whoever moves, and each ``(uid, version)`` ``answered`` (a host came), asks for help no
    more."""
    batch = client().batch()
    if meeting_fields:
        batch.update(
            _meeting(meeting_id), dict(meeting_fields), option=unchanged_since(meeting_version)
        )
    for uid, version, room in moves:
        fields = {"room": room, **_NO_HELP}
        batch.update(_participant(meeting_id, uid), fields, option=unchanged_since(version))
    for uid, version in answered:
        batch.update(_participant(meeting_id, uid), _NO_HELP, option=unchanged_since(version))
    batch.commit()


def set_help(meeting_id: str, uid: str, version: Any, asked_at: datetime | None) -> None:
    """``uid`` asks for help since ``asked_at`` (None: no longer), if unchanged since read."""
    fields = {"helpAt": asked_at} if asked_at is not None else _NO_HELP
    _participant(meeting_id, uid).update(fields, option=unchanged_since(version))


def set_help_later(meeting_id: str, uid: str, version: Any, at: datetime) -> None:
    """A host answered ``uid``'s call "later" at ``at``, if unchanged since read."""
    _participant(meeting_id, uid).update({"helpLaterAt": at}, option=unchanged_since(version))


def meetings_with_rooms_due(now: datetime, limit: int) -> list[str]:
    """Ids of meetings (at most ``limit``) whose breakout rooms' timer ran out by ``now``: a
    closed meeting's ``roomsCloseAt`` is null, which no time range matches."""
    query = (
        client()
        .collection(names.MEETINGS)
        .where(filter=FieldFilter("roomsCloseAt", "<=", now))
        .limit(limit)
    )
    return [snap.id for snap in query.select([]).stream()]


def _presence(meeting_id: str, uid: str) -> Any:
    return _meeting(meeting_id).collection(names.PRESENCE).document(uid)


def presence(meeting_id: str, uid: str) -> PresenceDoc | None:
    return typed(_presence(meeting_id, uid).get(), PresenceDoc)


def touch_presence(meeting_id: str, uid: str, now: datetime) -> bool:
    """A beat through the ``heartbeat`` callable: the participant was seen at ``now`` (clients
    with Firestore write the same field themselves, under the rules). False when the presence
    document is gone (the participant was closed out meanwhile)."""
    try:
        _presence(meeting_id, uid).update({"lastSeenAt": now})
    except gexc.NotFound:
        return False
    return True


def put_presence(meeting_id: str, presence: PresenceDoc) -> None:
    """Liveness apart from the roster, written just before the join's commit (not in its batch:
    one more document there made a burst of joins lose their races in the emulator). A join
    that then fails leaves it behind: the sweep drops it once it is stale (nobody joined)."""
    _presence(meeting_id, presence["uid"]).set(data(presence))


def delete_presence(meeting_id: str, uid: str) -> None:
    """Drop a presence document the sweep found without a joined participant behind it."""
    _presence(meeting_id, uid).delete()


@dataclass(frozen=True)
class Silent:
    meeting_id: str
    uid: str
    session: str | None


def silent_participants(
    cutoff: datetime, limit: int, shard_groups: list[list[int]]
) -> list[Silent]:
    """Joined participants (of any meeting) not seen since before ``cutoff``: at most ``limit``,
    asking each group of sweep shards in turn. Their presence documents say it: one exists
    exactly while its participant is joined (written with the join, deleted with the leave)."""
    out: list[Silent] = []
    for group in shard_groups:
        if len(out) >= limit:
            break
        query = (
            client()
            .collection_group(names.PRESENCE)
            .where(filter=FieldFilter("sweepShard", "in", group))
            .where(filter=FieldFilter("lastSeenAt", "<", cutoff))
            .limit(limit - len(out))
        )
        for snap in query.stream():
            doc = snap.to_dict() or {}
            out.append(Silent(snap.reference.parent.parent.id, snap.id, doc.get("session")))
    return out


def commit_join(
    meeting_id: str,
    version: Any,
    *,
    participant: ParticipantDoc,
    participant_version: Any,
    record_id: str,
    record: JoinRecordDoc,
    replaced_record_id: str | None,
    now: datetime,
    joins_since: datetime,
    joins: int,
    expires_at: datetime,
    renew_secret: bool,
    offer_signals: Sequence[SignalDoc] = (),
) -> None:
    """Admit a participant in one batch, only if the meeting is unchanged since ``version``.

    The meeting document is the serialisation point of joins (``services.joins``): every join
    writes it with this precondition, so a lost race raises (and the join reads again). It
    carries the meeting's join count of the hour (``joins_since``, ``joins``), exact for that. The
    participant document is written only if unchanged since ``participant_version`` (created
    when None), so a host's removal and the removed person's re-join never both succeed.
    Raises ``Gone`` when the meeting or its password hash was purged meanwhile.
    ``offer_signals`` (the newcomer's offers to those present) are created in the same batch:
    an offer exists only if the join does.
    """
    batch = client().batch()
    batch.update(
        _meeting(meeting_id),
        {
            "lastActivityAt": now,
            "joinsSince": joins_since,
            "joins": joins,
            "expiresAt": expires_at,
        },
        option=unchanged_since(version),
    )
    mine = _participant(meeting_id, participant["uid"])
    if participant_version is None:
        batch.create(mine, data(participant))
    else:  # every field of the document is written: a replacement, conditional
        batch.update(mine, data(participant), option=unchanged_since(participant_version))
    batch.set(_join(record_id), data(record))
    if replaced_record_id is not None:
        batch.set(_join(replaced_record_id), {"leftAt": now, "endCause": "rejoined"}, merge=True)
    signals = _meeting(meeting_id).collection(names.SIGNALS)
    for signal in offer_signals:
        batch.create(signals.document(), dict(signal))
    if renew_secret:
        # The hash must live as long as the meeting, or the purge / TTL would drop it first
        # and lock everyone out of a meeting that still exists.
        batch.update(_secret(meeting_id), {"expiresAt": expires_at})
    try:
        batch.commit()  # a lost race (another join committed in between) reads again
    except gexc.NotFound:
        raise Gone(meeting_id) from None


def commit_leave(
    meeting_id: str,
    uid: str,
    version: Any,
    *,
    record_id: str | None,
    now: datetime,
    cause: str,
    closed_by: str | None = None,
) -> None:
    """Mark a participant left (or removed, for the cause ``removed``) and close its join
    record, only if the participant document is unchanged since ``version`` (a heartbeat or a
    re-join in between makes the leave read again).

    A removal also makes a co-host a participant again and forgets the person's knock, so that
    only a new knock admitted by a host lets them back in. ``record_id`` is None for someone
    removed after they had left (their join record is closed already).
    """
    removed = cause == "removed"
    fields: dict[str, Any] = {
        "state": "removed" if removed else "left",
        "endCause": cause,
        **_NO_HELP,  # nobody waits for a host to help someone gone
    }
    if record_id is not None:
        fields["leftAt"] = now
    if removed:
        fields["role"] = "participant"
    batch = client().batch()
    batch.update(_participant(meeting_id, uid), fields, option=unchanged_since(version))
    if record_id is not None:
        closed: dict[str, Any] = {"leftAt": now, "endCause": cause}
        if closed_by is not None:
            closed["closedBy"] = closed_by
        batch.set(_join(record_id), closed, merge=True)
    if removed:
        batch.delete(_meeting(meeting_id).collection(names.LOBBY).document(uid))
    # With the participant: its presence document goes when it stops being joined, so the
    # rules refuse every later beat and the sweep never finds it again.
    batch.delete(_presence(meeting_id, uid))
    batch.commit()


def set_role(meeting_id: str, uid: str, version: Any, role: str) -> None:
    """A host made ``uid`` a co-host or a participant again (if unchanged since ``version``)."""
    _participant(meeting_id, uid).update({"role": role}, option=unchanged_since(version))


def set_permitted(meeting_id: str, uid: str, version: Any, permitted: Sequence[str]) -> None:
    """What a host let ``uid`` do all the same (if unchanged since ``version``)."""
    _participant(meeting_id, uid).update(
        {"permitted": list(permitted)}, option=unchanged_since(version)
    )


def set_display_name(meeting_id: str, uid: str, version: Any, name: str) -> None:
    """``uid`` renamed themselves (if unchanged since ``version``)."""
    _participant(meeting_id, uid).update({"displayName": name}, option=unchanged_since(version))


# --- password attempts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptWrite:
    """What a password check writes: the caller's counter (a new state, or clear it) and the
    meeting's (a new state, or leave it)."""

    state: AttemptDoc | None = None
    clear: bool = False
    meeting: MeetingAttemptDoc | None = None


#: The Firestore client's message when a transaction lost every one of its attempts.
_TRANSACTION_GAVE_UP = "Failed to commit transaction"


def throttled(
    meeting_id: str,
    uid: str,
    decide: Callable[[AttemptDoc | None, MeetingAttemptDoc | None], tuple[R, AttemptWrite]],
) -> R:
    """Run ``decide`` on the caller's and the meeting's attempt counters in a transaction and
    apply its writes.

    A transaction, so parallel guesses are serialised on the counters; ``decide`` may run more
    than once (the transaction retries) and must not have side effects. When every attempt of
    the transaction lost to other guesses it raises ``Contended`` (the client retries later).
    """
    ref = client().collection(names.JOIN_ATTEMPTS).document(f"{meeting_id}_{uid}")
    meeting_ref = client().collection(names.MEETING_ATTEMPTS).document(meeting_id)

    @firestore.transactional
    def attempt(txn: firestore.Transaction) -> R:
        snaps = {s.reference.path: s for s in txn.get_all([ref, meeting_ref])}
        snap, meeting_snap = snaps[ref.path], snaps[meeting_ref.path]
        result, write = decide(typed(snap, AttemptDoc), typed(meeting_snap, MeetingAttemptDoc))
        if write.clear and snap.exists:
            txn.delete(ref)
        elif write.state is not None:
            txn.set(ref, data(write.state))
        if write.meeting is not None:
            txn.set(meeting_ref, data(write.meeting))
        return result

    try:
        out: R = attempt(client().transaction())
    except ValueError as err:
        if str(err).startswith(_TRANSACTION_GAVE_UP):
            raise Contended() from None
        raise
    except gexc.Aborted:
        raise Contended() from None
    return out


# --- signals -------------------------------------------------------------------------------------


def delete_signal(meeting_id: str, signal_id: str) -> None:
    _meeting(meeting_id).collection(names.SIGNALS).document(signal_id).delete()


def delete_signals_of(meeting_id: str, uid: str) -> int:
    """Delete signals from and to ``uid`` in pages; returns how many."""
    signals = _meeting(meeting_id).collection(names.SIGNALS)
    deleted = 0
    for field in ("from", "to"):
        while True:
            query = signals.where(filter=FieldFilter(field, "==", uid)).limit(_SIGNAL_PAGE)
            page = list(query.stream())
            if not page:
                break
            batch = client().batch()
            for snap in page:
                batch.delete(snap.reference)
            batch.commit()
            deleted += len(page)
    return deleted


def first_pending(meeting_id: str, from_uid: str, to_uid: str, limit: int) -> list[str]:
    """Ids of the first ``limit`` signals from ``from_uid`` to ``to_uid`` still stored, in the
    order the addressee applies them (``createdAt``, then id)."""
    query = (
        _meeting(meeting_id)
        .collection(names.SIGNALS)
        .where(filter=FieldFilter("from", "==", from_uid))
        .where(filter=FieldFilter("to", "==", to_uid))
        .order_by("createdAt")
        .order_by(FieldPath.document_id())
        .limit(limit)
    )
    return [snap.id for snap in query.select([]).stream()]


def flag_sender(meeting_id: str, uid: str, session: str, limit: SignalLimit) -> bool:
    """Tell a sender (on its participant document) that a signal of its session ``session``
    was deleted: ``limit``'s reason and block, one more in ``dropped`` (an increment, so a
    flood of deletions counts them all). Not once it has moved on to another session (False).
    No precondition: a re-join between the read and the write costs the new session one
    block; a precondition would lose most of a flood's flags to each other."""
    current = participant(meeting_id, uid).doc
    if current is None or current.get("session") != session:
        return False
    fields = {
        "signalLimit.reason": limit["reason"],
        "signalLimit.blockedUntil": limit["blockedUntil"],
        "signalLimit.dropped": firestore.Increment(limit["dropped"]),
    }
    try:
        _participant(meeting_id, uid).update(fields)
    except gexc.NotFound:
        return False
    return True
