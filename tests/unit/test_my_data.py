"""What a person is shown of their own records, and what stays when they delete them (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from avmeets import my_data, payloads
from avmeets.display_names import guest_name
from avmeets.errors import FailedPrecondition, InvalidArgument

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=7)


def side(uid: str, name: str | None, email: str | None, ip: str) -> dict[str, object]:
    return {
        "uid": uid,
        "session": f"s-{uid}",
        "name": name,
        "email": email,
        "ip": ip,
        "ipInfo": {"kind": "public", "countryCode": "DE"},
        "timeline": [{"status": "connecting", "at": NOW}],
        "stats": {"connect": {"rttMs": 12.5, "relayed": False, "at": NOW}},
    }


LEG = {
    "meetingId": "abc-defg-hij",
    "legId": "abc-defg-hij_s-alice_s-bob",
    "uids": ["alice", "bob"],
    "state": "ended",
    "startedAt": NOW,
    "signalEvents": ["evt-1"],
    "expiresAt": LATER,
    "caller": side("alice", "Alice", "alice@example.com", "198.51.100.1"),
    "callee": side("bob", "Bob B.", "bob@example.com", "198.51.100.2"),
}


def test_flatten_names_every_leaf_as_the_inventory_does() -> None:
    fields = my_data.flatten({"b": {"c": 1.5, "d": None}, "a": [{"x": NOW}], "t": ["p", "q"]})
    assert fields == [
        {"field": "a[0].x", "value": "2026-05-01T12:00:00Z"},
        {"field": "b.c", "value": "1.5"},
        {"field": "b.d", "value": None},
        {"field": "t", "value": '["p", "q"]'},
    ]


def test_a_leg_shows_my_side_and_only_the_others_name() -> None:
    record = my_data.leg(LEG, "alice")
    assert record is not None
    assert (record["storedIn"], record["id"]) == ("cdrs", LEG["legId"])
    assert record["otherName"] == "Bob B."
    paths = {f["field"] for f in record["fields"]}
    assert {"caller.ip", "caller.email", "caller.stats.connect.rttMs", "state"} <= paths
    assert not [p for p in paths if p.startswith("callee") or p in ("uids", "signalEvents")]
    text = repr(record)
    assert "bob@example.com" not in text and "198.51.100.2" not in text and "'bob'" not in text
    assert (record["onDelete"], record["deleteAfter"]) == ("kept", "2026-05-08T12:00:00Z")
    assert "Bob B." in record["why"]
    # From Bob's side: his own side only, and Alice by her display name.
    theirs = my_data.leg(LEG, "bob")
    assert theirs is not None and theirs["otherName"] == "Alice"
    assert not [f for f in theirs["fields"] if f["field"].startswith("caller")]
    assert my_data.leg(LEG, "carol") is None


def test_my_connection_path_shows_my_address_but_not_the_others() -> None:
    info = {"kind": "public", "known": True, "countryCode": "SE"}
    path = {
        "local": {
            "candidateType": "srflx",
            "kind": "public",
            "ip": "89.160.20.112",
            "ipInfo": info,
        },
        "remote": {"candidateType": "relay", "kind": "public", "ip": "81.2.69.142", "ipInfo": info},
        "at": NOW,
    }
    leg = {**LEG, "caller": {**LEG["caller"], "path": path}}  # type: ignore[dict-item]
    record = my_data.leg(leg, "alice")
    assert record is not None
    fields = {f["field"]: f["value"] for f in record["fields"]}
    assert fields["caller.path.local.ip"] == "89.160.20.112"
    assert fields["caller.path.remote.candidateType"] == "relay"
    assert "81.2.69.142" not in repr(record)
    assert leg["caller"]["path"]["remote"]["ip"] == "81.2.69.142"  # type: ignore[index]  # stored as is


def test_the_other_side_without_a_name_shows_as_the_meeting_showed_it() -> None:
    leg = {**LEG, "callee": side("bobuid123", None, None, "198.51.100.2")}
    record = my_data.leg(leg, "alice")
    assert record is not None and record["otherName"] == guest_name("bobuid123")


def test_an_archive_shows_only_my_items() -> None:
    archive = {
        "orgId": "acme",
        "meetingId": "abc-defg-hij",
        "kind": "attendance",
        "archivedBy": "bob",
        "createdAt": NOW,
        "items": [
            {"uid": "alice", "displayName": "Alice", "joinedAt": NOW, "leftAt": None},
            {"uid": "bob", "displayName": "Bob", "joinedAt": NOW, "leftAt": None},
        ],
        "expiresAt": LATER,
    }
    record = my_data.archive("a1", archive, "alice", ["Alice"])
    assert record is not None and record["onDelete"] == "kept"
    values = {f["field"]: f["value"] for f in record["fields"]}
    assert values["items[0].uid"] == "alice" and "items[1].uid" not in values
    assert values["archivedBy"] == "another participant"
    said = {"fromUid": "alice", "fromName": "Alice", "to": None, "text": "hi", "at": NOW}
    chat = {**archive, "kind": "chat", "items": [said]}
    record = my_data.archive("a2", chat, "alice", ["Alice"])
    assert record is not None and "chats" in record["why"]
    # Bob's private message to Alice is hers to see too; Bob's message to everyone is not, and
    # neither is a message by someone merely using her name.
    to_her = {**said, "fromUid": "bob", "fromName": "Bob", "to": "alice"}
    record = my_data.archive("a3", {**chat, "items": [to_her]}, "alice", ["Alice"])
    assert record is not None
    others = [{**said, "fromUid": "bob"}, {**said, "fromUid": "eve", "fromName": "Alice"}]
    assert my_data.archive("a4", {**chat, "items": others}, "alice", ["Alice"]) is None


def test_meetings_others_are_in_stay() -> None:
    doc = {"title": "T", "createdBy": "alice", "createdAt": NOW, "expiresAt": LATER}
    assert my_data.meeting("m", doc, others_joined=True)["onDelete"] == "kept"
    assert my_data.meeting("m", doc, others_joined=False)["onDelete"] == "deleted"


def test_the_account_goes_after_the_idle_period() -> None:
    info = {"uid": "alice", "createdAt": NOW - timedelta(days=3), "lastLoginAt": NOW}
    record = my_data.account(info, 7)
    assert record["deleteAfter"] == "2026-05-08T12:00:00Z" and record["onDelete"] == "deleted"


def test_deleting_needs_a_recent_sign_in() -> None:
    my_data.check_recent_sign_in(NOW - timedelta(minutes=14), NOW)
    for stale in (None, NOW - timedelta(minutes=16)):
        with pytest.raises(FailedPrecondition) as info:
            my_data.check_recent_sign_in(stale, NOW)
        assert info.value.details["reason"] == "recent-sign-in-required"


def test_order_account_identity_then_newest_first() -> None:
    join_old = my_data.join("j1", {"meetingId": "m", "joinedAt": NOW - timedelta(days=1)})
    join_new = my_data.join("j2", {"meetingId": "m", "joinedAt": NOW})
    ident = my_data.identity("alice", {"uid": "alice", "lastSignInAt": NOW})
    ordered = my_data.ordered([join_old, ident, join_new])
    assert [r["id"] for r in ordered] == ["alice", "j2", "j1"]


def test_parsers() -> None:
    payloads.parse_my_data({})
    payloads.parse_my_data(None)
    payloads.parse_delete_me({"confirm": True})
    for bad, field in (({"x": 1}, "x"),):
        with pytest.raises(InvalidArgument) as info:
            payloads.parse_my_data(bad)
        assert info.value.details["field"] == field
    refused: tuple[object, ...] = ({}, {"confirm": 1}, {"confirm": "true"}, {"confirm": False}, [])
    for bad_request in refused:
        with pytest.raises(InvalidArgument):
            payloads.parse_delete_me(bad_request)


def test_quota_counters_go_but_the_daily_leg_count_stays_with_the_legs() -> None:
    joins = my_data.counter(
        "joins~alice~d20260501",
        {"kind": "joins", "subject": "alice", "window": NOW, "count": 3, "expiresAt": LATER},
    )
    assert (joins["storedIn"], joins["onDelete"], joins["meetingId"]) == ("quotas", "deleted", None)
    signals = my_data.counter(
        "signals~abc-defg-hij:alice~m202605011200",
        {"kind": "signals", "subject": "abc-defg-hij:alice", "window": NOW, "count": 9},
    )
    assert signals["meetingId"] == "abc-defg-hij" and signals["onDelete"] == "deleted"
    legs = my_data.counter(
        "legs~alice~d20260501",
        {"kind": "legs", "subject": "alice", "window": NOW, "count": 2, "expiresAt": LATER},
    )
    assert (legs["onDelete"], legs["deleteAfter"]) == ("kept", "2026-05-08T12:00:00Z")
    assert "call records" in legs["why"]
