"""meeting_info: what a client may know before joining (docs/protocol.md), and the organisation's
privacy policy that join_meeting hands on (relayOnly). meeting_info writes nothing but the
caller's probe counter when it names a meeting that does not exist (the quota of issue 10)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from google.cloud import firestore

from avmeets.meeting_ids import new_meeting_id as random_meeting_id
from avmeets.protocol import Quotas

from .support.actors import Actor
from .support.admin import Dump, dump_all, settled_dump
from .support.callables import CallableError, call
from .support.deadline import early_in_a_minute
from .support.factories import Actors
from .support.hosts import host_action
from .support.refusals import database_unchanged, refused

PASSWORD = "plum 42"
PROBE_COUNTERS = "quotas/probes~"


def without_probes(dump: Dump) -> Dump:
    return {path: data for path, data in dump.items() if not path.startswith(PROBE_COUNTERS)}


async def test_meeting_info_tells_before_the_lobby(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    host, guest = await actors("host"), await actors("guest")
    open_id = await host.create_meeting(title="Open house")
    locked_id = await host.create_meeting(title="Secret plans", password=PASSWORD)
    before = await settled_dump(admin)

    info = await guest.call("meeting_info", {"meetingId": open_id})
    assert info == {
        "exists": True,
        "state": "open",
        "hasPassword": False,
        "title": "Open house",
        "full": False,
        "relayOnly": False,
        "entry": "join",
        # Nobody in the meeting is stored by an organisation, nor would the guest be.
        "storage": [],
        "storedOfYou": [],
        "storedOfYouBy": None,
        "present": 0,
        "turnedOff": [],
    }
    # The password protects the title too, and how many are in.
    locked = await guest.call("meeting_info", {"meetingId": locked_id})
    assert locked["hasPassword"] is True and locked["title"] is None
    assert locked["present"] is None
    # A code nobody created (typed with capitals and spaces: read as people type codes).
    assert await guest.call("meeting_info", {"meetingId": "QQQ QQQQ QQQ"}) == {
        "exists": False,
        "state": None,
        "hasPassword": False,
        "title": None,
        "full": False,
        "relayOnly": False,
        "entry": None,
        "storage": [],
        "storedOfYou": [],
        "storedOfYouBy": None,
        "present": None,
        "turnedOff": [],
    }
    for bad in ("nope", "abc-defg-hi", "abcdefghijk", ""):
        with pytest.raises(CallableError) as refused:
            await guest.call("meeting_info", {"meetingId": bad})
        assert refused.value.status == "INVALID_ARGUMENT"
    with pytest.raises(CallableError) as anonymous:
        await call("meeting_info", {"meetingId": open_id})
    assert anonymous.value.status == "UNAUTHENTICATED"
    # Nothing was written by any of it but the guest's probe counters (one unknown id).
    after = await dump_all(admin)
    assert without_probes(after) == without_probes(before)
    probes = [path for path in after if path.startswith(PROBE_COUNTERS) and guest.uid in path]
    assert probes and not any(p.startswith(PROBE_COUNTERS) for p in before), probes

    # How many are in: what a newcomer makes offers for (docs/protocol.md section 4).
    await host.join(open_id)
    assert (await guest.call("meeting_info", {"meetingId": open_id}))["present"] == 1

    # Ended: said before the lobby.
    await admin.collection("meetings").document(open_id).update({"state": "ended"})
    assert (await guest.call("meeting_info", {"meetingId": open_id}))["state"] == "ended"


async def test_full_meeting_and_its_cap(actors: Actors, admin: firestore.AsyncClient) -> None:
    host, second, late = await actors("host"), await actors("second"), await actors("late")
    meeting_id = await host.create_meeting(title="Two seats")
    await admin.collection("meetings").document(meeting_id).update({"maxParticipants": 2})
    await host.join(meeting_id)
    assert (await late.call("meeting_info", {"meetingId": meeting_id}))["full"] is False
    await second.join(meeting_id)
    assert (await late.call("meeting_info", {"meetingId": meeting_id}))["full"] is True
    with pytest.raises(CallableError) as full:
        await late.join(meeting_id)
    assert full.value.status == "RESOURCE_EXHAUSTED"
    assert full.value.details == {"reason": "meeting-full", "maxParticipants": 2}


async def test_meeting_info_says_what_joining_would_do(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """``entry`` follows the rules of who gets in (docs/protocol.md section 5), and ``full``
    keeps the host's seat, as join_meeting does."""
    host, guest = await actors("host"), await actors("guest")
    pushy, late = await actors("pushy"), await actors("late")
    meeting_id = await host.create_meeting(title="Door", lobby=True)

    async def entry(who: Actor) -> Any:
        return (await who.call("meeting_info", {"meetingId": meeting_id}))["entry"]

    assert await entry(guest) == "knock"
    assert await entry(host) == "join"  # the creator never waits
    await host.join(meeting_id)
    assert (await guest.knock(meeting_id))["state"] == "waiting"
    assert await entry(guest) == "knock"
    await host_action(host, meeting_id, "deny", guest.uid)
    assert await entry(guest) == "denied"
    await host_action(host, meeting_id, "lock")
    assert await entry(pushy) == "locked"
    assert await entry(host) == "join"
    await host_action(host, meeting_id, "unlock")
    await host_action(host, meeting_id, "lobby-off")
    assert await entry(pushy) == "join"

    # The host's seat: with the cap at 2 and the host gone, one guest fills the meeting for
    # everyone but the host.
    await admin.collection("meetings").document(meeting_id).update({"maxParticipants": 2})
    await host.leave(meeting_id)
    await pushy.join(meeting_id)
    assert (await late.call("meeting_info", {"meetingId": meeting_id}))["full"] is True
    assert (await host.call("meeting_info", {"meetingId": meeting_id}))["full"] is False
    assert (await pushy.call("meeting_info", {"meetingId": meeting_id}))["full"] is False
    await refused(late.join(meeting_id), "RESOURCE_EXHAUSTED", "meeting-full")


async def test_organisation_requires_hidden_ip(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    await (
        admin.collection("orgs")
        .document("shield")
        .set({"name": "Shield", "domains": ["shield.example"], "privacy": {"relayOnly": True}})
    )
    member = await actors("member", email="member@shield.example")
    outsider = await actors("outsider", email="outsider@example.org")
    meeting_id = await outsider.create_meeting(title="Mixed")
    assert (await member.call("meeting_info", {"meetingId": meeting_id}))["relayOnly"] is True
    assert (await outsider.call("meeting_info", {"meetingId": meeting_id}))["relayOnly"] is False
    assert (await member.join(meeting_id))["relayOnly"] is True
    assert "relayOnly" not in await outsider.join(meeting_id)


async def test_meeting_info_is_no_way_round_the_probe_quota(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """Guessing codes through meeting_info costs what guessing them through join_meeting
    costs: past the probe quota every call naming a meeting is refused, the real one too."""
    alice, mallory = await actors("alice"), await actors("mallory")
    real = await alice.create_meeting()
    # The probe quota counts in calendar minutes: 30 probes and the checks after them must fall
    # in one (a CI run crossed into the next minute before the last check).
    await early_in_a_minute(30)
    answers: Counter[str] = Counter()
    for _ in range(30):
        try:
            info = await mallory.call("meeting_info", {"meetingId": random_meeting_id()})
            answers[f"exists={info['exists']}"] += 1
        except CallableError as error:
            answers[f"{error.status}/{error.reason}"] += 1
    print(f"\n30 random ids through meeting_info: {dict(answers)}")
    assert answers["exists=False"] <= Quotas.PROBES_PER_MINUTE, answers
    assert answers["RESOURCE_EXHAUSTED/rate-limited"] >= 30 - Quotas.PROBES_PER_MINUTE, answers
    async with database_unchanged(admin):
        await refused(
            mallory.call("meeting_info", {"meetingId": real}), "RESOURCE_EXHAUSTED", "rate-limited"
        )
        await refused(mallory.join(real), "RESOURCE_EXHAUSTED", "rate-limited")
    # Someone else is not affected.
    assert (await alice.call("meeting_info", {"meetingId": real}))["exists"] is True
