"""Host controls with aiortc peers: the lobby (knock, admit, deny), removal, the lock, co-hosts,
ending a meeting for everyone, the host's seat; and every host action refused to a non-host.

Every attack is checked twice: the refusal itself (code and reason) and a database left as it
was (``database_unchanged``). The peers follow docs/protocol.md: they close their connections
to a participant whose document is no longer ``joined``, and stop when a heartbeat says a host
put them out.
"""

from __future__ import annotations

from typing import Any

import pytest
from google.cloud import firestore
from google.cloud.firestore import FieldFilter

from .support.actors import Actor
from .support.admin import dump_all, mentions
from .support.deadline import wait_for
from .support.factories import Actors, Peers
from .support.hosts import host_action, knock, legs, stored
from .support.mesh import check_chat, describe, wait_full_mesh, wait_recorded
from .support.peer import MeetingPeer
from .support.refusals import database_unchanged, denied, refused
from .support.scheduler import run_scheduled
from .support.shapes import ACTIONS_ON_A_PERMISSION as PERMISSION_ACTIONS
from .support.shapes import ACTIONS_ON_A_PERSON as PERSON_ACTIONS
from .support.shapes import HOST_ONLY_ACTIONS
from .support.userstore import sample_candidates, signal_data


def unchanged(admin: firestore.AsyncClient) -> Any:
    """The database is as it was, but for what live peers keep writing: heartbeats and the CDR
    legs of their connections (a refused host action would show in the participants and joins)."""
    return database_unchanged(admin, exempt=("cdrs",))


def participant_path(meeting_id: str, uid: str) -> str:
    return f"meetings/{meeting_id}/participants/{uid}"


def knock_path(meeting_id: str, uid: str) -> str:
    return f"meetings/{meeting_id}/lobby/{uid}"


async def signal_refused(peer: MeetingPeer, to: MeetingPeer, what: str) -> None:
    """``peer`` writing a signal to ``to`` (with its last session) is refused by the rules."""
    data = signal_data(
        from_uid=peer.uid,
        session=peer.session or "0" * 32,
        to_uid=to.uid,
        to_session=to.session or "0" * 32,
        type="candidates",
        candidates=sample_candidates(),
    )
    meeting = peer.store.collection("meetings").document(str(to.meeting_id))
    await denied(meeting.collection("signals").document().create(data), what)


async def roster_refused(peer: MeetingPeer, meeting_id: str, what: str) -> None:
    meeting = peer.store.collection("meetings").document(meeting_id)
    await denied(meeting.collection("participants").get(), what)
    await denied(meeting.get(), f"{what} (the meeting document)")


async def lobby_of(host: MeetingPeer | Actor, meeting_id: str) -> dict[str, dict[str, Any]]:
    """The waiting knocks, read as the host reads them (the rules apply)."""
    lobby = host.store.collection("meetings", meeting_id, "lobby")
    waiting = await lobby.where(filter=FieldFilter("state", "==", "waiting")).get()
    return {snap.id: snap.to_dict() or {} for snap in waiting}


async def own_knock(peer: MeetingPeer, meeting_id: str) -> dict[str, Any]:
    """A knocker reads its own knock (the one lobby document the rules let it read)."""
    snap = await peer.store.document(knock_path(meeting_id, peer.uid)).get()
    return snap.to_dict() or {}


async def test_lobby_knock_admit_and_deny(peers: Peers, admin: firestore.AsyncClient) -> None:
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    meeting_id = await alice.create_meeting(title="Lobby", lobby=None)  # the default: a lobby
    meeting = await stored(admin, f"meetings/{meeting_id}")
    assert meeting is not None and meeting["lobby"] is True and meeting["locked"] is False
    joined = await alice.join(meeting_id)
    assert joined["role"] == "host"

    # Bob and Carol must knock; a knock is not a join.
    async with unchanged(admin):
        error = await refused(bob.join(meeting_id), "PERMISSION_DENIED", "knock-required")
    assert error.details == {"reason": "knock-required", "removed": False}
    assert await bob.knock(meeting_id, display_name="Bob the Builder") == {
        "state": "waiting",
        "heartbeatSeconds": joined["heartbeatSeconds"],
    }
    assert (await carol.knock(meeting_id))["state"] == "waiting"

    # While waiting: no roster, no meeting, no signal, no lobby but its own knock.
    await roster_refused(bob, meeting_id, "a waiting knocker reading the roster")
    await signal_refused(bob, alice, "a waiting knocker signalling the host")
    await denied(bob.store.collection("meetings", meeting_id, "lobby").get(), "listing the lobby")
    await denied(bob.store.document(knock_path(meeting_id, carol.uid)).get(), "another's knock")
    mine = await own_knock(bob, meeting_id)
    assert mine["state"] == "waiting" and mine["displayName"] == "Bob the Builder"

    # The host sees both, by name; neither account is of an organisation here.
    waiting = await lobby_of(alice, meeting_id)
    assert {uid: k["displayName"] for uid, k in waiting.items()} == {
        bob.uid: "Bob the Builder",
        carol.uid: "Carol",
    }
    assert not any(k["sameOrg"] or k["wasRemoved"] for k in waiting.values())

    # Knocking again renews the knock (and may rename it); it does not start over.
    again = await bob.knock(meeting_id, display_name="Bob")
    assert again["state"] == "waiting"
    renewed = await own_knock(bob, meeting_id)
    assert renewed["knockedAt"] == mine["knockedAt"] and renewed["displayName"] == "Bob"

    assert await host_action(alice, meeting_id, "admit", bob.uid) == {
        "action": "admit",
        "changed": True,
    }
    assert (await host_action(alice, meeting_id, "admit", bob.uid))["changed"] is False
    admitted = await own_knock(bob, meeting_id)
    assert admitted["state"] == "admitted" and admitted["decidedBy"] == alice.uid
    assert (await knock(bob, meeting_id))["state"] == "admitted"
    result = await bob.join(meeting_id)
    assert result["displayName"] == "Bob" and result["role"] == "participant"
    assert [(p["uid"], p["role"]) for p in result["participants"]] == [(alice.uid, "host")]
    await wait_full_mesh([alice, bob])
    await wait_recorded(admin, meeting_id, [alice, bob])
    record = await stored(admin, f"joins/{meeting_id}_{bob.uid}_{bob.session}")
    assert record is not None and record["admittedBy"] == alice.uid and record["closedBy"] is None

    # Bob, a participant but no host, can neither read the lobby nor answer Carol.
    await denied(bob.store.collection("meetings", meeting_id, "lobby").get(), "a guest's lobby")
    async with unchanged(admin):
        await refused(
            host_action(bob, meeting_id, "admit", carol.uid), "PERMISSION_DENIED", "not-a-host"
        )

    assert (await host_action(alice, meeting_id, "deny", carol.uid))["changed"] is True
    assert (await own_knock(carol, meeting_id))["state"] == "denied"
    async with unchanged(admin):
        await refused(carol.join(meeting_id), "PERMISSION_DENIED", "denied")
        await refused(knock(carol, meeting_id), "PERMISSION_DENIED", "denied")
        await refused(
            host_action(alice, meeting_id, "admit", carol.uid), "NOT_FOUND"
        )  # no longer waiting
    assert await lobby_of(alice, meeting_id) == {}


async def test_admit_all_lets_in_everyone_waiting_and_nobody_else(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """ "Admit all": every knock waiting comes in, each admitted by the host who asked; a knock
    denied or withdrawn stays as it is; a guest may not; with nobody waiting nothing changes."""
    host, guest = await actors("host"), await actors("guest")
    dave, erin, fay, gus = [await actors(name) for name in ("dave", "erin", "fay", "gus")]
    meeting_id = await host.create_meeting(title="Admit all", lobby=True)
    await host.join(meeting_id)
    await knock(guest, meeting_id)
    await host_action(host, meeting_id, "admit", guest.uid)
    await guest.join(meeting_id)
    for person in (dave, erin, fay, gus):
        await knock(person, meeting_id)
    await host_action(host, meeting_id, "deny", fay.uid)
    await gus.call("leave_meeting", {"meetingId": meeting_id})  # gives up waiting

    async with unchanged(admin):
        await refused(
            host_action(guest, meeting_id, "admit-all"), "PERMISSION_DENIED", "not-a-host"
        )
        await refused(host_action(host, meeting_id, "admit-all", dave.uid), "INVALID_ARGUMENT")
    assert await host_action(host, meeting_id, "admit-all") == {
        "action": "admit-all",
        "changed": True,
    }
    knocks = {
        p.uid: await stored(admin, knock_path(meeting_id, p.uid)) for p in (dave, erin, fay, gus)
    }
    assert {uid: (k or {}).get("state") for uid, k in knocks.items()} == {
        dave.uid: "admitted",
        erin.uid: "admitted",
        fay.uid: "denied",
        gus.uid: "withdrawn",
    }
    assert all((knocks[p.uid] or {}).get("decidedBy") == host.uid for p in (dave, erin))
    assert await lobby_of(host, meeting_id) == {}
    async with unchanged(admin):
        assert (await host_action(host, meeting_id, "admit-all"))["changed"] is False
    session = (await dave.join(meeting_id))["session"]
    record = await stored(admin, f"joins/{meeting_id}_{dave.uid}_{session}")
    assert record is not None and record["admittedBy"] == host.uid
    async with unchanged(admin):
        await refused(fay.join(meeting_id), "PERMISSION_DENIED", "denied")


async def test_silent_or_departing_knockers_are_withdrawn(
    peers: Peers, actors: Actors, admin: firestore.AsyncClient
) -> None:
    alice = await peers("alice")
    meeting_id = await alice.create_meeting(title="Knockers", lobby=True)
    await alice.join(meeting_id)
    dave, erin = await actors("dave"), await actors("erin")
    await knock(dave, meeting_id)
    await knock(erin, meeting_id)

    # Erin gives up: leave_meeting withdraws her knock.
    assert await erin.call("leave_meeting", {"meetingId": meeting_id}) == {"left": True}
    withdrawn = await stored(admin, knock_path(meeting_id, erin.uid))
    assert withdrawn is not None and withdrawn["state"] == "withdrawn"

    # Dave stops knocking (a closed tab): the sweep withdraws him after the heartbeat timeout.
    async def dave_withdrawn() -> bool:
        await run_scheduled("sweep")
        doc = await stored(admin, knock_path(meeting_id, dave.uid))
        return doc is not None and doc["state"] == "withdrawn"

    await wait_for(dave_withdrawn, timeout=30.0, interval=1.0, what="the sweep to withdraw Dave")
    assert await lobby_of(alice, meeting_id) == {}
    async with unchanged(admin):
        await refused(host_action(alice, meeting_id, "admit", dave.uid), "NOT_FOUND")
    # Withdrawn is not refused: knocking again waits again.
    assert (await knock(dave, meeting_id))["state"] == "waiting"


async def test_remove_closes_every_link_and_keeps_the_person_out(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    meeting_id = await alice.create_meeting(title="Remove")
    for peer in (alice, bob, carol):
        await peer.join(meeting_id)
    await wait_full_mesh([alice, bob, carol])
    await wait_recorded(admin, meeting_id, [alice, bob, carol])
    first_session = carol.session

    async with unchanged(admin):
        await refused(
            host_action(bob, meeting_id, "remove", carol.uid), "PERMISSION_DENIED", "not-a-host"
        )
        await refused(host_action(alice, meeting_id, "remove", alice.uid), "INVALID_ARGUMENT")

    assert (await host_action(alice, meeting_id, "remove", carol.uid))["changed"] is True

    # The rules refuse Carol at once: no signal, no roster; her own document says why.
    await signal_refused(carol, alice, "a removed participant signalling")
    await roster_refused(carol, meeting_id, "a removed participant reading the roster")
    own = await carol.store.document(participant_path(meeting_id, carol.uid)).get()
    assert own.get("state") == "removed" and own.get("endCause") == "removed"

    def links_closed() -> bool:
        return carol.uid not in alice.links and carol.uid not in bob.links

    await wait_for(
        links_closed,
        timeout=15.0,
        what="Alice and Bob to close their links to Carol",
        describe=lambda: describe([alice, bob, carol]),
    )
    for other in (alice, bob):
        closed = [link for link in other.closed_links if link.uid == carol.uid]
        assert [link.closed_reason for link in closed] == ["participant removed"]
    assert alice.connected_to(bob.uid) and bob.connected_to(alice.uid)
    await wait_for(lambda: carol.out_because == "removed", timeout=15.0, what="Carol's heartbeat")

    # The CDR: her join record and both her legs ended "removed", by Alice.
    record = await stored(admin, f"joins/{meeting_id}_{carol.uid}_{first_session}")
    assert record is not None
    assert (record["endCause"], record["closedBy"]) == ("removed", alice.uid)
    carol_legs = [leg for leg in await legs(admin, meeting_id) if carol.uid in leg["uids"]]
    assert len(carol_legs) == 2
    assert {(leg["state"], leg["endCause"]) for leg in carol_legs} == {("ended", "removed")}
    assert [
        leg["endCause"] for leg in await legs(admin, meeting_id) if carol.uid not in leg["uids"]
    ] == [None]

    # She cannot come back by herself, even though the meeting has no lobby...
    await carol.close()
    async with unchanged(admin):
        error = await refused(carol.join(meeting_id), "PERMISSION_DENIED", "knock-required")
    assert error.details["removed"] is True
    assert (await host_action(alice, meeting_id, "remove", carol.uid))["changed"] is False
    # ...only through a knock a host admits.
    assert (await carol.knock(meeting_id))["state"] == "waiting"
    waiting = await lobby_of(alice, meeting_id)
    assert waiting[carol.uid]["wasRemoved"] is True
    await host_action(alice, meeting_id, "admit", carol.uid)
    await carol.join(meeting_id)
    await wait_full_mesh([alice, bob, carol])
    await check_chat([alice, bob, carol], tag="after re-admission")


async def test_lock_keeps_newcomers_out_but_not_those_present(
    peers: Peers, actors: Actors, admin: firestore.AsyncClient
) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    meeting_id = await alice.create_meeting(title="Locked")
    await alice.join(meeting_id)
    await bob.join(meeting_id)
    await wait_full_mesh([alice, bob])
    await wait_recorded(admin, meeting_id, [alice, bob])
    dave = await actors("dave")

    async with unchanged(admin):
        await refused(host_action(bob, meeting_id, "lock"), "PERMISSION_DENIED", "not-a-host")
    assert (await host_action(alice, meeting_id, "lock"))["changed"] is True
    assert (await host_action(alice, meeting_id, "lock"))["changed"] is False
    async with unchanged(admin):
        error = await refused(dave.join(meeting_id), "FAILED_PRECONDITION", "meeting-locked")
        assert "locked" in error.message
        await refused(knock(dave, meeting_id), "FAILED_PRECONDITION", "meeting-locked")

    # Those present may reload; the host may always come back.
    await bob.close()
    await bob.join(meeting_id)
    await wait_full_mesh([alice, bob])
    await alice.close()
    await alice.join(meeting_id)
    await wait_full_mesh([alice, bob])
    # Someone who left is someone new.
    await bob.leave()
    await refused(bob.join(meeting_id), "FAILED_PRECONDITION", "meeting-locked")

    assert (await host_action(alice, meeting_id, "unlock"))["changed"] is True
    assert (await dave.join(meeting_id))["role"] == "participant"


async def test_hosts_turn_things_off_for_participants_and_everyone_reads_it(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    """`restrict` / `allow`: the meeting's `restricted`, read by every participant under the
    rules; a participant may not change it, a co-host may; a malformed one changes nothing."""
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    meeting_id = await alice.create_meeting(title="Quiet, please")
    for peer in (alice, bob, carol):
        await peer.join(meeting_id)
    await wait_full_mesh([alice, bob, carol])
    await wait_recorded(admin, meeting_id, [alice, bob, carol])

    async def read_restricted(peer: MeetingPeer) -> Any:
        snapshot = await peer.store.document(f"meetings/{meeting_id}").get()
        return (snapshot.to_dict() or {}).get("restricted")

    assert await read_restricted(bob) is None  # never restricted: absent
    async with unchanged(admin):
        await refused(
            host_action(bob, meeting_id, "restrict", what="mic"), "PERMISSION_DENIED", "not-a-host"
        )
        for bad in ({"what": "dance"}, {}, {"what": None}, {"what": "mic", "uid": carol.uid}):
            data = {"meetingId": meeting_id, "action": "restrict", **bad}
            await refused(alice.call("host_action", data), "INVALID_ARGUMENT")
        data = {"meetingId": meeting_id, "action": "lock", "what": "mic"}
        await refused(alice.call("host_action", data), "INVALID_ARGUMENT")

    assert (await host_action(alice, meeting_id, "restrict", what="mic"))["changed"] is True
    assert (await host_action(alice, meeting_id, "restrict", what="mic"))["changed"] is False
    assert (await host_action(alice, meeting_id, "restrict", what="whiteboard"))["changed"] is True
    assert (await host_action(alice, meeting_id, "restrict", what="present"))["changed"] is True
    for peer in (bob, carol):  # every participant reads it, in one order
        assert await read_restricted(peer) == ["present", "mic", "whiteboard"]
    await host_action(alice, meeting_id, "make-cohost", carol.uid)
    assert (await host_action(carol, meeting_id, "allow", what="mic"))["changed"] is True
    assert (await host_action(carol, meeting_id, "allow", what="chat"))["changed"] is False
    assert await read_restricted(bob) == ["present", "whiteboard"]

    # Someone about to join is told what would hold them (meeting_info); a co-host nothing.
    async def turned_off(peer: MeetingPeer) -> Any:
        return (await peer.call("meeting_info", {"meetingId": meeting_id}))["turnedOff"]

    assert await turned_off(await peers("dave")) == ["present", "whiteboard"]
    assert await turned_off(carol) == []

    # One participant let present all the same: on their own document, kept across a reload.
    async def permitted(peer: MeetingPeer) -> Any:
        path = participant_path(meeting_id, bob.uid)
        return ((await peer.store.document(path).get()).to_dict() or {}).get("permitted")

    async with unchanged(admin):
        await refused(
            host_action(bob, meeting_id, "permit", bob.uid, "present"),
            "PERMISSION_DENIED",
            "not-a-host",
        )
        await refused(
            host_action(carol, meeting_id, "permit", alice.uid, "present"), "PERMISSION_DENIED"
        )
        await refused(host_action(alice, meeting_id, "permit", "nobody", "present"), "NOT_FOUND")
        await refused(alice.call("host_action", {"meetingId": meeting_id, "action": "permit",
                                                 "uid": bob.uid}), "INVALID_ARGUMENT")  # fmt: skip
    assert (await host_action(carol, meeting_id, "permit", bob.uid, "present"))["changed"]
    assert await permitted(carol) == ["present"]
    assert await turned_off(bob) == ["whiteboard"]  # a reload would keep it
    await bob.close()
    await bob.join(meeting_id)
    assert await permitted(bob) == ["present"]
    assert (await host_action(alice, meeting_id, "unpermit", bob.uid, "present"))["changed"]
    assert await permitted(bob) == []
    await wait_full_mesh([alice, bob, carol])
    # Nothing else of the meeting moved, and the connections stand.
    meeting = await stored(admin, f"meetings/{meeting_id}")
    assert meeting is not None and meeting["locked"] is False and meeting["state"] == "open"
    await check_chat([alice, bob, carol], tag="after the restrictions")


async def test_cohosts_run_the_meeting_but_only_the_host_names_them(
    peers: Peers, actors: Actors, admin: firestore.AsyncClient
) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    meeting_id = await alice.create_meeting(title="Co-hosts", lobby=True)
    await alice.join(meeting_id)
    await bob.knock(meeting_id)
    await host_action(alice, meeting_id, "admit", bob.uid)
    await bob.join(meeting_id)
    await wait_full_mesh([alice, bob])
    await wait_recorded(admin, meeting_id, [alice, bob])

    assert (await host_action(alice, meeting_id, "make-cohost", bob.uid))["changed"] is True
    doc = await stored(admin, participant_path(meeting_id, bob.uid))
    assert doc is not None and doc["role"] == "cohost"

    # A co-host reads the lobby and answers knocks...
    erin = await actors("erin")
    await erin.knock(meeting_id)
    assert set(await lobby_of(bob, meeting_id)) == {erin.uid}
    await host_action(bob, meeting_id, "admit", erin.uid)
    assert (await erin.join(meeting_id))["role"] == "participant"
    # ...but neither names co-hosts nor touches the host.
    async with unchanged(admin):
        await refused(
            host_action(bob, meeting_id, "make-cohost", erin.uid),
            "PERMISSION_DENIED",
            "not-a-host",
        )
        error = await refused(
            host_action(bob, meeting_id, "remove", alice.uid), "PERMISSION_DENIED"
        )
        assert error.reason is None
        await refused(
            host_action(erin, meeting_id, "revoke-cohost", bob.uid),
            "PERMISSION_DENIED",
            "not-a-host",
        )

    # A co-host stays one across a reload and a leave; not across a removal.
    await bob.leave()
    assert (await bob.join(meeting_id))["role"] == "cohost"
    assert (await host_action(alice, meeting_id, "revoke-cohost", bob.uid))["changed"] is True
    await denied(bob.store.collection("meetings", meeting_id, "lobby").get(), "an ex-co-host")
    await host_action(alice, meeting_id, "make-cohost", bob.uid)
    await host_action(alice, meeting_id, "remove", bob.uid)
    doc = await stored(admin, participant_path(meeting_id, bob.uid))
    assert doc is not None and (doc["state"], doc["role"]) == ("removed", "participant")
    await bob.close()
    await refused(bob.join(meeting_id), "PERMISSION_DENIED", "knock-required")


async def test_end_for_everyone(peers: Peers, admin: firestore.AsyncClient) -> None:
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    meeting_id = await alice.create_meeting(title="The end", lobby=True)
    await alice.join(meeting_id)
    for peer in (bob, carol):
        await peer.knock(meeting_id)
        await host_action(alice, meeting_id, "admit", peer.uid)
        await peer.join(meeting_id)
    await wait_full_mesh([alice, bob, carol])
    await wait_recorded(admin, meeting_id, [alice, bob, carol])
    dave = await peers("dave")
    await dave.knock(meeting_id)

    async with unchanged(admin):
        await refused(host_action(bob, meeting_id, "end"), "PERMISSION_DENIED", "not-a-host")
    assert await host_action(alice, meeting_id, "end") == {"action": "end", "changed": True}

    meeting = await stored(admin, f"meetings/{meeting_id}")
    assert meeting is not None and meeting["state"] == "ended"
    for peer in (alice, bob, carol):
        doc = await stored(admin, participant_path(meeting_id, peer.uid))
        assert doc is not None and (doc["state"], doc["endCause"]) == ("left", "meeting-ended")
        record = await stored(admin, f"joins/{meeting_id}_{peer.uid}_{peer.session}")
        assert record is not None
        assert (record["endCause"], record["closedBy"]) == ("meeting-ended", alice.uid)
    ended = await legs(admin, meeting_id)
    assert len(ended) == 3
    assert {(leg["state"], leg["endCause"]) for leg in ended} == {("ended", "meeting-ended")}
    assert (await own_knock(dave, meeting_id))["state"] == "ended"

    def everyone_out() -> bool:
        return all(not p.links and p.out_because == "meeting-ended" for p in (alice, bob, carol))

    await wait_for(
        everyone_out,
        timeout=20.0,
        what="every peer to drop its links and stop",
        describe=lambda: describe([alice, bob, carol]),
    )
    async with unchanged(admin):
        for who in (alice, dave):
            await refused(
                who.call("join_meeting", {"meetingId": meeting_id}),
                "FAILED_PRECONDITION",
                "meeting-ended",
            )
            await refused(knock(who, meeting_id), "FAILED_PRECONDITION", "meeting-ended")
        await refused(host_action(alice, meeting_id, "end"), "FAILED_PRECONDITION", "meeting-ended")
    # Nothing a participant wrote survives to be read: no signal is left.
    dump = await dump_all(admin)
    assert not [path for path in dump if path.startswith(f"meetings/{meeting_id}/signals/")]


@pytest.mark.parametrize("action", HOST_ONLY_ACTIONS)
async def test_every_host_action_is_refused_to_others(
    actors: Actors, admin: firestore.AsyncClient, action: str
) -> None:
    """A guest, a knocker, a stranger and an ex-participant try each action; nothing changes."""
    host, guest, knocker = await actors("host"), await actors("guest"), await actors("knocker")
    stranger, former = await actors("stranger"), await actors("former")
    meeting_id = await host.create_meeting(title="Attacks", lobby=True)
    await host.join(meeting_id)
    for person in (guest, former):
        await person.knock(meeting_id)
        await host.call(
            "host_action", {"meetingId": meeting_id, "action": "admit", "uid": person.uid}
        )
        await person.join(meeting_id)
    await former.leave(meeting_id)
    await knocker.knock(meeting_id)
    target = knocker.uid if action in ("admit", "deny") else guest.uid
    uid = target if action in PERSON_ACTIONS else None
    what = "mic" if action in PERMISSION_ACTIONS else None
    extras: dict[str, dict[str, Any]] = {
        "rooms-open": {"rooms": ["Red", "Blue"], "assign": {guest.uid: 2}},
        "move": {"room": 1},
    }
    more = extras.get(action, {})
    if action == "help-later":  # a call standing, which the attackers would answer
        await host_action(host, meeting_id, "rooms-open", rooms=["Red"], assign={guest.uid: 1})
        await host_action(guest, meeting_id, "ask-help")
    async with database_unchanged(admin):
        for attacker in (guest, knocker, stranger, former):
            await refused(
                host_action(attacker, meeting_id, action, uid, what, **more),
                "PERMISSION_DENIED",
                "not-a-host",
            )
    # The host may (so the refusals above were about who asked); some change nothing here.
    # A guest, unlocked, with a lobby, nothing restricted or permitted, no rooms open.
    no_change = ("revoke-cohost", "unlock", "lobby-on", "allow", "unpermit", "rooms-close")
    if action == "move":  # a move needs rooms open
        await host_action(host, meeting_id, "rooms-open", rooms=["Red", "Blue"])
    result = await host_action(host, meeting_id, action, uid, what, **more)
    assert result == {"action": action, "changed": action not in no_change}


async def test_the_host_always_has_a_seat(actors: Actors, admin: firestore.AsyncClient) -> None:
    host = await actors("host")
    meeting_id = await host.create_meeting(title="Full but for the host")
    cap = (await stored(admin, f"meetings/{meeting_id}") or {})["maxParticipants"]
    others = [await actors(f"guest{n}") for n in range(cap)]
    for guest in others[: cap - 1]:
        await guest.join(meeting_id)
    # Nothing changes but the join quotas' counters: a refusal as full counts (protocol section 2).
    async with database_unchanged(admin, exempt=("quotas",)):
        await refused(others[-1].join(meeting_id), "RESOURCE_EXHAUSTED", "meeting-full")
    # The sock puppets filled every seat but one: the host's.
    assert len((await host.join(meeting_id))["participants"]) == cap - 1


async def test_names_are_chosen_and_never_contact_details(
    peers: Peers, actors: Actors, admin: firestore.AsyncClient
) -> None:
    alice, bob = await peers("alice"), await peers("bob")
    meeting_id = await alice.create_meeting(title="Names")
    await alice.join(meeting_id, display_name="  Ada   L. ")
    assert bob.user is not None
    async with unchanged(admin):
        for bad in (bob.user.email, "+1 (555) 010-0002", "x" * 65, " ", "Bob\u0000"):
            await refused(bob.join(meeting_id, display_name=bad), "INVALID_ARGUMENT")
    result = await bob.join(meeting_id, display_name="Bob")
    assert [p["displayName"] for p in result["participants"]] == ["Ada L."]
    await wait_full_mesh([alice, bob])
    await wait_for(lambda: alice.names.get(bob.uid) == "Bob", timeout=10.0, what="Bob's name")

    # Accounts without a usable name get a guest name, never their e-mail address.
    nameless = await actors.signed_in("", "grace.hopper@example.com")
    emailed = await actors.signed_in("linus@example.com", "linus@example.com")
    joined = [await a.join(meeting_id) for a in (nameless, emailed)]
    for result in joined:
        assert result["displayName"].startswith("Guest ")
    dump = await dump_all(admin)
    for uid, local_part in ((nameless.uid, "grace"), (emailed.uid, "linus")):
        doc = dump[participant_path(meeting_id, uid)]
        assert local_part not in doc["displayName"].lower()
    # What participants can read holds no e-mail address of anyone.
    readable = {p: d for p, d in dump.items() if p.startswith(f"meetings/{meeting_id}")}
    for actor in (alice, bob):
        assert actor.user is not None
        assert not mentions(readable, actor.user.email)


async def test_participants_rename_themselves_by_the_same_rules(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    """`rename`: the name everyone reads changes; the join's name rules hold; only someone
    present; a host may turn it off for participants and let one of them; ten an hour."""
    alice, bob = await peers("alice"), await peers("bob")
    meeting_id = await alice.create_meeting(title="Who is who")
    await alice.join(meeting_id, display_name="Ada")
    await bob.join(meeting_id, display_name="Bob")
    await wait_full_mesh([alice, bob])

    def rename(peer: MeetingPeer, name: Any, meeting: str = meeting_id) -> Any:
        return peer.call("rename", {"meetingId": meeting, "displayName": name})

    assert await rename(bob, "  Robert   B. ") == {"displayName": "Robert B.", "changed": True}
    await wait_for(
        lambda: alice.names.get(bob.uid) == "Robert B.", timeout=10.0, what="Bob's new name"
    )
    assert bob.user is not None
    carol = await peers("carol")
    async with unchanged(admin):
        for bad in (bob.user.email, "+1 (555) 010-0002", "x" * 65, " ", None, 7):
            await refused(rename(bob, bad), "INVALID_ARGUMENT")
        await refused(rename(carol, "Carol"), "FAILED_PRECONDITION", "not-joined")
    # A meeting that does not exist: counted as a probe (docs/protocol.md section 2).
    await refused(rename(bob, "Bob", "zzz-zzzz-zzz"), "NOT_FOUND")
    assert (await rename(bob, "Robert B."))["changed"] is False

    # Renaming off for participants: the server refuses Bob, not the host; then lets him.
    await host_action(alice, meeting_id, "restrict", what="rename")
    async with unchanged(admin):
        await refused(rename(bob, "Bobby"), "PERMISSION_DENIED", "turned-off")
    assert (await rename(alice, "Ada L."))["changed"] is True
    await host_action(alice, meeting_id, "permit", bob.uid, "rename")
    assert (await rename(bob, "Bobby"))["changed"] is True

    # Ten an hour per account (those that passed the checks: three so far).
    for n in range(7):
        await rename(bob, f"Bob {n}")
    async with unchanged(admin):
        await refused(rename(bob, "Bob again"), "RESOURCE_EXHAUSTED", "rate-limited")
    stored_name = (await stored(admin, participant_path(meeting_id, bob.uid)) or {})["displayName"]
    assert stored_name == "Bob 6"
