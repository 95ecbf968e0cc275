"""What the server and the rules refuse, and that a refusal changes nothing in the database.

Every refused operation here is wrapped in `database_unchanged`, which compares a dump of the
whole emulator database taken before with one taken after. The documented exceptions are the
password throttle (a wrong password is counted in `join_attempts` and `meeting_attempts`) and
the quotas (an unknown meeting id, or a join that reaches admission, is counted in `quotas`;
docs/data-inventory.md): those tests exempt these collections and check that nothing else was
written.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from google.cloud import firestore

from .support.actors import Actor
from .support.admin import Dump, dump_all, mentions, settled_dump, signals_counted, under
from .support.callables import call
from .support.deadline import wait_for
from .support.factories import Actors
from .support.refusals import database_unchanged, denied, refused
from .support.userstore import UserAsyncClient, sample_candidates, signal_data

PASSWORD = "open sesame"
UNKNOWN_MEETING = "qqq-qqqq-qqq"
SERVER_ONLY = ("identities", "joins", "meeting_secrets", "join_attempts", "cdrs", "orgs")


@dataclass
class Scene:
    """A password meeting with Alice and Bob joined, a signal from Alice to Bob, and Carol,
    who is signed in but not a participant."""

    meeting_id: str
    alice: Actor
    bob: Actor
    carol: Actor
    alice_session: str
    bob_session: str
    signal_id: str

    def signals(self, store: UserAsyncClient) -> Any:
        return store.collection("meetings", self.meeting_id, "signals")


@pytest_asyncio.fixture
async def scene(actors: Actors, admin: firestore.AsyncClient) -> Scene:
    alice, bob, carol = await actors("alice"), await actors("bob"), await actors("carol")
    meeting_id = await alice.create_meeting(title="Refusals", password=PASSWORD)
    alice_session = (await alice.join(meeting_id, PASSWORD))["session"]
    bob_session = (await bob.join(meeting_id, PASSWORD))["session"]
    ref = alice.store.collection("meetings", meeting_id, "signals").document()
    await ref.create(
        signal_data(
            from_uid=alice.uid,
            session=alice_session,
            to_uid=bob.uid,
            to_session=bob_session,
            type="candidates",
            candidates=sample_candidates(),
        )
    )
    # Its trigger counts it: part of the scene, not of a refusal a test compares against it
    # (the trigger's first run in a stack is a cold start, longer than a dump's quiet period).
    await wait_for(
        lambda: signals_counted(admin, meeting_id, alice.uid),
        timeout=30.0,
        what="the scene's signal counted by its trigger",
    )
    return Scene(meeting_id, alice, bob, carol, alice_session, bob_session, ref.id)


def _traces_of(dump: Dump, uid: str) -> Dump:
    """Documents recording `uid` as a participant or a joiner (participants and joins)."""
    return {
        path: data
        for path, data in dump.items()
        if (path.startswith("joins/") or "/participants/" in path) and mentions(data, uid)
    }


# ------------------------------------------------------------------------------ callables


async def test_wrong_password(scene: Scene, admin: firestore.AsyncClient) -> None:
    async with database_unchanged(admin, exempt=("join_attempts", "meeting_attempts")):
        await refused(
            scene.carol.join(scene.meeting_id, "not the password"),
            "PERMISSION_DENIED",
            "wrong-password",
        )
    assert not _traces_of(await dump_all(admin), scene.carol.uid)


async def test_missing_password(scene: Scene, admin: firestore.AsyncClient) -> None:
    async with database_unchanged(admin):
        await refused(scene.carol.join(scene.meeting_id), "PERMISSION_DENIED", "password-required")


async def test_too_many_wrong_passwords(
    scene: Scene, actors: Actors, admin: firestore.AsyncClient
) -> None:
    async with database_unchanged(admin, exempt=("join_attempts", "meeting_attempts")):
        for attempt in range(5):
            await refused(
                scene.carol.join(scene.meeting_id, f"guess {attempt}"),
                "PERMISSION_DENIED",
                "wrong-password",
            )
        error = await refused(
            scene.carol.join(scene.meeting_id, "guess 6"), "RESOURCE_EXHAUSTED", "too-many-attempts"
        )
        retry_after = error.details.get("retryAfterSeconds")
        assert isinstance(retry_after, int) and retry_after > 0, error
        # Locked out: even the right password is refused until the lock expires.
        await refused(
            scene.carol.join(scene.meeting_id, PASSWORD), "RESOURCE_EXHAUSTED", "too-many-attempts"
        )
    assert not _traces_of(await dump_all(admin), scene.carol.uid)

    # The throttle is per caller: someone else still gets in with the password.
    dave = await actors("dave")
    assert (await dave.join(scene.meeting_id, PASSWORD))["session"]


async def test_unknown_meeting(scene: Scene, admin: firestore.AsyncClient) -> None:
    # An unknown id is a probe: counted in the caller's quota counter, nothing else written.
    async with database_unchanged(admin, exempt=("quotas",)):
        await refused(scene.carol.join(UNKNOWN_MEETING), "NOT_FOUND")
        await refused(scene.carol.join(UNKNOWN_MEETING, PASSWORD), "NOT_FOUND")
        await refused(
            scene.carol.call("leave_meeting", {"meetingId": UNKNOWN_MEETING}), "NOT_FOUND"
        )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"meetingId": "ABC"}, "meetingId", id="short-id"),
        pytest.param({"meetingId": "abc-defg-hi"}, "meetingId", id="id-one-letter-short"),
        pytest.param({"meetingId": 12345}, "meetingId", id="id-not-a-string"),
        pytest.param({}, "meetingId", id="id-missing"),
        pytest.param({"meetingId": UNKNOWN_MEETING, "password": 7}, "password", id="password-int"),
        pytest.param(
            {"meetingId": UNKNOWN_MEETING, "password": "x" * 129}, "password", id="password-long"
        ),
        pytest.param(
            {"meetingId": UNKNOWN_MEETING, "nickname": "eve"}, "nickname", id="unknown-key"
        ),
        pytest.param({"meetingId": UNKNOWN_MEETING, "offers": "v=0"}, "offers", id="offers-str"),
        pytest.param({"meetingId": UNKNOWN_MEETING, "offers": [""]}, "offers", id="offer-empty"),
        pytest.param(
            {"meetingId": UNKNOWN_MEETING, "offers": ["x" * 32769]}, "offers", id="offer-long"
        ),
        pytest.param(
            {"meetingId": UNKNOWN_MEETING, "offers": ["v=0"] * 16}, "offers", id="offers-16"
        ),
    ],
)
async def test_malformed_join(
    scene: Scene, admin: firestore.AsyncClient, data: dict[str, Any], field: str
) -> None:
    async with database_unchanged(admin):
        error = await refused(scene.carol.call("join_meeting", data), "INVALID_ARGUMENT")
    assert field in error.message, f"the message should name {field!r}: {error}"


async def test_meeting_full(actors: Actors, admin: firestore.AsyncClient) -> None:
    host = await actors("host")
    meeting_id = await host.create_meeting(title="Full house")
    meeting = await admin.collection("meetings").document(meeting_id).get()
    cap = meeting.get("maxParticipants")
    assert isinstance(cap, int) and 1 <= cap <= 16, f"unexpected maxParticipants {cap!r}"

    members = [host, *[await actors(f"guest{n}") for n in range(1, cap)]]
    for member in members:
        await member.join(meeting_id)
    latecomer = await actors("latecomer")
    # A join that reaches admission counts against the join quotas, admitted or not.
    async with database_unchanged(admin, exempt=("quotas",)):
        await refused(latecomer.join(meeting_id), "RESOURCE_EXHAUSTED", "meeting-full")

    # Re-joining (a reload) never counts twice against the cap.
    rejoined = await members[1].join(meeting_id)
    assert len(rejoined["participants"]) == cap - 1
    await refused(latecomer.join(meeting_id), "RESOURCE_EXHAUSTED", "meeting-full")


async def test_unauthenticated_callables(scene: Scene, admin: firestore.AsyncClient) -> None:
    async with database_unchanged(admin):
        await refused(call("create_meeting", {"title": "x"}), "UNAUTHENTICATED")
        await refused(call("join_meeting", {"meetingId": scene.meeting_id}), "UNAUTHENTICATED")
        await refused(
            call("join_meeting", {"meetingId": scene.meeting_id, "password": PASSWORD}),
            "UNAUTHENTICATED",
        )
        await refused(call("leave_meeting", {"meetingId": scene.meeting_id}), "UNAUTHENTICATED")
        bogus = {"Authorization": "Bearer not-a-token"}
        await refused(
            call("join_meeting", {"meetingId": scene.meeting_id}, headers=bogus),
            "UNAUTHENTICATED",
        )


# ------------------------------------------------------------------------------- the rules


async def test_participants_can_read_what_they_need(scene: Scene) -> None:
    """Positive control: the user clients really are authenticated as the participants."""
    store = scene.bob.store
    meeting = await store.collection("meetings").document(scene.meeting_id).get()
    assert meeting.get("hasPassword") is True
    participants = await store.collection("meetings", scene.meeting_id, "participants").get()
    assert {doc.id for doc in participants} == {scene.alice.uid, scene.bob.uid}
    mine = (
        await scene.signals(store)
        .where(filter=firestore.FieldFilter("to", "==", scene.bob.uid))
        .get()
    )
    assert [doc.id for doc in mine] == [scene.signal_id]
    signal = await scene.signals(store).document(scene.signal_id).get()
    assert signal.get("from") == scene.alice.uid


async def test_stranger_cannot_read_or_signal(scene: Scene, admin: firestore.AsyncClient) -> None:
    store = scene.carol.store
    meeting = store.collection("meetings").document(scene.meeting_id)
    async with database_unchanged(admin):
        await denied(meeting.get(), "a stranger to read the meeting")
        await denied(meeting.collection("participants").get(), "a stranger to list participants")
        await denied(
            meeting.collection("participants").document(scene.alice.uid).get(),
            "a stranger to read a participant",
        )
        await denied(
            scene.signals(store).document(scene.signal_id).get(), "a stranger to read a signal"
        )
        await denied(scene.signals(store).get(), "a stranger to list the signals")
        await denied(
            scene.signals(store)
            .where(filter=firestore.FieldFilter("to", "==", scene.bob.uid))
            .get(),
            "a stranger to query Bob's signals",
        )
        await denied(
            scene.signals(store)
            .document()
            .create(
                signal_data(
                    from_uid=scene.carol.uid,
                    session="0" * 32,
                    to_uid=scene.alice.uid,
                    to_session=scene.alice_session,
                    type="candidates",
                    candidates=sample_candidates(),
                )
            ),
            "a stranger to create a signal",
        )


async def test_participant_cannot_read_signals_of_others(
    scene: Scene, actors: Actors, admin: firestore.AsyncClient
) -> None:
    dave = await actors("dave")
    await dave.join(scene.meeting_id, PASSWORD)
    async with database_unchanged(admin):
        for who in (scene.alice, dave):  # the sender, and a third participant
            signals = scene.signals(who.store)
            await denied(signals.document(scene.signal_id).get(), f"{who.uid} to get Bob's signal")
            await denied(signals.get(), f"{who.uid} to list signals without a `to` filter")
            await denied(
                signals.where(filter=firestore.FieldFilter("to", "==", scene.bob.uid)).get(),
                f"{who.uid} to query signals addressed to Bob",
            )
            await denied(
                signals.where(filter=firestore.FieldFilter("from", "==", scene.alice.uid)).get(),
                f"{who.uid} to query signals by sender",
            )
            await denied(
                signals.document(scene.signal_id).delete(), f"{who.uid} to delete Bob's signal"
            )
        # The addressee itself cannot change a signal either: nobody can update one.
        await denied(
            scene.signals(scene.bob.store).document(scene.signal_id).update({"type": "offer"}),
            "the addressee to update a signal",
        )
    own = (
        await scene.signals(dave.store)
        .where(filter=firestore.FieldFilter("to", "==", dave.uid))
        .get()
    )
    assert list(own) == []


_DROP = object()


def _forgeries(scene: Scene) -> dict[str, dict[str, Any]]:
    def valid(**changes: Any) -> dict[str, Any]:
        data = signal_data(
            from_uid=scene.alice.uid,
            session=scene.alice_session,
            to_uid=scene.bob.uid,
            to_session=scene.bob_session,
            type="candidates",
            candidates=sample_candidates(),
        )
        data.update(changes)
        return {k: v for k, v in data.items() if v is not _DROP}

    entry = sample_candidates()[0]
    return {
        "from another uid": valid(**{"from": scene.bob.uid, "to": scene.alice.uid}),
        "from a stranger's uid": valid(**{"from": scene.carol.uid}),
        "a wrong session": valid(session="f" * 32),
        "the addressee's session as own": valid(session=scene.bob_session),
        "a wrong toSession": valid(toSession="e" * 32),
        "to oneself": valid(to=scene.alice.uid, toSession=scene.alice_session),
        "to a stranger": valid(to=scene.carol.uid),
        "an unknown type": valid(type="bye"),
        "an extra key": valid(note="hi"),
        "no createdAt": valid(createdAt=_DROP),
        "a client createdAt": valid(createdAt=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
        "an sdp on a candidates signal": valid(sdp="v=0"),
        "an offer without sdp": valid(type="offer", candidates=_DROP),
        "an oversize sdp": valid(type="offer", candidates=_DROP, sdp="v" * 32769),
        "no candidates": valid(candidates=[]),
        "9 candidates": valid(candidates=[entry] * 9),
        "an oversize candidate": valid(candidates=[{**entry, "candidate": "c" * 1025}]),
        "a bad sdpMLineIndex": valid(candidates=[{**entry, "sdpMLineIndex": 65}]),
        "a candidate with an extra key": valid(candidates=[{**entry, "usernameFragment": "x"}]),
    }


async def test_forged_signals_are_refused(scene: Scene, admin: firestore.AsyncClient) -> None:
    async with database_unchanged(admin):
        for name, data in _forgeries(scene).items():
            await denied(
                scene.signals(scene.alice.store).document().create(data), f"a signal with {name}"
            )


@pytest.mark.parametrize(
    "candidates",
    [
        pytest.param(sample_candidates(), id="one-and-end-marker"),
        pytest.param(
            [{"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}], id="end-marker-with-mid"
        ),
        pytest.param([sample_candidates()[0]] * 5, id="five-entries"),
        pytest.param([sample_candidates()[0]] * 8, id="eight-entries"),
    ],
)
async def test_valid_candidates_signals_are_accepted(
    scene: Scene, candidates: list[dict[str, Any]]
) -> None:
    """Positive control for the forgeries: documents at the limits of docs/protocol.md pass."""
    ref = scene.signals(scene.alice.store).document()
    await ref.create(
        signal_data(
            from_uid=scene.alice.uid,
            session=scene.alice_session,
            to_uid=scene.bob.uid,
            to_session=scene.bob_session,
            type="candidates",
            candidates=candidates,
        )
    )


async def test_a_signal_already_gone_cannot_be_deleted_again(scene: Scene) -> None:
    """docs/protocol.md section 3: the rules cannot see the addressee of a signal that no longer
    exists, so a second delete (a repeat whose first attempt went through, or one after the
    server removed it) is refused; clients take that refusal as done."""
    ref = scene.signals(scene.bob.store).document(scene.signal_id)
    await ref.delete()
    await denied(ref.delete(), "deleting a signal that is already gone")


async def test_valid_offer_at_the_size_limit_is_accepted(scene: Scene) -> None:
    ref = scene.signals(scene.alice.store).document()
    await ref.create(
        signal_data(
            from_uid=scene.alice.uid,
            session=scene.alice_session,
            to_uid=scene.bob.uid,
            to_session=scene.bob_session,
            type="offer",
            sdp="v=0\r\n" + "a" * (32768 - 5),
        )
    )


async def test_server_only_collections_are_closed(
    scene: Scene, admin: firestore.AsyncClient
) -> None:
    dump = await settled_dump(admin, heartbeats=False)
    # Existing documents (identities, joins, the meeting's secret...) and missing ones alike.
    async with database_unchanged(admin):
        for who in (scene.alice, scene.carol):
            for name in SERVER_ONLY:
                collection = who.store.collection(name)
                ids = [path.split("/")[1] for path in under(dump, name) if path.count("/") == 1]
                for doc_id in [*ids[:2], who.uid, "probe"]:
                    await denied(
                        collection.document(doc_id).get(), f"a client to read {name}/{doc_id}"
                    )
                await denied(collection.limit(5).get(), f"a client to list {name}")
                await denied(
                    collection.document(f"forged-{who.uid}").set({"x": 1}),
                    f"a client to write {name}",
                )
                for doc_id in ids[:1]:
                    await denied(
                        collection.document(doc_id).update({"x": 1}), f"a client to update {name}"
                    )
                    await denied(collection.document(doc_id).delete(), f"a client to delete {name}")
        # Their own identity is no exception.
        await denied(
            scene.alice.store.collection("identities").document(scene.alice.uid).get(),
            "a user to read its own identity",
        )


async def test_clients_cannot_write_meetings_or_participants(
    scene: Scene, admin: firestore.AsyncClient
) -> None:
    store = scene.alice.store
    meeting = store.collection("meetings").document(scene.meeting_id)
    participants = meeting.collection("participants")
    async with database_unchanged(admin):
        await denied(meeting.update({"title": "hijacked"}), "a participant to rename the meeting")
        await denied(meeting.update({"maxParticipants": 100}), "a participant to raise the cap")
        await denied(meeting.delete(), "a participant to delete the meeting")
        await denied(
            store.collection("meetings").document("zzz-zzzz-zzz").set({"title": "mine"}),
            "a client to create a meeting document",
        )
        await denied(store.collection("meetings").get(), "a client to list the meetings")
        await denied(
            participants.document(scene.alice.uid).update({"session": "a" * 32}),
            "a participant to change its own session",
        )
        await denied(
            participants.document(scene.bob.uid).update({"state": "left"}),
            "a participant to mark another one left",
        )
        await denied(
            participants.document(scene.carol.uid).set(
                {"uid": scene.carol.uid, "displayName": "Carol", "state": "joined"}
            ),
            "a participant to admit a stranger",
        )
        await denied(
            scene.carol.store.collection("meetings", scene.meeting_id, "participants")
            .document(scene.carol.uid)
            .set({"uid": scene.carol.uid, "state": "joined", "session": "c" * 32}),
            "a stranger to admit itself",
        )
