"""An attack suite against the real firestore.rules: every attack refused, every legitimate client
operation of docs/protocol.md allowed.

One world is built for the whole module (this module overrides the per-test clean of conftest.py,
the attacks being read-only when the rules hold): a password meeting hosted by Alice with Bob and
Frank joined and a signal from Alice to Bob; Dave, who joined and left; Hank, whom Alice removed;
Gina, waiting in the lobby Alice switched on; Eve, a participant of another meeting; Carol, signed
in but in no meeting; and an anonymous client that sends no token at all.
Each attack must raise PermissionDenied, and a dump of the whole database taken before and after
it must be the same as the baseline taken once the world settled. The legitimate operations run
last, since they write.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio
from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1 import _helpers

from .support.actors import Actor
from .support.admin import (
    Dump,
    admin_client,
    clean_all,
    diff,
    dump_all,
    emulators_reachable,
    settled_dump,
    without_heartbeats,
)
from .support.callables import CallableError
from .support.cli import run_cli
from .support.config import PROJECT_ID
from .support.deadline import wait_for
from .support.factories import Actors, Addresses
from .support.hosts import host_action
from .support.userstore import close_client, sample_candidates, signal_data

pytestmark = pytest.mark.asyncio(loop_scope="module")

PASSWORD = "attack at dawn"
ORG_ID, ORG_DOMAIN = "acme", "acme.example"
SERVER_ONLY = (
    "identities",
    "joins",
    "meeting_secrets",
    "join_attempts",
    "cdrs",
    "orgs",
    "archives",
    "org_audits",
)
FieldFilter = firestore.FieldFilter


class AnonymousAsyncClient(firestore.AsyncClient):
    """A client that sends no Authorization header: `request.auth == null` for the rules.

    The stock emulator client sends `Bearer owner`, which bypasses the rules; userstore.py's
    clients send a user's ID token instead. This one sends nothing, like a logged-out browser.
    """

    def __init__(self) -> None:
        super().__init__(project=PROJECT_ID)

    @property
    def _rpc_metadata(self) -> list[tuple[str, str]]:
        return list(_helpers.metadata_with_prefix(self._database_string))


@pytest.fixture(autouse=True)
def clean_emulators() -> None:
    """Overrides conftest.py's per-test clean: the module's world is built (and cleaned) once."""


@dataclass
class World:
    admin: firestore.AsyncClient
    anon: AnonymousAsyncClient
    meeting_id: str
    other_meeting_id: str
    alice: Actor
    bob: Actor
    carol: Actor  # signed in, in no meeting
    dave: Actor  # joined the meeting, then left
    eve: Actor  # a participant of the other meeting only
    frank: Actor  # a third participant of the meeting (over a signal limit once, long ago)
    gina: Actor  # waiting in the lobby
    hank: Actor  # removed by Alice, the host
    ivy: Actor  # a participant the server caught over a signal limit (signalLimit, blocked)
    sessions: dict[str, str]
    signal_id: str  # from Alice to Bob
    baseline: Dump = field(default_factory=dict)

    def meeting(self, who: Actor | None, meeting_id: str | None = None) -> Any:
        store = self.anon if who is None else who.store
        return store.collection("meetings").document(meeting_id or self.meeting_id)

    def signals(self, who: Actor | None, meeting_id: str | None = None) -> Any:
        return self.meeting(who, meeting_id).collection("signals")

    def participants(self, who: Actor | None, meeting_id: str | None = None) -> Any:
        return self.meeting(who, meeting_id).collection("participants")

    def lobby(self, who: Actor | None) -> Any:
        return self.meeting(who).collection("lobby")

    def signal(self, sender: Actor, target: Actor, **changes: Any) -> dict[str, Any]:
        """A valid candidates signal from `sender` to `target`, with `changes` (DROP: drop)."""
        data = signal_data(
            from_uid=sender.uid,
            session=self.sessions.get(sender.uid, "0" * 32),
            to_uid=target.uid,
            to_session=self.sessions.get(target.uid, "0" * 32),
            type="candidates",
            candidates=sample_candidates(),
        )
        data.update(changes)
        return {k: v for k, v in data.items() if v is not DROP}

    def offer(self, sender: Actor, target: Actor, **changes: Any) -> dict[str, Any]:
        offer = {"type": "offer", "candidates": DROP, "sdp": "v=0\r\n"}
        return self.signal(sender, target, **{**offer, **changes})


DROP = object()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world() -> AsyncIterator[World]:
    problem = await emulators_reachable()
    if problem is not None:
        pytest.fail(f"{problem}; run these tests through `nox -s emulator_tests`", pytrace=False)
    await clean_all()
    actors = Actors(Addresses())
    admin = admin_client()
    anon = AnonymousAsyncClient()
    try:
        # Every server-only collection holds a real document about the attackers, made the way
        # the product makes it, so that a rule letting people read or change their own (their
        # CDR legs, their failed-password counter, their organisation, their archive) is caught.
        # Alice's organisation keeps chat (orgs, archives).
        await (
            admin.collection("orgs")
            .document(ORG_ID)
            .set({"name": "Acme", "domains": [ORG_DOMAIN], "storage": {"chat": True}})
        )
        # A policy change, audited (org_audits), as the operator's command line makes it.
        changed = await asyncio.to_thread(run_cli, "org", "set", ORG_ID, "--store", "attendance=on")
        assert changed.returncode == 0, changed.stderr
        alice = await actors("alice", email=f"alice@{ORG_DOMAIN}")
        bob, carol = await actors("bob"), await actors("carol")
        dave, eve, frank = await actors("dave"), await actors("eve"), await actors("frank")
        gina, hank, ivy = await actors("gina"), await actors("hank"), await actors("ivy")
        meeting_id = await alice.create_meeting(title="Attacks", password=PASSWORD)
        other_meeting_id = await eve.create_meeting(title="Elsewhere")
        sessions: dict[str, str] = {}
        for who in (alice, bob, frank, dave, hank, ivy):
            sessions[who.uid] = (await who.join(meeting_id, PASSWORD))["session"]
        sessions[eve.uid] = (await eve.join(other_meeting_id))["session"]
        await dave.leave(meeting_id)
        # What the signal trigger writes on a sender it caught over a limit (docs/protocol.md
        # section 3): Ivy is blocked for a day, Frank's block ran out an hour ago.
        now = datetime.datetime.now(datetime.UTC)
        for who, until in ((ivy, now + datetime.timedelta(days=1)),
                           (frank, now - datetime.timedelta(hours=1))):  # fmt: skip
            participant = admin.collection("meetings", meeting_id, "participants").document(who.uid)
            limit = {"reason": "rate", "dropped": 3, "blockedUntil": until}
            await participant.update({"signalLimit": limit})
        with pytest.raises(CallableError):  # join_attempts (and meeting_attempts)
            await carol.join(meeting_id, "wrong password")
        await alice.call(
            "archive",
            {
                "meetingId": meeting_id,
                "kind": "chat",
                "messages": [{"text": "minutes", "at": 1_700_000_000_000}],
            },
        )
        await host_action(alice, meeting_id, "lobby-on")
        assert (await gina.knock(meeting_id, password=PASSWORD))["state"] == "waiting"
        await host_action(alice, meeting_id, "remove", hank.uid)
        w = World(
            admin, anon, meeting_id, other_meeting_id, alice, bob, carol, dave, eve, frank,
            gina, hank, ivy, sessions, signal_id="",
        )  # fmt: skip
        ref = w.signals(alice).document()
        await ref.create(w.signal(alice, bob))
        w.signal_id = ref.id
        # The signal trigger makes a CDR leg between Alice and Bob from an offer it sees, a
        # moment later: wait for it, so the baseline below holds it.
        await w.signals(alice).document().create(w.offer(alice, bob))

        async def leg_made() -> bool:
            return bool(_ids(await dump_all(admin), "cdrs"))

        await wait_for(leg_made, timeout=30.0, what="the CDR leg of Alice's offer to Bob")
        # The joined actors heartbeat throughout (the scheduled sweep would close them out
        # otherwise): "unchanged" below is everything but their lastSeenAt.
        w.baseline = await settled_dump(admin, heartbeats=False)
        assert f"meetings/{meeting_id}/signals/{ref.id}" in w.baseline
        for name in SERVER_ONLY:
            assert _ids(w.baseline, name), f"the world has no {name} document to attack"
        leg = w.baseline[f"cdrs/{_ids(w.baseline, 'cdrs')[0]}"]
        assert set(leg["uids"]) == {alice.uid, bob.uid}, leg
        yield w
    finally:
        for actor in actors.all:
            await actor.dispose()
        await close_client(anon)
        await close_client(admin)


# ------------------------------------------------------------------------------- attacks

Attack = Callable[[World], Awaitable[Any]]
ATTACKS: list[Any] = []


def attack(attack_id: str, operation: Attack) -> None:
    ATTACKS.append(pytest.param(operation, id=attack_id))


# --- anonymous: no token at all
attack("anon-get-meeting", lambda w: w.meeting(None).get())
attack("anon-list-participants", lambda w: w.participants(None).get())
attack("anon-get-participant", lambda w: w.participants(None).document(w.alice.uid).get())
attack("anon-get-signal", lambda w: w.signals(None).document(w.signal_id).get())
attack("anon-list-signals", lambda w: w.signals(None).get())
attack(
    "anon-query-signals-to-bob",
    lambda w: w.signals(None).where(filter=FieldFilter("to", "==", w.bob.uid)).get(),
)
attack(
    "anon-create-signal-as-alice",
    lambda w: w.signals(None).document().create(w.signal(w.alice, w.bob)),
)
attack("anon-delete-signal", lambda w: w.signals(None).document(w.signal_id).delete())
attack("anon-list-meetings", lambda w: w.anon.collection("meetings").get())
attack(
    "anon-create-meeting",
    lambda w: w.anon.collection("meetings").document("aaa-aaaa-aaa").set({"state": "open"}),
)
attack("anon-get-identity", lambda w: w.anon.collection("identities").document(w.alice.uid).get())
attack(
    "anon-write-identity", lambda w: w.anon.collection("identities").document("x").set({"uid": "x"})
)
attack(
    "anon-collection-group-participants", lambda w: w.anon.collection_group("participants").get()
)

# --- a signed-in stranger (Carol, in no meeting)
attack("stranger-get-meeting", lambda w: w.meeting(w.carol).get())
attack("stranger-list-participants", lambda w: w.participants(w.carol).get())
attack("stranger-get-participant", lambda w: w.participants(w.carol).document(w.alice.uid).get())
attack("stranger-get-signal", lambda w: w.signals(w.carol).document(w.signal_id).get())
attack("stranger-list-signals", lambda w: w.signals(w.carol).get())
attack(
    "stranger-query-signals-to-bob",
    lambda w: w.signals(w.carol).where(filter=FieldFilter("to", "==", w.bob.uid)).get(),
)
attack(
    "stranger-signal-to-alice",
    lambda w: w.signals(w.carol).document().create(w.signal(w.carol, w.alice)),
)
attack(
    "stranger-signal-claiming-alice",
    lambda w: w.signals(w.carol).document().create(w.signal(w.alice, w.bob)),
)
attack(
    "stranger-admits-itself",
    lambda w: (
        w.participants(w.carol)
        .document(w.carol.uid)
        .set({"uid": w.carol.uid, "displayName": "Carol", "session": "c" * 32, "state": "joined"})
    ),
)
attack("stranger-delete-signal", lambda w: w.signals(w.carol).document(w.signal_id).delete())
attack("stranger-update-meeting", lambda w: w.meeting(w.carol).update({"title": "pwned"}))

# --- a participant of another meeting (Eve)
attack("other-meeting-get-meeting", lambda w: w.meeting(w.eve).get())
attack("other-meeting-list-participants", lambda w: w.participants(w.eve).get())
attack(
    "other-meeting-query-signals-to-bob",
    lambda w: w.signals(w.eve).where(filter=FieldFilter("to", "==", w.bob.uid)).get(),
)
attack(
    "other-meeting-signal-with-its-session",
    lambda w: w.signals(w.eve).document().create(w.signal(w.eve, w.alice)),
)
attack(
    "other-meeting-signal-into-own-meeting-to-alice",
    lambda w: w.signals(w.eve, w.other_meeting_id).document().create(w.signal(w.eve, w.alice)),
)
attack(
    "other-meeting-own-meeting-update",
    lambda w: w.meeting(w.eve, w.other_meeting_id).update({"maxParticipants": 100}),
)

# --- a participant who has left (Dave)
attack("left-get-meeting", lambda w: w.meeting(w.dave).get())
attack("left-list-participants", lambda w: w.participants(w.dave).get())
attack(
    "left-signal-with-old-session",
    lambda w: w.signals(w.dave).document().create(w.signal(w.dave, w.alice)),
)
attack(
    "signal-to-a-left-participant",
    lambda w: w.signals(w.alice).document().create(w.signal(w.alice, w.dave)),
)
attack(
    "left-rejoins-by-writing-own-state",
    lambda w: w.participants(w.dave).document(w.dave.uid).update({"state": "joined"}),
)


# --- a knocker waiting in the lobby (Gina): nothing of the meeting until a host lets her in
attack("waiting-get-meeting", lambda w: w.meeting(w.gina).get())
attack("waiting-list-participants", lambda w: w.participants(w.gina).get())
attack("waiting-get-participant", lambda w: w.participants(w.gina).document(w.alice.uid).get())
attack(
    "waiting-query-joined-participants",
    lambda w: w.participants(w.gina).where(filter=FieldFilter("state", "==", "joined")).get(),
)
attack(
    "waiting-signal-to-alice",
    lambda w: w.signals(w.gina).document().create(w.signal(w.gina, w.alice)),
)
attack("waiting-list-lobby", lambda w: w.lobby(w.gina).get())
attack(
    "waiting-admits-itself",
    lambda w: w.lobby(w.gina).document(w.gina.uid).update({"state": "admitted"}),
)
attack("waiting-deletes-own-knock", lambda w: w.lobby(w.gina).document(w.gina.uid).delete())
attack(
    "waiting-writes-own-participant",
    lambda w: (
        w.participants(w.gina)
        .document(w.gina.uid)
        .set({"uid": w.gina.uid, "displayName": "G", "session": "g" * 32, "state": "joined"})
    ),
)

# --- a participant a host removed (Hank)
attack(
    "removed-signal-with-old-session",
    lambda w: w.signals(w.hank).document().create(w.signal(w.hank, w.alice)),
)
attack(
    "signal-to-a-removed-participant",
    lambda w: w.signals(w.alice).document().create(w.signal(w.alice, w.hank)),
)
attack("removed-get-meeting", lambda w: w.meeting(w.hank).get())
attack("removed-list-participants", lambda w: w.participants(w.hank).get())
attack("removed-get-participant", lambda w: w.participants(w.hank).document(w.bob.uid).get())
attack("removed-list-lobby", lambda w: w.lobby(w.hank).get())
attack(
    "removed-rejoins-by-writing-own-state",
    lambda w: w.participants(w.hank).document(w.hank.uid).update({"state": "joined"}),
)
attack(
    "removed-knocks-by-writing-a-knock",
    lambda w: w.lobby(w.hank).document(w.hank.uid).set({"uid": w.hank.uid, "state": "admitted"}),
)

# --- the lobby and roles: no client writes them, only hosts read the lobby
attack("guest-list-lobby", lambda w: w.lobby(w.frank).get())
attack(
    "guest-query-waiting-lobby",
    lambda w: w.lobby(w.frank).where(filter=FieldFilter("state", "==", "waiting")).get(),
)
attack("guest-get-knock", lambda w: w.lobby(w.frank).document(w.gina.uid).get())
attack("left-get-knock", lambda w: w.lobby(w.dave).document(w.gina.uid).get())
attack("stranger-list-lobby", lambda w: w.lobby(w.carol).get())
attack("anon-list-lobby", lambda w: w.lobby(None).get())
attack(
    "guest-admits-knock",
    lambda w: w.lobby(w.frank).document(w.gina.uid).update({"state": "admitted"}),
)
attack(
    "host-admits-knock-by-writing",
    lambda w: w.lobby(w.alice).document(w.gina.uid).update({"state": "admitted"}),
)
attack("host-deletes-knock", lambda w: w.lobby(w.alice).document(w.gina.uid).delete())
attack(
    "guest-makes-itself-host",
    lambda w: w.participants(w.frank).document(w.frank.uid).update({"role": "host"}),
)
attack(
    "host-makes-cohost-by-writing",
    lambda w: w.participants(w.alice).document(w.bob.uid).update({"role": "cohost"}),
)
attack(
    "host-readmits-removed-by-writing",
    lambda w: w.participants(w.alice).document(w.hank.uid).update({"state": "joined"}),
)
attack("guest-unlocks-lobby", lambda w: w.meeting(w.frank).update({"lobby": False}))
attack("host-locks-by-writing", lambda w: w.meeting(w.alice).update({"locked": True}))
attack("collection-group-lobby", lambda w: w.alice.store.collection_group("lobby").get())
# --- a participant the server caught over a signal limit (Ivy): blocked until blockedUntil
attack(
    "blocked-sender-candidates",
    lambda w: w.signals(w.ivy).document().create(w.signal(w.ivy, w.alice)),
)
attack("blocked-sender-offer", lambda w: w.signals(w.ivy).document().create(w.offer(w.ivy, w.bob)))
attack(
    "blocked-sender-answer",
    lambda w: w.signals(w.ivy).document().create(w.offer(w.ivy, w.frank, type="answer")),
)


def _blocked_batch(w: World) -> Awaitable[Any]:
    batch = w.ivy.store.batch()
    for target in (w.alice, w.bob, w.frank):
        batch.create(w.signals(w.ivy).document(), w.offer(w.ivy, target))
    return batch.commit()


attack("blocked-sender-batch-of-offers", _blocked_batch)
attack(
    "blocked-sender-clears-own-limit",
    lambda w: w.participants(w.ivy).document(w.ivy.uid).update({"signalLimit": None}),
)


# --- a participant (Alice) forging signal documents
def forged(attack_id: str, **changes: Any) -> None:
    attack(
        f"forge-{attack_id}",
        lambda w: w.signals(w.alice).document().create(w.signal(w.alice, w.bob, **changes)),
    )


def forged_offer(attack_id: str, **changes: Any) -> None:
    attack(
        f"forge-{attack_id}",
        lambda w: w.signals(w.alice).document().create(w.offer(w.alice, w.bob, **changes)),
    )


ENTRY = sample_candidates()[0]
attack(
    "forge-from-bob",
    lambda w: (
        w.signals(w.alice)
        .document()
        .create(w.signal(w.alice, w.bob, **{"from": w.bob.uid, "to": w.alice.uid}))
    ),
)
attack(
    "forge-from-bob-with-bobs-sessions",
    lambda w: w.signals(w.alice).document().create(w.signal(w.bob, w.alice)),
)
attack(
    "forge-session-of-bob",
    lambda w: (
        w.signals(w.alice)
        .document()
        .create(w.signal(w.alice, w.bob, session=w.sessions[w.bob.uid]))
    ),
)
forged("wrong-session", session="f" * 32)
forged("wrong-to-session", toSession="e" * 32)
forged("empty-session", session="")
forged("session-over-64", session="s" * 65)
forged("to-session-over-64", toSession="t" * 65)
attack(
    "forge-to-self",
    lambda w: w.signals(w.alice).document().create(w.signal(w.alice, w.alice)),
)
attack(
    "forge-to-stranger",
    lambda w: w.signals(w.alice).document().create(w.signal(w.alice, w.carol)),
)
attack(
    "forge-to-other-meeting-participant",
    lambda w: w.signals(w.alice).document().create(w.signal(w.alice, w.eve)),
)
forged("missing-from", **{"from": DROP})
forged("missing-to", to=DROP)
forged("missing-session", session=DROP)
forged("missing-to-session", toSession=DROP)
forged("missing-type", type=DROP)
forged("unknown-type", type="bye")
forged("extra-key", note="hi")
forged("extra-key-expires-at", expiresAt=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
forged("missing-created-at", createdAt=DROP)
forged("client-created-at-past", createdAt=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
forged("client-created-at-future", createdAt=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
forged("created-at-string", createdAt="2020-01-01T00:00:00Z")
forged("sdp-on-candidates", sdp="v=0")
forged("no-candidates", candidates=[])
forged("candidates-not-a-list", candidates={"0": ENTRY})
forged("nine-candidates", candidates=[ENTRY] * 9)
forged("twenty-candidates", candidates=[ENTRY] * 20)
forged("candidate-over-1024", candidates=[{**ENTRY, "candidate": "c" * 1025}])
forged("candidate-not-a-string", candidates=[{**ENTRY, "candidate": 42}])
forged("candidate-entry-not-a-map", candidates=["candidate:1 1 udp 1 1.2.3.4 9 typ host"])
forged("candidate-extra-key", candidates=[{**ENTRY, "usernameFragment": "x"}])
forged("candidate-sdp-mid-over-64", candidates=[{**ENTRY, "sdpMid": "m" * 65}])
forged("candidate-sdp-mline-65", candidates=[{**ENTRY, "sdpMLineIndex": 65}])
forged("candidate-sdp-mline-negative", candidates=[{**ENTRY, "sdpMLineIndex": -1}])
forged("candidate-sdp-mline-string", candidates=[{**ENTRY, "sdpMLineIndex": "0"}])
forged("ninth-bad-after-eight-good", candidates=[ENTRY] * 7 + [{**ENTRY, "candidate": "c" * 1025}])
forged_offer("offer-without-sdp", sdp=DROP)
forged_offer("offer-sdp-over-32768", sdp="v" * 32769)
forged_offer("offer-empty-sdp", sdp="")
forged_offer("offer-sdp-not-a-string", sdp=["v=0"])
forged_offer("offer-with-candidates", candidates=sample_candidates())
forged_offer("answer-sdp-over-32768", type="answer", sdp="v" * 40000)
forged_offer("offer-extra-key", sdp="v=0", note="x")

# --- reading or touching signals meant for someone else
attack("sender-get-signal-to-bob", lambda w: w.signals(w.alice).document(w.signal_id).get())
attack(
    "sender-query-signals-to-bob",
    lambda w: w.signals(w.alice).where(filter=FieldFilter("to", "==", w.bob.uid)).get(),
)
attack(
    "sender-query-signals-by-from",
    lambda w: w.signals(w.alice).where(filter=FieldFilter("from", "==", w.alice.uid)).get(),
)
attack("participant-list-all-signals", lambda w: w.signals(w.frank).get())
attack("third-get-signal-to-bob", lambda w: w.signals(w.frank).document(w.signal_id).get())
attack(
    "third-query-signals-to-bob",
    lambda w: w.signals(w.frank).where(filter=FieldFilter("to", "==", w.bob.uid)).get(),
)
attack(
    "third-query-signals-to-in-bob-and-self",
    lambda w: (
        w.signals(w.frank).where(filter=FieldFilter("to", "in", [w.frank.uid, w.bob.uid])).get()
    ),
)
attack("sender-delete-signal-to-bob", lambda w: w.signals(w.alice).document(w.signal_id).delete())
attack("third-delete-signal-to-bob", lambda w: w.signals(w.frank).document(w.signal_id).delete())
attack(
    "addressee-updates-signal",
    lambda w: w.signals(w.bob).document(w.signal_id).update({"type": "offer"}),
)
attack(
    "addressee-overwrites-signal-with-set",
    lambda w: w.signals(w.bob).document(w.signal_id).set(w.signal(w.bob, w.alice)),
)
attack(
    "sender-overwrites-own-signal-with-set",
    lambda w: w.signals(w.alice).document(w.signal_id).set(w.signal(w.alice, w.bob)),
)
attack(
    "sender-retargets-signal-to-frank",
    lambda w: w.signals(w.alice).document(w.signal_id).update({"to": w.frank.uid}),
)

# --- changing participant documents
attack(
    "participant-changes-own-session",
    lambda w: w.participants(w.alice).document(w.alice.uid).update({"session": "a" * 32}),
)
attack(
    "participant-marks-other-left",
    lambda w: w.participants(w.alice).document(w.bob.uid).update({"state": "left"}),
)
attack(
    "participant-renames-other",
    lambda w: w.participants(w.alice).document(w.bob.uid).update({"displayName": "Bobby"}),
)
attack("participant-deletes-other", lambda w: w.participants(w.alice).document(w.bob.uid).delete())
attack("participant-deletes-self", lambda w: w.participants(w.alice).document(w.alice.uid).delete())
attack(
    "participant-admits-stranger",
    lambda w: (
        w.participants(w.alice)
        .document(w.carol.uid)
        .set({"uid": w.carol.uid, "displayName": "Carol", "session": "c" * 32, "state": "joined"})
    ),
)

# --- meetings
attack("participant-renames-meeting", lambda w: w.meeting(w.alice).update({"title": "hijacked"}))
attack("participant-raises-cap", lambda w: w.meeting(w.alice).update({"maxParticipants": 100}))
attack("participant-removes-password", lambda w: w.meeting(w.alice).update({"hasPassword": False}))
attack("participant-ends-meeting", lambda w: w.meeting(w.alice).update({"state": "ended"}))
attack("participant-deletes-meeting", lambda w: w.meeting(w.alice).delete())
attack(
    "participant-creates-meeting-doc",
    lambda w: w.alice.store.collection("meetings").document("zzz-zzzz-zzz").set({"state": "open"}),
)
attack("participant-lists-meetings", lambda w: w.alice.store.collection("meetings").get())
attack(
    "participant-queries-meetings-by-creator",
    lambda w: (
        w.alice.store.collection("meetings")
        .where(filter=FieldFilter("createdBy", "==", w.alice.uid))
        .get()
    ),
)

# --- collection group queries
attack(
    "collection-group-signals-to-bob",
    lambda w: (
        w.alice.store.collection_group("signals")
        .where(filter=FieldFilter("to", "==", w.bob.uid))
        .get()
    ),
)
attack(
    "collection-group-participants", lambda w: w.alice.store.collection_group("participants").get()
)
attack(
    "collection-group-participants-by-uid",
    lambda w: (
        w.alice.store.collection_group("participants")
        .where(filter=FieldFilter("uid", "==", w.bob.uid))
        .get()
    ),
)
attack("collection-group-joins", lambda w: w.alice.store.collection_group("joins").get())
attack("collection-group-cdrs", lambda w: w.alice.store.collection_group("cdrs").get())


# --- server-only collections: read, list, create, update, delete
def _server_only(name: str, existing: Callable[[World], str]) -> None:
    attack(f"{name}-get", lambda w: w.alice.store.collection(name).document(existing(w)).get())
    attack(f"{name}-list", lambda w: w.alice.store.collection(name).limit(5).get())
    attack(
        f"{name}-create",
        lambda w: w.alice.store.collection(name).document(f"forged-{w.alice.uid}").set({"x": 1}),
    )
    attack(
        f"{name}-update",
        lambda w: w.alice.store.collection(name).document(existing(w)).set({"x": 1}, merge=True),
    )
    attack(
        f"{name}-delete", lambda w: w.alice.store.collection(name).document(existing(w)).delete()
    )


def _ids(dump: Dump, collection: str) -> list[str]:
    return sorted(p.split("/")[1] for p in dump if p.startswith(f"{collection}/"))


def _first_id(collection: str) -> Callable[[World], str]:
    def pick(w: World) -> str:
        return _ids(w.baseline, collection)[0]  # the world seeds one (checked when it is built)

    return pick


for _name in SERVER_ONLY:
    _server_only(_name, _first_id(_name))
attack(
    "meeting-secret-overwrite-hash",
    lambda w: (
        w.alice.store.collection("meeting_secrets")
        .document(w.meeting_id)
        .set({"passwordHash": "x"})
    ),
)
attack(
    "join-attempts-reset-by-stranger",
    lambda w: (
        w.carol.store.collection("join_attempts").document(f"{w.meeting_id}_{w.carol.uid}").delete()
    ),
)
attack(
    "orgs-create-policy-for-own-domain",
    lambda w: (
        w.alice.store.collection("orgs")
        .document("example")
        .set({"domains": ["example.com"], "storage": {"chat": True}})
    ),
)
attack(
    "identity-read-own",
    lambda w: w.alice.store.collection("identities").document(w.alice.uid).get(),
)
attack(
    "cdr-read-own-leg-as-callee",
    lambda w: w.bob.store.collection("cdrs").document(_ids(w.baseline, "cdrs")[0]).get(),
)
attack(
    "cdr-query-own-legs",
    lambda w: (
        w.alice.store.collection("cdrs")
        .where(filter=FieldFilter("uids", "array_contains", w.alice.uid))
        .get()
    ),
)
attack(
    "joins-read-own-record",
    lambda w: (
        w.alice.store.collection("joins")
        .document(f"{w.meeting_id}_{w.alice.uid}_{w.sessions[w.alice.uid]}")
        .get()
    ),
)
attack(
    "join-attempts-read-own",
    lambda w: (
        w.carol.store.collection("join_attempts")
        .document(_ids(w.baseline, "join_attempts")[0])
        .get()
    ),
)
attack(
    "orgs-read-own-as-member",
    lambda w: w.alice.store.collection("orgs").document(ORG_ID).get(),
)
attack(
    "orgs-member-turns-storage-off",
    lambda w: (
        w.alice.store.collection("orgs").document(ORG_ID).update({"storage": {"chat": False}})
    ),
)
attack(
    "archives-read-own-as-author",
    lambda w: w.alice.store.collection("archives").document(_ids(w.baseline, "archives")[0]).get(),
)
attack(
    "archives-create-as-stranger",
    lambda w: w.carol.store.collection("archives").document().set({"meetingId": w.meeting_id}),
)


# --- atomicity: a valid signal cannot carry a forbidden write along
def _mixed_batch(w: World) -> Awaitable[Any]:
    batch = w.alice.store.batch()
    batch.create(w.signals(w.alice).document(), w.signal(w.alice, w.bob))
    batch.update(w.participants(w.alice).document(w.bob.uid), {"state": "left"})
    return batch.commit()


def _two_signals_one_forged(w: World) -> Awaitable[Any]:
    batch = w.alice.store.batch()
    batch.create(w.signals(w.alice).document(), w.signal(w.alice, w.bob))
    batch.create(w.signals(w.alice).document(), w.signal(w.alice, w.bob, note="x"))
    return batch.commit()


# --- presence: only one's own lastSeenAt, only to the server's time (docs/protocol.md section 3)
def _presence(w: World, who: Actor | None, owner: Actor) -> Any:
    return w.meeting(who).collection("presence").document(owner.uid)


BEAT = {"lastSeenAt": firestore.SERVER_TIMESTAMP}


def _tomorrow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)


attack("bob-beats-for-alice", lambda w: _presence(w, w.bob, w.alice).update(BEAT))
attack("anon-beats-for-alice", lambda w: _presence(w, None, w.alice).update(BEAT))
attack(
    "alice-beats-with-her-own-clock",
    lambda w: _presence(w, w.alice, w.alice).update({"lastSeenAt": _tomorrow()}),
)
attack(
    "alice-beats-and-moves-her-shard",
    lambda w: _presence(w, w.alice, w.alice).update({**BEAT, "sweepShard": 0}),
)
attack(
    "alice-beats-and-shortens-the-gap",
    lambda w: _presence(w, w.alice, w.alice).update({**BEAT, "minGapSeconds": 0}),
)
attack(
    "alice-moves-her-presence-session",
    lambda w: _presence(w, w.alice, w.alice).update({"session": "f" * 32}),
)
attack("alice-deletes-her-presence", lambda w: _presence(w, w.alice, w.alice).delete())
attack(
    "dave-revives-his-presence-after-leaving",
    lambda w: _presence(w, w.dave, w.dave).set(
        {"uid": w.dave.uid, "session": w.sessions.get(w.dave.uid, "0" * 32), "lastSeenAt": BEAT}
    ),
)
attack("bob-reads-alice-presence", lambda w: _presence(w, w.bob, w.alice).get())
attack("frank-lists-presence", lambda w: w.meeting(w.frank).collection("presence").get())
attack("anon-collection-group-presence", lambda w: w.anon.collection_group("presence").get())

attack("batch-valid-signal-plus-participant-update", _mixed_batch)
attack("batch-valid-signal-plus-forged-signal", _two_signals_one_forged)


@pytest.mark.parametrize("operation", ATTACKS)
async def test_attack_is_refused(world: World, operation: Attack) -> None:
    before = without_heartbeats(await dump_all(world.admin))
    assert before == world.baseline, "the database moved before the attack:\n" + diff(
        world.baseline, before
    )
    try:
        result = await operation(world)
    except gexc.PermissionDenied:
        pass
    else:
        raise AssertionError(f"the rules allowed the attack (result: {result!r})")
    after = without_heartbeats(await dump_all(world.admin))
    assert after == before, "a refused attack changed the database:\n" + diff(before, after)


async def test_attacks_left_the_database_unchanged(world: World) -> None:
    """After every attack, once triggers had a chance to run, the database is the baseline."""
    after = await settled_dump(world.admin, heartbeats=False)
    assert after == world.baseline, diff(world.baseline, after)


async def test_attack_count() -> None:
    ids = [param.id for param in ATTACKS]
    assert len(set(ids)) == len(ids), "attack ids must be distinct"
    assert len(ATTACKS) >= 50, len(ATTACKS)
    print(f"\nfirestore.rules attack suite: {len(ATTACKS)} distinct attacks")


# ----------------------------------------------------------- legitimate client operations


async def test_participants_read_the_meeting(world: World) -> None:
    for who in (world.alice, world.bob, world.frank):
        meeting = await world.meeting(who).get()
        assert meeting.get("hasPassword") is True
    other = await world.meeting(world.eve, world.other_meeting_id).get()
    assert other.get("title") == "Elsewhere"


async def test_participants_list_and_get_participants(world: World) -> None:
    listed = await world.participants(world.frank).get()
    assert {d.id for d in listed} == {
        w.uid for w in (world.alice, world.bob, world.frank, world.dave, world.hank, world.ivy)
    }
    bob = await world.participants(world.alice).document(world.bob.uid).get()
    assert bob.get("session") == world.sessions[world.bob.uid]
    joined = (
        await world.participants(world.alice)
        .where(filter=FieldFilter("state", "==", "joined"))
        .get()
    )
    assert {d.id for d in joined} == {
        world.alice.uid,
        world.bob.uid,
        world.frank.uid,
        world.ivy.uid,
    }


async def test_addressee_queries_and_gets_own_signals(world: World) -> None:
    mine = await world.signals(world.bob).where(filter=FieldFilter("to", "==", world.bob.uid)).get()
    # The world's candidates signal and the offer that made the CDR leg, both from Alice.
    to_bob = {
        p.rsplit("/", 1)[1]
        for p, d in world.baseline.items()
        if "/signals/" in p and d.get("to") == world.bob.uid
    }
    assert world.signal_id in to_bob and len(to_bob) == 2
    assert {d.id for d in mine} == to_bob
    signal = await world.signals(world.bob).document(world.signal_id).get()
    assert signal.get("from") == world.alice.uid
    nothing = (
        await world.signals(world.frank)
        .where(filter=FieldFilter("to", "==", world.frank.uid))
        .get()
    )
    assert list(nothing) == []


async def test_offer_answer_and_candidates_are_allowed(world: World) -> None:
    w = world
    await w.signals(w.frank).document().create(w.offer(w.frank, w.bob, sdp="v=0\r\n" + "a" * 32763))
    await w.signals(w.bob).document().create(w.offer(w.bob, w.frank, type="answer"))
    await w.signals(w.alice).document().create(w.signal(w.alice, w.frank))
    await w.signals(w.alice).document().create(w.signal(w.alice, w.frank, candidates=[ENTRY] * 8))
    got = await w.signals(w.frank).where(filter=FieldFilter("to", "==", w.frank.uid)).get()
    assert {d.get("type") for d in got} <= {"answer", "candidates"}


async def test_addressee_deletes_own_signal(world: World) -> None:
    await world.signals(world.bob).document(world.signal_id).delete()
    gone = (
        await world.admin.collection("meetings", world.meeting_id, "signals")
        .document(world.signal_id)
        .get()
    )
    assert not gone.exists


async def test_hosts_read_the_lobby_and_knockers_their_knock(world: World) -> None:
    waiting = (
        await world.lobby(world.alice).where(filter=FieldFilter("state", "==", "waiting")).get()
    )
    assert [d.id for d in waiting] == [world.gina.uid]
    assert waiting[0].get("displayName") == "Gina"
    own = await world.lobby(world.gina).document(world.gina.uid).get()
    assert own.get("state") == "waiting"


async def test_a_participant_beats_on_its_own_presence_and_not_too_often(world: World) -> None:
    """The web client's beat: allowed to the participant itself, to the server's time; once it
    has beaten, the next beat within `minGapSeconds` is refused (the actors' own callable
    beats move the same field, so the first one is tried until the gap since theirs passed)."""
    mine = _presence(world, world.frank, world.frank)
    assert (await mine.get()).get("session") == world.sessions[world.frank.uid]
    refused: list[str] = []

    async def beaten() -> bool:
        try:
            await mine.update(BEAT)
        except gexc.PermissionDenied as error:
            refused.append(str(error))
            return False
        return True

    await wait_for(beaten, timeout=10.0, interval=0.3, what="Frank's own beat to be allowed")
    with pytest.raises(gexc.PermissionDenied):
        await mine.update(BEAT)


async def test_anyone_reads_their_own_participant_document(world: World) -> None:
    for who, state in ((world.hank, "removed"), (world.dave, "left"), (world.frank, "joined")):
        own = await world.participants(who).document(who.uid).get()
        assert own.get("state") == state
    mine = await world.participants(world.alice).document(world.alice.uid).get()
    assert mine.get("role") == "host"
