"""The organisation edition's pure rules (avmeets.org_storage): what may be stored of whom."""

from __future__ import annotations

from typing import Any

from avmeets import org_storage

ACME: Any = {"name": "Acme", "storage": {"chat": True, "attendance": True, "engagement": True}}


def member(uid: str, org_id: str = "acme", *kinds: str) -> dict[str, Any]:
    stored = {"orgId": org_id, "orgName": org_id.title(), "kinds": list(kinds or ("chat",))}
    return {"uid": uid, "displayName": uid.title(), "storedBy": stored}


def test_what_an_organisation_opts_in_to() -> None:
    assert org_storage.opted_in(ACME) == ["chat", "attendance", "engagement"]
    # Engagement is sent with attendance: alone it means nothing and is not stored.
    assert org_storage.opted_in({"storage": {"engagement": True}}) == []
    assert org_storage.opted_in({"storage": {"chat": "yes"}}) == []
    assert org_storage.opted_in(None) == []


def test_stored_by_at_join() -> None:
    assert org_storage.stored_by("acme", ACME) == {
        "orgId": "acme",
        "orgName": "Acme",
        "kinds": ["chat", "attendance", "engagement"],
    }
    assert org_storage.stored_by(None, ACME) is None
    assert org_storage.stored_by("acme", {"name": "Acme"}) is None


def test_may_store_needs_the_room_told_and_the_policy_now() -> None:
    ada = member("ada", "acme", "chat")
    assert org_storage.may_store(ada, "acme", ACME, "chat")
    # Not told at the join; another organisation's store; switched off since.
    assert not org_storage.may_store(ada, "acme", ACME, "attendance")
    assert not org_storage.may_store(ada, "beta", ACME, "chat")
    assert not org_storage.may_store(ada, "acme", {"storage": {"chat": False}}, "chat")
    assert not org_storage.may_store({"uid": "gus", "storedBy": None}, "acme", ACME, "chat")
    assert not org_storage.may_store(None, "acme", ACME, "chat")
    assert not org_storage.may_store({"storedBy": {"kinds": ["chat"]}}, "acme", ACME, "chat")


def test_notices_count_members_per_organisation() -> None:
    people = [
        member("a", "acme", "chat"),
        member("b", "acme", "attendance"),
        {"uid": "g", "storedBy": None},
        member("c", "beta", "files"),
    ]
    assert org_storage.notices(people) == [
        {"orgName": "Acme", "kinds": ["chat", "attendance"], "members": 2},
        {"orgName": "Beta", "kinds": ["files"], "members": 1},
    ]


def test_a_recording_may_show_whom() -> None:
    org: Any = {"storage": {"recordings": True}}
    people = [member("ada", "acme", "recordings"), member("gus", "beta", "recordings")]
    assert org_storage.not_stored(people, "acme", org, "recordings") == ["Gus"]
    assert org_storage.not_stored(people[:1], "acme", org, "recordings") == []


def test_split_by_size_keeps_order_and_each_part_within_the_limit() -> None:
    items = [{"text": "x" * n, "to": None} for n in (10, 500, 10, 900, 5)]
    sizes = [org_storage.item_size(i) for i in items]
    assert sizes[0] == 32 + len("text") + 1 + 10 + 1 + len("to") + 1 + 8
    parts = org_storage.split_by_size(items, 1000)
    assert [i for part in parts for i in part] == items
    assert all(sum(map(org_storage.item_size, p)) <= 1000 for p in parts if len(p) > 1)
    # An item bigger than the limit still goes, alone.
    assert org_storage.split_by_size([{"text": "y" * 2000}], 1000) == [[{"text": "y" * 2000}]]
    assert org_storage.split_by_size([], 1000) == [[]]


def test_a_chat_batch_has_the_same_archive_ids_when_sent_again() -> None:
    batch = [{"text": "minutes", "at": 1}, {"text": "for bob", "at": 2, "to": "bob"}]
    ids = org_storage.chat_archive_ids("ada", "abc-defg-hij", batch, 2)
    assert ids == org_storage.chat_archive_ids("ada", "abc-defg-hij", [dict(m) for m in batch], 2)
    assert ids[1] == f"{ids[0]}_1" and ids[0].startswith("chat_") and len(ids[0]) == 37
    # Anything that makes it another batch makes it another archive.
    others = [
        org_storage.chat_archive_ids("bob", "abc-defg-hij", batch, 1),
        org_storage.chat_archive_ids("ada", "abc-defg-hik", batch, 1),
        org_storage.chat_archive_ids("ada", "abc-defg-hij", batch[:1], 1),
        org_storage.chat_archive_ids("ada", "abc-defg-hij", [{**batch[0], "at": 3}, batch[1]], 1),
        org_storage.chat_archive_ids(
            "ada", "abc-defg-hij", [batch[0], {**batch[1], "to": "cy"}], 1
        ),
        org_storage.chat_archive_ids("ada", "abc-defg-hij", [batch[1], batch[0]], 1),
    ]
    assert len({ids[0], *(o[0] for o in others)}) == 1 + len(others)
