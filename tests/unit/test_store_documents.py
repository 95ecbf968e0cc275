"""The store's typed documents are docs/data-inventory.md in types: the same fields, both ways.

Every field path a ``TypedDict`` of ``avmeets.store.documents`` can hold must be listed in the
inventory under its collection, and every listed field must be one the types can hold. (The
emulator test tests/emulator/test_data_inventory.py holds the stored data to the inventory.)
"""

from __future__ import annotations

import types
import typing
from typing import Any, get_args, get_origin, is_typeddict

from avmeets.store import documents as d
from tests.emulator.support.inventory import load_inventory

#: Inventory heading -> the document type the store reads and writes there.
COLLECTIONS: dict[str, Any] = {
    "meetings/{meetingId}": d.MeetingDoc,
    "meetings/{meetingId}/participants/{uid}": d.ParticipantDoc,
    "meetings/{meetingId}/presence/{uid}": d.PresenceDoc,
    "meetings/{meetingId}/signals/{signalId}": d.SignalDoc,
    "meetings/{meetingId}/lobby/{uid}": d.LobbyDoc,
    "identities/{uid}": d.IdentityDoc,
    "joins/{meetingId}_{uid}_{session}": d.JoinRecordDoc,
    "cdrs/{legId}": d.LegDoc,
    "meeting_secrets/{meetingId}": d.MeetingSecretDoc,
    "join_attempts/{meetingId}_{uid}": d.AttemptDoc,
    "meeting_attempts/{meetingId}": d.MeetingAttemptDoc,
    "quotas/{kind}~{subject}~{window}": d.CounterDoc,
    "orgs/{orgId}": d.OrgDoc,
    "archives/{archiveId}": d.ArchiveDoc,
    "org_audits/{auditId}": d.OrgAuditDoc,
    "export_audits/{exportId}-{part}": d.ExportAuditDoc,
    "usage_daily/{day}": d.UsageDayDoc,
}


#: The inventory's heading of the Cloud Storage objects (their path in the bucket).
OBJECTS = "orgs/{orgId}/meetings/{meetingId}/{kind}/{objectId}"


def field_paths(shape: Any, prefix: str = "") -> set[str]:
    """Leaf paths of a TypedDict as the inventory writes them (maps by dots, lists by ``[]``)."""
    out: set[str] = set()
    for key, tp in typing.get_type_hints(shape).items():
        out |= _paths(tp, f"{prefix}.{key}" if prefix else key)
    return out


def _paths(tp: Any, path: str) -> set[str]:
    origin = get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in get_args(tp) if a is not type(None)]
        found: set[str] = set().union(*(_paths(a, path) for a in options))
        # A map that may be null: when null, the field itself is what is stored.
        if type(None) in get_args(tp) and any(is_typeddict(a) for a in options):
            found.add(path)
        return found
    if is_typeddict(tp):
        return field_paths(tp, path)
    if origin is list and is_typeddict(get_args(tp)[0]):
        return field_paths(get_args(tp)[0], f"{path}[]")
    if origin is dict:
        # A map whose keys are chosen at run time: the inventory's `{name}` placeholder.
        return _paths(get_args(tp)[1], f"{path}.{{key}}")
    return {path}


def test_every_collection_of_the_inventory_has_a_type() -> None:
    inventory = load_inventory()
    # Not Firestore: Firebase Auth's accounts, and the organisation store's objects in Cloud
    # Storage (no document type: their bytes and the bucket's metadata).
    assert set(inventory) - {"auth/{uid}", OBJECTS} == set(COLLECTIONS)


def mismatches(collections: dict[str, Any]) -> list[str]:
    inventory = load_inventory()
    problems = []
    for heading, shape in collections.items():
        _, patterns = inventory[heading]
        typed = field_paths(shape)
        for path in sorted(typed):
            if not any(p.fullmatch(path) for p in patterns):
                problems.append(f"{heading}: {path} is typed but not in the inventory")
        for pattern in patterns:
            if not any(pattern.fullmatch(path) for path in typed):
                problems.append(f"{heading}: {pattern.pattern} is listed but no type holds it")
    return problems


def test_typed_fields_and_inventory_fields_are_the_same() -> None:
    assert mismatches(COLLECTIONS) == []


class Undocumented(d.MeetingSecretDoc):
    salt: str


def test_the_check_sees_both_directions() -> None:
    assert "caller.stats.connect.rttMs" in field_paths(d.LegDoc)
    assert "items[].fromUid" in field_paths(d.ArchiveDoc)
    assert "items[].engagement.micOnMs" in field_paths(d.ArchiveDoc)
    assert "within.{key}" in field_paths(d.CounterDoc)
    assert mismatches({"meeting_secrets/{meetingId}": Undocumented}) == [
        "meeting_secrets/{meetingId}: salt is typed but not in the inventory"
    ]
    problems = mismatches({"join_attempts/{meetingId}_{uid}": d.MeetingSecretDoc})
    assert "join_attempts/{meetingId}_{uid}: attempts is listed but no type holds it" in problems
