"""The anonymous daily aggregates (avmeets.usage): groups, folding below k, the counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from avmeets import usage
from avmeets.store.documents import UsageRow

DAY = date(2026, 5, 1)
NOW = datetime(2026, 5, 2, 0, 30, tzinfo=UTC)
DE_TELEKOM = {"countryCode": "DE", "asn": 3320, "asOrg": "Deutsche Telekom AG"}
DE_VODAFONE = {"countryCode": "DE", "asn": 3209, "asOrg": "Vodafone GmbH"}
FR_ORANGE = {"countryCode": "FR", "asn": 3215, "asOrg": "Orange S.A."}
SE = {"countryCode": "SE", "asn": 8473, "asOrg": "Bahnhof AB"}


def join(uid: str, meeting: str, info: dict[str, Any]) -> dict[str, Any]:
    return {"uid": uid, "meetingId": meeting, "ipInfo": {"kind": "public", "known": True, **info}}


def side(uid: str, info: dict[str, Any], rtt: float | None = 20.0, relayed: bool = False) -> Any:
    connect = {"rttMs": rtt, "relayed": relayed} if rtt is not None else {"relayed": relayed}
    return {"uid": uid, "ipInfo": info, "stats": {"connect": connect}}


def leg(meeting: str, a: Any, b: Any, state: str = "ended", disposition: str = "ANSWERED") -> Any:
    return {
        "meetingId": meeting,
        "state": state,
        "disposition": disposition,
        "caller": a,
        "callee": b,
    }


def test_days_due_are_the_ended_days_not_done() -> None:
    oldest = datetime(2026, 4, 28, 23, 59, tzinfo=UTC)
    assert usage.days_due(oldest, NOW, ["2026-04-29"]) == [
        date(2026, 4, 28),
        date(2026, 4, 30),
        date(2026, 5, 1),
    ]
    assert usage.days_due(None, NOW, []) == []
    assert usage.days_due(NOW, NOW, []) == []  # today has not ended
    ancient = datetime(2020, 1, 1, tzinfo=UTC)
    assert len(usage.days_due(ancient, NOW, [])) == usage.LOOK_BACK_DAYS


def test_group_key() -> None:
    assert usage.group_key(DE_TELEKOM) == ("DE", "AS3320 Deutsche Telekom AG", 3320)
    assert usage.group_key({"countryCode": "DE", "asn": 1}) == ("DE", "AS1", 1)
    assert usage.group_key({"kind": "private", "known": False}) == ("unknown", "unknown", None)
    assert usage.group_key(None) == ("unknown", "unknown", None)


def test_rows_cover_at_least_k_people_and_the_rest_is_folded() -> None:
    joins = [join(f"tk{i}", f"m{i % 3}", DE_TELEKOM) for i in range(4)]  # 4 on one network
    joins += [join(f"vf{i}", "m9", DE_VODAFONE) for i in range(2)]  # 2 + 1: Germany's rest
    joins += [join("x0", "m6", {"countryCode": "DE", "asn": 1})]
    joins += [join(f"fr{i}", "m8", FR_ORANGE) for i in range(2)]  # 2 + 1: the world's rest
    joins += [join("se0", "m7", SE)]
    legs = [
        leg("m0", side("tk0", DE_TELEKOM, 10), side("tk3", DE_TELEKOM, 30)),
        leg("m9", side("vf0", DE_VODAFONE, 50, relayed=True), side("vf1", DE_VODAFONE, None)),
        leg("m8", side("fr0", FR_ORANGE), side("fr1", FR_ORANGE), disposition="FAILED"),
        leg("m7", side("se0", SE), side("fr0", FR_ORANGE), state="connected", disposition=""),
    ]
    doc = usage.roll_up(DAY, joins, legs, NOW, k=3)

    rows = {(r["country"], r["network"]): r for r in doc["rows"]}
    assert list(rows) == [
        ("*", "*"),
        ("DE", "AS3320 Deutsche Telekom AG"),
        ("DE", "other"),
        ("other", "other"),
    ]
    everyone = rows[("*", "*")]
    assert (everyone["participants"], everyone["joins"], everyone["meetings"]) == (10, 10, 7)
    assert (everyone["connections"], everyone["answered"]) == (8, 4)
    assert (everyone["failed"], everyone["noAnswer"], everyone["open"]) == (2, 0, 2)
    assert (everyone["relayed"], everyone["rttMedianMs"], everyone["asn"]) == (1, 20.0, None)
    telekom = rows[("DE", "AS3320 Deutsche Telekom AG")]
    assert (telekom["participants"], telekom["meetings"], telekom["asn"]) == (4, 3, 3320)
    assert (telekom["connections"], telekom["rttMedianMs"]) == (2, 20.0)
    germany = rows[("DE", "other")]
    assert (germany["participants"], germany["joins"], germany["relayed"]) == (3, 3, 1)
    assert (germany["answered"], germany["rttMedianMs"]) == (2, 50.0)
    world = rows[("other", "other")]
    assert (world["participants"], world["connections"]) == (3, 4)
    assert (world["failed"], world["open"], world["answered"]) == (2, 2, 0)
    assert doc["minGroupSize"] == 3 and doc["day"] == "2026-05-01"
    assert doc["expiresAt"] == datetime(2026, 5, 1, tzinfo=UTC) + timedelta(days=400)


def test_nothing_identifies_a_person() -> None:
    joins = [join(f"u{i}", "abc-defg-hij", DE_TELEKOM) for i in range(12)]
    doc = usage.roll_up(DAY, joins, [], NOW)
    text = repr(doc)
    assert "abc-defg-hij" not in text and "u1" not in text
    assert {k for r in doc["rows"] for k in r} == set(UsageRow.__annotations__)


@pytest.mark.parametrize("people", [1, 9])
def test_below_k_nothing_but_the_marker_is_stored(people: int) -> None:
    joins = [join(f"u{i}", "m", DE_TELEKOM) for i in range(people)]
    doc = usage.roll_up(DAY, joins, [], NOW)
    assert doc["rows"] == []
    assert doc["minGroupSize"] == usage.MIN_GROUP_SIZE == 10


def test_a_small_network_goes_into_its_country_then_the_world() -> None:
    joins = [join(f"a{i}", "m", DE_TELEKOM) for i in range(10)]
    joins += [join(f"b{i}", "m", DE_VODAFONE) for i in range(9)]
    doc = usage.roll_up(DAY, joins, [], NOW)
    keys = [(r["country"], r["network"], r["participants"]) for r in doc["rows"]]
    # Vodafone's 9 are below k alone, in Germany's rest and in the world's rest: not stored.
    assert keys == [("*", "*", 19), ("DE", "AS3320 Deutsche Telekom AG", 10)]


def test_k_must_be_positive() -> None:
    with pytest.raises(ValueError):
        usage.roll_up(DAY, [], [], NOW, k=0)
